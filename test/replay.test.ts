/**
 * Determinism: every recorded history under test/histories replays against the current workflow
 * code, so a change that would break a run in flight fails here. Histories are recorded by the
 * tests that run those cycles: `RECORD_HISTORIES=1 npm run test:jest -- test/cycle-review.test.ts
 * test/archive-and-export.test.ts test/schedule-and-cancel.test.ts`. Until the first release no
 * run is in flight anywhere: a workflow change records them again. From then on a change that
 * alters commands goes behind `patched()` (or a new worker version) and the old histories stay.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../worker/worker';
import { HISTORIES_DIR } from './support/histories';

Runtime.install({ logger: new DefaultLogger('ERROR') });

const recordings = fs.readdirSync(HISTORIES_DIR).flatMap((name) =>
  fs
    .readdirSync(path.join(HISTORIES_DIR, name))
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.join(name, f)),
);

test('recorded histories exist for every workflow: a published cycle with a revision round, its batch and units, its archive, a cancelled cycle, a frozen summary, a quarterly cut-off, a registration round and a title vote closed at its deadline', () => {
  const kinds = (set: string) =>
    recordings
      .filter((r) => r.startsWith(`${set}${path.sep}`))
      .map((r) => r.replace(/^.*-(\w+)\.json$/, '$1'))
      .sort();
  expect(kinds('cycle-with-revision')).toEqual(['batch', 'cycle', 'unit', 'unit']);
  expect(kinds('cycle-archived')).toEqual(['archive', 'batch', 'cycle', 'unit', 'unit']);
  expect(kinds('cycle-cancelled-while-opening')).toEqual(['archive', 'cycle']);
  expect(kinds('summary-frozen')).toEqual(['summary']);
  expect(kinds('registration-round')).toEqual(['registration']);
  expect(kinds('title-vote-deadline')).toEqual(['titlevote']);
});

test.each(recordings)('the history %s replays against the current workflow code', async (file) => {
  const { workflowId, history } = JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) as {
    workflowId: string;
    history: unknown;
  };
  const workflowBundle = await (bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve(WORKFLOWS_PATH),
    logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } as never,
  }));
  await Worker.runReplayHistory({ workflowBundle }, history as never, workflowId);
});

let bundle: ReturnType<typeof bundleWorkflowCode> | undefined;
