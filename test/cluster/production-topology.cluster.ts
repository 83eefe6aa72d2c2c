/**
 * The production topology, end to end (`npm run test:cluster`): the Temporal server proper on
 * PostgreSQL with its four services as processes (scripts/temporal-cluster.ts), two baocao
 * workers and two API processes behind the round-robin proxy (scripts/lib/cluster.ts), all
 * compiled as production runs them. A 200-unit cycle runs from dispatch to publication while
 *
 * - a worker is SIGKILLed during dispatch and the other during the council's review,
 * - an API process is SIGKILLed while reports arrive (clients retry a report whose answer they
 *   did not get: none lost, none stored twice),
 * - the history service is restarted just after the last report, while every unit workflow settles,
 * - baocao's database is dumped mid-cycle and restored into a new one, whose audit chain and
 *   stored reports are verified (the restore drill of OPERATIONS.md).
 *
 * Every API and worker answers /readyz, and /metrics with the product's figures (and, on a
 * worker, the Temporal SDK's). CLUSTER_TEMPORAL=dev runs the same against the dev server and
 * CLUSTER_FAULTS=0 without the kills, to compare durations (the figures are printed).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client, Connection } from '@temporalio/client';
import { createApiToken } from '../../api/http/auth';
import { ensurePersonWithRole } from '../../api/services/people.service';
import { newApiToken } from '../../auth/tokens';
import { dropDatabase, ensureDatabase, withDatabaseName } from '../../db/admin';
import { verifyAuditChain } from '../../db/audit-verify';
import { readConsolidatedReport } from '../../db/consolidated-report';
import { ConsolidatedReport, Cycle, Email, Submission } from '../../db/entities';
import { ormOptions } from '../../db/orm';
import { seedReferenceData } from '../../db/seed';
import { startMailSink, type MailSink, type ReceivedMessage } from '../../mail/sink';
import { startBaocaoProcesses, type BaocaoProcesses } from '../../scripts/lib/cluster';
import { startTemporalCluster, type TemporalCluster } from '../../scripts/temporal-cluster';
import { startTemporalDevServer, type DevServer } from '../../scripts/temporal-server';
import { outboxDeliveries, type WorkerDeath } from '../support/outbox-deliveries';
import {
  api,
  createCampaign,
  createUnits,
  currentPeriod,
  eventually,
  linkIn,
  sleep,
  tokenOf,
  validAnswers,
} from '../support/fixtures';

const UNITS = Number(process.env.CLUSTER_UNITS ?? 200);
const DEV = process.env.CLUSTER_TEMPORAL === 'dev';
const FAULTS = process.env.CLUSTER_FAULTS !== '0';
const ROOT = path.join(__dirname, '..', '..');
const OUT = path.join(ROOT, '.data', `cluster-dist-${process.pid}`);
const TAG = `${Date.now()}_${process.pid}`;
const PG = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BAOCAO_DB = withDatabaseName(PG, `baocao_cluster_test_${TAG}`);
const TEMPORAL_DBS = { default: `temporal_test_${TAG}`, visibility: `temporal_visibility_test_${TAG}` };

let orm: MikroORM;
let sink: MailSink;
let temporal: TemporalCluster | undefined;
let devServer: DevServer | undefined;
let app: BaocaoProcesses;
/** The council: two members, so two approvals decide (quorum and threshold follow its size). */
let council: string[];
const restored: string[] = [];
const output: string[] = [];
const keep = (name: string, line: string): void => {
  output.push(`[${name}] ${line}`);
  if (output.length > 400) output.shift();
};

beforeAll(async () => {
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json', '--outDir', OUT], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  await ensureDatabase(BAOCAO_DB);
  orm = await MikroORM.init(ormOptions(BAOCAO_DB));
  await orm.migrator.up();
  await seedReferenceData(orm.em.fork());
  sink = await startMailSink();
  let address: string;
  if (DEV) {
    devServer = await startTemporalDevServer({ log: () => {} });
    address = devServer.address;
  } else {
    temporal = await startTemporalCluster({
      databaseUrl: PG,
      databases: TEMPORAL_DBS,
      dataDir: path.join(OUT, 'temporal'),
      // Extra dynamic configuration to try (JSON object), on top of config/temporal-topology.ts.
      dynamicConfig: JSON.parse(process.env.CLUSTER_DYNAMIC_CONFIG ?? '{}') as Record<string, unknown>,
      log: () => {},
      onOutput: (service, line) => keep(`temporal-${service}`, line),
    });
    address = temporal.address;
  }
  app = await startBaocaoProcesses({
    distDir: OUT,
    env: {
      ...process.env,
      DATABASE_URL: BAOCAO_DB,
      TEMPORAL_ADDRESS: address,
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      LINK_SECRET: randomBytes(32).toString('hex'),
      SECRETARIAT_EMAIL: 'thuongtruc@hdtdkt.example.org',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    },
    workers: 2,
    apis: 2,
    onOutput: keep,
  });
  council = [await token('council'), await token('council')];
}, 400_000);

let passed = false;
afterAll(async () => {
  // What the processes said last, when the test failed.
  if (!passed) console.log(output.slice(-60).join('\n'));
  await app?.stop();
  await temporal?.stop();
  await devServer?.stop();
  await sink?.close();
  await orm?.close();
  for (const db of [BAOCAO_DB, ...restored]) await dropDatabase(db).catch(() => {});
  if (temporal)
    for (const name of Object.values(TEMPORAL_DBS)) await dropDatabase(withDatabaseName(PG, name)).catch(() => {});
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.rmSync(`${OUT}-v2`, { recursive: true, force: true });
}, 120_000);

/** Starts the cycle through the API; a refusal throws with its answer and the processes' last errors. */
async function startCycle(
  admin: string,
  campaign: string,
  period: string,
  units: { code: string }[],
): Promise<{ workflowId: string }> {
  const started = await api<{ workflowId: string }>(app.url, 'POST', '/api/v1/cycles', {
    token: admin,
    body: { campaign, period, units: units.map((u) => u.code) },
  });
  if (started.status === 201) return started.body;
  const errors = output.filter((line) => /"level":"?(50|60|error|fatal)|error/i.test(line)).slice(-20);
  throw new Error(
    `starting the cycle answered ${started.status}: ${JSON.stringify(started.body)}\n${errors.join('\n')}`,
  );
}

async function token(role: 'admin' | 'council'): Promise<string> {
  const name = `${role} ${randomBytes(3).toString('hex')}`;
  const person = await ensurePersonWithRole(
    orm.em.fork(),
    { kind: 'system', id: 'test', origin: 'test' },
    { name, email: `${role}-${randomBytes(5).toString('hex')}@test.invalid`, role },
    new Date(),
  );
  const value = newApiToken();
  await createApiToken(orm.em.fork(), { personId: person.id, name, role }, value);
  return value;
}

/**
 * A unit head's client: sends the report and, when it gets no answer (the API process died, the
 * proxy answered 502), sends the same report again. A retry refused as already submitted means an
 * earlier attempt was stored.
 */
async function reportWithRetries(
  baseUrl: string,
  link: string,
): Promise<{ outcome: 'stored' | 'stored-earlier'; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await api<{ code?: string }>(baseUrl, 'POST', `/api/v1/link/${tokenOf(link)}/submission`, {
        body: validAnswers(),
      });
      if (res.status === 201) return { outcome: 'stored', attempts: attempt };
      if (attempt > 1 && res.status === 409) return { outcome: 'stored-earlier', attempts: attempt };
      if (res.status < 500) throw new Error(`report refused: ${res.status} ${JSON.stringify(res.body)}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('report refused')) throw error;
    }
    if (attempt >= 20) throw new Error(`report not stored after ${attempt} attempts`);
    await sleep(250 * attempt);
  }
}

const isDispatch = (m: ReceivedMessage): boolean =>
  m.subject.includes('] Báo cáo tháng') && !m.subject.startsWith('[Nhắc');
const seconds = (ms: number): string => (ms / 1000).toFixed(1);

/** The value of the sample of `name` whose labels include `labels`, from Prometheus text; undefined when absent. */
function sample(text: string, name: string, labels: Readonly<Record<string, string>>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const own = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => own[k] === v)) return Number(match[3]);
  }
  return undefined;
}

/** libpq's variables for the PostgreSQL server of PG. */
function pgEnv(): NodeJS.ProcessEnv {
  const url = new URL(PG);
  return {
    ...process.env,
    PGHOST: url.hostname,
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username || 'postgres'),
    ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}),
  };
}

/** pg_dump of `source` restored into a new database; answers its URL. */
function dumpAndRestore(source: string): string {
  const target = withDatabaseName(PG, `baocao_restore_${TAG}_${restored.length}`);
  const dump = path.join(OUT, `dump-${restored.length}.pgdump`);
  execFileSync('pg_dump', ['--format=custom', '--file', dump, source]);
  execFileSync('createdb', [new URL(target).pathname.slice(1)], { env: pgEnv() });
  execFileSync('pg_restore', ['--no-owner', '--dbname', new URL(target).pathname.slice(1), dump], { env: pgEnv() });
  restored.push(target);
  return target;
}

test(`a ${UNITS}-unit cycle on ${DEV ? 'the dev server' : 'the production Temporal server'} with 2 workers and 2 APIs${FAULTS ? `, through kills${DEV ? '' : ' and a history restart'}` : ''}: it completes, no report lost or stored twice`, async () => {
  const units = await createUnits(orm, UNITS, { supervisors: 10 });
  const admin = await token('admin');
  const campaign = await createCampaign(
    orm,
    {
      deadlineAfterSeconds: 900,
      reminderSecondsBefore: [],
      escalationSecondsAfter: [60, 120],
      hardCloseSecondsAfter: 600,
      reviewWindowSeconds: 3600,
      revisionWindowSeconds: 3600,
    },
    { maxReminders: 0 },
  );
  const period = currentPeriod();
  const events: string[] = [];
  const t0 = Date.now();
  const mark = (what: string): void => void events.push(`${seconds(Date.now() - t0).padStart(6)} s  ${what}`);
  const started = await startCycle(admin, campaign, period, units);
  mark('cycle started');

  let kills = 0;
  // When each worker died: a message accepted by the sink just before it is sent again (outboxDeliveries).
  const workerDeaths: WorkerDeath[] = [];
  const killAndRestart = async (p: (typeof app.workers)[number]): Promise<void> => {
    const from = Date.now();
    await app.kill(p);
    if (app.workers.includes(p)) workerDeaths.push({ from, to: Date.now() });
    kills++;
    mark(`${p.name} killed`);
    app.restart(p);
    await p.ready;
    mark(`${p.name} ready again`);
  };
  if (FAULTS) {
    await sleep(1500);
    await killAndRestart(app.workers[0]!);
  }
  const dispatchOf = (u: (typeof units)[number]) => sink.to(u.headEmail).find(isDispatch);
  await sink.waitFor(() => units.every((u) => dispatchOf(u) !== undefined), 300_000);
  mark('every dispatch email received');

  // Reports, 8 at a time, through the proxy; an API process dies after a quarter, the history service restarts after half.
  const links = units.map((u) => linkIn(dispatchOf(u)!.text, app.url));
  let next = 0;
  let done = 0;
  let retried = 0;
  let storedEarlier = 0;
  let dumped: { url: string; at: Date } | undefined;
  const faults: Promise<void>[] = [];
  const client = async (): Promise<void> => {
    while (next < links.length) {
      const link = links[next++]!;
      const result = await reportWithRetries(app.url, link);
      if (result.attempts > 1) retried++;
      if (result.outcome === 'stored-earlier') storedEarlier++;
      done++;
      if (FAULTS && done === Math.floor(UNITS / 4)) faults.push(killAndRestart(app.apis[0]!));
      if (done === Math.floor((UNITS * 3) / 4)) {
        const at = new Date();
        dumped = { url: dumpAndRestore(BAOCAO_DB), at };
        mark('database dumped and restored');
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, client));
  await Promise.all(faults);
  mark(`every report answered (${retried} retried, ${storedEarlier} found stored by an earlier attempt)`);
  // The last report woke the cycle: its batches and 200 unit workflows are settling now, all through the history service.
  if (FAULTS && temporal) {
    await sleep(500);
    mark('history service restarting');
    await temporal.restart('history');
    mark('history service restarted');
  }

  const stage = async (): Promise<string> =>
    (await orm.em.fork().findOneOrFail(Cycle, { workflowId: started.workflowId })).stage;
  await eventually(async () => ((await stage()) === 'review' ? true : undefined), {
    timeoutMs: 300_000,
    intervalMs: 250,
    what: 'the review',
  });
  mark('review open');
  const base = `/api/v1/cycles/${campaign}/${period}`;
  const vote = async (who: string): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      const res = await api(app.url, 'POST', `${base}/ballots`, {
        token: who,
        body: { version: 1, choice: 'approve' },
      });
      if (res.status === 201 || (attempt > 1 && res.status === 409)) return;
      if (attempt >= 10 || (res.status < 500 && res.status !== 409)) throw new Error(`vote: ${res.status}`);
      await sleep(500);
    }
  };
  await vote(council[0]!);
  if (FAULTS) await killAndRestart(app.workers[1]!);
  await vote(council[1]!);
  await eventually(async () => ((await stage()) === 'closed' ? true : undefined), {
    timeoutMs: 300_000,
    intervalMs: 250,
    what: 'publication',
  });
  mark('cycle closed (published)');
  await sink.waitFor(
    () => units.every((u) => sink.to(u.headEmail).some((m) => m.subject.includes('Công bố'))),
    300_000,
  );
  const duration = Date.now() - t0;
  mark('every publication email received');

  // Every report stored once, counted once.
  const em = orm.em.fork();
  const cycle = await em.findOneOrFail(Cycle, { workflowId: started.workflowId });
  const perTask = await em.execute<{ n: number }[]>(
    'SELECT count(*)::int AS n FROM submission s JOIN unit_task t ON t.id = s.task_id WHERE t.cycle_id = ? GROUP BY s.task_id',
    [cycle.id],
  );
  const lostReports = UNITS - perTask.length;
  const duplicatedReports = perTask.filter((r) => r.n > 1).length;
  const content = await readConsolidatedReport(em, await em.findOneOrFail(ConsolidatedReport, { cycle, version: 1 }));
  const emails = await em.find(Email, { cycleId: cycle.id });
  const deliveries = outboxDeliveries(emails, sink.messages, workerDeaths);
  const chain = await verifyAuditChain(orm.em.fork());
  // When each step of the cycle ran, across its units: from the audit log.
  const steps = await em.execute<{ action: string; n: number; first: Date; last: Date }[]>(
    'SELECT action, count(*)::int AS n, min(occurred_at) AS first, max(occurred_at) AS last FROM audit_event WHERE cycle_id = ? GROUP BY action ORDER BY min(occurred_at)',
    [cycle.id],
  );

  // The restore drill: the dump's audit chain holds, and every report it holds is the one stored.
  const copy = await MikroORM.init(ormOptions(dumped!.url));
  const restoredChain = await verifyAuditChain(copy.em.fork());
  const restoredReports = await copy.em
    .fork()
    .execute<{ receipt_number: string; answers: unknown; audited: boolean }[]>(
      `SELECT s.receipt_number, s.answers,
              EXISTS (SELECT 1 FROM audit_event a WHERE a.after::text LIKE '%' || s.receipt_number || '%') AS audited
         FROM submission s`,
    );
  await copy.close();
  const original = new Map(
    (await em.find(Submission, {})).map((s) => [s.receiptNumber, JSON.stringify(s.answers)] as const),
  );
  const storedBeforeDump = (await em.find(Submission, { submittedAt: { $lt: dumped!.at } })).length;

  console.log(
    [
      `${UNITS} units on ${DEV ? 'the Temporal dev server' : 'the Temporal server 1.29.1 (4 service processes, PostgreSQL)'}, 2 workers, 2 APIs; faults: ${FAULTS ? `${kills} kills${temporal ? ', history restart' : ''}` : 'none'}`,
      `cycle duration (start to every publication email): ${seconds(duration)} s`,
      `reports: ${perTask.length} stored, lost ${lostReports}, duplicated ${duplicatedReports}; ${retried} retried by their client, ${storedEarlier} found stored by an earlier attempt`,
      `emails: ${emails.length}, lost ${deliveries.lost}, duplicated ${deliveries.duplicated}`,
      `audit chain: ${chain.rows} rows, ok ${chain.ok}; restored copy: ${restoredChain.rows} rows, ok ${restoredChain.ok}, ${restoredReports.length} reports (${storedBeforeDump} stored before the dump began)`,
      ...events,
      'audit events (s from start):',
      ...steps.map(
        (r) =>
          `  ${seconds(new Date(r.first).getTime() - t0).padStart(6)} – ${seconds(new Date(r.last).getTime() - t0).padStart(6)}  ${r.action} ×${r.n}`,
      ),
    ].join('\n'),
  );

  expect(lostReports).toBe(0);
  expect(duplicatedReports).toBe(0);
  expect(content.submitted).toBe(UNITS);
  expect(deliveries.lost).toBe(0);
  expect(deliveries.unexplained).toEqual([]);
  expect(chain.ok).toBe(true);
  expect(restoredChain.ok).toBe(true);
  expect(restoredChain.firstBreak).toBeNull();
  expect(restoredReports.length).toBeGreaterThanOrEqual(storedBeforeDump);
  for (const r of restoredReports) {
    expect(JSON.stringify(r.answers)).toBe(original.get(r.receipt_number));
    expect(r.audited).toBe(true);
  }

  // Every process is ready and tells what the system did.
  for (const p of [...app.apis, ...app.workers]) {
    const ready = await fetch(`http://127.0.0.1:${p.port}/readyz`);
    expect({ name: p.name, status: ready.status }).toEqual({ name: p.name, status: 200 });
    const text = await (await fetch(`http://127.0.0.1:${p.port}/metrics`)).text();
    expect(sample(text, 'baocao_cycles', { stage: 'closed' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'baocao_outbox_emails', { status: 'sent' })).toBeGreaterThanOrEqual(emails.length);
    expect(sample(text, 'baocao_outbox_emails', { status: 'pending' })).toBe(0);
    expect(sample(text, 'baocao_outbox_oldest_pending_seconds', {})).toBe(0);
    expect(sample(text, 'baocao_audit_chain_length', {})).toBeGreaterThanOrEqual(chain.rows);
    expect(sample(text, 'baocao_tasks', { state: 'submitted' })).toBe(0); // the cycle is closed
    if (p.name.startsWith('worker')) expect(text).toMatch(/^temporal_\w*(slots|schedule_to_start)\w*/m);
  }
  const apiTexts = await Promise.all(
    app.apis.map(async (p) => (await fetch(`http://127.0.0.1:${p.port}/metrics`)).text()),
  );
  const stored = apiTexts.map((t) => sample(t, 'baocao_submission_seconds_count', { outcome: 'stored' }) ?? 0);
  // The killed API's own count died with it; the survivor counted its share, each stored once.
  expect(stored.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  expect(stored.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(UNITS);
  passed = true;
}, 1_200_000);

/*
 * A rolling deploy: workers replaced one at a time by a build whose workflow code changed. The
 * project's rule for workflow changes is replay compatibility (test/replay.test.ts replays the
 * recorded histories; no patching, no worker versioning): a change that makes the same decisions
 * for every past history may reach workflows in flight. Here the change is one such: the cycle's
 * status query answers which build runs it. Cycles in flight move to the new build and complete.
 */
test('a rolling deploy: workers replaced one at a time by a build with a workflow change; the cycle in flight moves to it and completes', async () => {
  passed = false;
  const v2 = `${OUT}-v2`;
  fs.cpSync(OUT, v2, { recursive: true, filter: (src) => !src.startsWith(path.join(OUT, 'temporal')) });
  const file = path.join(v2, 'workflows', 'cycle.workflow.js');
  const code = fs.readFileSync(file, 'utf8');
  const changed = code.replace('settled: settled.size }))', "settled: settled.size, build: 'v2' }))");
  expect(changed).not.toBe(code);
  fs.writeFileSync(file, changed);

  const units = await createUnits(orm, 20);
  const admin = await token('admin');
  const campaign = await createCampaign(orm, {
    deadlineAfterSeconds: 900,
    reminderSecondsBefore: [],
    escalationSecondsAfter: [60, 120],
    hardCloseSecondsAfter: 600,
    reviewWindowSeconds: 3600,
    revisionWindowSeconds: 3600,
  });
  const period = currentPeriod();
  const started = await startCycle(admin, campaign, period, units);
  const connection = await Connection.connect({ address: temporal?.address ?? devServer!.address });
  const client = new Client({ connection });
  const status = () => client.workflow.getHandle(started.workflowId).query<{ stage: string; build?: string }>('status');
  try {
    await sink.waitFor(() => units.every((u) => sink.to(u.headEmail).some(isDispatch)), 120_000);
    expect((await status()).build).toBeUndefined();
    const links = units.map((u) => linkIn(sink.to(u.headEmail).find(isDispatch)!.text, app.url));
    for (const link of links.slice(0, 10)) expect((await reportWithRetries(app.url, link)).outcome).toBe('stored');

    // One at a time: a new worker on the new build joins, then an old one leaves (finishing what it holds).
    for (const old of [...app.workers]) {
      await app.addWorker(v2);
      await app.retire(old);
    }
    expect((await status()).build).toBe('v2');
    for (const link of links.slice(10)) expect((await reportWithRetries(app.url, link)).outcome).toBe('stored');
    const base = `/api/v1/cycles/${campaign}/${period}`;
    // The API reads the stage from PostgreSQL, which the workflow's activity writes.
    await eventually(
      async () =>
        (await orm.em.fork().findOneOrFail(Cycle, { workflowId: started.workflowId })).stage === 'review'
          ? true
          : undefined,
      { timeoutMs: 120_000, what: 'the review' },
    );
    for (const who of council)
      expect(
        (await api(app.url, 'POST', `${base}/ballots`, { token: who, body: { version: 1, choice: 'approve' } })).status,
      ).toBe(201);
    await client.workflow.getHandle(started.workflowId).result();
    await sink.waitFor(
      () => units.every((u) => sink.to(u.headEmail).some((m) => m.subject.includes('Công bố'))),
      120_000,
    );
    const cycle = await orm.em.fork().findOneOrFail(Cycle, { workflowId: started.workflowId });
    expect(cycle.stage).toBe('closed');
  } finally {
    await connection.close();
  }
  passed = true;
}, 600_000);
