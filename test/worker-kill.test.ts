/**
 * The worker process is killed (SIGKILL) ten times during a 200-unit cycle — dispatch,
 * reminders, the deadline, consolidation, the council's review — and restarted each time. The cycle still
 * completes, and every unit got exactly the emails its timeline calls for: lost and duplicated
 * messages are counted against the outbox (goal: none lost, at most one duplicate per kill —
 * a message accepted by the SMTP server just before the kill, whose "sent" mark died with the
 * process).
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ConsolidatedReport, Cycle, Email } from '../db/entities';
import { startStack, type Stack } from './support/stack';
import { startWorkerProcess } from './support/worker-process';
import { api, createCampaign, createUnits, currentPeriod, eventually, linkIn, sleep, submitByLink } from './support/fixtures';
import { readConsolidatedReport } from '../db/consolidated-report';

// `npm run test:soak` runs the long variant: more units, more kills (BAOCAO_SOAK_UNITS, BAOCAO_SOAK_KILLS).
const UNITS = Number(process.env.BAOCAO_SOAK_UNITS ?? 200);
const KILLS = Math.max(3, Number(process.env.BAOCAO_SOAK_KILLS ?? 10));
/** Kills at set moments (all but the last two, which follow consolidation and the review). */
const TIMED_KILLS = KILLS === 10
  ? [1_500, 3_000, 6_000, 12_000, 20_000, 40_000, 80_000, 118_000]
  : Array.from({ length: KILLS - 2 }, (_, i) => Math.round(1_500 + (i * 116_500) / Math.max(1, KILLS - 3)));
const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, '.data', `test-dist-${process.pid}`);

let stack: Stack;
let worker: ChildProcess | undefined;
beforeAll(async () => {
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json', '--outDir', OUT], { cwd: ROOT, stdio: 'inherit' });
  stack = await startStack({ worker: false });
}, 180_000);
afterAll(async () => {
  worker?.kill('SIGKILL');
  await stack?.stop();
  fs.rmSync(OUT, { recursive: true, force: true });
});

test(`a ${UNITS}-unit cycle survives ${KILLS} SIGKILLs of its worker: it completes, nothing is lost, at most one duplicate per kill`, async () => {
  const units = await createUnits(stack.orm, UNITS, { supervisors: 10 });
  const council = [await stack.token('council'), await stack.token('council')];
  const campaign = await createCampaign(stack.orm, {
    deadlineAfterSeconds: 120, reminderSecondsBefore: [90, 45], escalationSecondsAfter: [5, 15], hardCloseSecondsAfter: 60, reviewWindowSeconds: 600, revisionWindowSeconds: 600,
  }, { maxReminders: 2 });
  const period = currentPeriod();
  worker = startWorkerProcess(stack, OUT);
  const started = await api<{ workflowId: string }>(stack.baseUrl, 'POST', '/api/v1/cycles', { token: await stack.token('admin'), body: { campaign, period, units: units.map((u) => u.code) } });
  expect(started.status).toBe(201);

  const t0 = Date.now();
  const at = (ms: number) => sleep(Math.max(0, t0 + ms - Date.now()));
  let kills = 0;
  const killAndRestart = async (): Promise<void> => {
    const dying = worker!;
    const exited = new Promise((r) => dying.once('exit', r));
    dying.kill('SIGKILL');
    await exited;
    kills += 1;
    worker = startWorkerProcess(stack, OUT);
  };
  // Kills at set moments: during dispatch, between and at the reminders (30 s, 75 s), around the deadline (120 s)...
  const killer = (async () => {
    for (const ms of TIMED_KILLS) {
      await at(ms);
      await killAndRestart();
    }
  })();

  // Half the units report: a quarter as soon as they have their link, a quarter after the deadline (120 s); the rest stay silent.
  await stack.sink.waitFor(() => units.every((u) => stack.sink.to(u.headEmail).length >= 1), Math.max(120_000, UNITS * 300));
  const reporters = units.filter((_, i) => i % 2 === 0);
  for (const [i, unit] of reporters.entries()) {
    if (i === Math.floor(reporters.length / 2)) await at(122_000);
    const res = await submitByLink(stack.baseUrl, linkIn(stack.sink.to(unit.headEmail)[0]!.text, stack.baseUrl));
    if (res.status !== 201) throw new Error(`report ${i} at ${Date.now() - t0} ms: ${res.status} ${JSON.stringify(res.body)}`);
  }
  await killer;

  // ...one when consolidation starts after the hard close (180 s), one between the council's two votes.
  const base = `/api/v1/cycles/${campaign}/${period}`;
  const stage = async () => (await stack.orm.em.fork().findOneOrFail(Cycle, { workflowId: started.body.workflowId })).stage;
  await eventually(async () => (['consolidating', 'review'].includes(await stage()) ? true : undefined), { timeoutMs: 180_000, intervalMs: 100, what: 'consolidation' });
  await killAndRestart();
  await eventually(async () => ((await stage()) === 'review' ? true : undefined), { timeoutMs: 120_000, what: 'the review' });
  expect((await api(stack.baseUrl, 'POST', `${base}/ballots`, { token: council[0], body: { version: 1, choice: 'approve' } })).status).toBe(201);
  await killAndRestart();
  expect((await api(stack.baseUrl, 'POST', `${base}/ballots`, { token: council[1], body: { version: 1, choice: 'approve' } })).status).toBe(201);
  expect(kills).toBe(KILLS);
  await stack.client.workflow.getHandle(started.body.workflowId).result();
  await stack.sink.waitFor(() => units.every((u) => stack.sink.to(u.headEmail).some((m) => m.subject.includes('Công bố'))), 120_000);

  const em = stack.orm.em.fork();
  const cycle = await em.findOneOrFail(Cycle, { workflowId: started.body.workflowId });
  const content = await readConsolidatedReport(em, await em.findOneOrFail(ConsolidatedReport, { cycle, version: 1 }));
  expect(content.submitted).toBe(reporters.length);

  // Every outbox row was delivered; count what the sink saw per message id.
  const emails = await em.find(Email, { cycleId: cycle.id });
  const seen = new Map<string, number>();
  for (const m of stack.sink.messages) seen.set(m.messageId, (seen.get(m.messageId) ?? 0) + 1);
  const lost = emails.filter((e) => e.status !== 'sent' || !seen.has(e.messageId!)).length;
  const duplicates = emails.reduce((n, e) => n + Math.max(0, (seen.get(e.messageId!) ?? 0) - 1), 0);
  console.log(`kills survived: ${kills}; outbox messages: ${emails.length}; lost: ${lost}; duplicated: ${duplicates}`);
  expect(lost).toBe(0);
  expect(duplicates).toBeLessThanOrEqual(kills);
  // Each unit's own timeline: one dispatch, its reminders, one publication.
  for (const unit of units) {
    const own = emails.filter((e) => e.recipient === unit.headEmail);
    expect(own.filter((e) => e.kind === 'dispatch')).toHaveLength(1);
    expect(own.filter((e) => e.kind === 'publication')).toHaveLength(1);
  }
}, 600_000);
