/** Finding cycles and reading one with its units' tasks. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Cycle, UnitTask } from '../../db/entities';
import type { ICycle, IUnitTask } from '../../db/entities/cycle.entity';
import { reportingTree, type ReportingTree } from '../../domain/consolidation';
import { NotFoundError } from '../../domain/errors';
import { membersBelow } from '../../domain/reporting-tree';
import { SUBMITTED_TASK_STATES, type TaskState } from '../../domain/states';

/** The cycle of a campaign for a month, with its campaign and template; 404 naming `period` otherwise. */
export async function findCycle(em: EntityManager, campaign: string, period: string): Promise<ICycle> {
  const cycle = await em.findOne(
    Cycle,
    { campaign: { code: campaign }, period },
    { populate: ['campaign', 'template'] },
  );
  if (!cycle) throw new NotFoundError({ code: 'cycle_unknown', params: { campaign, period } }, 'period');
  return cycle;
}

/** A cycle and every unit's task (with its unit), in unit-code order. */
export async function cycleWithTasks(
  em: EntityManager,
  campaign: string,
  period: string,
): Promise<{ cycle: ICycle; tasks: IUnitTask[] }> {
  const cycle = await findCycle(em, campaign, period);
  const tasks = await em.find(
    UnitTask,
    { cycle },
    { populate: ['unit', 'parentTask.unit'], orderBy: { unit: { code: 'asc' } } },
  );
  return { cycle, tasks };
}

export interface TreeUnitStatus {
  readonly code: string;
  readonly name: string;
  readonly level: number;
  readonly reportsTo: string | null;
  readonly state: TaskState;
  readonly late: boolean | null;
  readonly deadline: string;
  readonly submittedAt: string | null;
}

/**
 * Where a cycle of several levels stands now: every unit with its place and state, the rates of
 * each level and of each unit others report to. With `node`, only that unit's subtree (404 naming
 * `node` when it is not in the cycle).
 */
export async function cycleTree(
  em: EntityManager,
  campaign: string,
  period: string,
  node?: string,
): Promise<{ units: TreeUnitStatus[]; tree: ReportingTree | null }> {
  const { tasks } = await cycleWithTasks(em, campaign, period);
  const all: TreeUnitStatus[] = tasks.map((t) => ({
    code: t.unit.code,
    name: t.unit.name,
    level: t.level,
    reportsTo: t.parentTask?.unit.code ?? null,
    state: t.state,
    late: t.late ?? null,
    deadline: t.schedule.deadline,
    submittedAt: t.submittedAt?.toISOString() ?? null,
  }));
  let units = all;
  if (node) {
    if (!all.some((u) => u.code === node))
      throw new NotFoundError({ code: 'unit_not_in_cycle', params: { unit: node } }, 'node');
    const below = new Set(
      membersBelow(
        all,
        (u) => u.code,
        (u) => u.reportsTo,
        node,
      ),
    );
    units = all.flatMap((u) => (u.code === node ? [{ ...u, reportsTo: null }] : below.has(u) ? [u] : []));
  }
  const tree = reportingTree(
    units.map((u) => ({
      unitCode: u.code,
      unitName: u.name,
      reportsTo: u.reportsTo ?? undefined,
      level: u.level,
      submitted: SUBMITTED_TASK_STATES.has(u.state),
      late: u.late,
    })),
  );
  return { units, tree: tree ?? null };
}

/**
 * Waits up to `timeoutMs` for the cycle row a just-started workflow writes in its first activity.
 * True when it exists (a slow worker only means it appears later).
 */
export async function cycleRowWritten(em: EntityManager, workflowId: string, timeoutMs = 5_000): Promise<boolean> {
  for (let waited = 0; ; waited += 200) {
    if (await em.fork().count(Cycle, { workflowId })) return true;
    if (waited >= timeoutMs) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
