/** `npm run db:migrate`: creates the database if missing and applies the committed migrations. */
import { loadDatabaseUrl } from '../config/config';
import { ensureDatabase } from '../db/admin';
import { openDatabase } from '../db/orm';

async function main(): Promise<void> {
  const databaseUrl = loadDatabaseUrl();
  await ensureDatabase(databaseUrl);
  const orm = await openDatabase(databaseUrl);
  await orm.close();
  console.log('Database is up to date.');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
