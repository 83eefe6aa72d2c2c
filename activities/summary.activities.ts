/** Freezing a periodic summary: computed once from the approved monthly cycles, stored, audited. */
import { createHash } from 'node:crypto';
import { appendAudit, canonicalJson } from '../db/audit';
import { storeSummariesAround, storedSummary } from '../db/summary-store';
import { NotFoundError, ValidationError } from '../domain/errors';
import type { Period } from '../domain/period';
import { parseWindow, windowLabel, type SummaryWindow } from '../domain/summary-window';
import { deliverPending, enqueueEmail } from '../mail/outbox';
import { deliveryDeps, type ActivityDeps } from './deps';

function windowOf(code: string): SummaryWindow {
  const w = parseWindow(code);
  if (!w) throw new ValidationError({ code: 'summary_window_invalid', params: { window: code } }, 'window');
  return w;
}

export function createSummaryActivities(deps: ActivityDeps) {
  return {
    /**
     * Stores the summary of `campaign` over `window` as it is now, with the SHA-256 of its content
     * in a `summary.frozen` audit event. Idempotent: a summary already frozen stays as it was, and
     * its instant and hash are answered.
     */
    async freezeSummary({
      campaign,
      window,
      workflowId,
    }: {
      campaign: string;
      window: string;
      workflowId: string;
    }): Promise<{ frozenAt: string; sha256: string; accepted: number }> {
      const w = windowOf(window);
      return deps.orm.em.fork().transactional(async (em) => {
        const [c] = await em.execute<{ id: number }[]>('SELECT id FROM campaign WHERE code = ? FOR UPDATE', [campaign]);
        if (!c) throw new NotFoundError({ code: 'campaign_unknown', params: { campaign } }, 'campaign');
        const [existing] = await em.execute<
          { frozen_at: Date; sha256: string; content: { months: { state: string }[] } }[]
        >('SELECT frozen_at, sha256, content FROM frozen_summary WHERE campaign_id = ? AND window_code = ?', [
          c.id,
          w.code,
        ]);
        if (existing)
          return {
            frozenAt: new Date(existing.frozen_at).toISOString(),
            sha256: existing.sha256,
            accepted: existing.content.months.filter((m) => m.state === 'accepted').length,
          };
        const summary = await storedSummary(em, c.id, w);
        const json = canonicalJson(summary);
        const sha256 = createHash('sha256').update(json).digest('hex');
        const now = deps.now();
        await em.execute(
          `INSERT INTO frozen_summary (created_at, updated_at, campaign_id, window_code, content, sha256, frozen_at, workflow_id)
           VALUES (now(), now(), ?, ?, ?::jsonb, ?, ?, ?)`,
          [c.id, w.code, JSON.stringify(summary), sha256, now, workflowId],
        );
        const accepted = summary.months.filter((m) => m.state === 'accepted').length;
        await appendAudit(em, {
          actor: { kind: 'system', id: workflowId, origin: workflowId },
          action: 'summary.frozen',
          subjectType: 'campaign',
          subjectId: campaign,
          after: { window: w.code, accepted, months: summary.months.length, sha256 },
          occurredAt: now,
        });
        return { frozenAt: now.toISOString(), sha256, accepted };
      });
    },

    /**
     * Stores the summaries over the quarter, half and year of a published cycle's month, so that
     * the first reader after the approval finds them computed. Answers the windows stored.
     */
    async storeCycleSummaries({ cycleId }: { cycleId: number }): Promise<{ windows: string[] }> {
      const em = deps.orm.em.fork();
      const [cycle] = await em.execute<{ campaign_id: number; period: Period }[]>(
        'SELECT campaign_id, period FROM cycle WHERE id = ?',
        [cycleId],
      );
      if (!cycle) throw new Error(`cycle ${cycleId} does not exist`);
      return { windows: await storeSummariesAround(em, cycle.campaign_id, cycle.period) };
    },

    /** The periods of `window` whose cycle of `campaign` is still open (neither closed nor cancelled). */
    async openSummaryMonths({ campaign, window }: { campaign: string; window: string }): Promise<{ open: string[] }> {
      const w = windowOf(window);
      const rows = await deps.orm.em.fork().execute<{ period: string }[]>(
        `SELECT c.period FROM cycle c JOIN campaign k ON k.id = c.campaign_id
         WHERE k.code = ? AND c.period = ANY(?::text[]) AND c.stage NOT IN ('closed', 'cancelled') ORDER BY c.period`,
        [campaign, `{${w.periods.join(',')}}`],
      );
      return { open: rows.map((r) => r.period) };
    },

    /**
     * Emails the secretariat that the summary of `campaign` over `window` is frozen, with how many
     * of its months the council had approved and where to read it. Once per frozen summary.
     */
    async notifySummaryFrozen({
      campaign,
      window,
      workflowId,
    }: {
      campaign: string;
      window: string;
      workflowId: string;
    }): Promise<void> {
      const w = windowOf(window);
      const key = `summary-frozen:${workflowId}`;
      const locale = deps.config.DEFAULT_LOCALE;
      await deps.orm.em.fork().transactional(async (em) => {
        const [row] = await em.execute<{ name: string; sha256: string; accepted: number; months: number }[]>(
          `SELECT k.name, f.sha256,
                  (SELECT count(*) FROM jsonb_array_elements(f.content->'months') m WHERE m->>'state' = 'accepted')::int AS accepted,
                  jsonb_array_length(f.content->'months') AS months
           FROM frozen_summary f JOIN campaign k ON k.id = f.campaign_id WHERE k.code = ? AND f.window_code = ?`,
          [campaign, w.code],
        );
        if (!row) throw new NotFoundError({ code: 'campaign_unknown', params: { campaign } }, 'campaign');
        await enqueueEmail(em, {
          key,
          kind: 'summary_frozen',
          recipient: deps.config.SECRETARIAT_EMAIL,
          locale,
          params: {
            campaignName: row.name,
            window: windowLabel(w, locale),
            dataFrom: w.dataFrom,
            dataTo: w.dataTo,
            accepted: row.accepted,
            months: row.months,
            sha256: row.sha256,
            url: `${deps.config.PUBLIC_URL}/console/summaries/${encodeURIComponent(campaign)}/${encodeURIComponent(w.code)}`,
          },
        });
      });
      await deliverPending(deliveryDeps(deps), { keys: [key] });
    },
  };
}
