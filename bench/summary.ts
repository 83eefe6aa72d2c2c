/**
 * `npm run bench:summary [-- --units 10000 --runs 3]`
 *
 * The annual summary of a campaign (api/services/summary.service.ts: read the approved versions
 * of twelve monthly cycles and summarise them) over 12 × N stored reports, against a floor on the
 * same data in the same database: one raw SQL aggregate of the same figures (per month: expected,
 * submitted, on time, key-task statuses, each indicator's count, sum, average, min and max; per
 * unit: on time, late and missing months, and each indicator's sum, average and min over the
 * months), read through the same approved versions. Then the summary page, fetched over HTTP with
 * an administrator's session (server time to the last byte), after December's publication stored
 * the year's summary (db/summary-store.ts): its first load in the process, then the later ones.
 *
 * Twelve cycles are seeded straight into PostgreSQL: one task and one report per unit and month
 * (one unit in seventeen silent each month, one report in ten late), each consolidated as version
 * 1 by the product's own statement (db/consolidated-report.ts) and closed as approved.
 */
import { parseArgs } from 'node:util';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { writeConsolidatedReport } from '../db/consolidated-report';
import { Campaign, Cycle, ReportTemplate } from '../db/entities';
import { planCycle } from '../domain/calendar';
import { cycleWorkflowId, parsePeriod, unitWorkflowId } from '../domain/period';
import { yearWindow } from '../domain/summary-window';
import { summarise, type PeriodSummary } from '../domain/summary';
import { readSummaryMonths, summaryCycles } from '../db/summary-reading';
import { storeSummariesAround } from '../db/summary-store';
import { createCampaign, createUnits, type TestUnit } from '../test/support/fixtures';
import { signInConsole } from '../test/support/console';
import { positiveIntegers, progress, runBench, withBenchEnv } from './support/env';
import { fmtInt, fmtMs, fmtRatio, median, printTable, timed, verdict } from './support/measure';
import { variedAnswers } from './support/seed';

const GOAL = 3;
const PAGE_GOAL_MS = 1000;
const YEAR = 2030;
const BATCH = 1000;

/** The floor: the same figures in one SQL statement over the approved versions' submissions. */
const AGGREGATE_SQL = `
WITH b AS (
  SELECT c.period, e->>'unitCode' AS unit, s.answers, s.id IS NOT NULL AS submitted, coalesce(o.late, false) AS late
  FROM cycle c JOIN consolidated_report r ON r.cycle_id = c.id AND r.version = c.review_version
  CROSS JOIN jsonb_array_elements(r.basis) e
  LEFT JOIN submission s ON s.id = (e->>'submissionId')::int
  LEFT JOIN submission o ON o.task_id = (e->>'taskId')::int AND o.version = 1 AND s.id IS NOT NULL
  WHERE c.campaign_id = ? AND c.stage = 'closed' AND c.period = ANY(?::text[])
), iv AS (
  SELECT b.period, b.unit, i.key AS code, (i.value)::text::numeric AS v
  FROM b, jsonb_each(b.answers->'indicators') i WHERE jsonb_typeof(i.value) = 'number'
)
SELECT
  (SELECT jsonb_agg(m ORDER BY m.period) FROM (
     SELECT period, count(*) AS expected, count(*) FILTER (WHERE submitted) AS submitted,
            count(*) FILTER (WHERE submitted AND NOT late) AS on_time FROM b GROUP BY period) m) AS months,
  (SELECT jsonb_agg(k) FROM (
     SELECT b.period, k.key AS code, k.value->>'status' AS status, count(*) AS n
     FROM b, jsonb_each(b.answers->'keyTasks') k GROUP BY 1, 2, 3) k) AS key_tasks,
  (SELECT jsonb_agg(x) FROM (
     SELECT period, code, count(*) AS n, sum(v) AS sum, round(avg(v), 6) AS avg, min(v) AS min, max(v) AS max
     FROM iv GROUP BY period, code) x) AS indicators,
  (SELECT jsonb_agg(u) FROM (
     SELECT unit, count(*) FILTER (WHERE submitted AND NOT late) AS on_time, count(*) FILTER (WHERE submitted AND late) AS late,
            count(*) FILTER (WHERE NOT submitted) AS missing FROM b GROUP BY unit) u) AS units,
  (SELECT jsonb_agg(x) FROM (
     SELECT unit, code, sum(v) AS sum, round(avg(v), 6) AS avg, min(v) AS min FROM iv GROUP BY unit, code) x) AS unit_indicators`;

interface Floor {
  months: { period: string; expected: number; submitted: number; on_time: number }[];
  units: { unit: string; on_time: number; late: number; missing: number }[];
}

/** Twelve approved monthly cycles of `units` for `campaign`, seeded in SQL and consolidated by the product. */
async function seedYear(orm: MikroORM, databaseUrl: string, campaignCode: string, units: readonly TestUnit[]) {
  const em = orm.em.fork();
  const campaign = await em.findOneOrFail(Campaign, { code: campaignCode }, { populate: ['policy'] });
  const template = await em.findOneOrFail(
    ReportTemplate,
    { code: campaign.templateCode },
    { orderBy: { version: 'desc' } },
  );
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    for (let month = 1; month <= 12; month += 1) {
      progress(`seeding ${YEAR}-${String(month).padStart(2, '0')}: ${fmtInt(units.length)} tasks and reports`);
      const period = parsePeriod(`${YEAR}-${String(month).padStart(2, '0')}`)!;
      const workflowId = cycleWorkflowId(campaignCode, period);
      const startedAt = new Date(Date.UTC(YEAR, month - 1, 15, 1));
      const plan = planCycle(campaign.policy.definition.timing, period, startedAt.toISOString(), new Set());
      const cycle = em.create(Cycle, {
        campaign,
        period,
        workflowId,
        template,
        policy: campaign.policy.definition,
        plan,
        stage: 'publishing',
      });
      await em.flush();
      const deadline = Date.parse(plan.schedule.deadline);
      await pg.query('BEGIN');
      for (let from = 0; from < units.length; from += BATCH) {
        const rows = units.slice(from, from + BATCH).map((u, k) => {
          const i = from + k;
          const silent = i % 17 === month;
          const late = i % 10 === month % 10;
          return {
            code: u.code,
            workflow_id: unitWorkflowId(workflowId, u.code),
            state: silent ? 'not_submitted' : 'accepted',
            submitted_at: silent
              ? null
              : new Date(late ? deadline + (1 + (i % 600)) * 1000 : deadline - (1 + (i % 3600)) * 1000).toISOString(),
            late: silent ? null : late,
            answers: silent ? null : variedAnswers(template.definition, i + month),
          };
        });
        await pg.query(
          `WITH r AS (
             SELECT * FROM jsonb_to_recordset($3::jsonb) AS r(code text, workflow_id text, state text, submitted_at timestamptz, late boolean, answers jsonb)
           ), t AS (
             INSERT INTO unit_task (created_at, updated_at, cycle_id, unit_id, workflow_id, state, schedule, token_version, dispatched_at, submitted_at, late)
             SELECT now(), now(), $1, u.id, r.workflow_id, r.state, $2::jsonb, 0, now(), r.submitted_at, r.late
             FROM r JOIN unit u ON u.code = r.code
             RETURNING id, workflow_id, submitted_at, late)
           INSERT INTO submission (created_at, updated_at, task_id, version, answers, submitted_at, late, receipt_number, deadline)
           SELECT now(), now(), t.id, 1, r.answers, t.submitted_at, t.late, 'BC-' || t.id || '-1', ($2::jsonb->>'deadline')::timestamptz
           FROM t JOIN r ON r.workflow_id = t.workflow_id WHERE r.answers IS NOT NULL`,
          [cycle.id, JSON.stringify(plan.schedule), JSON.stringify(rows)],
        );
      }
      await pg.query('COMMIT');
      await writeConsolidatedReport(orm.em.fork(), cycle.id, 1);
      await orm.em
        .fork()
        .nativeUpdate(Cycle, { id: cycle.id }, { stage: 'closed', reviewVersion: 1, closedAt: new Date() });
    }
  } finally {
    await pg.end();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { units: { type: 'string', default: '10000' }, runs: { type: 'string', default: '3' } },
  });
  const n = positiveIntegers('units', values.units)[0]!;
  const runs = positiveIntegers('runs', values.runs)[0]!;

  await withBenchEnv('summary', async (env) => {
    const stack = await env.startStack();
    const units = await createUnits(stack.orm, n, { supervisors: 20 });
    const campaign = await createCampaign(stack.orm, {
      deadlineAfterSeconds: 3600,
      reminderSecondsBefore: [],
      escalationSecondsAfter: [7200, 10800],
      hardCloseSecondsAfter: 14400,
      reviewWindowSeconds: 600,
      revisionWindowSeconds: 600,
    });
    await seedYear(stack.orm, stack.config.DATABASE_URL, campaign, units);
    const em = stack.orm.em.fork();
    await em.execute('ANALYZE');
    const [campaignRow] = await em.execute<{ id: number }[]>('SELECT id FROM campaign WHERE code = ?', [campaign]);
    const periods = `{${yearWindow(YEAR).periods.join(',')}}`;

    const floorMs: number[] = [];
    const productMs: number[] = [];
    let floor: Floor | undefined;
    let product: PeriodSummary | undefined;
    for (let run = 1; run <= runs; run += 1) {
      progress(`run ${run} of ${runs}`);
      const f = await timed(() => stack.orm.em.fork().execute<Floor[]>(AGGREGATE_SQL, [campaignRow!.id, periods]));
      floorMs.push(f.ms);
      floor = f.value[0]!;
      // What campaignSummary does when it has not computed this summary yet.
      const p = await timed(async () => {
        const pem = stack.orm.em.fork();
        const cycles = await summaryCycles(pem, campaignRow!.id, yearWindow(YEAR).periods);
        return summarise(yearWindow(YEAR), await readSummaryMonths(pem, cycles, yearWindow(YEAR).periods));
      });
      productMs.push(p.ms);
      product = p.value;
    }
    const s = product!;
    const sameMonths =
      JSON.stringify(s.months.map((m) => [m.period, m.expected, m.submitted, m.onTime])) ===
      JSON.stringify(floor!.months.map((m) => [m.period, Number(m.expected), Number(m.submitted), Number(m.on_time)]));
    const floorUnits = new Map(floor!.units.map((u) => [u.unit, u]));
    const sameUnits = s.units.every((u) => {
      const f = floorUnits.get(u.unitCode);
      return f && Number(f.on_time) === u.onTime && Number(f.late) === u.late && Number(f.missing) === u.missing;
    });

    // Where the product's time goes: reading the approved versions, then summarising them.
    const read = await timed(async () =>
      readSummaryMonths(
        stack.orm.em.fork(),
        await summaryCycles(stack.orm.em.fork(), campaignRow!.id, yearWindow(YEAR).periods),
        yearWindow(YEAR).periods,
      ),
    );
    const compute = await timed(async () => summarise(yearWindow(YEAR), read.value));

    // December's publication stores the fourth quarter, the second half and the year (the cycle
    // workflow's storeCycleSummaries); this process has not read them yet, so the first page load
    // reads the stored year from PostgreSQL, as any API process after a restart would.
    const stored = await timed(() =>
      storeSummariesAround(stack.orm.em.fork(), campaignRow!.id, yearWindow(YEAR).periods.at(-1)!),
    );
    const session = await signInConsole(stack.baseUrl, await stack.token('admin'));
    const pageMs: number[] = [];
    let bytes = 0;
    for (let run = 0; run <= runs; run += 1) {
      const page = await timed(async () => {
        const res = await fetch(`${stack.baseUrl}/console/summaries/${campaign}/${YEAR}`, {
          headers: { cookie: session.cookie },
        });
        if (res.status !== 200) throw new Error(`the summary page answered ${res.status}`);
        return (await res.arrayBuffer()).byteLength;
      });
      pageMs.push(page.ms);
      bytes = page.value;
    }

    const floorMedian = median(floorMs);
    const productMedian = median(productMs);
    const pageMedian = median(pageMs.slice(1));
    printTable(
      `Annual summary over 12 months × ${fmtInt(n)} units (${fmtInt(s.reporting.submitted)} reports; goal ≤ ${GOAL}× floor, page < ${PAGE_GOAL_MS} ms)`,
      ['what', 'runs (ms)', 'median ms', 'ratio', 'goal'],
      [
        [
          'floor: one raw SQL aggregate of the same figures over the approved versions',
          floorMs.map(fmtMs).join(', '),
          fmtMs(floorMedian),
          '1.00×',
          '',
        ],
        [
          'product: the summary service computing it (read the twelve approved versions, summarise)',
          productMs.map(fmtMs).join(', '),
          fmtMs(productMedian),
          fmtRatio(productMedian, floorMedian),
          verdict(productMedian / floorMedian <= GOAL),
        ],
        [
          `the summary page over HTTP, first load (reads the summary stored at publication): ${fmtInt(bytes)} bytes, ${fmtInt(100)} units a page`,
          fmtMs(pageMs[0]!),
          fmtMs(pageMs[0]!),
          fmtRatio(pageMs[0]!, floorMedian),
          verdict(pageMs[0]! < PAGE_GOAL_MS),
        ],
        [
          'the summary page over HTTP, later loads (the summary already read by this process)',
          pageMs.slice(1).map(fmtMs).join(', '),
          fmtMs(pageMedian),
          fmtRatio(pageMedian, floorMedian),
          verdict(pageMedian < PAGE_GOAL_MS),
        ],
      ],
      [
        `of the product: reading the twelve approved versions ${fmtMs(read.ms)} ms, summarise() ${fmtMs(compute.ms)} ms`,
        `storing the quarter, half and year at December's publication (off the readers' path): ${fmtMs(stored.ms)} ms`,
        `the floor's monthly counts ${sameMonths ? 'equal' : 'DIFFER FROM'} the product's; its per-unit on time / late / missing ${sameUnits ? 'equal' : 'DIFFER FROM'} the product's`,
      ],
    );
  });
}

runBench(main);
