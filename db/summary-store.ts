/**
 * Summaries kept once computed (table `stored_summary`), so that a summary over thousands of units
 * is computed once per change of its months, not at every reading. A stored summary carries its
 * basis — each month's state and approved version (`summaryKey`) — and is the summary as long as
 * the basis is the current one: approved versions never change. The cycle workflow stores the
 * quarter, half and year of its month as it is published (`storeSummariesAround`), so the first
 * reader after an approval finds them computed.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Period } from '../domain/period';
import { summarise, type PeriodSummary } from '../domain/summary';
import { windowsAround, type SummaryWindow } from '../domain/summary-window';
import { readSummaryMonths, summaryCycles, summaryKey } from './summary-reading';

/** The summary of campaign `campaignId` over `window` (of what reports to `node`, when given), stored or computed and stored. */
export async function storedSummary(
  em: EntityManager,
  campaignId: number,
  window: SummaryWindow,
  node?: string,
): Promise<PeriodSummary> {
  const cycles = await summaryCycles(em, campaignId, window.periods);
  const basis = summaryKey(cycles);
  const [stored] = await em.execute<{ content: PeriodSummary }[]>(
    'SELECT content FROM stored_summary WHERE campaign_id = ? AND window_code = ? AND node = ? AND basis = ?',
    [campaignId, window.code, node ?? '', basis],
  );
  if (stored) return stored.content;
  const summary = summarise(window, await readSummaryMonths(em, cycles, window.periods), node);
  // A node that is not in the summary is refused by the caller; nothing to keep for it.
  if (node === undefined || summary.node)
    await em.execute(
      `INSERT INTO stored_summary (created_at, updated_at, campaign_id, window_code, node, basis, content)
       VALUES (now(), now(), ?, ?, ?, ?, ?::jsonb)
       ON CONFLICT (campaign_id, window_code, node) DO UPDATE
         SET basis = excluded.basis, content = excluded.content, updated_at = now()`,
      [campaignId, window.code, node ?? '', basis, JSON.stringify(summary)],
    );
  return summary;
}

/** Stores the campaign's summaries over the quarter, the half and the year `period` belongs to; answers their codes. */
export async function storeSummariesAround(em: EntityManager, campaignId: number, period: Period): Promise<string[]> {
  const windows = windowsAround(period);
  for (const window of windows) await storedSummary(em, campaignId, window);
  return windows.map((w) => w.code);
}
