import { dropDatabase } from '../../db/admin';
import type { DevServer } from '../../scripts/temporal-server';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __temporal?: DevServer }).__temporal;
  await server?.stop();
  if (process.env.BAOCAO_TEST_DATABASE_URL) await dropDatabase(process.env.BAOCAO_TEST_DATABASE_URL);
}
