import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Config } from '../config/config';
import { createActivities, type ActivityDeps } from '../activities';

/** The workflow code the worker bundles: `workflows/index` beside this folder (source or compiled). */
export const WORKFLOWS_PATH = path.join(__dirname, '..', 'workflows');

export interface WorkerHandle {
  readonly worker: Worker;
  readonly connection: NativeConnection;
}

/**
 * A worker for every workflow of workflows/index.ts (cycles, units, summaries, registration rounds)
 * and every activity. Tests pass a prebuilt
 * `workflowBundle` to avoid bundling the workflow code for each worker.
 */
export async function createWorker(
  config: Pick<
    Config,
    'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'WORKER_MAX_CACHED_WORKFLOWS'
  >,
  deps: ActivityDeps,
  options: Partial<
    Pick<
      WorkerOptions,
      'workflowBundle' | 'maxConcurrentActivityTaskExecutions' | 'maxCachedWorkflows' | 'shutdownGraceTime'
    >
  > = {},
): Promise<WorkerHandle> {
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities: createActivities(deps),
    ...(options.workflowBundle ? {} : { workflowsPath: require.resolve(WORKFLOWS_PATH) }),
    // A 10,000-unit cycle keeps 10,000 unit workflows open for a month; most sleep. Cache the
    // recently active ones only (an evicted one is replayed from its short history when it wakes),
    // so the worker's memory does not grow with the number of units.
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    ...options,
  });
  return { worker, connection };
}
