/**
 * `npm run bench:consolidation [-- --reports 10000 --runs 3]`
 *
 * Consolidation of a cycle of N stored reports — the consolidateCycle activity itself, called
 * as the worker calls it (store the version's basis, db/consolidated-report.ts, and its audit
 * event) — against a floor
 * on the same data in the same database: one raw SQL aggregate of the same figures (tasks per
 * state, submitted and on time, key-task statuses, indicator count/sum/average/min/max).
 *
 * The cycle's rows are seeded straight into PostgreSQL in the shape the API stores them. Each
 * run consolidates a new version (the activity writes each version once); the median counts.
 */
import { parseArgs } from 'node:util';
import { createCycleActivities } from '../activities/cycle.activities';
import { canonicalJson } from '../db/audit';
import { readConsolidatedReport } from '../db/consolidated-report';
import { ConsolidatedReport } from '../db/entities';
import type { ConsolidatedReportContent } from '../domain/consolidation';
import { createMailTransport } from '../mail/transport';
import { positiveIntegers, progress, runBench, withBenchEnv } from './support/env';
import { fmtInt, fmtMiB, fmtMs, fmtRatio, median, printTable, timed, verdict } from './support/measure';
import { seedCycle, variedAnswers } from './support/seed';

const GOAL = 3;

interface Aggregate {
  readonly expected: number;
  readonly submitted: number;
  readonly onTime: number;
  readonly byState: Record<string, number>;
  readonly keyTasks: Record<string, Record<string, number>>;
  readonly indicators: Record<string, { n: number; sum: number; avg: number; min: number; max: number }>;
}

/** The floor: the figures of a consolidation in one SQL statement over each task's latest report. */
const AGGREGATE_SQL = `
WITH latest AS (
  SELECT DISTINCT ON (s.task_id) s.task_id, s.answers, s.late
  FROM submission s JOIN unit_task t ON t.id = s.task_id
  WHERE t.cycle_id = ?
  ORDER BY s.task_id, s.version DESC
), key_task_counts AS (
  SELECT k.key AS code, k.value->>'status' AS status, count(*) AS n
  FROM latest, jsonb_each(latest.answers->'keyTasks') AS k GROUP BY 1, 2
), indicator_values AS (
  SELECT i.key AS code, (i.value)::text::numeric AS v
  FROM latest, jsonb_each(latest.answers->'indicators') AS i WHERE jsonb_typeof(i.value) = 'number'
)
SELECT
  (SELECT count(*) FROM unit_task WHERE cycle_id = ?)::int AS expected,
  (SELECT count(*) FROM latest)::int AS submitted,
  (SELECT count(*) FROM latest WHERE NOT late)::int AS "onTime",
  (SELECT jsonb_object_agg(state, n) FROM (SELECT state, count(*) AS n FROM unit_task WHERE cycle_id = ? GROUP BY state) AS s) AS "byState",
  (SELECT jsonb_object_agg(code, counts) FROM (SELECT code, jsonb_object_agg(status, n) AS counts FROM key_task_counts GROUP BY code) AS k) AS "keyTasks",
  (SELECT jsonb_object_agg(code, jsonb_build_object('n', n, 'sum', sum, 'avg', avg, 'min', min, 'max', max))
     FROM (SELECT code, count(*) AS n, sum(v) AS sum, round(avg(v), 6) AS avg, min(v) AS min, max(v) AS max FROM indicator_values GROUP BY code) AS i) AS indicators`;

/** The same figures read from the product's consolidated report, for checking the floor computes what the product does. */
function figuresOf(content: ConsolidatedReportContent): unknown {
  return {
    expected: content.expected,
    submitted: content.submitted,
    onTime: content.onTime,
    keyTasks: Object.fromEntries(
      content.keyTasks.map((t) => [t.code, Object.fromEntries(Object.entries(t.counts).filter(([, n]) => n > 0))]),
    ),
    indicators: Object.fromEntries(content.indicators.map((i) => [i.code, { n: i.reported, value: i.value }])),
  };
}

function figuresOfAggregate(a: Aggregate, content: ConsolidatedReportContent): unknown {
  return {
    expected: a.expected,
    submitted: a.submitted,
    onTime: a.onTime,
    keyTasks: a.keyTasks,
    indicators: Object.fromEntries(
      content.indicators.map((i) => {
        const x = a.indicators[i.code]!;
        const value = { sum: x.sum, average: x.avg, min: x.min, max: x.max, latest: Number.NaN }[i.aggregation];
        return [i.code, { n: x.n, value: Number(value) }];
      }),
    ),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { reports: { type: 'string', default: '10000' }, runs: { type: 'string', default: '3' } },
  });
  const n = positiveIntegers('reports', values.reports)[0]!;
  const runs = positiveIntegers('runs', values.runs)[0]!;

  await withBenchEnv('consolidation', async (env) => {
    const stack = await env.startStack();
    progress(`seeding ${fmtInt(n)} units, their tasks and one report each`);
    const cycle = await seedCycle(stack.orm, stack.config.DATABASE_URL, n, 'consolidating', (i, template) => ({
      state: 'submitted',
      answers: variedAnswers(template, i),
      late: i % 10 === 9,
    }));
    const mailer = createMailTransport(stack.config.SMTP_URL); // the activities' dependency; consolidation sends nothing
    env.onCleanup(async () => mailer.close());
    const activities = createCycleActivities({
      orm: stack.orm,
      mailer,
      temporal: stack.client,
      config: stack.config,
      now: () => new Date(),
    });
    const em = stack.orm.em.fork();
    await em.execute('ANALYZE');

    const floorMs: number[] = [];
    const productMs: number[] = [];
    let aggregate: Aggregate | undefined;
    for (let run = 1; run <= runs; run += 1) {
      progress(`run ${run} of ${runs}`);
      const floor = await timed(() =>
        stack.orm.em.fork().execute<Aggregate[]>(AGGREGATE_SQL, [cycle.cycleId, cycle.cycleId, cycle.cycleId]),
      );
      floorMs.push(floor.ms);
      aggregate = floor.value[0]!;
      const product = await timed(() => activities.consolidateCycle({ cycleId: cycle.cycleId, version: run }));
      if (product.value !== run) throw new Error(`consolidateCycle wrote version ${product.value}, not ${run}`);
      productMs.push(product.ms);
    }

    // What moved: the activity stores the basis (one statement); the council's reading is computed
    // when it is first read (then kept by the reading process). Measured here from a cold cache.
    const report = await stack.orm.em.fork().findOneOrFail(ConsolidatedReport, { cycle: cycle.cycleId, version: 1 });
    const reading = await timed(() => readConsolidatedReport(stack.orm.em.fork(), report));
    const [stored] = await em.execute<{ bytes: string }[]>(
      'SELECT pg_column_size(basis) AS bytes FROM consolidated_report WHERE cycle_id = ? AND version = 1',
      [cycle.cycleId],
    );
    const json = await timed(async () => JSON.stringify(reading.value));

    const same =
      canonicalJson(figuresOf(reading.value)) === canonicalJson(figuresOfAggregate(aggregate!, reading.value));
    const floorMedian = median(floorMs);
    const productMedian = median(productMs);
    printTable(
      `Consolidation of ${fmtInt(n)} stored reports (goal ≤ ${GOAL}× floor)`,
      ['what', 'runs (ms)', 'median ms', 'ratio', 'goal'],
      [
        [
          'floor: one raw SQL aggregate (counts per state, on time, key-task statuses, indicator aggregates)',
          floorMs.map(fmtMs).join(', '),
          fmtMs(floorMedian),
          '1.00×',
          '',
        ],
        [
          "product: consolidateCycle activity (store the version's basis and its audit event)",
          productMs.map(fmtMs).join(', '),
          fmtMs(productMedian),
          fmtRatio(productMedian, floorMedian),
          verdict(productMedian / floorMedian <= GOAL),
        ],
      ],
      [
        `the floor's figures ${same ? 'equal' : 'DIFFER FROM'} the product's reading of version 1 (expected, submitted, on time, key-task counts, indicator values)`,
      ],
    );
    printTable(
      "Reading a version (the council's pages, the tally), computed on first read and then kept by the process",
      ['step', 'ms', 'against the floor'],
      [
        [`the stored basis: ${fmtMiB(Number(stored?.bytes ?? 0))} MiB as jsonb`, '', ''],
        [
          `readConsolidatedReport, cold: one query for the basis and its submissions, consolidate() (the reading is ${fmtMiB(json.value.length)} MiB as JSON)`,
          fmtMs(reading.ms),
          fmtRatio(reading.ms, floorMedian),
        ],
      ],
    );
  });
}

runBench(main);
