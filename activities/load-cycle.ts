import type { EntityManager } from '@mikro-orm/postgresql';
import { Cycle } from '../db/entities';
import { lockRow } from '../db/row-lock';
import type { ICycle } from '../db/entities/cycle.entity';
import { NotFoundError } from '../domain/errors';

/** A cycle with its campaign and template, optionally with its row (only) locked for the rest of the transaction. */
export async function loadCycle(em: EntityManager, cycleId: number, { lock = false } = {}): Promise<ICycle> {
  if (lock && !(await lockRow(em, 'cycle', cycleId)))
    throw new NotFoundError({ code: 'record_missing', params: { what: 'cycle', id: cycleId } });
  const cycle = await em.findOne(Cycle, cycleId, {
    populate: ['campaign', 'template'],
    ...(lock ? { refresh: true } : {}),
  });
  if (!cycle) throw new NotFoundError({ code: 'record_missing', params: { what: 'cycle', id: cycleId } });
  return cycle;
}
