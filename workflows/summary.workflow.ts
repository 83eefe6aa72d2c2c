/**
 * A periodic summary, frozen: started by hand (POST /api/v1/summaries/:campaign/:window/freeze)
 * once the window's months are approved. Its id names the campaign and the window, so a window
 * is frozen once.
 */
import { workflowInfo } from '@temporalio/workflow';
import { cycleActivities } from './activity-proxies';

export const summaryWorkflowId = (campaign: string, window: string): string => `summary-${campaign}-${window}`;

export async function summaryWorkflow({
  campaign,
  window,
}: {
  campaign: string;
  window: string;
}): Promise<{ frozenAt: string; sha256: string; accepted: number }> {
  return cycleActivities.freezeSummary({ campaign, window, workflowId: workflowInfo().workflowId });
}
