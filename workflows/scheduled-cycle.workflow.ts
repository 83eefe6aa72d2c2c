/**
 * What a campaign's Temporal Schedule starts each month: works out the reporting month in
 * Vietnam time and starts that month's cycle under its deterministic id, so a cycle already
 * started by hand is not started twice.
 */
import { ParentClosePolicy, WorkflowIdReusePolicy, startChild, workflowInfo } from '@temporalio/workflow';
import { cycleWorkflowId, parsePeriod } from '../domain/period';
import { cycleWorkflow } from './cycle.workflow';
import { CAMPAIGN, PERIOD, STAGE } from './search-attributes';

/** Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving), so the offset is exact. */
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

export interface ScheduledCycleResult {
  readonly workflowId: string;
  readonly started: boolean;
}

export async function scheduledCycleWorkflow({
  campaignCode,
}: {
  campaignCode: string;
}): Promise<ScheduledCycleResult> {
  const period = parsePeriod(new Date(Date.now() + VIETNAM_OFFSET_MS).toISOString().slice(0, 7))!;
  const workflowId = cycleWorkflowId(campaignCode, period);
  try {
    await startChild(cycleWorkflow, {
      workflowId,
      taskQueue: workflowInfo().taskQueue,
      args: [{ campaignCode, period, requestedBy: 'schedule' }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: CAMPAIGN, value: campaignCode },
        { key: PERIOD, value: period },
        { key: STAGE, value: 'collecting' },
      ],
    });
    return { workflowId, started: true };
  } catch (error) {
    if (error instanceof Error && error.name === 'WorkflowExecutionAlreadyStartedError')
      return { workflowId, started: false };
    throw error;
  }
}
