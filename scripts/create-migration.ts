/**
 * Generates a migration from the difference between the entities and the committed migrations:
 * applies the committed ones to a scratch database, diffs, writes the new file under
 * `db/migrations/` (source), drops the scratch database.
 */
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadDatabaseUrl } from '../config/config';
import { dropDatabase, ensureDatabase, withDatabaseName } from '../db/admin';
import { ormOptions } from '../db/orm';
import { writeMigrationsIndex } from './lib/migrations-index';

async function main(): Promise<void> {
  const base = loadDatabaseUrl();
  const scratch = withDatabaseName(base, `baocao_migration_${Date.now()}`);
  await ensureDatabase(scratch);
  const source = path.join(__dirname, '..', '..', 'db', 'migrations');
  const options = ormOptions(scratch);
  const orm = await MikroORM.init({ ...options, migrations: { ...options.migrations, path: source } });
  try {
    // Apply what is committed by running the compiled copies, then diff against the entities.
    const compiled = await MikroORM.init(ormOptions(scratch));
    await compiled.migrator.up();
    await compiled.close();
    const result = await orm.migrator.create(source, false, process.argv.includes('--initial'));
    if (result.diff.up.length) {
      writeMigrationsIndex(source);
      console.log(`Wrote db/migrations/${result.fileName} and updated db/migrations/index.ts`);
    } else console.log('No changes: the entities match the migrations.');
  } finally {
    await orm.close();
    await dropDatabase(scratch);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
