/** Signals, queries and updates of the cycle and unit workflows, shared with the API. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { UnitSchedule } from '../domain/calendar';
import type { CycleStage } from '../domain/states';
import type { ExtendDeadlineRequest, UnitSettled } from './types';

/** API → unit: the unit head submitted (the submission is already stored in PostgreSQL). */
export const submittedSignal = defineSignal('submitted');
/** Cycle → unit: the deadline moved; the unit's reminders and hard close follow. */
export const rescheduleSignal = defineSignal<[UnitSchedule]>('reschedule');
/** Unit → cycle: the unit has submitted, or its hard close passed without a report. */
export const unitSettledSignal = defineSignal<[UnitSettled]>('unitSettled');

/** Administrator → cycle: extend one unit's deadline; answers the unit's new schedule. */
export const extendDeadlineUpdate = defineUpdate<UnitSchedule, [ExtendDeadlineRequest]>('extendDeadline');

export interface CycleStatus {
  readonly stage: CycleStage;
  readonly expected: number;
  readonly settled: number;
}
export const cycleStatusQuery = defineQuery<CycleStatus>('status');
