/**
 * Up to UNIT_BATCH_SIZE units of one cycle, under the cycle (its parent):
 *
 * 1. Start: one activity starts the units' workflows through the Temporal client, then dispatches
 *    their tasks (activities/unit-workflows.activities.ts). The units run before any link goes out,
 *    so an administrator can re-send a link from then on. The units are not this workflow's
 *    children: their starts cost its history nothing.
 * 2. Collect, until the cycle closes: when the cycle passes on "all reported", count the units whose
 *    task holds a report (read from PostgreSQL in one activity) as settled, tell the cycle, then
 *    wake those units; forward an early close of
 *    collection to the units still open; tell the cycle how the units settled, in one signal once
 *    every one of them has, then again as units reopened for revision settle.
 * 3. Close: tell the units to close, and end (the archive waits for each unit to end).
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
import { activities, unitStartActivities } from './activity-proxies';
import {
  allReportedSignal,
  closeUnitSignal,
  collectionClosedSignal,
  submittedSignal,
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

  const settled = new Map<string, UnitOutcome>();
  /** Settlements the cycle has not been told about yet. */
  const untold: UnitSettled[] = [];
  let reported = false;
  let collectionClosedAt: string | undefined;
  let collectionClosedForwarded = false;
  let closed = false;

  setHandler(allReportedSignal, () => {
    reported = true;
  });
  /** Counts a unit settled and queues it for the cycle; a repeat of what is already counted is dropped. */
  const settle = (s: UnitSettled): void => {
    if (s.round === undefined && settled.get(s.unitCode) === s.outcome) return;
    settled.set(s.unitCode, s.outcome);
    untold.push(s);
  };
  // A unit the batch already counted from PostgreSQL (see `collect`) tells the same again when it wakes.
  setHandler(unitSettledSignal, settle);
  setHandler(collectionClosedSignal, ({ at }) => {
    collectionClosedAt ??= at;
  });
  setHandler(closeUnitSignal, () => {
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
      schedules,
      units,
    });
    await collect();
    await Promise.all(units.map((unit) => unitHandle(unit).signal(closeUnitSignal)));
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

  /** Until the cycle closes: wakes the units that reported, forwards an early close, tells the cycle how the units settled. */
  async function collect(): Promise<void> {
    const cycle = getExternalWorkflowHandle(cycleWorkflowId);
    const allSettled = (): boolean => settled.size === units.length;
    const closeToForward = (): boolean => collectionClosedAt !== undefined && !collectionClosedForwarded;
    for (;;) {
      await condition(() => closed || reported || closeToForward() || (untold.length > 0 && allSettled()));
      if (closed) return;
      let toWake: OpenedUnit[] = [];
      if (reported) {
        reported = false;
        // PostgreSQL holds the reports: a unit whose task holds one is settled now, so the cycle
        // learns it without waiting for every unit's workflow to wake; the units are woken after.
        const waiting = units.filter((u) => !settled.has(u.unitCode));
        const done = new Set(
          waiting.length > 0 ? await activities.reportedTasks({ taskIds: waiting.map((u) => u.taskId) }) : [],
        );
        toWake = waiting.filter((u) => done.has(u.taskId));
        for (const u of toWake) settle({ unitCode: u.unitCode, outcome: 'submitted' });
      }
      if (closeToForward()) {
        collectionClosedForwarded = true;
        const at = collectionClosedAt!;
        await Promise.all(
          units
            .filter((u) => !settled.has(u.unitCode))
            .map((u) => unitHandle(u).signal(collectionClosedSignal, { at })),
        );
      }
      if (untold.length > 0 && allSettled()) await cycle.signal(unitsSettledSignal, untold.splice(0));
      await Promise.all(toWake.map((u) => unitHandle(u).signal(submittedSignal)));
    }
  }
}
