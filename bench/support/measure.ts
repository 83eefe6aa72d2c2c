/** Timing, statistics, memory and PostgreSQL sampling, and the Markdown tables the benchmarks print. */
import { Client } from 'pg';

/** Milliseconds `fn` took, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** The nearest-rank percentile `p` (0–100) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export const fmtSeconds = (ms: number): string => (ms / 1000).toFixed(2);
export const fmtMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
export const fmtRatio = (product: number, floor: number): string => `${(product / floor).toFixed(2)}×`;
export const fmtMiB = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** "met" or "MISSED" for a goal. */
export const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');

/**
 * Samples this process's resident set size every `intervalMs` (the product's worker, API and
 * SMTP sink all run in this process, so it is their sum, Temporal's native core included).
 */
export function sampleRss(intervalMs = 100): { stop(): { startBytes: number; peakBytes: number } } {
  const startBytes = process.memoryUsage.rss();
  let peakBytes = startBytes;
  const timer = setInterval(() => {
    peakBytes = Math.max(peakBytes, process.memoryUsage.rss());
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      peakBytes = Math.max(peakBytes, process.memoryUsage.rss());
      return { startBytes, peakBytes };
    },
  };
}

/** Prints a Markdown table with a heading and optional notes under it. */
export function printTable(
  title: string,
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  notes: readonly string[] = [],
): void {
  const numeric = headers.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^[-\d.,×%<>≤≥ ]+$/.test(String(r[i] ?? ''))),
  );
  console.log(`\n### ${title}\n`);
  console.log(`| ${headers.join(' | ')} |`);
  console.log(`|${numeric.map((n) => (n ? '---:' : '---')).join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  if (notes.length) console.log(`\n${notes.map((n) => `- ${n}`).join('\n')}`);
}

/** Runs `fn` over `items` with at most `concurrency` calls in flight. */
export async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}

export interface SessionUse {
  /** Mean number of sessions running a statement. */
  readonly active: number;
  /** Mean number of them waiting for an advisory lock (the audit log's). */
  readonly advisoryWaits: number;
  /** Mean number of non-idle sessions by state and wait event ("cpu" when not waiting), largest first. */
  readonly byWait: readonly { readonly what: string; readonly mean: number }[];
  /** The five commonest of `byWait` with their means, for a table cell ('none' when there are none). */
  readonly topWaits: string;
}

/** Samples the PostgreSQL sessions on one database every `intervalMs`: what the non-idle ones are doing or waiting for. */
export function sampleSessions(databaseUrl: string, intervalMs = 100): { stop(): Promise<SessionUse> } {
  const pg = new Client({ connectionString: databaseUrl });
  const database = new URL(databaseUrl).pathname.slice(1);
  const sums = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    await pg.connect();
    while (!stopped) {
      const { rows } = await pg.query<{ state: string; wait: string; n: string }>(
        `SELECT state, coalesce(wait_event_type || ':' || wait_event, 'cpu') AS wait, count(*) AS n
         FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND state <> 'idle' GROUP BY 1, 2`,
        [database],
      );
      for (const r of rows) sums.set(`${r.state} ${r.wait}`, (sums.get(`${r.state} ${r.wait}`) ?? 0) + Number(r.n));
      samples += 1;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    await pg.end();
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      const mean = (match: (key: string) => boolean): number =>
        [...sums].filter(([k]) => match(k)).reduce((a, [, v]) => a + v, 0) / Math.max(samples, 1);
      const byWait = [...sums]
        .map(([what, v]) => ({ what, mean: v / Math.max(samples, 1) }))
        .sort((a, b) => b.mean - a.mean);
      return {
        active: mean((k) => k.startsWith('active ')),
        advisoryWaits: mean((k) => k.endsWith(' Lock:advisory')),
        byWait,
        topWaits:
          byWait
            .slice(0, 5)
            .map((w) => `${w.what} ${w.mean.toFixed(1)}`)
            .join(', ') || 'none',
      };
    },
  };
}
