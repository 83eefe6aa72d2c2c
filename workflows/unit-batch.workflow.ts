/**
 * Up to UNIT_BATCH_SIZE units of one cycle, under the cycle (its parent):
 *
 * 1. Start: one activity starts the units' workflows through the Temporal client, then dispatches
 *    their tasks (activities/unit-workflows.activities.ts). The units run before any link goes out,
 *    so an administrator can re-send a link from then on. The units are not this workflow's
 *    children: their starts cost its history nothing.
 * 2. Collect, until the cycle closes: the batch runs its units' schedules (each level's, or a
 *    unit's own after an extension). At each instant one activity takes every unit due then —
 *    reminders, the deadline, the hard close — in one transaction over their rows, instead of one
 *    wake-up per unit; an early close of collection is a hard close now. When the cycle passes on
 *    "all reported", the units whose task holds a report (read from PostgreSQL in one activity)
 *    are settled. The batch tells the cycle how its units settled, in one signal once every one
 *    has, then again as units reopened for revision settle.
 * 3. Close: tell each unit how it settled and to close, and end (the archive waits for each unit to end).
 *
 * Cancelled (with its cycle), the batch cancels its units: they are not its children, so nothing
 * else would.
 */
import {
  CancellationScope,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UnitSchedule } from '../domain/calendar';
import { unitWorkflowId } from '../domain/period';
import type { TaskWave } from '../activities/task.activities';
import { activities, cycleActivities, unitStartActivities } from './activity-proxies';
import {
  allReportedSignal,
  closeBatchSignal,
  closeUnitSignal,
  collectionClosedSignal,
  rescheduleSignal,
  unitSettledSignal,
  unitsSettledSignal,
} from './messages';
import type { OpenedUnit, UnitOutcome, UnitSettled } from './types';

/**
 * Units per batch. Each batch starts and dispatches its units in one activity, so smaller batches
 * spread a cycle's dispatch over more activities running at once; each unit's settling is a signal
 * in its batch's history, so a batch's history stays short.
 */
export const UNIT_BATCH_SIZE = 100;

type StepKind = TaskWave['kind'];
interface Step {
  readonly kind: StepKind;
  readonly at: string;
}
/** Of the steps due at one instant, the order they run in. */
const STEP_ORDER: Record<StepKind, number> = { reminder: 0, overdue: 1, hardClose: 2 };
const stepKey = (unitCode: string, s: Step): string => `${unitCode} ${s.kind}@${s.at}`;
const before = (a: Step, b: Step): boolean =>
  Date.parse(a.at) < Date.parse(b.at) || (a.at === b.at && STEP_ORDER[a.kind] < STEP_ORDER[b.kind]);

/** A unit's steps: its reminders, its deadline (overdue) and its hard close. */
function steps(schedule: UnitSchedule): Step[] {
  return [
    ...schedule.reminders.map((at): Step => ({ kind: 'reminder', at })),
    { kind: 'overdue', at: schedule.deadline },
    { kind: 'hardClose', at: schedule.hardClose },
  ];
}

/** The id of a cycle's `n`-th batch (from 1). */
export const batchWorkflowId = (cycleWorkflowId: string, n: number): string => `${cycleWorkflowId}-batch-${n}`;

export interface UnitBatchInput {
  readonly cycleId: number;
  readonly campaignCode: string;
  readonly period: string;
  /** The schedule of each level: a leaf's first (`scheduleAtLevel`). */
  readonly schedules: readonly UnitSchedule[];
  readonly units: readonly OpenedUnit[];
}

export async function unitBatchWorkflow(input: UnitBatchInput): Promise<void> {
  const { cycleId, campaignCode, period, schedules, units } = input;
  const { workflowId: batchWorkflowId, taskQueue, parent } = workflowInfo();
  const cycleWorkflowId = parent!.workflowId;
  const unitHandle = (unit: OpenedUnit) => getExternalWorkflowHandle(unitWorkflowId(cycleWorkflowId, unit.unitCode));
  const byTask = new Map(units.map((u) => [u.taskId, u] as const));

  const settled = new Map<string, UnitOutcome>();
  /** Settlements the cycle has not been told about yet. */
  const untold: UnitSettled[] = [];
  /** A unit's own schedule, once an administrator moved its deadline. */
  const ownSchedules = new Map<string, UnitSchedule>();
  /** Steps already run, per unit (`stepKey`). */
  const done = new Set<string>();
  let reported = false;
  let rescheduled = false;
  let collectionClosedAt: string | undefined;
  let collectionClosedRun = false;
  let closed = false;

  setHandler(allReportedSignal, () => {
    reported = true;
  });
  /** Counts a unit settled and queues it for the cycle; a repeat of what is already counted is dropped. */
  const settle = (s: UnitSettled): void => {
    if (s.round === undefined && settled.has(s.unitCode)) return;
    settled.set(s.unitCode, s.outcome);
    untold.push(s);
  };
  // A unit reopened for revision tells its batch when it settles again.
  setHandler(unitSettledSignal, settle);
  setHandler(rescheduleSignal, ({ unitCode, schedule }) => {
    ownSchedules.set(unitCode, schedule);
    rescheduled = true;
  });
  setHandler(collectionClosedSignal, ({ at }) => {
    collectionClosedAt ??= at;
  });
  setHandler(closeBatchSignal, () => {
    closed = true;
  });

  try {
    await unitStartActivities.startAndDispatchUnits({
      cycleId,
      cycleWorkflowId,
      batchWorkflowId,
      taskQueue,
      campaignCode,
      period,
      units,
    });
    await collect();
    await Promise.all(
      units.map((unit) =>
        unitHandle(unit).signal(closeUnitSignal, { outcome: settled.get(unit.unitCode) ?? 'not_submitted' }),
      ),
    );
  } catch (error) {
    if (isCancellation(error)) {
      // A unit that has already ended, or was never started, refuses the request: nothing to cancel there.
      await CancellationScope.nonCancellable(() =>
        Promise.all(
          units.map((unit) =>
            unitHandle(unit)
              .cancel()
              .catch(() => undefined),
          ),
        ),
      );
    }
    throw error;
  }
  await condition(allHandlersFinished);

  /** The steps a unit still waits for, from the schedule in force. */
  function pending(unit: OpenedUnit): Step[] {
    const schedule = ownSchedules.get(unit.unitCode) ?? schedules[unit.level ?? 0] ?? schedules[0]!;
    return steps(schedule).filter((s) => !done.has(stepKey(unit.unitCode, s)));
  }

  /** The soonest step some open unit waits for, and every open unit waiting for that same step. */
  function nextWave(): { step: Step; units: OpenedUnit[] } | undefined {
    let step: Step | undefined;
    let due: OpenedUnit[] = [];
    for (const unit of units) {
      if (settled.has(unit.unitCode)) continue;
      for (const s of pending(unit)) {
        if (!step || before(s, step)) [step, due] = [s, [unit]];
        else if (s.kind === step.kind && s.at === step.at) due.push(unit);
      }
    }
    return step && { step, units: due };
  }

  /** Runs one step over `due` in one activity, and settles the units it finds reported or closed. */
  async function runWave(step: Step, due: readonly OpenedUnit[]): Promise<void> {
    for (const unit of due) done.add(stepKey(unit.unitCode, step));
    const result = await cycleActivities.runTaskWave({
      cycleId,
      kind: step.kind,
      dueAt: step.at,
      taskIds: due.map((u) => u.taskId),
    });
    for (const [ids, outcome] of [
      [result.submitted, 'submitted'],
      [result.closed, 'not_submitted'],
    ] as const) {
      for (const id of ids) {
        const unit = byTask.get(id)!;
        if (settled.has(unit.unitCode)) continue;
        settle({ unitCode: unit.unitCode, outcome });
      }
    }
  }

  /** Until the cycle closes: runs the units' steps as they fall due, settles them and tells the cycle. */
  async function collect(): Promise<void> {
    const cycle = getExternalWorkflowHandle(cycleWorkflowId);
    const allSettled = (): boolean => settled.size === units.length;
    const woken = (): boolean =>
      closed ||
      reported ||
      rescheduled ||
      (collectionClosedAt !== undefined && !collectionClosedRun) ||
      (untold.length > 0 && allSettled());
    for (;;) {
      const next = nextWave();
      const wait = next && Date.parse(next.step.at) - Date.now();
      if (wait === undefined) await condition(woken);
      else if (wait > 0) await condition(woken, wait);
      if (closed) return;
      rescheduled = false;
      if (reported) {
        reported = false;
        // PostgreSQL holds the reports: a unit whose task holds one is settled now.
        const waiting = units.filter((u) => !settled.has(u.unitCode));
        const reportedIds = new Set(
          waiting.length > 0 ? await activities.reportedTasks({ taskIds: waiting.map((u) => u.taskId) }) : [],
        );
        for (const unit of waiting.filter((u) => reportedIds.has(u.taskId))) {
          settle({ unitCode: unit.unitCode, outcome: 'submitted' });
        }
      }
      if (collectionClosedAt !== undefined && !collectionClosedRun) {
        // The open units' hard close was already moved to `collectionClosedAt`: close them like at the hard close.
        collectionClosedRun = true;
        const open = units.filter((u) => !settled.has(u.unitCode));
        if (open.length > 0) await runWave({ kind: 'hardClose', at: collectionClosedAt }, open);
      }
      for (let wave = nextWave(); wave && Date.parse(wave.step.at) <= Date.now(); wave = nextWave())
        await runWave(wave.step, wave.units);
      if (untold.length > 0 && allSettled()) await cycle.signal(unitsSettledSignal, untold.splice(0));
    }
  }
}
