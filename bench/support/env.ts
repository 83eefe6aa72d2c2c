/**
 * What every benchmark stands on: a migrated, seeded template database; a Temporal server of the
 * run's own — the dev server (default dynamic config, so the server's limits are the production
 * ones), or with BENCH_TEMPORAL=cluster the production server proper, its four services as
 * processes on PostgreSQL (scripts/temporal-cluster.ts, databases of the run's own);
 * product stacks (`test/support/stack`) copied from the template; and the cleanup of all of it
 * (stacks, the server, every database of the run) however the run ends, Ctrl-C included.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { dropDatabasesLike, ensureDatabase, withDatabaseName } from '../../db/admin';
import { ormOptions } from '../../db/orm';
import { seedReferenceData } from '../../db/seed';
import { projectRoot } from '../../scripts/lib/project';
import { startTemporalCluster } from '../../scripts/temporal-cluster';
import { startTemporalDevServer } from '../../scripts/temporal-server';
import { startStack, type Stack, type StackOptions } from '../../test/support/stack';

export interface BenchEnv {
  /** The migrated template each stack's database is copied from. */
  readonly templateUrl: string;
  readonly temporal: BenchTemporal;
  /** A product stack (worker, API, SMTP sink) on a database of its own; stopped by the cleanup. */
  startStack(options?: Omit<StackOptions, 'templateDatabaseUrl' | 'temporalAddress'>): Promise<Stack>;
  /** Runs `stop` at cleanup, before the stacks are stopped (latest registered first). */
  onCleanup(stop: () => Promise<void>): void;
}

/** The run's Temporal server. */
export interface BenchTemporal {
  readonly kind: 'dev' | 'cluster';
  readonly address: string;
  /** The process whose CPU the benchmarks meter: the dev server, or the cluster's history service. */
  readonly pid: number | undefined;
  /** How the tables name it. */
  readonly description: string;
  stop(): Promise<void>;
}

/** BENCH_TEMPORAL: `dev` (the default) or `cluster`. */
function temporalKind(): 'dev' | 'cluster' {
  const kind = process.env.BENCH_TEMPORAL ?? 'dev';
  if (kind !== 'dev' && kind !== 'cluster') throw new Error(`BENCH_TEMPORAL is "dev" or "cluster", not "${kind}"`);
  return kind;
}

async function startBenchTemporal(prefix: string): Promise<BenchTemporal> {
  if (temporalKind() === 'dev') {
    const dev = await startTemporalDevServer({ log: () => {} });
    return {
      kind: 'dev',
      address: dev.address,
      pid: dev.process.pid,
      description: 'the Temporal dev server (one process, SQLite in memory)',
      stop: () => dev.stop(),
    };
  }
  const cluster = await startTemporalCluster({
    databaseUrl: serverUrl(),
    databases: { default: `${prefix}_temporal`, visibility: `${prefix}_temporal_visibility` },
    dataDir: path.join(os.tmpdir(), `${prefix}_temporal`),
    log: progress,
  });
  return {
    kind: 'cluster',
    address: cluster.address,
    pid: cluster.services.get('history')?.process.pid,
    description: 'the Temporal server (4 service processes on PostgreSQL; CPU metered: the history service)',
    stop: () => cluster.stop(),
  };
}

/** The PostgreSQL server the benchmarks use (any database on it: they create their own). */
export const serverUrl = (): string => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Sets up a template database and a Temporal dev server, runs `bench`, then stops everything it
 * started and drops every database named `baocao_bench_<name>_<time>…`.
 */
export async function withBenchEnv<T>(name: string, bench: (env: BenchEnv) => Promise<T>): Promise<T> {
  const prefix = `baocao_bench_${name}_${Date.now()}`;
  const cleanups: (() => Promise<void>)[] = [];
  let cleaned: Promise<void> | undefined;
  const cleanup = (): Promise<void> => {
    cleaned ??= (async () => {
      for (const stop of cleanups.reverse()) {
        await stop().catch((error: unknown) => console.error('cleanup:', error));
      }
      await dropDatabasesLike(serverUrl(), prefix).catch((error: unknown) => console.error('cleanup:', error));
    })();
    return cleaned;
  };
  const interrupted = (signal: NodeJS.Signals): void => {
    console.error(`\n${signal}: stopping the stack and the Temporal server, dropping ${prefix}*`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    console.log(describeRun());
    const templateUrl = withDatabaseName(serverUrl(), prefix);
    await ensureDatabase(templateUrl);
    const orm = await MikroORM.init(ormOptions(templateUrl));
    await orm.migrator.up();
    await seedReferenceData(orm.em.fork());
    await orm.close();
    const temporal = await startBenchTemporal(prefix);
    cleanups.push(() => temporal.stop());
    console.log(`Temporal: ${temporal.description}`);
    return await bench({
      templateUrl,
      temporal,
      async startStack(options = {}) {
        const stack = await startStack({
          ...options,
          templateDatabaseUrl: templateUrl,
          temporalAddress: temporal.address,
        });
        cleanups.push(() => stack.stop());
        return stack;
      },
      onCleanup(stop) {
        cleanups.push(stop);
      },
    });
  } finally {
    await cleanup();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

/** What was measured on what: the code's revision, Node, the machine and how busy it was at the start. */
export function describeRun(): string {
  let revision = process.env.BENCH_REVISION ?? 'unknown revision';
  try {
    revision = execFileSync('git', ['describe', '--always', '--dirty'], {
      cwd: projectRoot(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    // not a git checkout (an exported tree): BENCH_REVISION says which commit it is
  }
  const cpus = os.cpus();
  return (
    `Measured ${new Date().toISOString().slice(0, 16)}Z on ${revision}; Node ${process.versions.node}; ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}; ` +
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the start`
  );
}

/** Runs a benchmark's `main` and exits with 1 (after its cleanup) if it throws. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/** `"100,1000"` → `[100, 1000]`; refuses anything but positive integers. */
export function positiveIntegers(option: string, text: string): number[] {
  const values = text.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((n) => !Number.isInteger(n) || n <= 0))
    throw new Error(`--${option} wants positive integers separated by commas, not "${text}"`);
  return values;
}

/** Progress on stderr, so stdout holds only the tables. */
export const progress = (line: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};
