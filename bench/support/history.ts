/** Reading a workflow's Temporal history for the benchmarks: its length, size, events by kind, payload sizes. */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';

export type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
export type HistoryEvent = NonNullable<History['events']>[number];

/** The kind of an event, from its attributes field: `activityTaskCompleted`, `workflowExecutionSignaled`, … */
export function eventKind(event: HistoryEvent): string {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventAttributes') && value !== null && value !== undefined)
      return key.slice(0, -'EventAttributes'.length);
  }
  return 'unknown';
}

export const eventTimeMs = (event: HistoryEvent): number => tsToMs(event.eventTime);

/** Bytes of every payload (`data` field) anywhere inside `value`. */
export function payloadBytes(value: unknown): number {
  if (value instanceof Uint8Array) return 0; // a bare byte array is counted by its `data` key below
  if (value === null || typeof value !== 'object') return 0;
  let total = 0;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'data' && v instanceof Uint8Array) total += v.length;
    else total += payloadBytes(v);
  }
  return total;
}

export interface HistoryFacts {
  /** From describe(): what the server counts against its limits. */
  readonly length: number;
  readonly sizeBytes: number;
  readonly byKind: ReadonlyMap<string, number>;
  /** The event carrying the most payload bytes. */
  readonly largestPayload: { readonly kind: string; readonly bytes: number };
  readonly events: readonly HistoryEvent[];
}

export async function historyFacts(client: Client, workflowId: string): Promise<HistoryFacts> {
  const handle = client.workflow.getHandle(workflowId);
  const [description, history] = await Promise.all([handle.describe(), handle.fetchHistory()]);
  const events = history.events ?? [];
  const byKind = new Map<string, number>();
  let largestPayload = { kind: 'none', bytes: 0 };
  for (const event of events) {
    const kind = eventKind(event);
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    const bytes = payloadBytes(event);
    if (bytes > largestPayload.bytes) largestPayload = { kind, bytes };
  }
  return {
    length: description.historyLength,
    sizeBytes: description.historySize ?? Number.NaN,
    byKind,
    largestPayload,
    events,
  };
}

/** Schedule-to-start and start-to-close milliseconds of each activity of type `name` in `events`. */
export function activityTimings(events: readonly HistoryEvent[], name: string): { queuedMs: number; runMs: number }[] {
  const scheduled = new Map<string, number>();
  const started = new Map<string, number>();
  const timings: { queuedMs: number; runMs: number }[] = [];
  for (const event of events) {
    const id = String(event.eventId);
    if (event.activityTaskScheduledEventAttributes?.activityType?.name === name) scheduled.set(id, eventTimeMs(event));
    const s = event.activityTaskStartedEventAttributes;
    if (s && scheduled.has(String(s.scheduledEventId))) started.set(String(s.scheduledEventId), eventTimeMs(event));
    const c = event.activityTaskCompletedEventAttributes;
    if (c && scheduled.has(String(c.scheduledEventId))) {
      const key = String(c.scheduledEventId);
      timings.push({
        queuedMs: started.get(key)! - scheduled.get(key)!,
        runMs: eventTimeMs(event) - started.get(key)!,
      });
    }
  }
  return timings;
}

export interface WorkflowTaskStats {
  readonly completed: number;
  /** Scheduled → started: waiting for a worker to pick the task up. */
  readonly queuedMs: readonly number[];
  /** Started → completed (or failed): the worker's time on the task, round trip included. */
  readonly runMs: readonly number[];
  /** Failed or timed-out tasks, by the first words of their failure. */
  readonly failures: ReadonlyMap<string, number>;
}

/** What the workflows' own tasks cost (over all the histories given): each wakes a workflow, runs it, and sends its commands. */
export function workflowTaskStats(histories: readonly (readonly HistoryEvent[])[]): WorkflowTaskStats {
  const queuedMs: number[] = [];
  const runMs: number[] = [];
  const failures = new Map<string, number>();
  let completed = 0;
  for (const events of histories) {
    const at = new Map<string, number>(events.map((e) => [String(e.eventId), eventTimeMs(e)]));
    for (const event of events) {
      const started = event.workflowTaskStartedEventAttributes;
      if (started) queuedMs.push(eventTimeMs(event) - at.get(String(started.scheduledEventId))!);
      const done = event.workflowTaskCompletedEventAttributes ?? event.workflowTaskFailedEventAttributes;
      if (done) runMs.push(eventTimeMs(event) - at.get(String(done.startedEventId))!);
      if (event.workflowTaskCompletedEventAttributes) completed += 1;
      const failed = event.workflowTaskFailedEventAttributes;
      const why = failed
        ? (failed.failure?.message ?? `cause ${String(failed.cause)}`).split(/[.:\n]/)[0]!.slice(0, 80)
        : event.workflowTaskTimedOutEventAttributes
          ? 'timed out'
          : undefined;
      if (why) failures.set(why, (failures.get(why) ?? 0) + 1);
    }
  }
  return { completed, queuedMs, runMs, failures };
}

export interface UnitStarts {
  /** Workflow tasks (of all the histories given) whose completion carried StartChildWorkflowExecution commands, and the most one carried (0 when units are started by activity). */
  readonly commandTasks: number;
  readonly mostInOneTask: number;
  /** When the last unit workflow had started (epoch ms): the last ChildWorkflowExecutionStarted, or the latest start among the sampled unit histories. */
  readonly lastAt: number;
  /** Unit workflows started per second, from the first start asked for (a StartChild command, or a startAndDispatchUnits scheduled) to the last started. */
  readonly perSecond: number;
}

/**
 * How the unit workflows of these parents' histories (the cycle's batches) were started: as their
 * children, or by a startAndDispatchUnits activity (then the start times come from `unitHistories`, a sample).
 */
export function unitStarts(
  parentHistories: readonly (readonly HistoryEvent[])[],
  unitHistories: readonly (readonly HistoryEvent[])[],
  units: number,
): UnitStarts {
  const byTask = new Map<string, number>();
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  let byActivity = false;
  for (const [h, events] of parentHistories.entries()) {
    for (const event of events) {
      const initiated = event.startChildWorkflowExecutionInitiatedEventAttributes;
      if (initiated) {
        const task = `${h}:${String(initiated.workflowTaskCompletedEventId)}`;
        byTask.set(task, (byTask.get(task) ?? 0) + 1);
        first = Math.min(first, eventTimeMs(event));
      }
      if (event.childWorkflowExecutionStartedEventAttributes) last = Math.max(last, eventTimeMs(event));
      if (event.activityTaskScheduledEventAttributes?.activityType?.name === 'startAndDispatchUnits') {
        byActivity = true;
        first = Math.min(first, eventTimeMs(event));
      }
    }
  }
  if (byActivity) for (const events of unitHistories) if (events[0]) last = Math.max(last, eventTimeMs(events[0]));
  return {
    commandTasks: byTask.size,
    mostInOneTask: Math.max(0, ...byTask.values()),
    lastAt: last,
    perSecond: units / Math.max((last - first) / 1000, 0.001),
  };
}

export type LargestChild = Awaited<ReturnType<typeof largestChildHistory>>;

/** historyFacts() plus the largest history among the workflow's children, both read now. */
export async function historyWithLargestChild(
  client: Client,
  workflowId: string,
): Promise<HistoryFacts & { readonly largestChild: LargestChild }> {
  const facts = await historyFacts(client, workflowId);
  return { ...facts, largestChild: await largestChildHistory(client, facts.events) };
}

/** The largest history among up to `sample` children of a workflow (evenly spread over its StartChild commands). */
export async function largestChildHistory(
  client: Client,
  events: readonly HistoryEvent[],
  sample = 25,
): Promise<{ described: number; of: number; length: number; sizeBytes: number; workflowId: string }> {
  return largestHistory(
    client,
    events.flatMap((e) => {
      const id = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
      return id ? [id] : [];
    }),
    sample,
  );
}

/** The largest history among up to `sample` of the workflows `ids` (evenly spread over them). */
export async function largestHistory(
  client: Client,
  ids: readonly string[],
  sample = 25,
): Promise<{ described: number; of: number; length: number; sizeBytes: number; workflowId: string }> {
  const step = Math.max(1, Math.ceil(ids.length / sample));
  const picked = ids.filter((_, i) => i % step === 0);
  let largest = { length: 0, sizeBytes: 0, workflowId: 'none' };
  for (const workflowId of picked) {
    const d = await client.workflow.getHandle(workflowId).describe();
    if (d.historyLength > largest.length)
      largest = { length: d.historyLength, sizeBytes: d.historySize ?? Number.NaN, workflowId };
  }
  return { described: picked.length, of: ids.length, ...largest };
}

/**
 * The histories of the workflows that start a cycle's unit workflows: the cycle itself when it
 * parents them directly, else its children that start children themselves (batch workflows).
 */
export async function unitParentHistories(
  client: Client,
  cycleEvents: readonly HistoryEvent[],
): Promise<{ kind: 'cycle' | 'batches'; histories: (readonly HistoryEvent[])[] }> {
  const children = cycleEvents.flatMap((e) => {
    const id = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
    return id && !id.endsWith('-archive') ? [id] : [];
  });
  if (children.length === 0 || children.some((id) => id.includes('-unit-')))
    return { kind: 'cycle', histories: [cycleEvents] };
  const histories = await Promise.all(
    children.map(async (id) => (await client.workflow.getHandle(id).fetchHistory()).events ?? []),
  );
  return { kind: 'batches', histories };
}
