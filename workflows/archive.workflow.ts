/**
 * Started by a cycle as it closes (published or cancelled), outliving it: waits for the cycle
 * and every unit workflow to close and stores each full history in PostgreSQL, because the
 * Temporal server drops closed histories after its retention period.
 */
import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { archiveWorkflowHistory } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // "Still running" is retried with backoff until the workflow has closed.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const { archiveWorkflowHistories } = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Workflows per archiving activity, and activities at once. */
const CHUNK = 50;
const CHUNKS_AT_ONCE = 4;

export async function archiveCycleWorkflow({ cycleId, workflowIds }: { cycleId: number; workflowIds: readonly string[] }): Promise<number> {
  // Added when a 10,000-unit cycle's archive reached 33,686 events (66 % of the history limit) with
  // one activity per workflow: one activity per chunk of 50 keeps it near 800.
  if (patched('archive-in-chunks')) {
    const chunks: string[][] = [];
    for (let i = 0; i < workflowIds.length; i += CHUNK) chunks.push(workflowIds.slice(i, i + CHUNK));
    for (let i = 0; i < chunks.length; i += CHUNKS_AT_ONCE) {
      await Promise.all(chunks.slice(i, i + CHUNKS_AT_ONCE).map((chunk) => archiveWorkflowHistories({ cycleId, workflowIds: chunk })));
    }
    return workflowIds.length;
  }
  const BATCH = 50;
  let archived = 0;
  for (let i = 0; i < workflowIds.length; i += BATCH) {
    await Promise.all(workflowIds.slice(i, i + BATCH).map((workflowId) => archiveWorkflowHistory({ cycleId, workflowId })));
    archived += Math.min(BATCH, workflowIds.length - i);
  }
  return archived;
}
