/**
 * `npm run bench:dispatch [-- --units 100,1000] [--dispatch-only] [--levels 3 --departments 64]`
 *
 * With `--levels L` (L ≥ 2) the N units are the leaves of a tree: a root (the campaign's), L - 2
 * layers of `--departments` consolidating units, the leaves spread under the last layer; every
 * unit below the root is dispatched, and the floor counts them all.
 *
 * Dispatch of a cycle of N units — from POST /api/v1/cycles until every task row is stored as
 * dispatched and every dispatch email is accepted by the SMTP sink — against a floor measured in
 * the same run on the same Temporal server, PostgreSQL and SMTP sink: N no-op workflows started
 * and completed (a worker of their own in this process, on a separate task queue), plus N emails
 * of the same size sent over one pooled nodemailer transport (the product's transport settings).
 *
 * Also records the cycle workflow's history (length and size after dispatch and, unless
 * --dispatch-only, after the whole cycle has run to publication), this process's RSS peak, and a
 * profile of where the dispatch time goes.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { renderEmail } from '../mail/render';
import { createMailTransport } from '../mail/transport';
import { api, createCampaign, createUnits, currentPeriod, submitByLink } from '../test/support/fixtures';
import type { Stack } from '../test/support/stack';
import { dispatchReached, linksOf, postCycle, QUIET_TIMING } from './support/cycle';
import { buildTree } from './support/tree';
import { positiveIntegers, progress, runBench, withBenchEnv } from './support/env';
import {
  activityTimings,
  eventTimeMs,
  historyWithLargestChild,
  unitParentHistories,
  unitStarts,
  workflowTaskStats,
  type HistoryFacts,
  type LargestChild,
  type UnitStarts,
  type WorkflowTaskStats,
} from './support/history';
import {
  fmtInt,
  fmtMiB,
  fmtMs,
  fmtRatio,
  fmtSeconds,
  inParallel,
  median,
  percentile,
  printTable,
  sampleRss,
  sampleSessions,
  timed,
  verdict,
  type SessionUse,
} from './support/measure';
import { meterCpu, type CpuUse } from './support/profile';
import { noopWorkflow } from './support/noop.workflow';

/** No-op workflows of the floor in flight at once. */
const FLOOR_IN_FLIGHT = 1_000;

/** A cycle history with the largest of its children's. */
type History = HistoryFacts & { readonly largestChild: LargestChild };

const GOAL = 1.5;
const TEMPORAL_EVENT_LIMIT = 51_200;
const TEMPORAL_SIZE_LIMIT = 50 * 1024 * 1024;

interface Floor {
  /** Milliseconds to start N no-op workflows and see each complete. */
  workflows(n: number): Promise<number>;
  /** History events of one of those no-op workflows. */
  eventsPerWorkflow(): Promise<number>;
  /** Milliseconds to have N dispatch-sized emails accepted by the sink over one pooled transport. */
  emails(n: number): Promise<number>;
}

/** A worker for the no-op workflow on a task queue of its own, in this process, on the stack's Temporal server. */
async function startFloor(stack: Stack, onCleanup: (stop: () => Promise<void>) => void): Promise<Floor> {
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./support/noop.workflow'),
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } as never,
  });
  const connection = await NativeConnection.connect({ address: stack.config.TEMPORAL_ADDRESS });
  const taskQueue = `bench-floor-${randomBytes(4).toString('hex')}`;
  const worker = await Worker.create({
    connection,
    namespace: stack.config.TEMPORAL_NAMESPACE,
    taskQueue,
    workflowBundle,
    shutdownGraceTime: '2s',
  });
  const running = worker.run();
  onCleanup(async () => {
    worker.shutdown();
    await running;
    await connection.close();
  });
  let batch = 0;
  const email = renderEmail(
    'dispatch',
    {
      unitName: 'Sở Thông tin và Truyền thông tỉnh An Giang',
      headName: 'Nguyễn Văn An',
      campaignName: 'Chiến dịch thi đua hàng tháng',
      period: currentPeriod(),
      dataFrom: '2026-10-01',
      dataTo: '2026-10-31',
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
      keyTaskCount: 10,
      indicatorCount: 3,
    },
    'vi',
    `${stack.baseUrl}/r/${'A'.repeat(43)}`,
  );
  return {
    async workflows(n) {
      const tag = `${taskQueue}-${(batch += 1)}`;
      // At most FLOOR_IN_FLIGHT started-and-awaited at a time: 10,000 concurrent result long-polls
      // over one client channel fail (the product's own starts are bounded by its workflows).
      let next = 0;
      const lane = async (): Promise<void> => {
        for (let i = next++; i < n; i = next++) {
          const handle = await stack.client.workflow.start(noopWorkflow, { taskQueue, workflowId: `${tag}-${i}` });
          await handle.result();
        }
      };
      const { ms } = await timed(() => Promise.all(Array.from({ length: Math.min(n, FLOOR_IN_FLIGHT) }, lane)));
      return ms;
    },
    async eventsPerWorkflow() {
      return (await stack.client.workflow.getHandle(`${taskQueue}-1-0`).describe()).historyLength;
    },
    async emails(n) {
      const mailer = createMailTransport(stack.config.SMTP_URL);
      const tag = randomBytes(3).toString('hex');
      try {
        const { ms } = await timed(() =>
          Promise.all(
            Array.from({ length: n }, (_, i) =>
              mailer.sendMail({
                from: stack.config.MAIL_FROM,
                to: `floor-${tag}-${i}@floor.example.org`,
                subject: email.subject,
                text: email.text,
                html: email.html,
                messageId: `<floor-${tag}-${i}@baocao>`,
              }),
            ),
          ),
        );
        return ms;
      } finally {
        mailer.close();
      }
    },
  };
}

interface ProductRun {
  readonly ms: number;
  readonly workflowId: string;
  readonly campaign: string;
  readonly units: Awaited<ReturnType<typeof createUnits>>;
  /** Index of the first sink message of this run. */
  readonly mailFrom: number;
  readonly rss: { startBytes: number; peakBytes: number };
  readonly sessions: SessionUse;
  readonly cpu: CpuUse;
  /** Milliseconds after the POST at which each milestone was reached. */
  readonly milestones: {
    opened: number;
    childrenStarted: number;
    firstDispatched: number;
    lastDispatched: number;
    lastEmailSent: number;
  };
  /** Per email: from the dispatch transaction's start to the start of its delivery (p50, p90). */
  readonly dispatchTx: { p50: number; p90: number };
  /** The dispatch activities (each batch's dispatchTasks, or dispatchTask of a sample of units): queued (schedule-to-start) and running (start-to-close). */
  readonly activity: { queuedP50: number; queuedP90: number; runP50: number; runP90: number; sampled: number };
  /** History events written per unit until dispatch was over: the parents' (cycle or batches) share, and a unit workflow's own (median of the sample). */
  readonly eventsPerUnit: { parents: number; unit: number };
  readonly dispatchHistory: History;
  /** Which workflows start the unit workflows (the cycle, or batch workflows under it), their tasks and the units' starts until dispatch was over. */
  readonly unitParents: { kind: 'cycle' | 'batches'; count: number; tasks: WorkflowTaskStats; starts: UnitStarts };
}

async function productDispatch(
  stack: Stack,
  temporalPid: number | undefined,
  admin: string,
  leafCount: number,
  shape: TreeShape = FLAT,
): Promise<ProductRun> {
  const leaves = await createUnits(stack.orm, leafCount, { supervisors: 5 });
  const campaign = await createCampaign(stack.orm, QUIET_TIMING);
  const units =
    shape.levels > 1
      ? [...leaves, ...(await buildTree(stack.orm, leaves, campaign, { layers: shape.levels - 2, width: shape.width }))]
      : leaves;
  const n = units.length;
  const heads = new Set(units.map((u) => u.headEmail.toLowerCase()));
  const from = stack.sink.messages.length;
  const rss = sampleRss();
  const sessions = sampleSessions(stack.config.DATABASE_URL);
  const cpu = meterCpu(temporalPid);
  const postedAt = Date.now();
  const t0 = performance.now();
  const workflowId = await postCycle(stack, admin, campaign, units);
  await dispatchReached(stack, workflowId, from, heads, 30 * 60_000);
  const [{ dispatched }] = (await stack.orm.em
    .fork()
    .execute<{ dispatched: string }[]>(
      `SELECT count(*) AS dispatched FROM unit_task t JOIN cycle c ON c.id = t.cycle_id WHERE c.workflow_id = ? AND t.state = 'dispatched' AND t.token_hash IS NOT NULL`,
      [workflowId],
    )) as [{ dispatched: string }];
  const ms = performance.now() - t0;
  const rssUsed = rss.stop();
  const cpuUse = cpu.stop();
  const sessionUse = await sessions.stop();
  if (Number(dispatched) !== n)
    throw new Error(`${dispatched} of ${n} tasks stored as dispatched after every email arrived`);

  const dispatchHistory = await historyWithLargestChild(stack.client, workflowId);
  const parents = await unitParentHistories(stack.client, dispatchHistory.events);
  const openCycleScheduled = dispatchHistory.events.find(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'openCycle',
  );
  const openCycleEvent = dispatchHistory.events.find(
    (e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId) === String(openCycleScheduled?.eventId),
  );
  const [times] = (await stack.orm.em.fork().execute<{ first: Date; last: Date; sent: Date }[]>(
    `SELECT min(t.dispatched_at) AS first, max(t.dispatched_at) AS last, max(e.sent_at) AS sent
     FROM unit_task t JOIN cycle c ON c.id = t.cycle_id JOIN email e ON e.task_id = t.id AND e.kind = 'dispatch' WHERE c.workflow_id = ?`,
    [workflowId],
  )) as [{ first: Date; last: Date; sent: Date }];
  const txRows = await stack.orm.em
    .fork()
    .execute<{ ms: number }[]>(
      `SELECT extract(epoch FROM e.sent_at - e.created_at) * 1000 AS ms FROM email e JOIN unit_task t ON t.id = e.task_id JOIN cycle c ON c.id = t.cycle_id WHERE c.workflow_id = ? AND e.kind = 'dispatch'`,
      [workflowId],
    );
  const txMs = txRows.map((r) => Number(r.ms));
  const sample = units.filter((_, i) => i % Math.max(1, Math.floor(n / 20)) === 0).slice(0, 20);
  const unitHistories = await Promise.all(
    sample.map(
      async (u) => (await stack.client.workflow.getHandle(`${workflowId}-unit-${u.code}`).fetchHistory()).events ?? [],
    ),
  );
  const starts = unitStarts(parents.histories, unitHistories, n);
  // Units started by activity: one startAndDispatchUnits per batch; set-based collection: one dispatchTasks per batch; runs before it: one dispatchTask per unit.
  const timings = [
    ...parents.histories.flatMap((events) => [
      ...activityTimings(events, 'startAndDispatchUnits'),
      ...activityTimings(events, 'dispatchTasks'),
    ]),
    ...unitHistories.flatMap((events) => activityTimings(events, 'dispatchTask')),
  ];
  return {
    ms,
    workflowId,
    campaign,
    units,
    mailFrom: from,
    rss: rssUsed,
    sessions: sessionUse,
    cpu: cpuUse,
    milestones: {
      opened: (openCycleEvent ? eventTimeMs(openCycleEvent) : Number.NaN) - postedAt,
      childrenStarted: starts.lastAt - postedAt,
      firstDispatched: new Date(times.first).getTime() - postedAt,
      lastDispatched: new Date(times.last).getTime() - postedAt,
      lastEmailSent: new Date(times.sent).getTime() - postedAt,
    },
    dispatchTx: { p50: median(txMs), p90: percentile(txMs, 90) },
    activity: {
      queuedP50: median(timings.map((t) => t.queuedMs)),
      queuedP90: percentile(
        timings.map((t) => t.queuedMs),
        90,
      ),
      runP50: median(timings.map((t) => t.runMs)),
      runP90: percentile(
        timings.map((t) => t.runMs),
        90,
      ),
      sampled: timings.length,
    },
    dispatchHistory,
    eventsPerUnit: {
      parents: parents.histories.reduce((sum, h) => sum + h.length, 0) / n,
      unit: median(unitHistories.map((h) => h.length)),
    },
    unitParents: {
      kind: parents.kind,
      count: parents.histories.length,
      tasks: workflowTaskStats(parents.histories),
      starts,
    },
  };
}

/** Runs a dispatched cycle to publication (every unit submits, two council approvals) and answers its final history. */
async function completeCycle(
  stack: Stack,
  admin: string,
  council: readonly string[],
  run: ProductRun,
): Promise<History> {
  const period = currentPeriod();
  const links = linksOf(stack, run.mailFrom, run.units);
  await inParallel(links, 20, async (link, i) => {
    const res = await submitByLink(stack.baseUrl, link);
    if (res.status !== 201) throw new Error(`submission ${i} failed: ${res.status} ${JSON.stringify(res.body)}`);
  });
  const reviewPath = `/api/v1/cycles/${run.campaign}/${period}/review`;
  while ((await api<{ version: number | null }>(stack.baseUrl, 'GET', reviewPath, { token: admin })).body.version !== 1)
    await new Promise((r) => setTimeout(r, 200));
  for (const token of council.slice(0, 2)) {
    const ballot = await api(stack.baseUrl, 'POST', `/api/v1/cycles/${run.campaign}/${period}/ballots`, {
      token,
      body: { version: 1, choice: 'approve' },
    });
    if (ballot.status >= 300) throw new Error(`ballot failed: ${ballot.status} ${JSON.stringify(ballot.body)}`);
  }
  await stack.client.workflow.getHandle(run.workflowId).result();
  // The archive workflow reads every history of the cycle; let it finish before the next measurement.
  await stack.client.workflow.getHandle(`${run.workflowId}-archive`).result();
  return historyWithLargestChild(stack.client, run.workflowId);
}

/** events(N) = a + b·N through two measured points, evaluated at `at`. */
function extrapolate(
  points: readonly { n: number; value: number }[],
  at: number,
): { perUnit: number; constant: number; value: number } | undefined {
  if (points.length < 2) return undefined;
  const [p, q] = [points[0]!, points[points.length - 1]!];
  const perUnit = (q.value - p.value) / (q.n - p.n);
  const constant = p.value - perUnit * p.n;
  return { perUnit, constant, value: constant + perUnit * at };
}

/** The units' tree: 1 level (every unit reports to the council), or a root above `levels - 2` layers of `width` units. */
interface TreeShape {
  readonly levels: number;
  readonly width: number;
}
const FLAT: TreeShape = { levels: 1, width: 0 };
const unitsOf = (leaves: number, shape: TreeShape): number =>
  leaves + (shape.levels > 1 ? (shape.levels - 2) * shape.width : 0);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      units: { type: 'string', default: '100,1000' },
      'dispatch-only': { type: 'boolean', default: false },
      'estimate-at': { type: 'string', default: '10000' },
      levels: { type: 'string', default: '1' },
      departments: { type: 'string', default: '64' },
    },
  });
  const shape: TreeShape = {
    levels: positiveIntegers('levels', values.levels)[0]!,
    width: positiveIntegers('departments', values.departments)[0]!,
  };
  const sizes = positiveIntegers('units', values.units);
  const estimateAt = positiveIntegers('estimate-at', values['estimate-at'])[0]!;
  const complete = !values['dispatch-only'];

  await withBenchEnv('dispatch', async (env) => {
    const stack = await env.startStack();
    const floor = await startFloor(stack, env.onCleanup);
    const admin = await stack.token('admin');
    const council = [await stack.token('council'), await stack.token('council'), await stack.token('council')];

    progress('warm-up: 20 no-op workflows, 20 emails, a cycle of 20 units');
    await floor.workflows(20);
    const floorEvents = await floor.eventsPerWorkflow();
    await floor.emails(20);
    await productDispatch(stack, env.temporal.pid, admin, 20);

    const rows: { n: number; floorWorkflows: number; floorEmails: number; product: ProductRun; final?: History }[] = [];
    for (const n of sizes) {
      const all = unitsOf(n, shape);
      progress(`N=${n} leaves, ${all} units in all: floor`);
      const floorWorkflows = await floor.workflows(all);
      const floorEmails = await floor.emails(all);
      progress(`N=${n}: product`);
      const product = await productDispatch(stack, env.temporal.pid, admin, n, shape);
      progress(
        `N=${n}: dispatch took ${fmtSeconds(product.ms)} s${complete ? '; running the cycle to publication for its final history' : ''}`,
      );
      const final = complete ? await completeCycle(stack, admin, council, product) : undefined;
      rows.push({ n, floorWorkflows, floorEmails, product, ...(final ? { final } : {}) });
    }

    printTable(
      `Dispatch: POST /api/v1/cycles → every task stored and every dispatch email accepted (goal ≤ ${GOAL}× floor)`,
      [
        'units',
        'floor: no-op workflows s',
        'floor: emails s',
        'floor total s',
        'product s',
        'ratio',
        'goal',
        'RSS before → peak MiB',
      ],
      rows.map(({ n, floorWorkflows, floorEmails, product }) => {
        const floorMs = floorWorkflows + floorEmails;
        return [
          fmtInt(n),
          fmtSeconds(floorWorkflows),
          fmtSeconds(floorEmails),
          fmtSeconds(floorMs),
          fmtSeconds(product.ms),
          fmtRatio(product.ms, floorMs),
          verdict(product.ms / floorMs <= GOAL),
          `${fmtMiB(product.rss.startBytes)} → ${fmtMiB(product.rss.peakBytes)}`,
        ];
      }),
      [
        'floor = N no-op workflows started and completed (own worker, own task queue, same process and server) + N dispatch-sized emails over one pooled transport (5 connections), measured one after the other',
        'RSS: process.memoryUsage.rss() sampled every 100 ms during the product run; the process holds the worker (Temporal core included), the API, the SMTP sink (which keeps every message) and the load driver',
      ],
    );

    printTable(
      "Dispatch profile: the workflow tasks of the unit workflows' parents (the cycle, or its batch workflows) until dispatch was over",
      [
        'units',
        'parents',
        'workflow tasks',
        'per unit',
        'queued p50/p90 ms',
        'running p50/p90 ms',
        'running, sum s',
        'failed or timed out',
        'StartChild commands: tasks sending them, most in one',
        'unit workflows started per s',
      ],
      rows.map(({ n, product: { unitParents: u } }) => [
        fmtInt(n),
        `${fmtInt(u.count)} ${u.kind === 'cycle' ? 'cycle' : 'batch'}`,
        fmtInt(u.tasks.completed),
        (u.tasks.completed / n).toFixed(2),
        `${fmtMs(median(u.tasks.queuedMs))} / ${fmtMs(percentile(u.tasks.queuedMs, 90))}`,
        `${fmtMs(median(u.tasks.runMs))} / ${fmtMs(percentile(u.tasks.runMs, 90))}`,
        fmtSeconds(u.tasks.runMs.reduce((a, b) => a + b, 0)),
        [...u.tasks.failures].map(([why, k]) => `${k}× ${why}`).join('; ') || '0',
        `${fmtInt(u.starts.commandTasks)}, ${fmtInt(u.starts.mostInOneTask)}`,
        u.starts.perSecond.toFixed(1),
      ]),
      [
        "from the parents' histories: WorkflowTaskScheduled → Started (queued), Started → Completed/Failed (running: the worker's activation plus the round trip to the server)",
        "unit workflows started per s: N over the time from the first start asked for (StartChildWorkflowExecutionInitiated, or a batch's startAndDispatchUnits scheduled) to the last started (ChildWorkflowExecutionStarted, or the latest start among the sampled unit workflows)",
      ],
    );

    printTable(
      'Dispatch profile: when each milestone was reached, seconds after the POST',
      [
        'units',
        'openCycle done',
        'all unit workflows started',
        'first task dispatched',
        'last task dispatched',
        'last email sent',
        'dispatch tx → delivery p50/p90 ms',
        'dispatch activity queued p50/p90 ms',
        'dispatch activity running p50/p90 ms',
      ],
      rows.map(({ n, product: p }) => [
        fmtInt(n),
        fmtSeconds(p.milestones.opened),
        fmtSeconds(p.milestones.childrenStarted),
        fmtSeconds(p.milestones.firstDispatched),
        fmtSeconds(p.milestones.lastDispatched),
        fmtSeconds(p.milestones.lastEmailSent),
        `${fmtMs(p.dispatchTx.p50)} / ${fmtMs(p.dispatchTx.p90)}`,
        `${fmtMs(p.activity.queuedP50)} / ${fmtMs(p.activity.queuedP90)}`,
        `${fmtMs(p.activity.runP50)} / ${fmtMs(p.activity.runP90)}`,
      ]),
      [
        'milestones from the histories (openCycle completed; the last ChildWorkflowExecutionStarted, or the latest start among the sampled unit workflows when batches start them by activity) and from PostgreSQL (unit_task.dispatched_at, email.sent_at)',
        '"dispatch tx → delivery": email.sent_at − email.created_at, i.e. from the start of the dispatch transaction (row lock, audit append under the advisory lock, outbox insert, commit) to the start of the delivery transaction',
        "dispatch activity timings (schedule-to-start, start-to-close): each batch's startAndDispatchUnits or dispatchTasks, or dispatchTask from the histories of up to 20 unit workflows spread over the cycle (runs before set-based collection)",
      ],
    );

    printTable(
      'Dispatch profile: Temporal history events written per unit until dispatch was over',
      [
        'units',
        "parents' events per unit",
        "a unit workflow's events (median)",
        'total per unit',
        "floor: a no-op workflow's events",
        'ratio',
      ],
      rows.map(({ n, product: { eventsPerUnit: e } }) => [
        fmtInt(n),
        e.parents.toFixed(2),
        fmtInt(e.unit),
        (e.parents + e.unit).toFixed(1),
        fmtInt(floorEvents),
        fmtRatio(e.parents + e.unit, floorEvents),
      ]),
      [
        'events are what the Temporal server persists (the dev server: one in-memory SQLite database), so more events per unit is more server work per unit; unit workflows sampled as for the dispatch activity timings',
      ],
    );

    printTable(
      'Dispatch profile: CPU and PostgreSQL during the product run',
      [
        'units',
        'this process: cores busy',
        'main thread busy',
        'Temporal server: cores busy',
        'PG sessions (mean), by state and wait event',
      ],
      rows.map(({ n, product: p }) => [
        fmtInt(n),
        p.cpu.thisProcessCores.toFixed(2),
        `${(100 * p.cpu.mainThreadBusy).toFixed(0)}%`,
        p.cpu.temporalCores.toFixed(2),
        p.sessions.topWaits,
      ]),
      [
        "cores busy: CPU time over wall time (this process: worker, activities, workflow threads, Temporal core, API, SMTP sink), out of the machine's cores (first line)",
        'PG sessions sampled every 100 ms in pg_stat_activity; "cpu" = running, not waiting; Lock:tuple / Lock:transactionid = waiting for a row another transaction has locked',
      ],
    );

    const historyRows: (string | number)[][] = [];
    for (const { n, product, final } of rows) {
      for (const [phase, h] of [
        ['after dispatch', product.dispatchHistory],
        ['closed (published)', final],
      ] as const) {
        if (!h) continue;
        const top = [...h.byKind]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 6)
          .map(([k, c]) => `${k} ${c}`)
          .join(', ');
        const child = h.largestChild;
        historyRows.push([
          fmtInt(n),
          phase,
          fmtInt(h.length),
          fmtMiB(h.sizeBytes),
          (h.length / n).toFixed(2),
          `${h.largestPayload.kind} ${(h.largestPayload.bytes / 1024).toFixed(0)} KiB`,
          `${fmtInt(child.length)} events, ${fmtMiB(child.sizeBytes)} MiB (${fmtInt(child.described)} of ${fmtInt(child.of)} described)`,
          top,
        ]);
      }
    }
    printTable(
      'Cycle workflow history',
      [
        'units',
        'when',
        'events',
        'MiB',
        'events per unit',
        'largest payload',
        'largest child history',
        'most frequent events',
      ],
      historyRows,
      [
        'events and size from describe() (historyLength, historySize), events by kind from fetchHistory(); children described when the row was recorded: up to 25, evenly spread over the StartChild commands',
      ],
    );

    const estimates: (string | number)[][] = [];
    for (const [phase, pick] of [
      ['after dispatch', (r: (typeof rows)[number]) => r.product.dispatchHistory],
      ['closed (published)', (r: (typeof rows)[number]) => r.final],
    ] as const) {
      const measured = rows.flatMap((r) => {
        const h = pick(r);
        return h ? [{ n: r.n, length: h.length, size: h.sizeBytes, payload: h.largestPayload.bytes }] : [];
      });
      const events = extrapolate(
        measured.map((m) => ({ n: m.n, value: m.length })),
        estimateAt,
      );
      const size = extrapolate(
        measured.map((m) => ({ n: m.n, value: m.size })),
        estimateAt,
      );
      const payload = extrapolate(
        measured.map((m) => ({ n: m.n, value: m.payload })),
        estimateAt,
      );
      if (!events || !size || !payload) continue;
      estimates.push([
        phase,
        `${events.constant.toFixed(0)} + ${events.perUnit.toFixed(3)}·N`,
        fmtInt(events.value),
        `${((100 * events.value) / TEMPORAL_EVENT_LIMIT).toFixed(0)}%`,
        fmtMiB(size.value),
        `${((100 * size.value) / TEMPORAL_SIZE_LIMIT).toFixed(0)}%`,
        `${(payload.value / 1024).toFixed(0)} KiB`,
      ]);
    }
    if (estimates.length) {
      printTable(
        `Cycle history extrapolated to ${fmtInt(estimateAt)} units (linear through the measured sizes)`,
        [
          'when',
          'events(N)',
          `events at ${fmtInt(estimateAt)}`,
          'of 51,200 limit',
          'MiB',
          'of 50 MiB limit',
          'largest payload',
        ],
        estimates,
        [
          'Temporal also caps pending child workflows and pending outgoing signals per workflow at 2,000 each (limit.numPendingChildExecutions.error, limit.numPendingSignals.error) and signals received per execution at 10,000 (history.maximumSignalsPerExecution); a single payload at 2 MiB (limit.blobSize.error)',
        ],
      );
    }
    const kinds = rows.at(-1)?.final ?? rows.at(-1)?.product.dispatchHistory;
    if (kinds) {
      const n = rows.at(-1)!.n;
      printTable(
        `Events by kind, cycle of ${fmtInt(n)} units (${rows.at(-1)?.final ? 'closed' : 'after dispatch'})`,
        ['event', 'count', 'per unit'],
        [...kinds.byKind].sort((a, b) => b[1] - a[1]).map(([k, c]) => [k, fmtInt(c), (c / n).toFixed(2)]),
      );
    }
  });
}

runBench(main);
