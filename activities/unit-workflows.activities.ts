/**
 * Starting a batch's unit workflows through the Temporal client instead of as its children. A
 * child's start is written into its parent's history (initiated, started) and wakes the parent
 * once per few children, one parent at a time; a start from here is one request to the server, so
 * a unit workflow costs the server what any workflow costs.
 *
 * The same activity then dispatches the units' tasks: were it a second activity, the batch would
 * schedule it from a workflow task queued behind the first workflow tasks of every unit just started.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { unitWorkflowId } from '../domain/period';
import { CAMPAIGN, PERIOD, STAGE, UNIT } from '../workflows/search-attributes';
import type { OpenedUnit } from '../workflows/types';
import type { unitWorkflow } from '../workflows/unit.workflow';
import type { ActivityDeps } from './deps';

type DispatchTasks = (input: { cycleId: number; taskIds: readonly number[] }) => Promise<{ dispatched: number }>;

export interface StartAndDispatchUnitsInput {
  readonly cycleId: number;
  readonly cycleWorkflowId: string;
  /** The batch that runs the units' schedules. */
  readonly batchWorkflowId: string;
  readonly taskQueue: string;
  readonly campaignCode: string;
  readonly period: string;
  readonly units: readonly OpenedUnit[];
}

export function createUnitWorkflowActivities(deps: ActivityDeps, dispatchTasks: DispatchTasks) {
  return {
    /**
     * Starts one unit workflow per unit, all at once, then dispatches their tasks (the units run
     * before any link goes out: an administrator can re-send a link from then on); answers how many
     * it started and dispatched. Safe to retry: a unit whose workflow already runs (or ran) under its
     * id is left as it is, and a task already dispatched is not dispatched again.
     */
    async startAndDispatchUnits(input: StartAndDispatchUnitsInput): Promise<{ started: number; dispatched: number }> {
      const { cycleId, cycleWorkflowId, batchWorkflowId, taskQueue, campaignCode, period, units } = input;
      const started = await Promise.all(
        units.map(async (unit) => {
          try {
            await deps.temporal.workflow.start<typeof unitWorkflow>('unitWorkflow', {
              taskQueue,
              workflowId: unitWorkflowId(cycleWorkflowId, unit.unitCode),
              args: [
                {
                  cycleId,
                  taskId: unit.taskId,
                  unitCode: unit.unitCode,
                  batchWorkflowId,
                },
              ],
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
        }),
      );
      const { dispatched } = await dispatchTasks({ cycleId, taskIds: units.map((u) => u.taskId) });
      return { started: started.reduce<number>((a, b) => a + b, 0), dispatched };
    },
  };
}
