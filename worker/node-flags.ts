/**
 * Node flags a worker process runs with (`npm run start:worker`, `npm start`, the compose file and
 * bench:scale pass them; keep those in step). V8 otherwise lets a worker's heaps grow towards a
 * quarter of the machine's memory before collecting in earnest: the 10,000-unit run reached
 * 1.8 GiB of RSS, most of it garbage. A cap per heap (the main thread and each workflow thread)
 * makes it collect sooner (BENCHMARKS.md, scale).
 */
export const WORKER_NODE_FLAGS = ['--max-old-space-size=512'] as const;
