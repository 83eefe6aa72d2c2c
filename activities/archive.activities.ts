/**
 * Keeps the full Temporal history of closed workflows in PostgreSQL: a cycle's (the cycle, its
 * batches, its units) and a campaign's own (summaries, cut-offs, registration rounds, title votes).
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { sha256 } from '../auth/tokens';
import { appendAudit } from '../db/audit';
import { NotFoundError } from '../domain/errors';
import type { ActivityDeps } from './deps';

export function createArchiveActivities(deps: ActivityDeps) {
  /**
   * Stores one workflow's history once it has closed; answers whether there is one. While it
   * still runs, fails with a retryable error so Temporal tries again later; a second call for the
   * same run is a no-op. A workflow that never started (its cycle was cancelled first) has none.
   */
  async function archiveWorkflowHistory(owner: HistoryOwner, workflowId: string): Promise<boolean> {
    const cycleId = 'cycleId' in owner ? owner.cycleId : null;
    const campaignId = 'campaignId' in owner ? owner.campaignId : null;
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
        `INSERT INTO workflow_history (created_at, updated_at, cycle_id, campaign_id, workflow_id, run_id, status, event_count, size_bytes, sha256, history)
         VALUES (now(), now(), ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (workflow_id, run_id) DO NOTHING RETURNING id`,
        [
          cycleId,
          campaignId,
          workflowId,
          description.runId,
          description.status.name,
          events,
          bytes,
          sha256(json),
          json,
        ],
      );
      if (inserted.length === 0) return;
      await appendAudit(tx, {
        actor: { kind: 'system', id: workflowId, origin: workflowId },
        action: 'workflow.history_archived',
        subjectType: 'workflow',
        subjectId: workflowId,
        ...(cycleId === null ? {} : { cycleId }),
        after: { runId: description.runId, status: description.status.name, events, bytes, sha256: sha256(json) },
        occurredAt: deps.now(),
      });
    });
    return true;
  }

  /**
   * Stores the histories of several workflows, one after the other: those still running are left
   * for the retry (a retryable error once the others are stored), those stored before are
   * skipped. Answers how many of them have a stored history.
   */
  async function archiveAll(owner: HistoryOwner, workflowIds: readonly string[]): Promise<{ archived: number }> {
    const running: string[] = [];
    let archived = 0;
    for (const workflowId of workflowIds) {
      try {
        if (await archiveWorkflowHistory(owner, workflowId)) archived += 1;
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
  }

  return {
    /** Stores the histories of a cycle's workflows (see archiveAll). */
    archiveWorkflowHistories: ({ cycleId, workflowIds }: { cycleId: number; workflowIds: readonly string[] }) =>
      archiveAll({ cycleId }, workflowIds),

    /** Stores the histories of a campaign's own workflows (see archiveAll). */
    async archiveCampaignHistories({
      campaign,
      workflowIds,
    }: {
      campaign: string;
      workflowIds: readonly string[];
    }): Promise<{ archived: number }> {
      const [row] = await deps.orm.em
        .fork()
        .execute<{ id: number }[]>('SELECT id FROM campaign WHERE code = ?', [campaign]);
      if (!row) throw new NotFoundError({ code: 'campaign_unknown', params: { campaign } }, 'campaign');
      return archiveAll({ campaignId: row.id }, workflowIds);
    },
  };
}

/** Whose record an archived history belongs to. */
type HistoryOwner = { readonly cycleId: number } | { readonly campaignId: number };
