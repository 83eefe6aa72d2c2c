/** Payloads shared by workflows, activities, the API and tests. Pure types only. */
import type { CyclePlan, Instant, UnitSchedule } from '../domain/calendar';

export interface StartCycleInput {
  readonly campaignCode: string;
  readonly period: string;
  /** Who asked: `schedule` or an administrator's token name. */
  readonly requestedBy: string;
  /** Codes of the units that report in this cycle; every active unit when omitted. */
  readonly unitCodes?: readonly string[];
}

/**
 * A unit of an opened cycle. Its workflow's id is `unitWorkflowId(<the cycle's workflow id>, unitCode)`:
 * derived, not carried, so a 20,000-unit cycle's list stays well under Temporal's 2 MB payload
 * limit (runs opened before also carried it as `workflowId`, the same value, now ignored).
 */
export interface OpenedUnit {
  readonly taskId: number;
  readonly unitCode: string;
}

export interface OpenedCycle {
  readonly cycleId: number;
  readonly plan: CyclePlan;
  readonly units: readonly OpenedUnit[];
}

export interface UnitWorkflowInput {
  readonly cycleId: number;
  readonly taskId: number;
  readonly unitCode: string;
  readonly schedule: UnitSchedule;
  /** The unit's batch dispatches its task; the unit starts collecting (absent in runs before set-based collection). */
  readonly dispatchedByBatch?: boolean;
  /**
   * The batch to tell when the unit settles, for a unit its batch started through the client
   * (no parent); absent in runs before, where the parent is told.
   */
  readonly batchWorkflowId?: string;
}

export type UnitOutcome = 'submitted' | 'not_submitted';

export interface UnitSettled {
  readonly unitCode: string;
  readonly outcome: UnitOutcome;
}

export interface ExtendDeadlineRequest {
  readonly unitCode: string;
  readonly newDeadline: Instant;
  readonly reason: string;
  readonly actor: string;
}

export interface CycleResult {
  readonly cycleId: number;
  readonly consolidatedVersion: number;
}
