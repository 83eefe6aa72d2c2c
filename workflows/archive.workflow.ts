/**
 * Started by a cycle as it closes (published or cancelled), outliving it: waits for the cycle, its
 * batches and its units to close and stores each full history in PostgreSQL, because the Temporal
 * server drops closed histories after its retention period. One activity per chunk of workflows
 * keeps this workflow's own history short at any number of units.
 */
import { ParentClosePolicy, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { archiveWorkflowHistories, archiveCampaignHistories } = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '30 seconds',
  // "Still running" is retried with backoff until every workflow of the chunk has closed.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Workflows per archiving activity, and activities at once. */
const CHUNK = 50;
const CHUNKS_AT_ONCE = 4;

/** Answers how many histories are stored (a workflow that never started has none). */
export async function archiveCycleWorkflow({
  cycleId,
  workflowIds,
}: {
  cycleId: number;
  workflowIds: readonly string[];
}): Promise<number> {
  const chunks: string[][] = [];
  for (let i = 0; i < workflowIds.length; i += CHUNK) chunks.push(workflowIds.slice(i, i + CHUNK));
  let archived = 0;
  for (let i = 0; i < chunks.length; i += CHUNKS_AT_ONCE) {
    const results = await Promise.all(
      chunks.slice(i, i + CHUNKS_AT_ONCE).map((chunk) => archiveWorkflowHistories({ cycleId, workflowIds: chunk })),
    );
    archived += results.reduce((sum, r) => sum + r.archived, 0);
  }
  return archived;
}

/**
 * Stores the histories of a campaign's own workflows (a summary's freezing, a cut-off, a
 * registration round, a title vote) once they have closed. Started by each of them as it ends
 * (`archiveWhenClosed`), outliving it.
 */
export async function archiveCampaignWorkflow({
  campaign,
  workflowIds,
}: {
  campaign: string;
  workflowIds: readonly string[];
}): Promise<number> {
  return (await archiveCampaignHistories({ campaign, workflowIds })).archived;
}

/** Hands this workflow's history to an archive workflow of its own, which stores it once this one has closed. */
export async function archiveWhenClosed(campaign: string): Promise<void> {
  const { workflowId, taskQueue } = workflowInfo();
  await startChild(archiveCampaignWorkflow, {
    workflowId: `${workflowId}-archive`,
    taskQueue,
    args: [{ campaign, workflowIds: [workflowId] }],
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
}
