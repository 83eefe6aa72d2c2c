/**
 * The units of a campaign: every active unit below its root (every active unit when it has none),
 * or only those of `codes`, each of which must be one of them.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../domain/errors';
import type { ICampaign } from './entities/campaign.entity';
import { Unit, type IUnit } from './entities/unit.entity';
import { unitsBelow, type TreeUnit } from './unit-tree';

export async function campaignUnits(
  em: EntityManager,
  campaign: Pick<ICampaign, 'rootUnit'>,
  codes?: readonly string[],
): Promise<{ units: IUnit[]; tree: TreeUnit[] | null }> {
  const tree = campaign.rootUnit ? await unitsBelow(em, campaign.rootUnit.id) : null;
  const units = await em.find(
    Unit,
    {
      active: true,
      ...(tree ? { id: { $in: tree.map((u) => u.id) } } : {}),
      ...(codes ? { code: { $in: [...codes] } } : {}),
    },
    { orderBy: { code: 'asc' } },
  );
  if (codes) {
    const missing = codes.filter((code) => !units.some((u) => u.code === code));
    if (missing.length)
      throw new NotFoundError({ code: 'units_inactive_or_unknown', params: { units: missing } }, 'units');
  }
  return { units, tree };
}
