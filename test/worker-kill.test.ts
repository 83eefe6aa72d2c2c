/**
 * The worker process is killed (SIGKILL) and restarted again and again during a whole cycle —
 * dispatch, reminders, the deadline, the escalations, the hard close, consolidation, the council's
 * review. The cycle still completes, and every unit got exactly the emails its timeline calls for:
 * lost and duplicated messages are counted against the outbox (goal: none lost, and a duplicate
 * only of a message in flight at a kill — accepted by the SMTP server just before it, its "sent"
 * mark died with the process — sent once more, with the same Message-ID).
 *
 * `npm test` runs it with 200 units and 10 kills; `npm run test:soak` with 1,000 units and 30
 * (BAOCAO_SOAK_UNITS, BAOCAO_SOAK_KILLS). The cycle's timeline follows from both (below).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tsToMs } from '@temporalio/common/lib/time';
import { ConsolidatedReport, Cycle, Email } from '../db/entities';
import type { ReceivedMessage } from '../mail/sink';
import { startStack, type Stack } from './support/stack';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process';
import { outboxDeliveries } from './support/outbox-deliveries';
import {
  api,
  createCampaign,
  createUnits,
  eventually,
  expectStatus,
  linkIn,
  sleep,
  startCycle,
  submitByLink,
  timing,
} from './support/fixtures';
import { readConsolidatedReport } from '../db/consolidated-report';
import { unitWorkflowId } from '../domain/period';

const UNITS = Number(process.env.BAOCAO_SOAK_UNITS ?? 200);
const KILLS = Math.max(4, Number(process.env.BAOCAO_SOAK_KILLS ?? 10));

/*
 * Timeline, in seconds from the cycle's start. All kills but the last two come at set moments; those
 * two follow the start of consolidation and the council's first vote.
 *
 * - Dispatch: half the timed kills, one every DISPATCH_KILL_GAP_S from 1.5 s. A kill fails the
 *   activity in flight (opening the cycle, a batch's start-and-dispatch); Temporal notices when
 *   its heartbeat timeout has passed since its last heartbeat, and retries it after the retry
 *   policy's backoff (workflows/activity-proxies.ts: 30 s; 1 s doubling per failed attempt, at
 *   most 30 s). The new worker starts meanwhile. Kills closer together than that keep dispatch
 *   from finishing: it ends at most RECOVERY_S after the last of them, plus the dispatch itself
 *   (DISPATCH_WORK_S, with room for a machine shared with other test runs). The test checks it.
 * - Collection: two reminders, the deadline, the escalations and the hard close, REMINDER_GAP_S
 *   apart after that bound; the other timed kills spread evenly from the bound to the hard close.
 */
const TIMED_KILLS = KILLS - 2;
const DISPATCH_KILLS = Math.ceil(TIMED_KILLS / 2);
const DISPATCH_KILL_GAP_S = 4;
const HEARTBEAT_TIMEOUT_S = 30;
const backoffS = (failedAttempts: number): number => Math.min(30, 2 ** (failedAttempts - 1));
const RECOVERY_S = HEARTBEAT_TIMEOUT_S + backoffS(DISPATCH_KILLS);
const DISPATCH_WORK_S = 10 + UNITS * 0.03;
const DISPATCH_KILL_AT = Array.from({ length: DISPATCH_KILLS }, (_, i) => 1.5 + i * DISPATCH_KILL_GAP_S);
const DISPATCH_BOUND_S = Math.ceil(DISPATCH_KILL_AT.at(-1)! + RECOVERY_S + DISPATCH_WORK_S);
const REMINDER_GAP_S = 15;
const DEADLINE_S = DISPATCH_BOUND_S + 3 * REMINDER_GAP_S;
const HARD_CLOSE_AFTER_S = 60;
const HARD_CLOSE_S = DEADLINE_S + HARD_CLOSE_AFTER_S;
const COLLECTION_KILLS = TIMED_KILLS - DISPATCH_KILLS;
const COLLECTION_KILL_AT = Array.from(
  { length: COLLECTION_KILLS },
  (_, i) => DISPATCH_BOUND_S + ((i + 0.5) * (HARD_CLOSE_S - DISPATCH_BOUND_S)) / COLLECTION_KILLS,
);
/** How long to wait after the hard close for each of: consolidation, the review, publication to every unit (a kill each). */
const AFTER_HARD_CLOSE_S = 2 * (RECOVERY_S + 30) + UNITS * 0.15;

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, '.data', `test-dist-${process.pid}`);

let stack: Stack;
let worker: WorkerProcess | undefined;
beforeAll(async () => {
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json', '--outDir', OUT], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  stack = await startStack({ worker: false });
}, 180_000);
afterAll(async () => {
  worker?.kill('SIGKILL');
  await stack?.stop();
  fs.rmSync(OUT, { recursive: true, force: true });
});

/**
 * What the kills cost a workflow and its children, read from their histories (times in s from
 * `t0`): each activity Temporal had to retry (scheduled, last attempt started, ended) and each
 * workflow task that timed out (a worker died holding it, or its sticky queue's worker was gone).
 */
async function killCosts(
  stack: Stack,
  workflowId: string,
  t0: number,
  name: (id: string) => string,
): Promise<string[]> {
  const events = (await stack.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const at = (e: (typeof events)[number]): string => ((tsToMs(e.eventTime) - t0) / 1000).toFixed(1);
  const scheduled = new Map<string, { activity: string; at: string }>();
  const started = new Map<string, { attempt: number; at: string }>();
  const lines: string[] = [];
  const timedOut: string[] = [];
  for (const e of events) {
    if (e.activityTaskScheduledEventAttributes)
      scheduled.set(String(e.eventId), {
        activity: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?',
        at: at(e),
      });
    const start = e.activityTaskStartedEventAttributes;
    if (start) started.set(String(start.scheduledEventId), { attempt: start.attempt ?? 1, at: at(e) });
    const end = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes;
    const run = end && started.get(String(end.scheduledEventId));
    if (end && run && run.attempt > 1) {
      const { activity, at: queued } = scheduled.get(String(end.scheduledEventId))!;
      lines.push(
        `${name(workflowId)} ${activity}: scheduled ${queued}, attempt ${run.attempt} started ${run.at}, ended ${at(e)}`,
      );
    }
    if (e.workflowTaskTimedOutEventAttributes) timedOut.push(at(e));
  }
  if (timedOut.length > 0)
    lines.push(`${name(workflowId)}: ${timedOut.length} workflow task(s) timed out, at ${timedOut.join(', ')}`);
  const children = events
    .flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? [])
    .filter((id) => !id.endsWith('-archive'));
  for (const child of children) lines.push(...(await killCosts(stack, child, t0, name)));
  return lines;
}

const isDispatch = (m: ReceivedMessage): boolean =>
  m.subject.includes('] Báo cáo tháng') && !m.subject.startsWith('[Nhắc');
const seconds = (ms: number): string => (ms / 1000).toFixed(1);

test(
  `a ${UNITS}-unit cycle survives ${KILLS} SIGKILLs of its worker: it completes, nothing is lost, a duplicate only of a message in flight at a kill`,
  async () => {
    const units = await createUnits(stack.orm, UNITS, { supervisors: 10 });
    const council = [await stack.token('council'), await stack.token('council')];
    const campaign = await createCampaign(
      stack.orm,
      timing({
        deadline: DEADLINE_S,
        reminders: [2 * REMINDER_GAP_S, REMINDER_GAP_S],
        escalations: [5, 15],
        hardClose: HARD_CLOSE_AFTER_S,
        review: 3600,
        revision: 3600,
      }),
      { maxReminders: 2 },
    );
    worker = startWorkerProcess(stack, OUT);
    const { base, workflowId } = await startCycle(stack, await stack.token('admin'), { units, campaign });

    const t0 = Date.now();
    const at = (s: number) => sleep(Math.max(0, t0 + s * 1000 - Date.now()));
    const stages: [string, number][] = [];
    const reached = (stage: string): void => void stages.push([stage, Date.now() - t0]);
    const kills: { from: number; at: number; ready: Promise<number | undefined> }[] = [];
    const killAndRestart = async (): Promise<void> => {
      const from = Date.now();
      const dying = worker!;
      const exited = new Promise((r) => dying.once('exit', r));
      dying.kill('SIGKILL');
      await exited;
      worker = startWorkerProcess(stack, OUT);
      kills.push({ from, at: Date.now(), ready: worker.ready });
    };
    const killer = (async () => {
      for (const s of [...DISPATCH_KILL_AT, ...COLLECTION_KILL_AT]) {
        await at(s);
        await killAndRestart();
      }
    })();

    // Half the units report: a quarter as soon as they have their link, a quarter just after the deadline; the rest stay silent.
    const dispatchOf = (unit: (typeof units)[number]): ReceivedMessage | undefined =>
      stack.sink.to(unit.headEmail).find(isDispatch);
    await stack.sink
      .waitFor(() => units.every((u) => dispatchOf(u) !== undefined), DEADLINE_S * 1000 - (Date.now() - t0))
      .catch(() => {
        throw new Error(
          `${units.filter((u) => !dispatchOf(u)).length} units had no dispatch email at the deadline (${DEADLINE_S} s; the bound was ${DISPATCH_BOUND_S} s)`,
        );
      });
    const dispatchedAt = Math.max(...units.map((u) => dispatchOf(u)!.receivedAt.getTime()));
    stages.push(['every dispatch email received', dispatchedAt - t0]);
    const reporters = units.filter((_, i) => i % 2 === 0);
    for (const [i, unit] of reporters.entries()) {
      if (i === Math.floor(reporters.length / 2)) {
        reached('first quarter reported');
        await at(DEADLINE_S + 2);
      }
      const res = await submitByLink(stack.baseUrl, linkIn(dispatchOf(unit)!.text, stack.baseUrl));
      if (res.status !== 201)
        throw new Error(`report ${i} at ${seconds(Date.now() - t0)} s: ${res.status} ${JSON.stringify(res.body)}`);
    }
    reached('second quarter reported (after the deadline)');
    await killer;

    // One kill as consolidation starts after the hard close, one between the council's two votes.
    const stage = async () => (await stack.orm.em.fork().findOneOrFail(Cycle, { workflowId })).stage;
    const afterHardClose = HARD_CLOSE_S * 1000 - (Date.now() - t0) + AFTER_HARD_CLOSE_S * 1000;
    await eventually(async () => (['consolidating', 'review'].includes(await stage()) ? true : undefined), {
      timeoutMs: afterHardClose,
      intervalMs: 100,
      what: 'consolidation',
    });
    reached('consolidating');
    await killAndRestart();
    await eventually(async () => ((await stage()) === 'review' ? true : undefined), {
      timeoutMs: AFTER_HARD_CLOSE_S * 1000,
      what: 'the review',
    });
    reached('review open');
    const approve = (token: string) =>
      expectStatus(
        api(stack.baseUrl, 'POST', `${base}/ballots`, { token, body: { version: 1, choice: 'approve' } }),
        201,
      );
    await approve(council[0]!);
    await killAndRestart();
    await approve(council[1]!);
    expect(kills).toHaveLength(KILLS);
    await stack.client.workflow.getHandle(workflowId).result();
    reached('published');
    await stack.sink.waitFor(
      () => units.every((u) => stack.sink.to(u.headEmail).some((m) => m.subject.includes('Công bố'))),
      AFTER_HARD_CLOSE_S * 1000,
    );
    reached('every publication email received');

    const em = stack.orm.em.fork();
    const cycle = await em.findOneOrFail(Cycle, { workflowId });
    const content = await readConsolidatedReport(em, await em.findOneOrFail(ConsolidatedReport, { cycle, version: 1 }));
    expect(content.submitted).toBe(reporters.length);

    // Every outbox row was delivered; count what the sink saw per message id.
    const emails = await em.find(Email, { cycleId: cycle.id });
    const deliveries = outboxDeliveries(
      emails,
      stack.sink.messages,
      kills.map((k) => ({ from: k.from, to: k.at })),
    );

    // What each kill cost: the new worker's start, and how long until the next email (while work was waiting).
    const ready = await Promise.all(kills.map((k) => k.ready));
    const arrivals = stack.sink.messages.map((m) => m.receivedAt.getTime()).sort((a, b) => a - b);
    const rows = kills.map((k, i) => {
      const next = arrivals.find((a) => a > k.at);
      return `${seconds(k.at - t0).padStart(6)} s  ready +${ready[i] === undefined ? ' (killed first)' : seconds(ready[i]! - k.at)} s  next email +${next === undefined ? '-' : seconds(next - k.at)} s`;
    });
    const lastDispatchKill = kills[DISPATCH_KILLS - 1]!.at;
    const name = (id: string): string =>
      id === workflowId ? 'cycle' : id.slice(id.lastIndexOf('-', id.lastIndexOf('-') - 1) + 1);
    // The cycle, its batches, and a few units that stayed silent (settled at the hard close).
    const silent = units.filter((_, i) => i % 2 === 1);
    const sampled = [silent[0]!, silent[Math.floor(silent.length / 2)]!, silent.at(-1)!].map((u) =>
      unitWorkflowId(workflowId, u.code),
    );
    const costs = (await Promise.all([workflowId, ...sampled].map((id) => killCosts(stack, id, t0, name)))).flat();
    // When each step of the cycle ran, across its units: from the audit log.
    const steps = await em.execute<{ action: string; n: number; first: Date; last: Date }[]>(
      'SELECT action, count(*)::int AS n, min(occurred_at) AS first, max(occurred_at) AS last FROM audit_event WHERE cycle_id = ? GROUP BY action ORDER BY min(occurred_at)',
      [cycle.id],
    );
    console.log(
      [
        `${UNITS} units, ${KILLS} kills; outbox messages: ${emails.length}; lost: ${deliveries.lost}; duplicated: ${deliveries.duplicated}`,
        `dispatch: every email at ${seconds(dispatchedAt - t0)} s (bound ${DISPATCH_BOUND_S} s: last dispatch kill at ${seconds(lastDispatchKill - t0)} s + recovery ${RECOVERY_S} s + work ${DISPATCH_WORK_S} s); deadline ${DEADLINE_S} s, hard close ${HARD_CLOSE_S} s`,
        'stages (s from start):',
        ...stages.map(([name, ms]) => `  ${seconds(ms).padStart(6)}  ${name}`),
        'audit events (s from start):',
        ...steps.map(
          (r) =>
            `  ${seconds(new Date(r.first).getTime() - t0).padStart(6)} – ${seconds(new Date(r.last).getTime() - t0).padStart(6)}  ${r.action} ×${r.n}`,
        ),
        'kills (s from start):',
        ...rows.map((r) => `  ${r}`),
        'retried after a kill (s from start):',
        ...costs.map((line) => `  ${line}`),
      ].join('\n'),
    );

    expect(deliveries.lost).toBe(0);
    expect(deliveries.unexplained).toEqual([]);
    // Each unit's own timeline: one dispatch, its reminders, one publication.
    for (const unit of units) {
      const own = emails.filter((e) => e.recipient === unit.headEmail);
      expect(own.filter((e) => e.kind === 'dispatch')).toHaveLength(1);
      expect(own.filter((e) => e.kind === 'publication')).toHaveLength(1);
    }
    // Dispatch ended within the bound the timeline was built on.
    expect(dispatchedAt - t0).toBeLessThanOrEqual(DISPATCH_BOUND_S * 1000);
  },
  (HARD_CLOSE_S + 3 * AFTER_HARD_CLOSE_S) * 1000,
);
