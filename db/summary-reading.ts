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
 * The part of the answers a summary over many units needs: the key tasks and the indicators.
 * Sections, examples, proposals and recommendations are read per unit (`unit` below).
 */
const FIGURES_ONLY = `CASE WHEN s.id IS NULL THEN NULL ELSE jsonb_build_object(
  'keyTasks', s.answers->'keyTasks', 'indicators', s.answers->'indicators',
  'sections', '{}'::jsonb, 'examples', '[]'::jsonb, 'proposals', '[]'::jsonb, 'recommendations', '') END`;

/** A month's cycle: its stage and, once approved, the version the council approved. */
export interface SummaryCycle {
  id: number;
  period: Period;
  stage: string;
  review_version: number | null;
  template_id: number;
  template_version: number;
}

const stateOf = (stage: string | undefined): MonthState =>
  stage === undefined ? 'none' : stage === 'closed' ? 'accepted' : stage === 'cancelled' ? 'cancelled' : 'in_progress';

/** The campaign's cycles of `periods`, with their templates' versions. */
export function summaryCycles(
  em: EntityManager,
  campaignId: number,
  periods: readonly Period[],
): Promise<SummaryCycle[]> {
  return em.execute<SummaryCycle[]>(
    `SELECT c.id, c.period, c.stage, c.review_version, c.template_id, t.version AS template_version
     FROM cycle c JOIN report_template t ON t.id = c.template_id
     WHERE c.campaign_id = ? AND c.period = ANY(?::text[])`,
    [campaignId, `{${periods.join(',')}}`],
  );
}

/** What the summary of `cycles` reads depends on only: each month's period, state and approved version. */
export const summaryKey = (cycles: readonly SummaryCycle[]): string =>
  cycles
    .map((c) => `${c.period}:${stateOf(c.stage)}:${c.review_version ?? ''}`)
    .sort()
    .join(',');

/**
 * Each of `periods` with its cycle (of `cycles`) and, for an accepted one, the approved version's
 * units: every unit's key tasks and indicators, or with `unit` that unit's whole answers only.
 */
export async function readSummaryMonths(
  em: EntityManager,
  cycles: readonly SummaryCycle[],
  periods: readonly Period[],
  { unit }: { unit?: string } = {},
): Promise<MonthInput[]> {
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
