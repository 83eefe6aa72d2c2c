/**
 * `npm run bench:submissions [-- --clients 50 --requests 2000 --worker-process --profile]`
 *
 * Report submissions over HTTP (POST /api/v1/link/:token/submission, each unit its own link,
 * once) from `clients` concurrent keep-alive clients, against a floor measured in the same run
 * on the same PostgreSQL database under the same load: a bare Fastify route doing one INSERT of
 * the same JSON body into a scratch table, over a pg pool as large as the product's.
 *
 * Real cycles are dispatched first (untimed): one of `requests` units, whose submissions are
 * timed, and one of `clients` units, whose submissions warm the API up (the floor is warmed up
 * with as many requests). The clients run in a worker thread. Afterwards the stored rows are
 * counted (none may be lost) and the time until the cycle workflow has seen every unit settle.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { Pool } from 'pg';
import { ormOptions } from '../db/orm';
import { freePort } from '../scripts/lib/project';
import { createCampaign, createUnits, tokenOf, validAnswers } from '../test/support/fixtures';
import type { Stack } from '../test/support/stack';
import { cycleStatusQuery } from '../workflows/messages';
import { dispatchReached, linksOf, postCycle, QUIET_TIMING } from './support/cycle';
import { startWorkerProcess } from '../test/support/worker-process';
import { positiveIntegers, progress, runBench, withBenchEnv } from './support/env';
import { runLoad, type LoadRequest, type LoadResult } from './support/load';
import {
  fmtInt,
  fmtMs,
  fmtSeconds,
  percentile,
  printTable,
  sampleSessions,
  timed,
  verdict,
  type SessionUse,
} from './support/measure';
import { meterCpu, profileCpu, waitUntilQuiet, type CpuProfileSummary, type CpuUse } from './support/profile';

const GOAL_THROUGHPUT = 0.75;
/** The product's p99 against the floor's p99. */
const GOAL_P99_RATIO = 1.25;
/** From the last answer to the cycle workflow knowing every unit settled. */
const GOAL_SETTLE_MS = 10_000;

/** The floor: one route, one INSERT, the same pool size as the product's ORM. */
async function startFloorServer(
  databaseUrl: string,
): Promise<{ url: string; rows(): Promise<number>; stop(): Promise<void> }> {
  const pool = new Pool({ connectionString: databaseUrl, max: ormOptions(databaseUrl).pool?.max ?? 10 });
  await pool.query(
    'CREATE TABLE bench_floor_submission (id bigserial PRIMARY KEY, token text NOT NULL, body jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())',
  );
  const app = Fastify({ logger: false });
  app.post<{ Params: { token: string } }>('/floor/:token', async (request, reply) => {
    const { rows } = await pool.query<{ id: string }>(
      'INSERT INTO bench_floor_submission (token, body) VALUES ($1, $2::jsonb) RETURNING id',
      [request.params.token, JSON.stringify(request.body)],
    );
    return reply.status(201).send({ id: rows[0]!.id });
  });
  const port = await freePort();
  await app.listen({ host: '127.0.0.1', port });
  return {
    url: `http://127.0.0.1:${port}`,
    async rows() {
      return Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM bench_floor_submission')).rows[0]!.n);
    },
    async stop() {
      await app.close();
      await pool.end();
    },
  };
}

interface Measured {
  readonly target: string;
  readonly result: LoadResult;
  readonly stored: number;
  readonly sessions: SessionUse;
  readonly cpu: CpuUse;
  /** Bytes of WAL the whole PostgreSQL server wrote during the timed requests. */
  readonly walBytes: number;
  /** The main thread's CPU profile over the timed requests, when asked for. */
  readonly profile: CpuProfileSummary | undefined;
}

/** Where the server's WAL ends now, in bytes (exact, unlike pg_stat_wal, which backends report late). */
async function walPosition(stack: Stack): Promise<number> {
  const [row] = await stack.orm.em
    .fork()
    .execute<{ at: string }[]>(`SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0') AS at`);
  return Number(row!.at);
}

const ok = (r: LoadResult): number => r.statuses.filter((s) => s === 201).length;
const throughput = (r: LoadResult): number => r.latencies.length / (r.wallMs / 1000);

async function measure(
  stack: Stack,
  temporalPid: number | undefined,
  target: string,
  warmUp: readonly LoadRequest[],
  timedRequests: readonly LoadRequest[],
  clients: number,
  stored: () => Promise<number>,
  profile = false,
): Promise<Measured> {
  progress(`${target}: ${warmUp.length} warm-up requests, then ${timedRequests.length} timed`);
  await runLoad({ requests: warmUp, clients });
  // The warm-up's own consequences (its cycle waking once every unit has answered) are not timed.
  await waitUntilQuiet(temporalPid);
  const sessions = sampleSessions(stack.config.DATABASE_URL);
  const cpu = meterCpu(temporalPid);
  const walFrom = await walPosition(stack);
  const profiler = profile ? await profileCpu() : undefined;
  const result = await runLoad({ requests: timedRequests, clients });
  const cpuUse = cpu.stop();
  const profiled = await profiler?.stop();
  const walBytes = (await walPosition(stack)) - walFrom;
  return {
    target,
    result,
    stored: await stored(),
    sessions: await sessions.stop(),
    cpu: cpuUse,
    walBytes,
    profile: profiled,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '50' },
      requests: { type: 'string', default: '2000' },
      profile: { type: 'boolean', default: false },
      'worker-process': { type: 'boolean', default: false },
    },
  });
  const clients = positiveIntegers('clients', values.clients)[0]!;
  const requests = positiveIntegers('requests', values.requests)[0]!;

  await withBenchEnv('submissions', async (env) => {
    // By default the worker runs in this process, sharing the API's main thread and ORM pool; with
    // --worker-process it runs in a process of its own, as in production (`npm start`, compose).
    const stack = await env.startStack({ worker: !values['worker-process'] });
    if (values['worker-process']) {
      const worker = startWorkerProcess(stack, path.join(__dirname, '..'));
      env.onCleanup(async () => {
        worker.kill('SIGTERM');
      });
    }
    const admin = await stack.token('admin');
    // Two cycles: `clients` units to warm up with, `requests` units to time. (With a child workflow
    // per unit under the cycle, one cycle of both would pass Temporal's 2,000 pending children per
    // workflow at the default sizes.)
    const warmUnits = await createUnits(stack.orm, clients, { supervisors: 5 });
    const units = await createUnits(stack.orm, requests, { supervisors: 20 });
    const from = stack.sink.messages.length;
    progress(`dispatching a cycle of ${fmtInt(units.length)} units and one of ${fmtInt(warmUnits.length)} (untimed)`);
    const dispatch = await timed(async () => {
      const id = await postCycle(stack, admin, await createCampaign(stack.orm, QUIET_TIMING), units);
      await postCycle(stack, admin, await createCampaign(stack.orm, QUIET_TIMING), warmUnits);
      await dispatchReached(
        stack,
        id,
        from,
        new Set([...units, ...warmUnits].map((u) => u.headEmail.toLowerCase())),
        30 * 60_000,
      );
      return id;
    });
    const workflowId = dispatch.value;
    progress(`dispatched in ${fmtSeconds(dispatch.ms)} s`);
    const all = [...warmUnits, ...units];
    const tokens = linksOf(stack, from, all).map(tokenOf);
    const bodies = all.map((_, i) => JSON.stringify(validAnswers(`Đơn vị ${i + 1}`)));
    // Let the unit workflows finish their first steps before anything is timed: the links go out
    // while the last of them are still starting (set-based collection dispatches per batch).
    const settling = await waitUntilQuiet(env.temporal.pid);
    progress(`Temporal and the worker quiet ${fmtSeconds(settling)} s after the last link arrived`);

    const floorServer = await startFloorServer(stack.config.DATABASE_URL);
    env.onCleanup(() => floorServer.stop());
    const floorRequests = tokens.map((token, i) => ({ url: `${floorServer.url}/floor/${token}`, body: bodies[i]! }));
    const productRequests = tokens.map((token, i) => ({
      url: `${stack.baseUrl}/api/v1/link/${token}/submission`,
      body: bodies[i]!,
    }));

    const temporalPid = env.temporal.pid;
    const floor = await measure(
      stack,
      temporalPid,
      'floor',
      floorRequests.slice(0, clients),
      floorRequests.slice(clients),
      clients,
      async () => (await floorServer.rows()) - clients,
    );
    const countSubmissions = async (): Promise<number> =>
      Number(
        (
          await stack.orm.em
            .fork()
            .execute<{ n: string }[]>(
              'SELECT count(*) AS n FROM submission s JOIN unit_task t ON t.id = s.task_id JOIN cycle c ON c.id = t.cycle_id WHERE c.workflow_id = ?',
              [workflowId],
            )
        )[0]!.n,
      );
    const product = await measure(
      stack,
      temporalPid,
      'product',
      productRequests.slice(0, clients),
      productRequests.slice(clients),
      clients,
      countSubmissions,
      values.profile,
    );
    const profile = product.profile;

    // The answers are stored before the workflow is signalled; how long until the cycle has seen every unit settle?
    const loadEnded = performance.now();
    const cycle = stack.client.workflow.getHandle(workflowId);
    let settled = 0;
    while (settled < units.length && performance.now() - loadEnded < 10 * 60_000) {
      settled = (await cycle.query(cycleStatusQuery)).settled;
      if (settled < units.length) await new Promise((r) => setTimeout(r, 250));
    }
    const settleLagMs = performance.now() - loadEnded;

    const row = (m: Measured): (string | number)[] => {
      const l = m.result.latencies;
      return [
        m.target,
        fmtInt(l.length),
        fmtInt(clients),
        fmtSeconds(m.result.wallMs),
        throughput(m.result).toFixed(0),
        fmtMs(percentile(l, 50)),
        fmtMs(percentile(l, 90)),
        fmtMs(percentile(l, 99)),
        fmtMs(Math.max(...l)),
        fmtInt(l.length - ok(m.result)),
        `${fmtInt(m.stored)} of ${fmtInt(l.length)}`,
      ];
    };
    printTable(
      `Submissions over HTTP, ${fmtInt(clients)} concurrent clients`,
      [
        'target',
        'timed requests',
        'clients',
        'wall s',
        'req/s',
        'p50 ms',
        'p90 ms',
        'p99 ms',
        'max ms',
        'not 201',
        'rows stored',
      ],
      [row(floor), row(product)],
      [
        "floor: bare Fastify, POST /floor/:token → one INSERT of the same JSON body into a scratch table, pg pool of the same size as the product ORM's (10), same database",
        `product: the API of the stack (${values['worker-process'] ? 'the worker in a process of its own' : 'its worker shares the process and the ORM pool'}); each request validates, stores the report and its audit event, then seals the event (grouped with concurrent reports); the last report of the cycle signals the cycle workflow`,
        `latency measured by the clients (worker thread), until the whole answer is read; the first ${clients} requests of each target are a warm-up and not counted`,
      ],
    );

    const perRequestMs = (m: Measured, cores: number): string =>
      ((cores * m.result.wallMs) / m.result.latencies.length).toFixed(2);
    printTable(
      'Where the time goes during the timed requests',
      [
        'target',
        'this process: cores busy',
        'main thread busy',
        'PostgreSQL: cores busy',
        'Temporal server: cores busy',
        'CPU ms per request: this process / main thread / PostgreSQL',
        'WAL KiB per request',
        'PG sessions (mean), by state and wait event',
      ],
      [floor, product].map((m) => [
        m.target,
        m.cpu.thisProcessCores.toFixed(2),
        `${(100 * m.cpu.mainThreadBusy).toFixed(0)}%`,
        m.cpu.postgresCores.toFixed(2),
        m.cpu.temporalCores.toFixed(2),
        `${perRequestMs(m, m.cpu.thisProcessCores)} / ${perRequestMs(m, m.cpu.mainThreadBusy)} / ${perRequestMs(m, m.cpu.postgresCores)}`,
        (m.walBytes / 1024 / m.result.latencies.length).toFixed(2),
        m.sessions.topWaits,
      ]),
      [
        "cores busy: CPU time over wall time (this process: every thread — API, activities, workflow threads, Temporal core, SMTP sink, the clients' thread), out of the machine's cores (first line)",
        'main thread: event-loop utilisation (the API, activities and ORM run there; workflow code runs in worker threads)',
        'PostgreSQL: CPU time of every local postgres process (server, backends, WAL writer, checkpointer) over wall time; "CPU ms per request" = cores busy × wall time / timed requests',
        "WAL: the server's WAL insert position before and after the timed requests (everything the server wrote meanwhile), over the timed requests",
        'PG sessions sampled every 100 ms in pg_stat_activity; "cpu" = running, not waiting; "idle in transaction ClientRead" = a transaction open while the application works',
      ],
    );
    if (profile) {
      printTable(
        `CPU profile of the main thread during the product's timed requests (${fmtSeconds(profile.sampledMs)} s sampled)`,
        ['self time in', 'share'],
        [
          ...profile.byOwner.map((o) => [o.owner, `${(100 * o.share).toFixed(0)}%`]),
          ...profile.byFunction.map((f) => [`  ${f.fn}`, `${(100 * f.share).toFixed(1)}%`]),
        ],
      );
    }

    const ratio = throughput(product.result) / throughput(floor.result);
    const p99 = percentile(product.result.latencies, 99);
    const floorP99 = percentile(floor.result.latencies, 99);
    const lost = requests - product.stored;
    const refused = product.result.latencies.length - ok(product.result);
    printTable(
      'Goals',
      ['goal', 'measured', 'verdict'],
      [
        [
          `throughput ≥ ${GOAL_THROUGHPUT}× floor`,
          `${ratio.toFixed(2)}× (${throughput(product.result).toFixed(0)} vs ${throughput(floor.result).toFixed(0)} req/s)`,
          verdict(ratio >= GOAL_THROUGHPUT),
        ],
        [
          `p99 ≤ ${GOAL_P99_RATIO}× the floor's p99`,
          `${(p99 / floorP99).toFixed(2)}× (${fmtMs(p99)} vs ${fmtMs(floorP99)} ms)`,
          verdict(p99 <= GOAL_P99_RATIO * floorP99),
        ],
        [
          'none lost (every request 201 and stored)',
          `${fmtInt(refused)} not 201, ${fmtInt(lost)} missing rows`,
          verdict(lost === 0 && refused === 0),
        ],
        [
          `the cycle workflow saw every unit settle, ≤ ${GOAL_SETTLE_MS / 1000} s after the last answer`,
          `${fmtInt(settled)} of ${fmtInt(units.length)}, ${fmtSeconds(settleLagMs)} s after the last answer`,
          verdict(settled === units.length && settleLagMs <= GOAL_SETTLE_MS),
        ],
      ],
      [
        `dispatch of the ${fmtInt(units.length)}-unit cycle beforehand (untimed for this benchmark): ${fmtSeconds(dispatch.ms)} s`,
      ],
    );
  });
}

runBench(main);
