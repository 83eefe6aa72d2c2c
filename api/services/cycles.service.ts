/** Finding cycles and reading one with its units' tasks. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Cycle, UnitTask } from '../../db/entities';
import type { ICycle, IUnitTask } from '../../db/entities/cycle.entity';
import { NotFoundError } from '../../domain/errors';

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
  const tasks = await em.find(UnitTask, { cycle }, { populate: ['unit'], orderBy: { unit: { code: 'asc' } } });
  return { cycle, tasks };
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
