/**
 * The units below a campaign's root, read in one recursive statement: each with the unit it is
 * registered under (`parent_id`), so the caller can tell who reports to whom among the units
 * that take part in a cycle.
 */
import type { EntityManager } from '@mikro-orm/postgresql';

export interface TreeUnit {
  readonly id: number;
  readonly code: string;
  readonly active: boolean;
  /** The unit it is registered under; the root for the units directly below it. */
  readonly parentId: number;
}

/** Deeper than any real administration; stops a walk on data that would loop. */
export const MAX_TREE_DEPTH = 64;

export async function unitsBelow(em: EntityManager, rootId: number): Promise<TreeUnit[]> {
  const rows = await em.execute<{ id: number; code: string; active: boolean; parent_id: number }[]>(
    `WITH RECURSIVE below AS (
       SELECT id, code, active, parent_id, 1 AS depth FROM unit WHERE parent_id = ?
       UNION ALL
       SELECT u.id, u.code, u.active, u.parent_id, b.depth + 1 FROM unit u JOIN below b ON u.parent_id = b.id
       WHERE b.depth < ${MAX_TREE_DEPTH}
     )
     SELECT id, code, active, parent_id FROM below ORDER BY code`,
    [rootId],
  );
  return rows.map((r) => ({ id: r.id, code: r.code, active: r.active, parentId: r.parent_id }));
}
