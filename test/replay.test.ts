/**
 * Determinism: every recorded history under test/histories replays against the current workflow
 * code. A change that would break runs in flight fails here (use `patched()` for such changes).
 * Record a new one with `RECORD_HISTORIES=1 npm run test:jest -- test/cycle-review.test.ts`; keep the
 * old ones: they are the runs that may still be in flight on older code paths.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../worker/worker';
import { HISTORIES_DIR } from './support/histories';

Runtime.install({ logger: new DefaultLogger('ERROR') });

const recordings = fs.readdirSync(HISTORIES_DIR).flatMap((name) =>
  fs.readdirSync(path.join(HISTORIES_DIR, name)).filter((f) => f.endsWith('.json')).map((f) => path.join(name, f)),
);

test('recorded histories exist (a full cycle with a revision round)', () => {
  expect(recordings.some((r) => r.startsWith('full-cycle-with-revision') && r.endsWith('cycle.json'))).toBe(true);
  expect(recordings.filter((r) => r.endsWith('unit.json')).length).toBeGreaterThanOrEqual(2);
});

test.each(recordings)('the history %s replays against the current workflow code', async (file) => {
  const { workflowId, history } = JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) as { workflowId: string; history: unknown };
  const workflowBundle = await (bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve(WORKFLOWS_PATH), logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } as never }));
  await Worker.runReplayHistory({ workflowBundle }, history as never, workflowId);
});

let bundle: ReturnType<typeof bundleWorkflowCode> | undefined;
