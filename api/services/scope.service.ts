/**
 * Whether a resource lies within a person's scopes. A role over the whole installation reaches
 * everything; over a campaign, that campaign's cycles; over a unit, that unit, every unit below
 * it (`Unit.parent`), and the cycles all of whose units are among them. Anything else (lists,
 * set-up, people) is for roles over the whole installation only.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Scope } from './people.service';

export type ScopeTarget =
  | { readonly kind: 'unit'; readonly unit: string }
  | { readonly kind: 'cycle'; readonly campaign: string; readonly period: string }
  | { readonly kind: 'installation' };

export const reachesEverything = (scopes: readonly Scope[]): boolean => scopes.some((s) => s.kind === 'installation');

/** Unit id → its own id and its ancestors' (a cycle in `parent` links is cut where it closes). */
async function ancestry(em: EntityManager): Promise<(unitId: number) => Set<number>> {
  const rows = await em.execute<{ id: number; parent_id: number | null }[]>('SELECT id, parent_id FROM unit');
  const parent = new Map(rows.map((r) => [r.id, r.parent_id]));
  return (unitId) => {
    const seen = new Set<number>();
    for (let at: number | null | undefined = unitId; at != null && !seen.has(at); at = parent.get(at)) seen.add(at);
    return seen;
  };
}

export async function withinScope(em: EntityManager, scopes: readonly Scope[], target: ScopeTarget): Promise<boolean> {
  if (reachesEverything(scopes)) return true;
  if (target.kind === 'installation') return false;
  const subtrees = scopes.flatMap((s) => (s.kind === 'unit' ? [s.unitId] : []));
  const campaigns = scopes.flatMap((s) => (s.kind === 'campaign' ? [s.campaignId] : []));
  if (target.kind === 'unit') {
    if (!subtrees.length) return false;
    const found = await em.execute<{ id: number }[]>('SELECT id FROM unit WHERE code = ?', [target.unit]);
    if (!found[0]) return false;
    const up = (await ancestry(em))(found[0].id);
    return subtrees.some((id) => up.has(id));
  }
  const cycle = await em.execute<{ id: number; campaign_id: number }[]>(
    'SELECT c.id, c.campaign_id FROM cycle c JOIN campaign k ON k.id = c.campaign_id WHERE k.code = ? AND c.period = ?',
    [target.campaign, target.period],
  );
  if (!cycle[0]) return false;
  if (campaigns.includes(cycle[0].campaign_id)) return true;
  if (!subtrees.length) return false;
  const units = await em.execute<{ unit_id: number }[]>('SELECT unit_id FROM unit_task WHERE cycle_id = ?', [
    cycle[0].id,
  ]);
  if (!units.length) return false;
  const up = await ancestry(em);
  return units.every((u) => {
    const chain = up(u.unit_id);
    return subtrees.some((id) => chain.has(id));
  });
}
