/**
 * The console's reads of cycles: the list with completeness, and the live status board of one
 * cycle. (What administrators do to a cycle is in `cycle-actions.service.ts`.)
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent, Campaign, Cycle, UnitTask } from '../../../db/entities';
import type { ICycle, IUnitTask } from '../../../db/entities/cycle.entity';
import {
  EXTENDABLE_TASK_STATES,
  OPEN_TASK_STATES,
  TASK_STATES,
  type CycleStage,
  type TaskState,
} from '../../../domain/states';
import { cycleTree, findCycle } from '../../services/cycles.service';
import type { Scope } from '../../services/people.service';
import { campaignsInScope, cyclesInScope } from '../../services/scope.service';
import type { ReportingTree, TreeNode } from '../../../domain/consolidation';

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

/** Cycles within `scopes`, the latest first, with their completeness. */
export async function listCycles(
  em: EntityManager,
  {
    page,
    pageSize,
    stages,
    scopes,
  }: { page: number; pageSize: number; stages?: readonly CycleStage[]; scopes: readonly Scope[] },
): Promise<{ rows: CycleListRow[]; total: number }> {
  const where = { $and: [stages?.length ? { stage: { $in: [...stages] } } : {}, cyclesInScope(scopes)] };
  const [cycles, total] = await em.findAndCount(Cycle, where, {
    populate: ['campaign'],
    orderBy: { createdAt: 'desc', id: 'desc' },
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  const ids = cycles.map((c) => c.id);
  const counts = ids.length
    ? await em.execute<{ cycle_id: number; expected: string; submitted: string; on_time: string }[]>(
        `SELECT cycle_id, count(*) AS expected, count(submitted_at) AS submitted, count(*) FILTER (WHERE submitted_at IS NOT NULL AND late = false) AS on_time
         FROM unit_task WHERE cycle_id IN (${ids.map(() => '?').join(',')}) GROUP BY cycle_id`,
        ids,
      )
    : [];
  const byId = new Map(counts.map((c) => [Number(c.cycle_id), c]));
  return {
    total,
    rows: cycles.map((c) => {
      const n = byId.get(c.id);
      return {
        campaign: c.campaign.code,
        campaignName: c.campaign.name,
        period: c.period,
        stage: c.stage,
        workflowId: c.workflowId,
        expected: Number(n?.expected ?? 0),
        submitted: Number(n?.submitted ?? 0),
        onTime: Number(n?.on_time ?? 0),
        startedAt: c.createdAt.toISOString(),
        reviewVersion: c.reviewVersion ?? null,
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
  /** In a cycle of several levels: the rates per level and per unit others report to, of the whole tree or of `node`'s subtree. */
  readonly tree: {
    readonly node: string | null;
    readonly levels: ReportingTree['levels'];
    readonly nodes: readonly TreeNode[];
  } | null;
}

/** One page of a cycle's units with their state and when each was dispatched, reminded, escalated, submitted. */
export async function cycleBoard(
  em: EntityManager,
  campaign: string,
  period: string,
  opts: { state?: TaskState; q?: string; node?: string; page: number; pageSize: number },
): Promise<Board> {
  const cycle = await findCycle(em, campaign, period);
  const leveled = (await em.count(UnitTask, { cycle, level: { $gt: 0 } })) > 0;
  const subtree = leveled ? await cycleTree(em, campaign, period, opts.node) : null;
  const totals = await em.execute<{ state: TaskState; n: string; submitted: string; on_time: string }[]>(
    `SELECT state, count(*) AS n, count(submitted_at) AS submitted, count(*) FILTER (WHERE submitted_at IS NOT NULL AND late = false) AS on_time
     FROM unit_task WHERE cycle_id = ? GROUP BY state`,
    [cycle.id],
  );
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
    ...(opts.node && subtree ? { unit: { code: { $in: subtree.units.map((u) => u.code) } } } : {}),
    ...(like ? { $or: [{ unit: { code: { $ilike: like } } }, { unit: { name: { $ilike: like } } }] } : {}),
  };
  const [tasks, matching] = await em.findAndCount(UnitTask, where, {
    populate: ['unit'],
    orderBy: { unit: { code: 'asc' } },
    limit: opts.pageSize,
    offset: (opts.page - 1) * opts.pageSize,
  });
  const taskIds = tasks.map((t) => t.id);
  const reminders = taskIds.length
    ? await em.execute<{ task_id: number; at: Date }[]>(
        `SELECT task_id, max(coalesce(sent_at, created_at)) AS at FROM email WHERE kind = 'reminder' AND task_id IN (${taskIds.map(() => '?').join(',')}) GROUP BY task_id`,
        taskIds,
      )
    : [];
  const reminderAt = new Map(reminders.map((r) => [Number(r.task_id), new Date(r.at).toISOString()]));
  const escalations = await em.find(
    AuditEvent,
    { cycleId: cycle.id, action: { $in: ['cycle.escalated.level1', 'cycle.escalated.level2'] } },
    { orderBy: { seq: 'asc' } },
  );
  const escalatedAt = new Map<string, string>();
  for (const e of escalations) {
    const units = (e.after as { units?: unknown } | null)?.units;
    if (Array.isArray(units))
      for (const code of units) if (typeof code === 'string') escalatedAt.set(code, e.occurredAt.toISOString());
  }
  const row = (t: IUnitTask): BoardRow => ({
    code: t.unit.code,
    name: t.unit.name,
    state: t.state,
    late: t.late ?? null,
    deadline: t.schedule.deadline,
    dispatchedAt: t.dispatchedAt?.toISOString() ?? null,
    submittedAt: t.submittedAt?.toISOString() ?? null,
    remindersSent: t.remindersSent,
    lastReminderAt: reminderAt.get(t.id) ?? null,
    escalationLevel: t.escalationLevel,
    escalatedAt: t.escalationLevel > 0 ? (escalatedAt.get(t.unit.code) ?? null) : null,
    workflowId: t.workflowId,
    canExtend: cycle.stage === 'collecting' && EXTENDABLE_TASK_STATES.has(t.state),
    canResend: cycle.stage !== 'closed' && cycle.stage !== 'cancelled' && OPEN_TASK_STATES.has(t.state),
  });
  return {
    cycle,
    expected,
    submitted,
    onTime,
    byState,
    rows: tasks.map(row),
    matching,
    tree: subtree?.tree
      ? { node: opts.node ?? null, levels: subtree.tree.levels, nodes: subtree.tree.nodes }
      : subtree && opts.node
        ? { node: opts.node, levels: [], nodes: [] }
        : null,
  };
}

/** Campaign codes and names within `scopes`, for the "start a cycle" form. */
export async function campaignChoices(
  em: EntityManager,
  scopes: readonly Scope[],
): Promise<{ code: string; name: string; active: boolean }[]> {
  return (await em.find(Campaign, campaignsInScope(scopes), { orderBy: { code: 'asc' } })).map((c) => ({
    code: c.code,
    name: c.name,
    active: c.active,
  }));
}
