/** Payloads shared by workflows, activities, the API and tests. Pure types only. */
import type { CyclePlan, Instant } from '../domain/calendar';

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
 * derived, not carried, so a 20,000-unit cycle's list stays well under Temporal's 2 MB payload limit.
 */
export interface OpenedUnit {
  readonly taskId: number;
  readonly unitCode: string;
  /** In a campaign of several levels, the unit's level when above the leaves (absent for a leaf). */
  readonly level?: number;
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
  /** The batch that started the unit (through the client: the unit has no parent), runs its schedule and is told when a revision settles. */
  readonly batchWorkflowId: string;
}

export type UnitOutcome = 'submitted' | 'not_submitted';

export interface UnitSettled {
  readonly unitCode: string;
  readonly outcome: UnitOutcome;
  /** How many times the unit had been sent back when it settled (absent: never). */
  readonly round?: number;
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
