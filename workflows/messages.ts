/** Signals, queries and updates of the cycle, batch and unit workflows, shared with the API. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { UnitSchedule } from '../domain/calendar';
import type { CycleStage } from '../domain/states';
import type { ExtendDeadlineRequest, UnitOutcome, UnitSettled } from './types';

/** Cycle → unit in a revision round: the unit head resubmitted (the submission is already stored in PostgreSQL). */
export const submittedSignal = defineSignal('submitted');
/**
 * API → cycle → batches: no task of the cycle waits for a report any more (every report is
 * already stored). Units that reported are woken then, together, instead of one signal per report.
 */
export const allReportedSignal = defineSignal('allReported');
/** Cycle → batch: a unit's deadline moved; its reminders, deadline and hard close follow. */
export const rescheduleSignal = defineSignal<[{ unitCode: string; schedule: UnitSchedule }]>('reschedule');
/** Cycle → unit: the council sends the unit back for revision until `deadline`. */
export const revisionRequestedSignal = defineSignal<[{ deadline: string }]>('revisionRequested');
/** Cycle → batch: an administrator closed collection early at `at`; a unit that has not reported is closed now. */
export const collectionClosedSignal = defineSignal<[{ at: string }]>('collectionClosed');
/** Cycle → batch: the cycle is published; the batch closes its units and ends. */
export const closeBatchSignal = defineSignal('closeBatch');
/**
 * Batch → unit: the cycle is published; how the unit settled in collection (a unit learns it only
 * now, unless sent back meanwhile: waking every unit as it settles would queue its workflow task
 * ahead of the batches' and the cycle's at each wave). The unit's workflow ends.
 */
export const closeUnitSignal = defineSignal<[{ outcome: UnitOutcome }]>('closeUnit');
/** Administrator → unit: replace the personal link and email the new one. */
export const resendLinkUpdate = defineUpdate<void, [{ requestId: string; actor: string; reason: string }]>(
  'resendLink',
);

/** API → cycle: a council member voted (the ballot is already stored in PostgreSQL). */
export const ballotCastSignal = defineSignal('ballotCast');
/** Unit → its batch: the unit handed in a revised report (or its revision deadline passed). */
export const unitSettledSignal = defineSignal<[UnitSettled]>('unitSettled');
/** Batch → cycle: how these units settled (all of a batch at once, then each revised unit). */
export const unitsSettledSignal = defineSignal<[readonly UnitSettled[]]>('unitsSettled');

/** Administrator → cycle: extend one unit's deadline; answers the unit's new schedule. */
export const extendDeadlineUpdate = defineUpdate<UnitSchedule, [ExtendDeadlineRequest]>('extendDeadline');

/** Administrator → cycle: end collection now instead of at the hard close, with a reason. */
export const closeCollectionUpdate = defineUpdate<
  { closedAt: string; openUnits: number },
  [{ actor: string; reason: string }]
>('closeCollection');

/** A unit's head → cycle: send back the report of a unit reporting to it, with the reason. */
export interface SendBackRequest {
  readonly requestId: string;
  /** The task of the unit that sends back, found from its head's link. */
  readonly byTaskId: number;
  readonly unitCode: string;
  readonly reason: string;
  /** Where the request came from (the client's address), for the audit log. */
  readonly origin: string;
}
export const sendBackUpdate = defineUpdate<{ deadline: string }, [SendBackRequest]>('sendBack');

export interface CycleStatus {
  readonly stage: CycleStage;
  readonly expected: number;
  readonly settled: number;
}
export const cycleStatusQuery = defineQuery<CycleStatus>('status');
