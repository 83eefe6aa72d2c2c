/**
 * What a principal may see, from the scopes of the role they act in. A role over the whole
 * installation reaches everything; over a campaign, that campaign and its cycles; over a unit,
 * that unit, every unit below it (`Unit.parent`), the campaigns whose root is among them, and the
 * cycles all of whose units are among them. Anything else (set-up, people) is for roles over the
 * whole installation only.
 *
 * The conditions here are the one statement of it: lists are filtered by them in SQL, and a
 * route naming one unit or one cycle admits the caller when that unit or cycle passes the same
 * condition (`withinScope`).
 */
import { raw, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Campaign, Cycle, Unit } from '../../db/entities';
import type { ICampaign } from '../../db/entities/campaign.entity';
import type { ICycle } from '../../db/entities/cycle.entity';
import type { IUnit } from '../../db/entities/unit.entity';
import type { Scope } from './people.service';

export type ScopeTarget =
  | { readonly kind: 'unit'; readonly unit: string }
  | { readonly kind: 'cycle'; readonly campaign: string; readonly period: string }
  | { readonly kind: 'campaign'; readonly campaign: string }
  | { readonly kind: 'installation' };

export const reachesEverything = (scopes: readonly Scope[]): boolean => scopes.some((s) => s.kind === 'installation');

/** Ids as SQL literals (they come from the database as integers; anything else is a bug). */
function idList(ids: readonly number[]): string {
  for (const id of ids) if (!Number.isSafeInteger(id)) throw new Error(`not an id: ${String(id)}`);
  return ids.join(', ');
}

const subtreeRoots = (scopes: readonly Scope[]): number[] =>
  scopes.flatMap((s) => (s.kind === 'unit' ? [s.unitId] : []));
const scopedCampaigns = (scopes: readonly Scope[]): number[] =>
  scopes.flatMap((s) => (s.kind === 'campaign' ? [s.campaignId] : []));

/**
 * A subquery: the ids of the units of the subtrees rooted at `roots`. `UNION` (not `UNION ALL`)
 * stops at a unit already reached, so a loop in `parent` links ends.
 */
const subtreeIds = (roots: readonly number[]): string =>
  `WITH RECURSIVE subtree(id) AS (SELECT id FROM unit WHERE id IN (${idList(roots)}) UNION SELECT u.id FROM unit u JOIN subtree s ON u.parent_id = s.id) SELECT id FROM subtree`;

const anyOf = (conditions: readonly string[]): string => (conditions.length ? `(${conditions.join(' OR ')})` : 'false');

/** SQL over the `unit` row `alias`: the unit is within `scopes`; null when they reach everything. */
export function unitScopeSql(scopes: readonly Scope[], alias: string): string | null {
  if (reachesEverything(scopes)) return null;
  const roots = subtreeRoots(scopes);
  return anyOf(roots.length ? [`${alias}.id IN (${subtreeIds(roots)})`] : []);
}

/**
 * SQL over the `cycle` row `alias`: the cycle is within `scopes` (its campaign is scoped, or it has
 * units and every one of them is in a scoped subtree); null when they reach everything.
 */
export function cycleScopeSql(scopes: readonly Scope[], alias: string): string | null {
  if (reachesEverything(scopes)) return null;
  const campaigns = scopedCampaigns(scopes);
  const roots = subtreeRoots(scopes);
  return anyOf([
    ...(campaigns.length ? [`${alias}.campaign_id IN (${idList(campaigns)})`] : []),
    ...(roots.length
      ? [
          `(EXISTS (SELECT 1 FROM unit_task t WHERE t.cycle_id = ${alias}.id) AND NOT EXISTS (SELECT 1 FROM unit_task t WHERE t.cycle_id = ${alias}.id AND t.unit_id NOT IN (${subtreeIds(roots)})))`,
        ]
      : []),
  ]);
}

/** SQL over the `campaign` row `alias`: the campaign is scoped, or its root is in a scoped subtree. */
export function campaignScopeSql(scopes: readonly Scope[], alias: string): string | null {
  if (reachesEverything(scopes)) return null;
  const campaigns = scopedCampaigns(scopes);
  const roots = subtreeRoots(scopes);
  return anyOf([
    ...(campaigns.length ? [`${alias}.id IN (${idList(campaigns)})`] : []),
    ...(roots.length ? [`${alias}.root_unit_id IN (${subtreeIds(roots)})`] : []),
  ]);
}

/** One of the conditions above as a MikroORM filter on the entity's own row (`{}` for everything). */
function ormCondition<T>(sqlOf: (alias: string) => string | null, scopes: readonly Scope[]): FilterQuery<T> {
  if (reachesEverything(scopes)) return {} as FilterQuery<T>;
  return { [raw((alias: string) => sqlOf(alias)!)]: [] } as FilterQuery<T>;
}

export const unitsInScope = (scopes: readonly Scope[]): FilterQuery<IUnit> =>
  ormCondition<IUnit>((alias) => unitScopeSql(scopes, alias), scopes);
export const cyclesInScope = (scopes: readonly Scope[]): FilterQuery<ICycle> =>
  ormCondition<ICycle>((alias) => cycleScopeSql(scopes, alias), scopes);
export const campaignsInScope = (scopes: readonly Scope[]): FilterQuery<ICampaign> =>
  ormCondition<ICampaign>((alias) => campaignScopeSql(scopes, alias), scopes);

export async function withinScope(em: EntityManager, scopes: readonly Scope[], target: ScopeTarget): Promise<boolean> {
  if (reachesEverything(scopes)) return true;
  if (target.kind === 'installation') return false;
  if (target.kind === 'unit')
    return (await em.count(Unit, { $and: [{ code: target.unit }, unitsInScope(scopes)] })) > 0;
  if (target.kind === 'campaign')
    return (await em.count(Campaign, { $and: [{ code: target.campaign }, campaignsInScope(scopes)] })) > 0;
  return (
    (await em.count(Cycle, {
      $and: [{ campaign: { code: target.campaign }, period: target.period }, cyclesInScope(scopes)],
    })) > 0
  );
}
