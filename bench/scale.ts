/**
 * `npm run bench:scale [-- --units 10000]`
 *
 * One cycle end to end at scale, with the worker in a process of its own as in production (so
 * its memory is its own): dispatch; a reminder; submissions over HTTP in three waves (most units
 * at once, some after the reminder, some late, after the first escalation); both escalation
 * levels; the hard close of the silent units; consolidation; the council's review (two
 * approvals); publication; the archive of every history. Prints when each stage was reached, the
 * largest histories (length and size, against Temporal's limits), the worker's peak RSS (goal
 * ≤ 1 GiB) and what the SMTP sink received.
 *
 * Timeline (seconds after the cycle starts; D = --deadline, by default 0.12 s per unit, at
 * least 300; G = D / 5, at most 60): reminder at D − 4G; the deadline at D; escalations at D + G
 * and D + 2G; hard close at D + 4G. Unit i submits: i mod 10 < 7 once dispatch is complete, = 7
 * after the reminder, = 8 after the first escalation (late); = 9 never.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { api, createCampaign, createUnits, currentPeriod, submitByLink } from '../test/support/fixtures';
import { dispatchReached, linksOf, postCycle, watchForStall } from './support/cycle';
import { positiveIntegers, progress, runBench, withBenchEnv } from './support/env';
import { historyFacts, largestHistory } from './support/history';
import { fmtInt, fmtMiB, fmtRatio, fmtSeconds, inParallel, printTable, verdict } from './support/measure';
import { measureWaves } from './support/waves';
import { processMemory, startWorkerProcess } from '../test/support/worker-process';

const RSS_GOAL_BYTES = 1024 ** 3;
/** Each wave against its floor, and the hard close to the open review. */
const WAVE_GOAL = 1.5;
const REVIEW_OPEN_GOAL_MS = 30_000;
/** Temporal's defaults: history events and bytes at which a workflow is terminated. */
const HISTORY_LIMIT = { events: 51_200, bytes: 50 * 1024 ** 2 };

const eventKindOfLargest = (h: { largestPayload: { kind: string; bytes: number } }): string =>
  `${h.largestPayload.kind}, ${fmtMiB(h.largestPayload.bytes)} MiB`;

const sleepUntil = (t: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, t - Date.now())));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { units: { type: 'string', default: '10000' }, deadline: { type: 'string' } },
  });
  const n = positiveIntegers('units', values.units)[0]!;
  const deadline = values.deadline
    ? positiveIntegers('deadline', values.deadline)[0]!
    : Math.max(300, Math.ceil(n * 0.12));
  const gap = Math.max(2, Math.min(60, Math.floor(deadline / 5)));

  await withBenchEnv('scale', async (env) => {
    const stack = await env.startStack({ worker: false });
    const worker = startWorkerProcess(stack, path.join(__dirname, '..'));
    env.onCleanup(async () => {
      worker.kill('SIGTERM');
    });
    const workerExit = new Promise<never>((_, reject) =>
      worker.once('exit', (code, signal) => reject(new Error(`the worker process exited (${code ?? signal})`))),
    );
    workerExit.catch(() => {});
    const memory: { at: number; rssBytes: number }[] = [];
    let peakBytes = 0;
    const sampler = setInterval(() => {
      try {
        const m = processMemory(worker.pid!);
        memory.push({ at: Date.now(), rssBytes: m.rssBytes });
        peakBytes = Math.max(peakBytes, m.peakBytes);
      } catch {
        /* exited */
      }
    }, 1000);
    env.onCleanup(async () => clearInterval(sampler));

    progress(`creating ${fmtInt(n)} units`);
    const units = await createUnits(stack.orm, n, { supervisors: 50 });
    const campaign = await createCampaign(stack.orm, {
      deadlineAfterSeconds: deadline,
      reminderSecondsBefore: [4 * gap],
      escalationSecondsAfter: [gap, 2 * gap],
      hardCloseSecondsAfter: 4 * gap,
      reviewWindowSeconds: 3600,
      revisionWindowSeconds: 3600,
    });
    const admin = await stack.token('admin');
    const council = [await stack.token('council'), await stack.token('council'), await stack.token('council')];
    const period = currentPeriod();
    const base = `/api/v1/cycles/${campaign}/${period}`;

    const t0 = Date.now();
    const stages: [string, number, string][] = [];
    const reached = (stage: string, note = ''): void => {
      stages.push([stage, Date.now() - t0, note]);
      progress(`${fmtSeconds(Date.now() - t0)} s: ${stage}${note ? ` (${note})` : ''}`);
    };
    const workflowId = await postCycle(stack, admin, campaign, units);
    const stall = watchForStall(stack.client, workflowId);
    env.onCleanup(async () => stall.stop());
    const guard = <T>(p: Promise<T>): Promise<T> => Promise.race([p, stall.stalled, workerExit]);

    await guard(
      dispatchReached(stack, workflowId, 0, new Set(units.map((u) => u.headEmail.toLowerCase())), deadline * 1000),
    );
    reached(
      'every task dispatched and emailed',
      `deadline at ${deadline} s, reminder ${4 * gap} s before, escalations ${gap} and ${2 * gap} s after, hard close ${4 * gap} s after`,
    );
    const links = linksOf(stack, 0, units);
    const wave = async (label: string, pick: (i: number) => boolean): Promise<void> => {
      const picked = links.flatMap((link, i) => (pick(i) ? [{ link, i }] : []));
      await guard(
        inParallel(picked, 20, async ({ link, i }) => {
          const res = await submitByLink(stack.baseUrl, link);
          if (res.status !== 201)
            throw new Error(`submission of unit ${i} failed: ${res.status} ${JSON.stringify(res.body)}`);
        }),
      );
      reached(label, `${fmtInt(picked.length)} reports`);
    };
    await wave('first wave submitted (on time)', (i) => i % 10 < 7);
    await guard(sleepUntil(t0 + (deadline - 4 * gap + gap / 2) * 1000));
    const reminders = stack.sink.messages.filter((m) => m.subject.includes('Nhắc')).length;
    await wave('second wave submitted (after the reminder)', (i) => i % 10 === 7);
    await guard(sleepUntil(t0 + (deadline + gap + gap / 2) * 1000));
    await wave('third wave submitted (late, after the first escalation)', (i) => i % 10 === 8);

    const reviewPath = `${base}/review`;
    await guard(
      (async () => {
        while (
          (await api<{ version: number | null }>(stack.baseUrl, 'GET', reviewPath, { token: admin })).body.version !== 1
        )
          await new Promise((r) => setTimeout(r, 1000));
      })(),
    );
    reached('hard close passed, consolidated, review open');
    for (const token of council.slice(0, 2)) {
      const ballot = await api(stack.baseUrl, 'POST', `${base}/ballots`, {
        token,
        body: { version: 1, choice: 'approve' },
      });
      if (ballot.status >= 300) throw new Error(`ballot failed: ${ballot.status} ${JSON.stringify(ballot.body)}`);
    }
    await guard(stack.client.workflow.getHandle(workflowId).result());
    reached('published (cycle workflow completed)');
    await guard(stack.client.workflow.getHandle(`${workflowId}-archive`).result());
    reached('every history archived');
    clearInterval(sampler);
    stall.stop();

    progress('measuring the waves and their floors');
    const { waves, checks } = await measureWaves(stack, workflowId);
    const cycle = await historyFacts(stack.client, workflowId);
    const batches = cycle.events.flatMap((e) => {
      const id = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
      return id && !id.endsWith('-archive') ? [id] : [];
    });
    const batchFacts = await Promise.all(batches.map((id) => historyFacts(stack.client, id)));
    const largestBatch = batchFacts.reduce((a, b) => (b.length > a.length ? b : a), batchFacts[0]!);
    const unitIds = (
      await stack.orm.em
        .fork()
        .execute<{ workflow_id: string }[]>(
          'SELECT t.workflow_id FROM unit_task t JOIN cycle c ON c.id = t.cycle_id WHERE c.workflow_id = ? ORDER BY t.id',
          [workflowId],
        )
    ).map((r) => r.workflow_id);
    const unit = await largestHistory(stack.client, unitIds, 50);
    const archive = await historyFacts(stack.client, `${workflowId}-archive`);
    const emails = await stack.orm.em
      .fork()
      .execute<{ kind: string; status: string; n: number }[]>(
        'SELECT kind, status, count(*)::int AS n FROM email GROUP BY kind, status ORDER BY kind, status',
      );
    const tasks = await stack.orm.em
      .fork()
      .execute<{ state: string; n: number }[]>(
        'SELECT state, count(*)::int AS n FROM unit_task GROUP BY state ORDER BY state',
      );
    const [audit] = await stack.orm.em.fork().execute<{ n: number }[]>('SELECT count(*)::int AS n FROM audit_event');

    printTable(
      `A ${fmtInt(n)}-unit cycle end to end (worker in its own process)`,
      ['stage reached', 's after start', ''],
      stages.map(([s, ms, note]) => [s, fmtSeconds(ms), note]),
      [`reminder emails in the sink when the second wave started: ${fmtInt(reminders)}`],
    );
    printTable(
      `Waves: from the instant in the plan to the last email accepted (the hard close: the last task closed); goal ≤ ${WAVE_GOAL}× floor, review open ≤ ${REVIEW_OPEN_GOAL_MS / 1000} s`,
      ['wave', 'emails', 'rows', 's', 'floor s', 'ratio', 'goal'],
      waves.map((w) =>
        Number.isNaN(w.floorMs)
          ? [w.name, '', '', fmtSeconds(w.doneAt - w.at), '', '', verdict(w.doneAt - w.at <= REVIEW_OPEN_GOAL_MS)]
          : [
              w.name,
              fmtInt(w.emails.length),
              fmtInt(w.rows),
              fmtSeconds(w.doneAt - w.at),
              fmtSeconds(w.floorMs),
              fmtRatio(w.doneAt - w.at, w.floorMs),
              verdict((w.doneAt - w.at) / w.floorMs <= WAVE_GOAL),
            ],
      ),
      [
        "floor = the wave's emails sent again (same messages, other addresses) over one pooled transport (5 connections) + its rows updated in one statement, measured after the cycle",
        `reminders to a unit that had reported before the reminder's instant: ${checks.remindedAfterReporting} (goal 0); received twice: ${checks.remindedTwice} (goal 0)`,
      ],
    );
    const pct = (x: number, of: number): string => `${((100 * x) / of).toFixed(1)} %`;
    printTable(
      'Largest histories (Temporal terminates a workflow at 51,200 events or 50 MiB)',
      ['workflow', 'events', 'of the event limit', 'MiB', 'of the size limit'],
      [
        [
          'cycle',
          fmtInt(cycle.length),
          pct(cycle.length, HISTORY_LIMIT.events),
          fmtMiB(cycle.sizeBytes),
          pct(cycle.sizeBytes, HISTORY_LIMIT.bytes),
        ],
        [
          `largest of ${batches.length} batches`,
          fmtInt(largestBatch.length),
          pct(largestBatch.length, HISTORY_LIMIT.events),
          fmtMiB(largestBatch.sizeBytes),
          pct(largestBatch.sizeBytes, HISTORY_LIMIT.bytes),
        ],
        [
          `largest of ${unit.described} units sampled over the cycle`,
          fmtInt(unit.length),
          pct(unit.length, HISTORY_LIMIT.events),
          fmtMiB(unit.sizeBytes),
          pct(unit.sizeBytes, HISTORY_LIMIT.bytes),
        ],
        [
          'archive (stores every history of the cycle)',
          fmtInt(archive.length),
          pct(archive.length, HISTORY_LIMIT.events),
          fmtMiB(archive.sizeBytes),
          pct(archive.sizeBytes, HISTORY_LIMIT.bytes),
        ],
      ],
      [`largest payload in the cycle's history: ${eventKindOfLargest(cycle)}`],
    );
    const last = memory.at(-1)?.rssBytes ?? Number.NaN;
    printTable(
      'Worker process memory',
      ['what', 'MiB', 'goal'],
      [
        ['peak RSS (VmHWM)', fmtMiB(peakBytes), verdict(peakBytes <= RSS_GOAL_BYTES)],
        ['RSS at the end', fmtMiB(last), ''],
        ...[0.25, 0.5, 0.75].map((f) => {
          const sample = memory[Math.floor(f * (memory.length - 1))];
          return [
            `RSS at ${Math.round(f * 100)} % of the run (${fmtSeconds((sample?.at ?? t0) - t0)} s)`,
            fmtMiB(sample?.rssBytes ?? Number.NaN),
            '',
          ];
        }),
      ],
    );
    printTable(
      'What was stored and sent',
      ['what', 'count'],
      [
        ...tasks.map((t) => [`tasks ${t.state}`, fmtInt(t.n)]),
        ...emails.map((e) => [`emails ${e.kind} ${e.status}`, fmtInt(e.n)]),
        ['audit events', fmtInt(audit!.n)],
        ['messages received by the SMTP sink', fmtInt(stack.sink.messages.length)],
      ],
    );
  });
}

runBench(main);
