/** Keeps the full Temporal history of a cycle's workflows in PostgreSQL once they are closed. */
import { WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { sha256 } from '../auth/tokens';
import { appendAudit } from '../db/audit';
import type { ActivityDeps } from './deps';

export function createArchiveActivities(deps: ActivityDeps) {
  /**
   * Stores one workflow's history once it has closed; answers whether there is one. While it
   * still runs, fails with a retryable error so Temporal tries again later; a second call for the
   * same run is a no-op. A workflow that never started (its cycle was cancelled first) has none.
   */
  async function archiveWorkflowHistory(cycleId: number, workflowId: string): Promise<boolean> {
    const handle = deps.temporal.workflow.getHandle(workflowId);
    let description;
    try {
      description = await handle.describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
    if (description.status.name === 'RUNNING')
      throw ApplicationFailure.retryable(`${workflowId} has not closed yet`, 'StillRunning');
    const em = deps.orm.em.fork();
    const found = await em.execute<{ id: number }[]>(
      'SELECT id FROM workflow_history WHERE workflow_id = ? AND run_id = ?',
      [workflowId, description.runId],
    );
    if (found[0]) return true;
    const json = historyToJSON(await handle.fetchHistory());
    const events = (JSON.parse(json) as { events?: unknown[] }).events?.length ?? 0;
    const bytes = Buffer.byteLength(json);
    await em.transactional(async (tx) => {
      const inserted = await tx.execute<{ id: number }[]>(
        `INSERT INTO workflow_history (created_at, updated_at, cycle_id, workflow_id, run_id, status, event_count, size_bytes, sha256, history)
         VALUES (now(), now(), ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (workflow_id, run_id) DO NOTHING RETURNING id`,
        [cycleId, workflowId, description.runId, description.status.name, events, bytes, sha256(json), json],
      );
      if (inserted.length === 0) return;
      await appendAudit(tx, {
        actor: { kind: 'system', id: workflowId, origin: workflowId },
        action: 'workflow.history_archived',
        subjectType: 'workflow',
        subjectId: workflowId,
        cycleId,
        after: { runId: description.runId, status: description.status.name, events, bytes, sha256: sha256(json) },
        occurredAt: deps.now(),
      });
    });
    return true;
  }

  return {
    /**
     * Stores the histories of several workflows, one after the other: those still running are
     * left for the retry (a retryable error once the others are stored), those stored before are
     * skipped. Answers how many of them have a stored history.
     */
    async archiveWorkflowHistories({
      cycleId,
      workflowIds,
    }: {
      cycleId: number;
      workflowIds: readonly string[];
    }): Promise<{ archived: number }> {
      const running: string[] = [];
      let archived = 0;
      for (const workflowId of workflowIds) {
        try {
          if (await archiveWorkflowHistory(cycleId, workflowId)) archived += 1;
        } catch (error) {
          if (!(error instanceof ApplicationFailure && error.type === 'StillRunning')) throw error;
          running.push(workflowId);
        }
      }
      if (running.length > 0)
        throw ApplicationFailure.retryable(
          `${running.length} of ${workflowIds.length} workflows have not closed yet (${running[0]} …)`,
          'StillRunning',
        );
      return { archived };
    },
  };
}
