/** A worker in a process of its own, as `npm run start:worker` runs it in production. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Stack } from './stack';
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../../worker/node-flags';

export type WorkerProcess = ChildProcess & {
  /**
   * When the worker has connected, bundled its workflow code and is about to poll (the line
   * worker/main.ts prints then), in ms since the epoch; undefined when it exited before.
   */
  readonly ready: Promise<number | undefined>;
};

/**
 * Starts `<distDir>/worker/main.js` (compiled worker, with the production worker's Node flags and environment)
 * against the stack's database, Temporal task queue and SMTP sink.
 */
export function startWorkerProcess(stack: Stack, distDir: string): WorkerProcess {
  const c = stack.config;
  const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, path.join(distDir, 'worker', 'main.js')], {
    env: {
      ...process.env,
      ...WORKER_ENV,
      DATABASE_URL: c.DATABASE_URL,
      TEMPORAL_ADDRESS: c.TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: c.TEMPORAL_TASK_QUEUE,
      SMTP_URL: c.SMTP_URL,
      LINK_SECRET: c.LINK_SECRET,
      PUBLIC_URL: c.PUBLIC_URL,
      SECRETARIAT_EMAIL: c.SECRETARIAT_EMAIL,
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<number | undefined>((resolve) => {
    let output = '';
    // Read to the end, not only to the line (an unread pipe would block a worker that writes more).
    child.stdout!.on('data', (chunk: Buffer) => {
      if (output.length > 10_000) return;
      output += chunk.toString();
      if (output.includes('baocao worker:')) resolve(Date.now());
    });
    child.once('exit', () => resolve(undefined));
  });
  return Object.assign(child, { ready });
}

/** Resident memory of a process from /proc: now, and the kernel's high-water mark. */
export function processMemory(pid: number): { rssBytes: number; peakBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rssBytes: kib('VmRSS'), peakBytes: kib('VmHWM') };
}
