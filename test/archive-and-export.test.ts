/**
 * When a cycle closes, every workflow history is archived in PostgreSQL and replays against the
 * current workflow code; the cycle's whole record exports as one archive whose manifest hashes
 * match its files.
 */
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { sha256 } from '../auth/tokens';
import { WORKFLOWS_PATH } from '../worker/worker';
import { recordHistories } from './support/histories';
import { api, eventually, openCycleUnderReview, timing, untar } from './support/fixtures';
import { useStack } from './support/hooks';

const stack = useStack();

test('a published cycle archives every history, each replays against the current code, and the export carries them with a manifest of hashes', async () => {
  const admin = await stack.token('admin');
  const auditor = await stack.token('auditor');
  const council = [await stack.token('council'), await stack.token('council')];
  const { units, base, workflowId } = await openCycleUnderReview(stack, admin, {
    units: 2,
    timing: timing({ deadline: 120, escalations: [60, 120], hardClose: 180 }),
  });
  for (const token of council)
    expect(
      (await api(stack.baseUrl, 'POST', `${base}/ballots`, { token, body: { version: 1, choice: 'approve' } })).status,
    ).toBe(201);
  await stack.client.workflow.getHandle(workflowId).result();

  const ids = [workflowId, `${workflowId}-batch-1`, ...units.map((u) => `${workflowId}-unit-${u.code}`)].sort();
  const listed = await eventually(
    async () => {
      const res = await api<{ workflowId: string; status: string; events: number; sha256: string }[]>(
        stack.baseUrl,
        'GET',
        `${base}/histories`,
        { token: auditor },
      );
      return res.body.length === ids.length ? res.body : undefined;
    },
    { what: 'the archived histories of the cycle, its unit batch and its two units' },
  );
  expect(listed.map((h) => h.workflowId)).toEqual(ids);
  expect(listed.every((h) => h.status === 'COMPLETED' && h.events > 5)).toBe(true);
  expect(await stack.client.workflow.getHandle(`${workflowId}-archive`).result()).toBe(ids.length);
  await recordHistories(stack.client, 'cycle-archived', [
    workflowId,
    `${workflowId}-batch-1`,
    ...units.map((u) => `${workflowId}-unit-${u.code}`),
    `${workflowId}-archive`,
  ]);

  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve(WORKFLOWS_PATH),
    logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } as never,
  });
  for (const id of ids) {
    const { body } = await api<{ history: unknown }>(stack.baseUrl, 'GET', `${base}/histories/${id}`, {
      token: auditor,
    });
    await Worker.runReplayHistory({ workflowBundle }, body.history as never, id);
  }

  const res = await fetch(`${stack.baseUrl}${base}/export`, { headers: { authorization: `Bearer ${auditor}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/gzip');
  const files = await untar(await res.arrayBuffer());
  const manifest = JSON.parse(files.get(`${workflowId}/manifest.json`)!) as {
    auditChain: { ok: boolean };
    files: { name: string; sha256: string }[];
  };
  expect(manifest.auditChain.ok).toBe(true);
  for (const f of manifest.files) expect(sha256(files.get(`${workflowId}/${f.name}`)!)).toBe(f.sha256);
  expect(manifest.files.map((f) => f.name)).toEqual(
    expect.arrayContaining([
      'audit-events.jsonl',
      'emails.jsonl',
      'submissions.jsonl',
      'consolidated-reports.jsonl',
      'ballots.jsonl',
      'decisions.jsonl',
      ...ids.map((id) => `histories/${id}.json`),
    ]),
  );
  expect(files.get(`${workflowId}/audit-events.jsonl`)).toContain('cycle.published');
  expect(files.get(`${workflowId}/ballots.jsonl`)!.trim().split('\n')).toHaveLength(2);
  // Each consolidated version carries its reading, as the council read it, with the basis it came from.
  const versions = files
    .get(`${workflowId}/consolidated-reports.jsonl`)!
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { version: number; basis: unknown[]; content: { expected: number } });
  expect(versions.map((v) => [v.version, v.basis.length, v.content.expected])).toEqual([
    [1, units.length, units.length],
  ]);
});
