/**
 * What a periodic summary reads: for each month of a window, the campaign's cycle and, when the
 * council approved it and it was published, the approved consolidated version's basis with the
 * submissions it counted — the same rows `readConsolidatedReport` reads, for many months at once.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { UnitReportInput } from '../domain/consolidation';
import type { Period } from '../domain/period';
import type { MonthInput, MonthState } from '../domain/summary';
import { READING_FROM, readingColumns, unitsOfReading, type ReadingRow } from './consolidated-report';
import { templateDefinition } from './template-definitions';

/**
 * The part of the answers a summary over many units needs: each key task's status (its text
 * left empty) and the indicators. Texts are read per unit (`unit` below).
 */
const FIGURES_ONLY = `CASE WHEN s.id IS NULL THEN NULL ELSE jsonb_build_object(
  'keyTasks', coalesce((SELECT jsonb_object_agg(k.key, jsonb_build_object('status', k.value->'status', 'text', '')) FROM jsonb_each(s.answers->'keyTasks') k), '{}'::jsonb),
  'indicators', coalesce(s.answers->'indicators', '{}'::jsonb),
  'sections', '{}'::jsonb, 'examples', '[]'::jsonb, 'proposals', '[]'::jsonb, 'recommendations', '') END`;

interface CycleRow {
  id: number;
  period: Period;
  stage: string;
  review_version: number | null;
  template_id: number;
  template_version: number;
}

const stateOf = (stage: string | undefined): MonthState =>
  stage === undefined ? 'none' : stage === 'closed' ? 'accepted' : stage === 'cancelled' ? 'cancelled' : 'in_progress';

/**
 * Each of `periods` with its cycle's state and, for an accepted one, the approved version's units:
 * every unit's figures (statuses and indicators), or with `unit` that unit's whole answers only.
 */
export async function readSummaryMonths(
  em: EntityManager,
  campaignId: number,
  periods: readonly Period[],
  { unit }: { unit?: string } = {},
): Promise<MonthInput[]> {
  const cycles = await em.execute<CycleRow[]>(
    `SELECT c.id, c.period, c.stage, c.review_version, c.template_id, t.version AS template_version
     FROM cycle c JOIN report_template t ON t.id = c.template_id
     WHERE c.campaign_id = ? AND c.period = ANY(?::text[])`,
    [campaignId, `{${periods.join(',')}}`],
  );
  const accepted = cycles.filter((c) => c.stage === 'closed' && c.review_version !== null);
  const ids = `{${accepted.map((c) => c.id).join(',')}}`;
  const rows = accepted.length
    ? await em.execute<(ReadingRow & { cycle_id: number })[]>(
        `SELECT r.cycle_id, ${readingColumns(unit === undefined ? FIGURES_ONLY : 's.answers')}
         FROM cycle c, ${READING_FROM}
         WHERE r.cycle_id = c.id AND r.version = c.review_version AND c.id = ANY(?::int[])${unit === undefined ? '' : ` AND e->>'unitCode' = ?`}
         ORDER BY r.cycle_id, e->>'unitCode'`,
        unit === undefined ? [ids] : [ids, unit],
      )
    : [];
  const rowsOf = new Map<number, ReadingRow[]>();
  for (const row of rows) {
    const list = rowsOf.get(row.cycle_id);
    if (list) list.push(row);
    else rowsOf.set(row.cycle_id, [row]);
  }
  const byPeriod = new Map(cycles.map((c) => [c.period, c]));
  return Promise.all(
    periods.map(async (period): Promise<MonthInput> => {
      const c = byPeriod.get(period);
      const state = stateOf(c?.stage);
      const isAccepted = state === 'accepted' && c!.review_version !== null;
      const units: UnitReportInput[] = isAccepted ? unitsOfReading(rowsOf.get(c!.id) ?? []) : [];
      return {
        period,
        state: isAccepted ? 'accepted' : state === 'accepted' ? 'in_progress' : state,
        version: isAccepted ? c!.review_version : null,
        templateVersion: c?.template_version ?? null,
        template: isAccepted ? await templateDefinition(em, c!.template_id) : null,
        units,
      };
    }),
  );
}
