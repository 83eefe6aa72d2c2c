/**
 * Closed-loop HTTP load: `clients` concurrent clients POST JSON bodies, each request as soon as
 * the client's previous one is answered. It runs in a worker thread, so the clients do not share
 * an event loop with the servers under test (which run in the main thread).
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';

export interface LoadRequest {
  readonly url: string;
  /** JSON text. */
  readonly body: string;
}

export interface LoadJob {
  readonly requests: readonly LoadRequest[];
  readonly clients: number;
}

export interface LoadResult {
  readonly wallMs: number;
  /** Per request, in the order of `requests`: milliseconds until the whole answer was read. */
  readonly latencies: readonly number[];
  /** Per request: the HTTP status, 0 when the connection failed. */
  readonly statuses: readonly number[];
}

export function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'load-worker.js'), { workerData: job });
    worker.once('message', (result: LoadResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with code ${code}`));
    });
  });
}
