/** Recorded workflow histories: written by tests when RECORD_HISTORIES=1, replayed on every run. */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const HISTORIES_DIR = path.join(__dirname, '..', 'histories');

/** Saves the histories of `workflowIds` under `test/histories/<name>/` when recording is asked for. */
/** The kind of a recorded workflow, by its id (the file name says it): the first that matches, else a cycle. */
const KINDS: readonly [(workflowId: string) => boolean, string][] = [
  [(id) => id.startsWith('registration-'), 'registration'],
  [(id) => id.startsWith('summary-'), 'summary'],
  [(id) => id.startsWith('cut-off-'), 'cut-off'],
  [(id) => id.startsWith('title-vote-'), 'titlevote'],
  [(id) => id.includes('-unit-'), 'unit'],
  [(id) => id.includes('-batch-'), 'batch'],
  [(id) => id.endsWith('-archive'), 'archive'],
];

export async function recordHistories(client: Client, name: string, workflowIds: readonly string[]): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const dir = path.join(HISTORIES_DIR, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [i, workflowId] of workflowIds.entries()) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const kind = KINDS.find(([matches]) => matches(workflowId))?.[1] ?? 'cycle';
    const file = path.join(dir, `${String(i).padStart(2, '0')}-${kind}.json`);
    fs.writeFileSync(file, JSON.stringify({ workflowId, history: JSON.parse(historyToJSON(history)) as unknown }));
  }
}
