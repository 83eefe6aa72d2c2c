/**
 * How a worker process is started (`npm run start:worker`, `npm start`, the compose file, the
 * Dockerfile and bench:scale use these; a deployment test keeps them in step).
 *
 * - `--max-old-space-size=512`: V8 otherwise lets a worker's heaps grow towards a quarter of the
 *   machine's memory before collecting in earnest: the 10,000-unit run reached 1.8 GiB of RSS,
 *   most of it garbage. A cap per heap (the main thread and each workflow thread) makes it
 *   collect sooner.
 * - `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates (Temporal core's runtime, the
 *   workflow thread, libuv's pool) an arena of its own, up to 8 per core, and seldom returns
 *   their memory; at 10,000 units four ≈ 60 MiB arenas were resident. Two are enough for a
 *   process whose JavaScript runs on two threads. glibc reads it at start-up only, so it must be
 *   in the process's environment (BENCHMARKS.md, scale).
 */
export const WORKER_NODE_FLAGS = ['--max-old-space-size=512'] as const;

export const WORKER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
