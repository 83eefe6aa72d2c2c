/**
 * Starting a batch's unit workflows, and waiting for them to end, through the Temporal client
 * instead of as child workflows. A child's start is written into its parent's history (initiated,
 * started) and wakes the parent once per child, one parent at a time; a start from here is one
 * request to the server, so a unit workflow costs the server what any workflow costs.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { UnitSchedule } from '../domain/calendar';
import { unitWorkflowId } from '../domain/period';
import { CAMPAIGN, PERIOD, STAGE, UNIT } from '../workflows/search-attributes';
import type { OpenedUnit } from '../workflows/types';
import type { unitWorkflow } from '../workflows/unit.workflow';
import type { ActivityDeps } from './deps';

export interface StartUnitWorkflowsInput {
  readonly cycleId: number;
  readonly cycleWorkflowId: string;
  /** The batch the units tell when they settle. */
  readonly batchWorkflowId: string;
  readonly taskQueue: string;
  readonly campaignCode: string;
  readonly period: string;
  readonly schedule: UnitSchedule;
  readonly units: readonly OpenedUnit[];
}

export function createUnitWorkflowActivities(deps: ActivityDeps) {
  return {
    /**
     * Starts one unit workflow per unit, all at once; answers how many it started. Safe to retry:
     * a unit whose workflow already runs (or ran) under its id is left as it is.
     */
    async startUnitWorkflows(input: StartUnitWorkflowsInput): Promise<{ started: number }> {
      const { cycleId, cycleWorkflowId, batchWorkflowId, taskQueue, campaignCode, period, schedule, units } = input;
      const started = await Promise.all(units.map(async (unit) => {
        try {
          await deps.temporal.workflow.start<typeof unitWorkflow>('unitWorkflow', {
            taskQueue,
            workflowId: unitWorkflowId(cycleWorkflowId, unit.unitCode),
            args: [{ cycleId, taskId: unit.taskId, unitCode: unit.unitCode, schedule, dispatchedByBatch: true, batchWorkflowId }],
            // One run per unit and cycle: an id that runs or ran already is refused, not started again.
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            typedSearchAttributes: [
              { key: CAMPAIGN, value: campaignCode },
              { key: PERIOD, value: period },
              { key: UNIT, value: unit.unitCode },
              { key: STAGE, value: 'collecting' },
            ],
          });
          return 1;
        } catch (error) {
          // An earlier attempt started it.
          if (error instanceof WorkflowExecutionAlreadyStartedError) return 0;
          throw error;
        }
      }));
      return { started: started.reduce<number>((a, b) => a + b, 0) };
    },

    /** Waits until every one of `workflowIds` has completed; one that failed or was cancelled fails this for good. */
    async unitWorkflowsEnded({ workflowIds }: { workflowIds: readonly string[] }): Promise<{ ended: number }> {
      await Promise.all(workflowIds.map(async (workflowId) => {
        try {
          await deps.temporal.workflow.result(workflowId);
        } catch (error) {
          if (error instanceof WorkflowFailedError) throw ApplicationFailure.nonRetryable(`Unit workflow ${workflowId} did not complete: ${error.message}`, 'UnitWorkflowFailed');
          throw error;
        }
      }));
      return { ended: workflowIds.length };
    },
  };
}
