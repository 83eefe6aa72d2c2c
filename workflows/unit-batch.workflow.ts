/**
 * A batch of up to UNIT_BATCH_SIZE unit workflows under one cycle. The batch, not the cycle, is
 * the units' parent, so the cycle's history grows with the number of batches instead of the number
 * of units (a 10,000-unit cycle has 20 batches; each batch's history stays a few thousand events).
 *
 * The batch tells the cycle how its units settled in one signal once every one of them has
 * (submitted, or silent at its hard close), then — in revision rounds — as each reopened unit
 * settles again. It fans the cycle's "collection closed" and "close" out to its units, and ends
 * once they have.
 *
 * Set-based collection (runs started since): the batch dispatches all its tasks in one activity
 * once its units run, and when the cycle hears that no task is open any more ("all reported") it
 * wakes the units that reported, read from PostgreSQL in one activity — instead of one dispatch
 * activity per unit and one signal per report.
 *
 * Units started by activity (runs started since): the batch starts its units through the
 * Temporal client rather than as its children, and dispatches their tasks, in one activity
 * (activities/unit-workflows.activities.ts), so their starts cost the batch's history three events
 * instead of two per unit plus a workflow task per few. The units tell the batch by its id (not as
 * their parent) how they settled; the batch cancels them itself when it is cancelled, and ends once
 * it has told them to close (the archive waits for each to close).
 */
import { allHandlersFinished, CancellationScope, condition, getExternalWorkflowHandle, isCancellation, ParentClosePolicy, patched, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import type { UnitSchedule } from '../domain/calendar';
import { activities, cycleActivities, unitStartActivities } from './activity-proxies';
import { allReportedSignal, closeUnitSignal, collectionClosedSignal, submittedSignal, unitSettledSignal, unitsSettledSignal } from './messages';
import { CAMPAIGN, PERIOD, STAGE, UNIT } from './search-attributes';
import { unitWorkflowId } from '../domain/period';
import type { OpenedUnit, UnitOutcome, UnitSettled } from './types';
import { unitWorkflow } from './unit.workflow';

/** Units per batch: 500 children keep a batch's history near 5,000 events. */
export const UNIT_BATCH_SIZE = 500;
/**
 * Units per batch with set-based collection. Temporal records each child's start in its parent's
 * history, one parent at a time: more, smaller parents start a cycle's unit workflows in parallel.
 */
export const SET_BASED_BATCH_SIZE = 100;

export interface UnitBatchInput {
  readonly cycleId: number;
  readonly campaignCode: string;
  readonly period: string;
  readonly schedule: UnitSchedule;
  readonly units: readonly OpenedUnit[];
  /** Set-based collection (see above); absent in runs started before it. */
  readonly setBased?: boolean;
}

export async function unitBatchWorkflow(input: UnitBatchInput): Promise<void> {
  const { cycleId, campaignCode, period, schedule, units } = input;
  const cycleWorkflowId = workflowInfo().parent!.workflowId;
  const workflowIdOf = (unit: OpenedUnit): string => unitWorkflowId(cycleWorkflowId, unit.unitCode);
  const setBased = input.setBased === true;
  const settled = new Map<string, UnitOutcome>();
  const unreported: UnitSettled[] = [];
  let collectionClosedAt: string | undefined;
  let collectionClosedForwarded = false;
  let closed = false;
  let reported = false;

  setHandler(allReportedSignal, () => {
    reported = true;
  });
  setHandler(unitSettledSignal, (s) => {
    settled.set(s.unitCode, s.outcome);
    unreported.push(s);
  });
  setHandler(collectionClosedSignal, ({ at }) => {
    collectionClosedAt ??= at;
  });
  setHandler(closeUnitSignal, () => {
    closed = true;
  });

  // Added when dispatch at 1,000 units cost the Temporal server 8.6 history events per unit, 3.6 of
  // them in the batch: the batch starts its units through the client, in one activity, instead
  // of as its children.
  const startedByActivity = setBased && patched('units-started-by-activity');
  const children = startedByActivity ? [] : await Promise.all(
    units.map((unit) =>
      startChild(unitWorkflow, {
        workflowId: workflowIdOf(unit),
        args: [{ cycleId, taskId: unit.taskId, unitCode: unit.unitCode, schedule, ...(setBased ? { dispatchedByBatch: true } : {}) }],
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        typedSearchAttributes: [
          { key: CAMPAIGN, value: campaignCode },
          { key: PERIOD, value: period },
          { key: UNIT, value: unit.unitCode },
          { key: STAGE, value: setBased ? 'collecting' : 'dispatching' },
        ],
      }),
    ),
  );
  const unitIds = units.map(workflowIdOf);
  try {
    // The units run before any link goes out: an administrator can re-send a link from then on.
    if (startedByActivity) {
      const { workflowId, taskQueue } = workflowInfo();
      await unitStartActivities.startAndDispatchUnits({ cycleId, cycleWorkflowId, batchWorkflowId: workflowId, taskQueue, campaignCode, period, schedule, units });
    } else if (setBased) {
      await cycleActivities.dispatchTasks({ cycleId, taskIds: units.map((u) => u.taskId) });
    }
    await collect();
    if (startedByActivity) {
      // Units that are not children end on their own once told; the archive waits for each to close.
      await Promise.all(unitIds.map((id) => getExternalWorkflowHandle(id).signal(closeUnitSignal)));
    } else {
      // Wait for the children to end on their own: a batch that closed first would cancel them.
      await Promise.all(children.map((child) => child.signal(closeUnitSignal)));
      await Promise.all(children.map((child) => child.result()));
    }
  } catch (error) {
    // Children are cancelled with their parent; units started through the client are cancelled here.
    if (startedByActivity && isCancellation(error)) {
      // A unit that has already ended refuses the request; nothing is left to cancel there.
      await CancellationScope.nonCancellable(() => Promise.all(unitIds.map((id) => getExternalWorkflowHandle(id).cancel().catch(() => undefined))));
    }
    throw error;
  }
  await condition(allHandlersFinished);

  /** Until the cycle closes: wakes the units that reported, forwards an early close, tells the cycle how the units settled. */
  async function collect(): Promise<void> {
    const cycle = getExternalWorkflowHandle(cycleWorkflowId);
    const allSettled = (): boolean => settled.size === units.length;
    for (;;) {
      await condition(() => closed || reported || (collectionClosedAt !== undefined && !collectionClosedForwarded) || (unreported.length > 0 && allSettled()));
      if (closed) return;
      if (reported) {
        reported = false;
        const waiting = units.filter((u) => !settled.has(u.unitCode));
        const done = new Set(waiting.length > 0 ? await activities.reportedTasks({ taskIds: waiting.map((u) => u.taskId) }) : []);
        await Promise.all(waiting.filter((u) => done.has(u.taskId)).map((u) => getExternalWorkflowHandle(workflowIdOf(u)).signal(submittedSignal)));
      }
      if (collectionClosedAt !== undefined && !collectionClosedForwarded) {
        collectionClosedForwarded = true;
        const at = collectionClosedAt;
        await Promise.all(units.filter((u) => !settled.has(u.unitCode)).map((u) => getExternalWorkflowHandle(workflowIdOf(u)).signal(collectionClosedSignal, { at })));
      }
      if (unreported.length > 0 && allSettled()) await cycle.signal(unitsSettledSignal, unreported.splice(0));
    }
  }
}
