/**
 * The HTTP load generator's thread (see `load.ts`): `clients` keep-alive clients, each sending
 * the next request of the list as soon as its previous one is answered, until none is left.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadJob, LoadResult } from './load';

async function run({ requests, clients }: LoadJob): Promise<LoadResult> {
  const latencies: number[] = new Array<number>(requests.length);
  const statuses: number[] = new Array<number>(requests.length);
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < requests.length) {
      const i = next++;
      const { url, body } = requests[i]!;
      const t0 = performance.now();
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.arrayBuffer();
        statuses[i] = res.status;
      } catch {
        statuses[i] = 0; // no answer at all
      }
      latencies[i] = performance.now() - t0;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(clients, requests.length) }, client));
  return { wallMs: performance.now() - t0, latencies, statuses };
}

// A rejection is unhandled here, which ends the thread with an 'error' event for `runLoad`.
void run(workerData as LoadJob).then((result) => parentPort!.postMessage(result));
