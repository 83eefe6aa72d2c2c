/** API entry point: runs on its own against TEMPORAL_ADDRESS and DATABASE_URL. */
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config/config';
import { openDatabase } from '../db/orm';
import { buildApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig();
  const orm = await openDatabase(config.DATABASE_URL);
  // Lazy: the API keeps taking submissions (stored in PostgreSQL) while Temporal is unreachable.
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = await buildApp({ config, orm, temporal });
  const close = async (): Promise<void> => {
    await app.close();
    await connection.close();
    await orm.close();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  await app.listen({ host: config.API_HOST, port: config.API_PORT });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
