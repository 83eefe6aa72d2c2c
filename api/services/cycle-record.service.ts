/** What auditors read of a cycle: its audit events, its emails and its archived workflow histories. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent, Email, WorkflowHistory } from '../../db/entities';
import type { ICycle } from '../../db/entities/cycle.entity';
import { NotFoundError } from '../../domain/errors';

/** Every audit event of the cycle, in chain order. */
export async function cycleAuditEvents(em: EntityManager, cycle: ICycle) {
  const events = await em.find(AuditEvent, { cycleId: cycle.id }, { orderBy: { seq: 'asc' } });
  return events.map((e) => ({
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    actor: { kind: e.actorKind, id: e.actorId },
    origin: e.origin,
    action: e.action,
    subject: { type: e.subjectType, id: e.subjectId },
    before: e.before,
    after: e.after,
    hash: e.hash,
    prevHash: e.prevHash,
  }));
}

/** Every email of the cycle: recipient, subject, delivery status; the body by its hash only. */
export async function cycleEmails(em: EntityManager, cycle: ICycle) {
  const emails = await em.find(Email, { cycleId: cycle.id }, { orderBy: { id: 'asc' } });
  return emails.map((e) => ({
    id: e.id,
    kind: e.kind,
    recipient: e.recipient,
    subject: e.subject,
    status: e.status,
    attempts: e.attempts,
    sentAt: e.sentAt?.toISOString() ?? null,
    bodySha256: e.bodySha256,
    auditEventId: e.auditEventId,
    lastError: e.lastError,
  }));
}

export interface ArchivedHistory {
  readonly workflowId: string;
  readonly runId: string;
  readonly status: string;
  readonly events: number;
  readonly bytes: number;
  readonly sha256: string;
  readonly archivedAt: string;
}

type HistoryOwner = { readonly cycle: ICycle } | { readonly campaign: { readonly id: number } };

const ownerFilter = (owner: HistoryOwner) =>
  'cycle' in owner ? { cycle: owner.cycle } : { campaign: owner.campaign.id, cycle: null };

async function archivedHistories(
  em: EntityManager,
  owner: HistoryOwner,
  workflowIds?: readonly string[],
): Promise<ArchivedHistory[]> {
  const rows = await em.find(
    WorkflowHistory,
    { ...ownerFilter(owner), ...(workflowIds ? { workflowId: { $in: [...workflowIds] } } : {}) },
    { orderBy: { workflowId: 'asc' } },
  );
  return rows.map((h) => ({
    workflowId: h.workflowId,
    runId: h.runId,
    status: h.status,
    events: h.eventCount,
    bytes: h.sizeBytes,
    sha256: h.sha256,
    archivedAt: h.createdAt.toISOString(),
  }));
}

/** One archived history with its events; 404 naming `workflowId` when it was not archived. */
async function archivedHistory(
  em: EntityManager,
  owner: HistoryOwner,
  workflowId: string,
): Promise<{ workflowId: string; runId: string; history: unknown }> {
  const row = await em.findOne(WorkflowHistory, { ...ownerFilter(owner), workflowId }, { populate: ['history'] });
  if (!row) throw new NotFoundError({ code: 'no_archived_history', params: { workflowId } }, 'workflowId');
  return { workflowId: row.workflowId, runId: row.runId, history: row.history };
}

/**
 * The archived histories of the cycle's workflows (archived when it closed), without their
 * contents; with `unitWorkflowId`, only the cycle's own and that unit's.
 */
export const cycleHistories = (em: EntityManager, cycle: ICycle, unitWorkflowId?: string) =>
  archivedHistories(em, { cycle }, unitWorkflowId ? [cycle.workflowId, unitWorkflowId] : undefined);

/** One archived history of the cycle's workflows. */
export const cycleHistory = (em: EntityManager, cycle: ICycle, workflowId: string) =>
  archivedHistory(em, { cycle }, workflowId);

/** The archived histories of a campaign's own workflows (summaries, cut-offs, registration rounds, title votes). */
export const campaignHistories = (em: EntityManager, campaign: { id: number }) => archivedHistories(em, { campaign });

/** One archived history of a campaign's own workflows. */
export const campaignHistory = (em: EntityManager, campaign: { id: number }, workflowId: string) =>
  archivedHistory(em, { campaign }, workflowId);
