/**
 * Draft-only links: the unit head gives a staff member a link of their own to prepare the report.
 * It reads the task and saves drafts under the staff member's name (the audit log records who
 * wrote what); only the head's link submits, creates or withdraws these links. A token is drawn at
 * random, shown to the head once and kept only as its hash.
 */
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sha256 } from '../../auth/tokens';
import { appendAudit } from '../../db/audit';
import { DraftLink } from '../../db/entities';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import { closedRefusal, linkActor, resolveLink } from '../services/unit-task.service';

/** Draft-only links one task may have at a time. */
export const MAX_DRAFT_LINKS = 5;

export interface DraftLinkView {
  readonly id: number;
  readonly holderName: string;
  readonly createdAt: string;
}

/** The task's draft-only links not withdrawn, oldest first. */
export async function draftLinksOf(em: EntityManager, taskId: number): Promise<DraftLinkView[]> {
  const rows = await em.find(DraftLink, { task: taskId, revokedAt: null }, { orderBy: { id: 'asc' } });
  return rows.map((r) => ({ id: r.id, holderName: r.holderName, createdAt: r.createdAt.toISOString() }));
}

/** The draft-only links of the task behind the head's link. */
export async function listDraftLinks(em: EntityManager, headToken: string): Promise<DraftLinkView[]> {
  return draftLinksOf(em, (await resolveLink(em, headToken)).id);
}

/** The staff member's name as typed: 2 to 200 characters of well-formed text. */
function holderNameOf(value: unknown): string {
  const name = typeof value === 'string' ? value.normalize('NFC').replace(/\s+/g, ' ').trim() : '';
  if (name.length < 2 || name.length > 200 || !name.isWellFormed())
    throw new ValidationError(
      { code: 'field_invalid', params: { field: 'holderName', problem: 'must be a name of 2 to 200 characters' } },
      'holderName',
    );
  return name;
}

/**
 * Creates a draft-only link for the task behind the head's link; answers the new token (to show
 * once) with the link's id. Refused when the task no longer takes a report or has its maximum.
 */
export async function createDraftLink(
  em: EntityManager,
  headToken: string,
  holderName: unknown,
  { origin, now }: { origin: string; now: Date },
): Promise<DraftLinkView & { token: string }> {
  const name = holderNameOf(holderName);
  return em.transactional(async (tx) => {
    const task = await resolveLink(tx, headToken, { lock: true });
    const closed = closedRefusal(task, now);
    if (closed) throw new ConflictError(closed);
    if ((await tx.count(DraftLink, { task: task.id, revokedAt: null })) >= MAX_DRAFT_LINKS)
      throw new ConflictError({ code: 'draft_links_full', params: { max: MAX_DRAFT_LINKS } });
    const token = randomBytes(32).toString('base64url');
    const link = tx.create(DraftLink, { task: task.id, tokenHash: sha256(token), holderName: name });
    await tx.flush();
    await appendAudit(tx, {
      actor: linkActor(task, origin),
      action: 'task.draft_link_created',
      subjectType: 'unit_task',
      subjectId: String(task.id),
      cycleId: task.cycle.id,
      after: { draftLinkId: link.id, holderName: name },
      occurredAt: now,
    });
    return { id: link.id, holderName: name, createdAt: link.createdAt.toISOString(), token };
  });
}

/** Withdraws one of the task's draft-only links; its token stops working at once. */
export async function revokeDraftLink(
  em: EntityManager,
  headToken: string,
  draftLinkId: unknown,
  { origin, now }: { origin: string; now: Date },
): Promise<{ id: number; revokedAt: string }> {
  const id = typeof draftLinkId === 'number' ? draftLinkId : Number(draftLinkId);
  return em.transactional(async (tx) => {
    const task = await resolveLink(tx, headToken, { lock: true });
    const link = Number.isSafeInteger(id) ? await tx.findOne(DraftLink, { id, task: task.id, revokedAt: null }) : null;
    if (!link)
      throw new NotFoundError({ code: 'draft_link_unknown', params: { id: String(draftLinkId) } }, 'draftLink');
    link.revokedAt = now;
    await tx.flush();
    await appendAudit(tx, {
      actor: linkActor(task, origin),
      action: 'task.draft_link_revoked',
      subjectType: 'unit_task',
      subjectId: String(task.id),
      cycleId: task.cycle.id,
      before: { draftLinkId: link.id, holderName: link.holderName },
      occurredAt: now,
    });
    return { id: link.id, revokedAt: now.toISOString() };
  });
}
