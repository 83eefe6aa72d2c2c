/**
 * Row locks that lock exactly one row. A `findOne(…, { populate, lockMode: PESSIMISTIC_WRITE })`
 * joins the populated relations and ends in a plain `FOR UPDATE`, which locks the joined rows too
 * (a task's cycle, campaign and template): every unit's step would then queue behind every other's.
 * Lock the row first, by itself, then load it with whatever it needs.
 */
import type { EntityManager } from '@mikro-orm/postgresql';

type Lockable = 'unit_task' | 'cycle' | 'title_vote';

/** Locks the row of `table` with this id until the transaction ends; false when there is none. */
export async function lockRow(em: EntityManager, table: Lockable, id: number): Promise<boolean> {
  return (await em.execute<{ id: number }[]>(`SELECT id FROM ${table} WHERE id = ? FOR UPDATE`, [id])).length > 0;
}

/** Locks the task with this link-token hash until the transaction ends; its id, or undefined. */
export async function lockTaskByTokenHash(em: EntityManager, tokenHash: string): Promise<number | undefined> {
  return (
    await em.execute<{ id: number }[]>('SELECT id FROM unit_task WHERE token_hash = ? FOR UPDATE', [tokenHash])
  )[0]?.id;
}
