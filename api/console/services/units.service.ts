/** Units for the console's list: one page at a time, filtered by code or name and by active. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Unit } from '../../../db/entities';
import { unitView, type UnitView } from '../../services/admin-units.service';

export async function pageUnits(
  em: EntityManager,
  opts: { q?: string; active?: boolean; page: number; pageSize: number },
): Promise<{ rows: UnitView[]; total: number; all: number }> {
  const q = opts.q?.trim();
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const where = {
    ...(opts.active === undefined ? {} : { active: opts.active }),
    ...(like ? { $or: [{ code: { $ilike: like } }, { name: { $ilike: like } }, { headEmail: { $ilike: like } }] } : {}),
  };
  const [units, total] = await em.findAndCount(Unit, where, {
    populate: ['parent'],
    orderBy: { code: 'asc' },
    limit: opts.pageSize,
    offset: (opts.page - 1) * opts.pageSize,
  });
  return { rows: units.map(unitView), total, all: await em.count(Unit, {}) };
}
