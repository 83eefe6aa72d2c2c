/**
 * Units for the console's list: one page at a time, filtered by code or name and by active, and
 * always to the reader's scopes.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Unit } from '../../../db/entities';
import { unitView, type UnitView } from '../../services/admin-units.service';
import type { Scope } from '../../services/people.service';
import { unitScopeSql, unitsInScope } from '../../services/scope.service';

export async function pageUnits(
  em: EntityManager,
  opts: { q?: string; active?: boolean; page: number; pageSize: number; scopes: readonly Scope[] },
): Promise<{ rows: UnitView[]; total: number; all: number }> {
  const q = opts.q?.trim();
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const inScope = unitsInScope(opts.scopes);
  const where = {
    $and: [
      inScope,
      {
        ...(opts.active === undefined ? {} : { active: opts.active }),
        ...(like
          ? { $or: [{ code: { $ilike: like } }, { name: { $ilike: like } }, { headEmail: { $ilike: like } }] }
          : {}),
      },
    ],
  };
  const [units, total] = await em.findAndCount(Unit, where, {
    populate: ['parent'],
    orderBy: { code: 'asc' },
    limit: opts.pageSize,
    offset: (opts.page - 1) * opts.pageSize,
  });
  return { rows: units.map(unitView), total, all: await em.count(Unit, unitsInScope(opts.scopes)) };
}

export interface UnitTreeNode {
  readonly code: string;
  readonly name: string;
  readonly active: boolean;
  readonly children: UnitTreeNode[];
}

/**
 * Every unit within `scopes` as one tree (a forest: each unit whose parent is absent or outside
 * them is a root), children by code. One statement for all units, so the page of 10,000 units is
 * built in one pass.
 */
export async function unitForest(em: EntityManager, scopes: readonly Scope[]): Promise<UnitTreeNode[]> {
  const inScope = unitScopeSql(scopes, 'u');
  const rows = await em.execute<{ code: string; name: string; active: boolean; parent: string | null }[]>(
    `SELECT u.code, u.name, u.active, p.code AS parent FROM unit u LEFT JOIN unit p ON p.id = u.parent_id${inScope ? ` WHERE ${inScope}` : ''} ORDER BY u.code`,
  );
  const nodes = new Map(rows.map((r) => [r.code, { code: r.code, name: r.name, active: r.active, children: [] }]));
  const roots: UnitTreeNode[] = [];
  for (const r of rows) {
    const node = nodes.get(r.code)!;
    const parent = r.parent ? nodes.get(r.parent) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
