/**
 * Quick profiles for finding a benchmark's bottleneck: CPU used by this process and by the
 * Temporal server during a phase, the main thread's event-loop utilisation, and a sampling CPU
 * profile of the main thread summed by package and by function.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ; // utime + stime
  } catch {
    return Number.NaN; // not Linux, or the process is gone
  }
}

/** CPU time of each local PostgreSQL process (server and backends), by pid. */
function postgresCpuMs(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc', { withFileTypes: true })) {
    if (!entry.isDirectory() || !/^\d+$/.test(entry.name)) continue;
    try {
      if (readFileSync(`/proc/${entry.name}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue; // gone meanwhile
    }
    const ms = processCpuMs(Number(entry.name));
    if (!Number.isNaN(ms)) byPid.set(Number(entry.name), ms);
  }
  return byPid;
}

/** CPU used between two snapshots by the processes alive at the second (NaN when none is visible). */
function postgresCpuUsedMs(from: ReadonlyMap<number, number>, to: ReadonlyMap<number, number>): number {
  if (to.size === 0) return Number.NaN;
  let used = 0;
  for (const [pid, ms] of to) used += ms - (from.get(pid) ?? 0);
  return used;
}

export interface CpuUse {
  readonly wallMs: number;
  /** CPU time of this process (every thread) over wall time: cores kept busy. */
  readonly thisProcessCores: number;
  /** The same for the Temporal dev server. */
  readonly temporalCores: number;
  /**
   * The same for PostgreSQL when it runs on this machine (NaN otherwise); backends that exit
   * during the phase take their CPU time with them, so this is a lower bound.
   */
  readonly postgresCores: number;
  /** Share of the wall time the main thread's event loop was busy (0–1). */
  readonly mainThreadBusy: number;
}

export function meterCpu(temporalPid: number | undefined): { stop(): CpuUse } {
  const t0 = performance.now();
  const own = process.cpuUsage();
  const temporal0 = temporalPid === undefined ? Number.NaN : processCpuMs(temporalPid);
  const postgres0 = postgresCpuMs();
  const elu = performance.eventLoopUtilization();
  return {
    stop() {
      const wallMs = performance.now() - t0;
      const used = process.cpuUsage(own);
      const temporal1 = temporalPid === undefined ? Number.NaN : processCpuMs(temporalPid);
      const postgres1 = postgresCpuMs();
      return {
        wallMs,
        thisProcessCores: (used.user + used.system) / 1000 / wallMs,
        temporalCores: (temporal1 - temporal0) / wallMs,
        postgresCores: postgresCpuUsedMs(postgres0, postgres1) / wallMs,
        mainThreadBusy: performance.eventLoopUtilization(elu).utilization,
      };
    },
  };
}

/**
 * Waits until the Temporal server and this process are quiet (under `cores` busy over a second),
 * e.g. until the unit workflows of a dispatched cycle have run their first steps; answers the ms waited.
 */
export async function waitUntilQuiet(
  temporalPid: number | undefined,
  { cores = 0.1, timeoutMs = 120_000 } = {},
): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const cpu = meterCpu(temporalPid);
    await new Promise((r) => setTimeout(r, 1000));
    const use = cpu.stop();
    const busy = (Number.isNaN(use.temporalCores) ? 0 : use.temporalCores) + use.thisProcessCores;
    if (busy < cores || performance.now() - t0 > timeoutMs) return performance.now() - t0;
  }
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

/** Where a URL's code comes from: an npm package, Node itself, or the project's own folder. */
function ownerOf(url: string): string {
  if (url === '') return '(native, GC, idle)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const dist = /\/dist\/([^/]+)\//.exec(url);
  return dist ? `project ${dist[1]}/` : url;
}

export interface CpuProfileSummary {
  readonly sampledMs: number;
  readonly byOwner: readonly { owner: string; share: number }[];
  readonly byFunction: readonly { fn: string; share: number }[];
}

/** Starts a sampling CPU profile of the main thread; `stop()` sums self time by package and by function. */
export async function profileCpu(): Promise<{ stop(): Promise<CpuProfileSummary> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await session.post('Profiler.stop')) as unknown as {
        profile: { nodes: ProfileNode[]; startTime: number; endTime: number };
      };
      session.disconnect();
      // The raw profile, for DevTools or a closer look at callers (test-artifacts/ is not committed).
      mkdirSync('test-artifacts', { recursive: true });
      writeFileSync(
        path.join('test-artifacts', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`),
        JSON.stringify(profile),
      );
      const total = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0) || 1;
      const byOwner = new Map<string, number>();
      const byFunction = new Map<string, number>();
      for (const node of profile.nodes) {
        const hits = node.hitCount ?? 0;
        if (!hits) continue;
        const { functionName, url, lineNumber } = node.callFrame;
        const owner = functionName === '(idle)' ? '(idle)' : ownerOf(url);
        byOwner.set(owner, (byOwner.get(owner) ?? 0) + hits);
        const fn = url
          ? `${functionName || '(anonymous)'} ${owner.startsWith('project') ? path.relative(process.cwd(), url.replace('file://', '')) : `${owner}/${path.basename(url)}`}:${lineNumber + 1}`
          : functionName;
        byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
      }
      const top = (m: Map<string, number>) =>
        [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => ({ k, share: v / total }));
      return {
        sampledMs: (profile.endTime - profile.startTime) / 1000,
        byOwner: top(byOwner)
          .slice(0, 10)
          .map(({ k, share }) => ({ owner: k, share })),
        byFunction: top(byFunction)
          .slice(0, 12)
          .map(({ k, share }) => ({ fn: k, share })),
      };
    },
  };
}
