/** Starting real cycles for the benchmarks, waiting for their dispatch, reading what it sent. */
import type { Client } from '@temporalio/client';
import type { MailSink } from '../../mail/sink';
import { api, currentPeriod, linkIn, type TestUnit } from '../../test/support/fixtures';
import type { Stack } from '../../test/support/stack';

/** Relative timings under which nothing but the dispatch happens for hours: no reminder, deadline or escalation fires during a run. */
export const QUIET_TIMING = {
  deadlineAfterSeconds: 3 * 3600,
  reminderSecondsBefore: [],
  escalationSecondsAfter: [3600, 7200],
  hardCloseSecondsAfter: 4 * 3600,
  reviewWindowSeconds: 3600,
  revisionWindowSeconds: 3600,
} as const;

/** POST /api/v1/cycles for `units` of `campaign` this month; answers the cycle's workflow id. */
export async function postCycle(
  stack: Stack,
  adminToken: string,
  campaign: string,
  units: readonly TestUnit[],
): Promise<string> {
  const started = await api<{ workflowId: string }>(stack.baseUrl, 'POST', '/api/v1/cycles', {
    token: adminToken,
    body: { campaign, period: currentPeriod(), units: units.map((u) => u.code) },
  });
  if (started.status !== 201)
    throw new Error(`starting the cycle failed: ${started.status} ${JSON.stringify(started.body)}`);
  return started.body.workflowId;
}

/** Resolves once the sink has received a message (from index `from` on) for every address in `to`. */
export function mailReached(sink: MailSink, from: number, to: ReadonlySet<string>, timeoutMs: number): Promise<void> {
  const seen = new Set<string>();
  let cursor = from;
  return sink.waitFor((messages) => {
    for (; cursor < messages.length; cursor += 1)
      for (const address of messages[cursor]!.to) if (to.has(address)) seen.add(address);
    return seen.size === to.size;
  }, timeoutMs);
}

/** Each unit's personal link, from the first message its head received from index `from` on. */
export function linksOf(stack: Stack, from: number, units: readonly TestUnit[]): string[] {
  const first = new Map<string, string>();
  for (const message of stack.sink.messages.slice(from))
    for (const to of message.to) if (!first.has(to)) first.set(to, message.text);
  return units.map((u) => {
    const text = first.get(u.headEmail.toLowerCase());
    if (text === undefined) throw new Error(`no email reached ${u.headEmail}`);
    return linkIn(text, stack.baseUrl);
  });
}

/**
 * Rejects if the workflow's task keeps failing (attempt ≥ 5), with the failure's message: a
 * cycle past one of Temporal's per-workflow limits (e.g. more than 2,000 pending children)
 * never progresses, and a benchmark should say so rather than wait for its timeout.
 */
export function watchForStall(
  client: Client,
  workflowId: string,
  everyMs = 5000,
): { stalled: Promise<never>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const stalled = new Promise<never>((_, reject) => {
    const check = async (): Promise<void> => {
      const handle = client.workflow.getHandle(workflowId);
      const attempt = (await handle.describe()).raw.pendingWorkflowTask?.attempt ?? 0;
      if (attempt >= 5) {
        const failure = (await handle.fetchHistory()).events?.findLast((e) => e.workflowTaskFailedEventAttributes)
          ?.workflowTaskFailedEventAttributes?.failure?.message;
        reject(
          new Error(
            `${workflowId} is stuck: its workflow task has failed ${attempt} times in a row (${failure ?? 'no failure recorded'})`,
          ),
        );
        return;
      }
      if (!stopped) timer = setTimeout(() => void check().catch(reject), everyMs);
    };
    timer = setTimeout(() => void check().catch(reject), everyMs);
  });
  stalled.catch(() => {}); // only awaited through a race
  return {
    stalled,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** Waits until every head in `to` has a message from index `from` on, failing early if the cycle is stuck. */
export async function dispatchReached(
  stack: Stack,
  workflowId: string,
  from: number,
  to: ReadonlySet<string>,
  timeoutMs: number,
): Promise<void> {
  const watch = watchForStall(stack.client, workflowId);
  try {
    await Promise.race([mailReached(stack.sink, from, to, timeoutMs), watch.stalled]);
  } finally {
    watch.stop();
  }
}
