import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { Migrator } from '@mikro-orm/migrations';
import path from 'node:path';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export function ormOptions(databaseUrl: string, overrides: Partial<Options> = {}): Options {
  return {
    clientUrl: databaseUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: {
      // An explicit list (db/migrations/index.ts), so source and compiled code load the same way.
      migrationsList: MIGRATIONS,
      path: path.join(__dirname, 'migrations'),
      transactional: true,
      // Diff against the migrated schema itself (no snapshot): the snapshot cannot represent the
      // statement-level TRUNCATE trigger on audit_event and would try to drop it every time.
      snapshot: false,
      silent: true,
      emit: 'ts',
    },
    pool: { min: 0, max: 10 },
    debug: false,
    ...overrides,
  };
}

/**
 * Opens the ORM and brings the schema up to date with the committed migrations. Processes that
 * start together (worker, API) take turns through an advisory lock held on its own connection.
 */
export async function openDatabase(databaseUrl: string, overrides: Partial<Options> = {}): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(databaseUrl, overrides));
  const lock = new Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock(hashtext('baocao_migrations'))`);
    await orm.migrator.up();
  } catch (error) {
    await orm.close();
    throw error;
  } finally {
    await lock.end();
  }
  return orm;
}
