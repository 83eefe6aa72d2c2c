/**
 * Started by a cycle as it closes (published or cancelled), outliving it: waits for the cycle
 * and every unit workflow to close and stores each full history in PostgreSQL, because the
 * Temporal server drops closed histories after its retention period.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { archiveWorkflowHistory } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // "Still running" is retried with backoff until the workflow has closed.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function archiveCycleWorkflow({ cycleId, workflowIds }: { cycleId: number; workflowIds: readonly string[] }): Promise<number> {
  const BATCH = 50;
  let archived = 0;
  for (let i = 0; i < workflowIds.length; i += BATCH) {
    await Promise.all(workflowIds.slice(i, i + BATCH).map((workflowId) => archiveWorkflowHistory({ cycleId, workflowId })));
    archived += Math.min(BATCH, workflowIds.length - i);
  }
  return archived;
}
