import { dropDatabasesLike } from '../../db/admin';
import type { DevServer } from '../../scripts/temporal-server';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __temporal?: DevServer }).__temporal;
  await server?.stop();
  const url = process.env.BAOCAO_TEST_DATABASE_URL;
  if (url) await dropDatabasesLike(url, process.env.BAOCAO_TEST_DATABASE_PREFIX!);
}
