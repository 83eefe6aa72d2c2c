/**
 * Once per test run: a fresh PostgreSQL template database (migrated, reference data seeded) that
 * each test file copies into a database of its own, and a Temporal dev server of the run's own
 * (or the one at TEMPORAL_ADDRESS). Test files read where they are from the environment; the
 * teardown drops the run's databases and stops the server.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { ensureDatabase, serverReachable, withDatabaseName } from '../../db/admin';
import { ormOptions } from '../../db/orm';
import { seedReferenceData } from '../../db/seed';
import { startTemporalDevServer } from '../../scripts/temporal-server';

export default async function globalSetup(): Promise<void> {
  const base = await baseDatabaseUrl();
  const url = withDatabaseName(base, `baocao_test_${Date.now()}_${process.pid}`);
  await ensureDatabase(url);
  const orm = await MikroORM.init(ormOptions(url));
  await orm.migrator.up();
  await seedReferenceData(orm.em.fork());
  await orm.close();
  process.env.BAOCAO_TEST_DATABASE_URL = url;
  process.env.BAOCAO_TEST_DATABASE_PREFIX = new URL(url).pathname.slice(1);

  if (process.env.TEMPORAL_ADDRESS) {
    process.env.BAOCAO_TEST_TEMPORAL_ADDRESS = process.env.TEMPORAL_ADDRESS;
  } else {
    const server = await startTemporalDevServer({ log: (l) => console.log(l) });
    (globalThis as { __temporal?: typeof server }).__temporal = server;
    process.env.BAOCAO_TEST_TEMPORAL_ADDRESS = server.address;
  }
}

async function baseDatabaseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  for (const user of [process.env.PGUSER, 'postgres', 'root'].filter(Boolean)) {
    const url = `postgres://${user}@127.0.0.1:5432/postgres`;
    if (await serverReachable(url)) return url;
  }
  throw new Error(
    'Tests need PostgreSQL: set DATABASE_URL (any database on the server; tests create their own) or run one on 127.0.0.1:5432.',
  );
}
