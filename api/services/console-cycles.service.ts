/**
 * The administrator's cycle actions and the status board, for the console. The actions do what
 * the JSON routes in `cycles.routes.ts` do — the same workflow messages, ids and audit events —
 * so a cycle behaves the same whichever door an administrator used.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { Config } from '../../config/config';
import { appendAudit } from '../../db/audit';
import { AuditEvent, Campaign, Cycle, Unit, UnitTask } from '../../db/entities';
import type { ICycle, IUnitTask } from '../../db/entities/cycle.entity';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import { cycleWorkflowId, parsePeriod } from '../../domain/period';
import { OPEN_TASK_STATES, TASK_STATES, type CycleStage, type TaskState } from '../../domain/states';
import { cycleWorkflow } from '../../workflows/cycle.workflow';
import { extendDeadlineUpdate, resendLinkUpdate } from '../../workflows/messages';
import { CAMPAIGN, PERIOD, STAGE } from '../../workflows/search-attributes';

export interface ActionDeps {
  readonly em: EntityManager;
  readonly temporal: Client;
  readonly config: Config;
  readonly now: Date;
  /** Who acts (their token's name) and from where. */
  readonly actor: string;
  readonly origin: string;
}

/** Turns a failed workflow update into the domain error its workflow raised. */
function updateError(error: unknown): never {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const { type, message } = error.cause;
    if (type === 'NotFoundError') throw new NotFoundError(message, 'unit');
    if (type === 'ValidationError') throw new ValidationError(message, 'newDeadline');
    throw new ConflictError(message);
  }
  throw error;
}

export async function findCycleOf(em: EntityManager, campaign: string, period: string): Promise<ICycle> {
  const cycle = await em.findOne(Cycle, { campaign: { code: campaign }, period }, { populate: ['campaign', 'template'] });
  if (!cycle) throw new NotFoundError(`There is no ${period} cycle for campaign "${campaign}".`, 'period');
  return cycle;
}

/** Starts the cycle of `campaignCode` for `period` with every active unit (as POST /api/v1/cycles). */
export async function startCycle(deps: ActionDeps, campaignCode: string, period: string): Promise<string> {
  if (!parsePeriod(period)) throw new ValidationError('The period must be a month written YYYY-MM.', 'period');
  const campaign = await deps.em.findOne(Campaign, { code: campaignCode });
  if (!campaign) throw new NotFoundError(`Campaign "${campaignCode}" does not exist.`, 'campaign');
  if (!campaign.active) throw new ConflictError(`Campaign "${campaignCode}" is not active.`, 'campaign');
  if ((await deps.em.count(Unit, { active: true })) === 0) throw new ConflictError('There is no active unit to report; add units first.', 'units');
  const workflowId = cycleWorkflowId(campaignCode, parsePeriod(period)!);
  try {
    await deps.temporal.workflow.start(cycleWorkflow, {
      workflowId,
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      args: [{ campaignCode, period, requestedBy: deps.actor }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: CAMPAIGN, value: campaignCode },
        { key: PERIOD, value: period },
        { key: STAGE, value: 'collecting' },
      ],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new ConflictError(`The ${period} cycle of campaign "${campaignCode}" has already been started (workflow ${workflowId}); it cannot be started twice.`, 'period');
    }
    throw error;
  }
  // The workflow's first activity writes the cycle row; wait a moment for it so the board the
  // administrator is sent to exists (a slow worker only means the list shows it a bit later).
  for (let waited = 0; waited < 5_000; waited += 200) {
    if (await deps.em.fork().count(Cycle, { workflowId })) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return workflowId;
}

/** Moves one unit's deadline, with a reason (as POST …/units/:unit/extension). Answers the new deadline. */
export async function extendUnit(deps: ActionDeps, campaign: string, period: string, unit: string, newDeadline: Date, reason: string): Promise<string> {
  const cycle = await findCycleOf(deps.em, campaign, period);
  if (Number.isNaN(newDeadline.getTime())) throw new ValidationError('The new deadline is not a date and time.', 'newDeadline');
  if (newDeadline.getTime() <= deps.now.getTime()) throw new ValidationError('The new deadline must be in the future.', 'newDeadline');
  try {
    const schedule = await deps.temporal.workflow.getHandle(cycle.workflowId).executeUpdate(extendDeadlineUpdate, {
      args: [{ unitCode: unit, newDeadline: newDeadline.toISOString(), reason, actor: deps.actor }],
    });
    return schedule.deadline;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new ConflictError('The cycle has ended; deadlines can no longer be extended.');
    return updateError(error);
  }
}

/** Replaces a unit's link and emails the new one to its registered head (as POST …/units/:unit/link). */
export async function resendUnitLink(deps: ActionDeps, campaign: string, period: string, unit: string, reason: string): Promise<void> {
  const task = await deps.em.findOne(UnitTask, { cycle: { campaign: { code: campaign }, period }, unit: { code: unit } });
  if (!task) throw new NotFoundError(`Unit "${unit}" has no task in the ${period} cycle of campaign "${campaign}".`, 'unit');
  const requestId = randomUUID();
  try {
    await deps.temporal.workflow.getHandle(task.workflowId).executeUpdate(resendLinkUpdate, { args: [{ requestId, actor: deps.actor, reason }], updateId: requestId });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new ConflictError(`The task of unit "${unit}" is closed; there is no link to re-send.`);
    updateError(error);
  }
}

/** Cancels a cycle, with a reason (as POST …/cancel). */
export async function cancelCycle(deps: ActionDeps, campaign: string, period: string, reason: string): Promise<void> {
  const cycle = await findCycleOf(deps.em, campaign, period);
  if (cycle.stage === 'closed' || cycle.stage === 'cancelled') throw new ConflictError(`The cycle is already ${cycle.stage}.`);
  await deps.em.transactional(async (tx) => {
    const c = await tx.findOneOrFail(Cycle, cycle.id);
    c.cancelReason = reason;
    await tx.flush();
    await appendAudit(tx, { actor: { kind: 'user', id: deps.actor, origin: deps.origin }, action: 'cycle.cancel_requested', subjectType: 'cycle', subjectId: String(cycle.id), cycleId: cycle.id, after: { reason }, occurredAt: deps.now });
  });
  await deps.temporal.workflow.getHandle(cycle.workflowId).cancel();
}

export interface CycleListRow {
  readonly campaign: string;
  readonly campaignName: string;
  readonly period: string;
  readonly stage: CycleStage;
  readonly workflowId: string;
  readonly expected: number;
  readonly submitted: number;
  readonly onTime: number;
  readonly startedAt: string;
  readonly reviewVersion: number | null;
}

/** Cycles, the latest first, with their completeness. */
export async function listCycles(em: EntityManager, { page, pageSize, stages }: { page: number; pageSize: number; stages?: readonly CycleStage[] }): Promise<{ rows: CycleListRow[]; total: number }> {
  const where = stages?.length ? { stage: { $in: [...stages] } } : {};
  const [cycles, total] = await em.findAndCount(Cycle, where, { populate: ['campaign'], orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize });
  const ids = cycles.map((c) => c.id);
  const counts = ids.length
    ? await em.execute<{ cycle_id: number; expected: string; submitted: string; on_time: string }[]>(
        `SELECT cycle_id, count(*) AS expected, count(submitted_at) AS submitted, count(*) FILTER (WHERE submitted_at IS NOT NULL AND late = false) AS on_time
         FROM unit_task WHERE cycle_id IN (${ids.map(() => '?').join(',')}) GROUP BY cycle_id`, ids)
    : [];
  const byId = new Map(counts.map((c) => [Number(c.cycle_id), c]));
  return {
    total,
    rows: cycles.map((c) => {
      const n = byId.get(c.id);
      return {
        campaign: c.campaign.code, campaignName: c.campaign.name, period: c.period, stage: c.stage, workflowId: c.workflowId,
        expected: Number(n?.expected ?? 0), submitted: Number(n?.submitted ?? 0), onTime: Number(n?.on_time ?? 0),
        startedAt: c.createdAt.toISOString(), reviewVersion: c.reviewVersion ?? null,
      };
    }),
  };
}

export interface BoardRow {
  readonly code: string;
  readonly name: string;
  readonly state: TaskState;
  readonly late: boolean | null;
  readonly deadline: string;
  readonly dispatchedAt: string | null;
  readonly submittedAt: string | null;
  readonly remindersSent: number;
  readonly lastReminderAt: string | null;
  readonly escalationLevel: number;
  readonly escalatedAt: string | null;
  readonly workflowId: string;
  /** The deadline can still move (collection is on and the unit has not reported). */
  readonly canExtend: boolean;
  /** The unit can still use a link (its task is open), so re-sending one makes sense. */
  readonly canResend: boolean;
}

export interface Board {
  readonly cycle: ICycle;
  readonly expected: number;
  readonly submitted: number;
  readonly onTime: number;
  readonly byState: Readonly<Record<TaskState, number>>;
  readonly rows: readonly BoardRow[];
  /** Rows matching the filter (the page shows `rows`, a slice of them). */
  readonly matching: number;
}

const EXTENDABLE: ReadonlySet<TaskState> = new Set(['pending', 'dispatched', 'draft', 'overdue', 'escalated']);

/** One page of a cycle's units with their state and when each was dispatched, reminded, escalated, submitted. */
export async function cycleBoard(em: EntityManager, campaign: string, period: string, opts: { state?: TaskState; q?: string; page: number; pageSize: number }): Promise<Board> {
  const cycle = await findCycleOf(em, campaign, period);
  const totals = await em.execute<{ state: TaskState; n: string; submitted: string; on_time: string }[]>(
    `SELECT state, count(*) AS n, count(submitted_at) AS submitted, count(*) FILTER (WHERE submitted_at IS NOT NULL AND late = false) AS on_time
     FROM unit_task WHERE cycle_id = ? GROUP BY state`, [cycle.id]);
  const byState = Object.fromEntries(TASK_STATES.map((s) => [s, 0])) as Record<TaskState, number>;
  let expected = 0;
  let submitted = 0;
  let onTime = 0;
  for (const row of totals) {
    byState[row.state] = Number(row.n);
    expected += Number(row.n);
    submitted += Number(row.submitted);
    onTime += Number(row.on_time);
  }
  const q = opts.q?.trim();
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const where = {
    cycle,
    ...(opts.state ? { state: opts.state } : {}),
    ...(like ? { $or: [{ unit: { code: { $ilike: like } } }, { unit: { name: { $ilike: like } } }] } : {}),
  };
  const [tasks, matching] = await em.findAndCount(UnitTask, where, { populate: ['unit'], orderBy: { unit: { code: 'asc' } }, limit: opts.pageSize, offset: (opts.page - 1) * opts.pageSize });
  const taskIds = tasks.map((t) => t.id);
  const reminders = taskIds.length
    ? await em.execute<{ task_id: number; at: Date }[]>(`SELECT task_id, max(coalesce(sent_at, created_at)) AS at FROM email WHERE kind = 'reminder' AND task_id IN (${taskIds.map(() => '?').join(',')}) GROUP BY task_id`, taskIds)
    : [];
  const reminderAt = new Map(reminders.map((r) => [Number(r.task_id), new Date(r.at).toISOString()]));
  const escalations = await em.find(AuditEvent, { cycleId: cycle.id, action: { $in: ['cycle.escalated.level1', 'cycle.escalated.level2'] } }, { orderBy: { id: 'asc' } });
  const escalatedAt = new Map<string, string>();
  for (const e of escalations) {
    const units = (e.after as { units?: unknown } | null)?.units;
    if (Array.isArray(units)) for (const code of units) if (typeof code === 'string') escalatedAt.set(code, e.occurredAt.toISOString());
  }
  const row = (t: IUnitTask): BoardRow => ({
    code: t.unit.code, name: t.unit.name, state: t.state, late: t.late ?? null, deadline: t.schedule.deadline,
    dispatchedAt: t.dispatchedAt?.toISOString() ?? null, submittedAt: t.submittedAt?.toISOString() ?? null,
    remindersSent: t.remindersSent, lastReminderAt: reminderAt.get(t.id) ?? null,
    escalationLevel: t.escalationLevel, escalatedAt: t.escalationLevel > 0 ? escalatedAt.get(t.unit.code) ?? null : null,
    workflowId: t.workflowId,
    canExtend: cycle.stage === 'collecting' && EXTENDABLE.has(t.state),
    canResend: cycle.stage !== 'closed' && cycle.stage !== 'cancelled' && OPEN_TASK_STATES.has(t.state),
  });
  return { cycle, expected, submitted, onTime, byState, rows: tasks.map(row), matching };
}

/** Campaign codes and names, for the "start a cycle" form. */
export async function campaignChoices(em: EntityManager): Promise<{ code: string; name: string; active: boolean }[]> {
  return (await em.find(Campaign, {}, { orderBy: { code: 'asc' } })).map((c) => ({ code: c.code, name: c.name, active: c.active }));
}
