/**
 * Periodic summaries, frozen. `summaryWorkflow` freezes one window of one campaign; its id names
 * both, so a window is frozen once. Started by hand (POST /api/v1/summaries/:campaign/:window/freeze)
 * it freezes at once; started at a cut-off it first waits, looking once a day, until every monthly
 * cycle of the window has closed (published or cancelled), at most CUT_OFF_WAIT_DAYS, and then
 * freezes what the council approved. Either way the secretariat is emailed.
 *
 * `cutOffWorkflow` is what a campaign's summary Schedule starts on the 15th of every quarter's last
 * month (and what an administrator starts for a cut-off that was missed): it starts the summary
 * workflow of each window ending at that cut-off — the quarter, in June the first half, in
 * December the second half and the year.
 */
import { ParentClosePolicy, WorkflowIdReusePolicy, sleep, startChild, workflowInfo } from '@temporalio/workflow';
import type { Period } from '../domain/period';
import { latestCutOff, windowsEndingWith } from '../domain/summary-window';
import { cycleActivities } from './activity-proxies';
import { archiveWhenClosed } from './archive.workflow';
import { CAMPAIGN } from './search-attributes';

export const summaryWorkflowId = (campaign: string, window: string): string => `summary-${campaign}-${window}`;
export const cutOffWorkflowId = (campaign: string, cutOff: string): string => `cut-off-${campaign}-${cutOff}`;

/** How long a summary started at a cut-off waits for the window's cycles to close before freezing anyway. */
export const CUT_OFF_WAIT_DAYS = 45;

/** Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving), so the offset is exact. */
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

export interface SummaryFrozenResult {
  readonly frozenAt: string;
  readonly sha256: string;
  readonly accepted: number;
}

export async function summaryWorkflow({
  campaign,
  window,
  atCutOff = false,
}: {
  campaign: string;
  window: string;
  atCutOff?: boolean;
}): Promise<SummaryFrozenResult> {
  if (atCutOff)
    for (let day = 0; day < CUT_OFF_WAIT_DAYS; day++) {
      const { open } = await cycleActivities.openSummaryMonths({ campaign, window });
      if (open.length === 0) break;
      await sleep('1 day');
    }
  const { workflowId } = workflowInfo();
  const frozen = await cycleActivities.freezeSummary({ campaign, window, workflowId });
  await cycleActivities.notifySummaryFrozen({ campaign, window, workflowId });
  await archiveWhenClosed(campaign);
  return frozen;
}

export interface CutOffResult {
  readonly cutOff: string;
  readonly windows: { window: string; workflowId: string; started: boolean }[];
}

export async function cutOffWorkflow({
  campaign,
  cutOff,
}: {
  campaign: string;
  cutOff?: Period;
}): Promise<CutOffResult> {
  const period = cutOff ?? latestCutOff(new Date(Date.now() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10));
  const windows: { window: string; workflowId: string; started: boolean }[] = [];
  for (const w of windowsEndingWith(period)) {
    const workflowId = summaryWorkflowId(campaign, w.code);
    try {
      await startChild(summaryWorkflow, {
        workflowId,
        taskQueue: workflowInfo().taskQueue,
        args: [{ campaign, window: w.code, atCutOff: true }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [{ key: CAMPAIGN, value: campaign }],
      });
      windows.push({ window: w.code, workflowId, started: true });
    } catch (error) {
      // Frozen (or being frozen) already, by hand or by an earlier run of this cut-off.
      if (!(error instanceof Error && error.name === 'WorkflowExecutionAlreadyStartedError')) throw error;
      windows.push({ window: w.code, workflowId, started: false });
    }
  }
  await archiveWhenClosed(campaign);
  return { cutOff: period, windows };
}
