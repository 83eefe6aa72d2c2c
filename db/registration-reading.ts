/**
 * What units registered for a campaign's year (đăng ký thi đua), for the summaries, the scoring
 * and the title votes: only units that submitted a registration are present.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { EMULATION_TITLES, isEmulationTitle, type EmulationTitle } from '../domain/emulation-titles';

interface RegisteredRow {
  unit_code: string;
  targets: Record<string, number>;
  titles: unknown[] | null;
}

async function registeredRows(
  em: EntityManager,
  campaignId: number,
  year: number,
  unitCode?: string,
): Promise<RegisteredRow[]> {
  return em.execute<RegisteredRow[]>(
    `SELECT u.code AS unit_code, g.targets, g.titles
     FROM emulation_registration g
     JOIN registration_round r ON r.id = g.round_id
     JOIN unit u ON u.id = g.unit_id
     WHERE r.campaign_id = ? AND r.year = ? AND g.submitted_at IS NOT NULL AND g.targets IS NOT NULL
       ${unitCode === undefined ? '' : 'AND u.code = ?'}
     ORDER BY u.code`,
    unitCode === undefined ? [campaignId, year] : [campaignId, year, unitCode],
  );
}

const targetsOf = (row: RegisteredRow): ReadonlyMap<string, number> =>
  new Map(Object.entries(row.targets).filter((e): e is [string, number] => typeof e[1] === 'number'));

/** Per unit code, the figure it registered for each indicator code in `year`. */
export async function registeredTargets(
  em: EntityManager,
  campaignId: number,
  year: number,
): Promise<ReadonlyMap<string, ReadonlyMap<string, number>>> {
  return new Map((await registeredRows(em, campaignId, year)).map((row) => [row.unit_code, targetsOf(row)]));
}

/** What one unit registered for each indicator code in `year`; empty when it has not registered. */
export async function unitRegisteredTargets(
  em: EntityManager,
  campaignId: number,
  year: number,
  unitCode: string,
): Promise<ReadonlyMap<string, number>> {
  const [row] = await registeredRows(em, campaignId, year, unitCode);
  return row ? targetsOf(row) : new Map();
}

/** Per unit code, the emulation titles it registered for in `year` (in the catalog's order). */
export async function registeredTitles(
  em: EntityManager,
  campaignId: number,
  year: number,
): Promise<ReadonlyMap<string, readonly EmulationTitle[]>> {
  return new Map(
    (await registeredRows(em, campaignId, year)).map((row) => {
      const chosen = (row.titles ?? []).filter(isEmulationTitle);
      return [row.unit_code, EMULATION_TITLES.filter((t) => chosen.includes(t))];
    }),
  );
}
