import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Cycle } from '../db/entities';
import type { ICycle } from '../db/entities/cycle.entity';
import { NotFoundError } from '../domain/errors';

/** A cycle with its campaign and template, optionally locked for the rest of the transaction. */
export async function loadCycle(em: EntityManager, cycleId: number, { lock = false } = {}): Promise<ICycle> {
  const cycle = await em.findOne(Cycle, cycleId, { populate: ['campaign', 'template'], ...(lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}) });
  if (!cycle) throw new NotFoundError(`Cycle ${cycleId} does not exist.`);
  return cycle;
}
