/** Keeps the full Temporal history of a cycle's workflows in PostgreSQL once they are closed. */
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { sha256 } from '../auth/tokens';
import { appendAudit } from '../db/audit';
import type { ActivityDeps } from './deps';

export function createArchiveActivities(deps: ActivityDeps) {
  const activities = {
    /**
     * Stores one workflow's history once it has closed. While it still runs, fails with a
     * retryable error so Temporal tries again later; a second call for the same run is a no-op.
     */
    async archiveWorkflowHistory({ cycleId, workflowId }: { cycleId: number; workflowId: string }): Promise<{ events: number; bytes: number }> {
      const handle = deps.temporal.workflow.getHandle(workflowId);
      const description = await handle.describe();
      if (description.status.name === 'RUNNING') throw ApplicationFailure.retryable(`${workflowId} has not closed yet`, 'StillRunning');
      const em = deps.orm.em.fork();
      const found = await em.execute<{ event_count: number; size_bytes: number }[]>('SELECT event_count, size_bytes FROM workflow_history WHERE workflow_id = ? AND run_id = ?', [workflowId, description.runId]);
      if (found[0]) return { events: found[0].event_count, bytes: found[0].size_bytes };
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
          actor: { kind: 'system', id: workflowId, origin: workflowId }, action: 'workflow.history_archived', subjectType: 'workflow', subjectId: workflowId, cycleId,
          after: { runId: description.runId, status: description.status.name, events, bytes, sha256: sha256(json) }, occurredAt: deps.now(),
        });
      });
      return { events, bytes };
    },

    /**
     * Stores the histories of several workflows, one after the other: those still running are
     * left for the retry (a retryable error once the others are stored), those stored before are
     * skipped. One activity per chunk keeps the archive workflow's own history short.
     */
    async archiveWorkflowHistories({ cycleId, workflowIds }: { cycleId: number; workflowIds: readonly string[] }): Promise<{ archived: number }> {
      const running: string[] = [];
      for (const workflowId of workflowIds) {
        try {
          await activities.archiveWorkflowHistory({ cycleId, workflowId });
        } catch (error) {
          if (!(error instanceof ApplicationFailure && error.type === 'StillRunning')) throw error;
          running.push(workflowId);
        }
      }
      if (running.length > 0) throw ApplicationFailure.retryable(`${running.length} of ${workflowIds.length} workflows have not closed yet (${running[0]} …)`, 'StillRunning');
      return { archived: workflowIds.length };
    },
  };
  return activities;
}
