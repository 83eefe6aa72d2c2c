/**
 * What the unit head's pages need beyond `unit-task.service.ts`: where the task behind a link
 * stands, the council's comment when it asks for a revision, and recognising a link that was
 * replaced so its holder can ask for a fresh one — sent to the registered address only.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { LINK_TOKEN_PATTERN, sha256 } from '../../auth/tokens';
import { AuditEvent, Email, ReplacedLink as ReplacedLinkRow, UnitTask } from '../../db/entities';
import type { CycleStage, TaskState } from '../../domain/states';
import { OPEN_TASK_STATES } from '../../domain/states';
import { resendLinkUpdate } from '../../workflows/messages';
import { resolveHolder, type LinkHolder } from '../services/unit-task.service';
import { draftLinksOf, type DraftLinkView } from './draft-links.service';
import { previousPeriod } from './previous-report.service';

export interface LinkContext {
  readonly taskId: number;
  readonly stage: CycleStage;
  readonly state: TaskState;
  readonly holder: LinkHolder;
  /** The period of the unit's previous report, offered as a starting point while no draft or report exists. */
  readonly previousPeriod: string | null;
  /** The head's page lists the draft-only links it gave; a staff page none. */
  readonly draftLinks: readonly DraftLinkView[];
}

/** The task behind a current link, head's or draft-only (throws the `LinkError` of `resolveHolder` otherwise). */
export async function linkContext(em: EntityManager, token: string): Promise<LinkContext> {
  const { task, holder } = await resolveHolder(em, token);
  const fresh = !task.draft && !task.submittedAt;
  return {
    taskId: task.id,
    stage: task.cycle.stage,
    state: task.state,
    holder,
    previousPeriod: fresh ? await previousPeriod(em, task) : null,
    draftLinks: holder.kind === 'head' ? await draftLinksOf(em, task.id) : [],
  };
}

export interface RevisionRequest {
  /** The unit that sent the report back; null when the council did. */
  readonly by: string | null;
  readonly comment: string | null;
  readonly deadline: string | null;
  readonly requestedAt: string;
}

/**
 * The latest request to revise a task (the council's, or the unit it reports to sending it back):
 * who asked, the comment and the deadline, from the audit log.
 */
export async function latestRevisionRequest(em: EntityManager, taskId: number): Promise<RevisionRequest | null> {
  const event = await em.findOne(
    AuditEvent,
    {
      action: { $in: ['task.revision_requested', 'task.sent_back'] },
      subjectType: 'unit_task',
      subjectId: String(taskId),
    },
    { orderBy: { seq: 'desc' } },
  );
  if (!event) return null;
  const after = (event.after ?? {}) as { comment?: unknown; reason?: unknown; deadline?: unknown; byName?: unknown };
  const comment = event.action === 'task.sent_back' ? after.reason : after.comment;
  return {
    by: typeof after.byName === 'string' ? after.byName : null,
    comment: typeof comment === 'string' && comment.trim() ? comment : null,
    deadline: typeof after.deadline === 'string' ? after.deadline : null,
    requestedAt: event.occurredAt.toISOString(),
  };
}

/** How long after one fresh link another may be asked for from an old link. */
export const FRESH_LINK_INTERVAL_MS = 15 * 60_000;

export interface ReplacedLink {
  readonly taskId: number;
  readonly tokenVersion: number;
  readonly workflowId: string;
  readonly headEmail: string;
  /** The task still takes a report, so a fresh link is worth sending. */
  readonly open: boolean;
  /** When a link was last re-sent within the interval (then no other is sent yet). */
  readonly recentlySentAt: string | null;
}

/**
 * Recognises a token that belonged to a task before its link was replaced: a trigger keeps the
 * hash of every replaced link (`replaced_link`), so this is one lookup by the token's hash,
 * whatever the number of links re-sent. Only tasks of cycles still running are considered.
 */
export async function findReplacedLink(em: EntityManager, token: string, now: Date): Promise<ReplacedLink | null> {
  if (!LINK_TOKEN_PATTERN.test(token)) return null;
  const replaced = await em.findOne(ReplacedLinkRow, { tokenHash: sha256(token) });
  if (!replaced) return null;
  const task = await em.findOne(
    UnitTask,
    { id: replaced.task.id, cycle: { stage: { $nin: ['closed', 'cancelled'] } } },
    { populate: ['unit'] },
  );
  if (!task) return null;
  const recent = await em.findOne(
    Email,
    { taskId: task.id, kind: 'link_resent', createdAt: { $gt: new Date(now.getTime() - FRESH_LINK_INTERVAL_MS) } },
    { orderBy: { id: 'desc' } },
  );
  return {
    taskId: task.id,
    tokenVersion: task.tokenVersion,
    workflowId: task.workflowId,
    headEmail: task.unit.headEmail,
    open: OPEN_TASK_STATES.has(task.state) && now.getTime() < Date.parse(task.schedule.hardClose),
    recentlySentAt: recent ? (recent.sentAt ?? recent.createdAt).toISOString() : null,
  };
}

/**
 * Asks the unit's workflow to replace the link and email the new one to the registered head
 * (never to an address given here). One request per link version: a double click or a retry
 * is the same update, which Temporal runs once.
 */
export async function requestFreshLink(temporal: Client, link: ReplacedLink): Promise<'sent' | 'closed'> {
  const requestId = `fresh-link-${link.taskId}-v${link.tokenVersion}`;
  try {
    await temporal.workflow.getHandle(link.workflowId).executeUpdate(resendLinkUpdate, {
      args: [
        {
          requestId,
          actor: 'unit head (fresh link asked from a replaced link)',
          reason: 'asked from the page of a replaced link',
        },
      ],
      updateId: requestId,
    });
    return 'sent';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'closed';
    throw error;
  }
}
