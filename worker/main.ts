/** Worker entry point: runs on its own against TEMPORAL_ADDRESS and DATABASE_URL. */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { loadConfig } from '../config/config';
import { openDatabase } from '../db/orm';
import { createMailTransport } from '../mail/transport';
import { createWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const level: LogLevel = (
    {
      fatal: 'ERROR',
      error: 'ERROR',
      warn: 'WARN',
      info: 'INFO',
      debug: 'DEBUG',
      trace: 'TRACE',
      silent: 'ERROR',
    } as const
  )[config.LOG_LEVEL];
  Runtime.install({ logger: new DefaultLogger(level) });
  const orm = await openDatabase(config.DATABASE_URL);
  const mailer = createMailTransport(config.SMTP_URL);
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
  const { worker, connection } = await createWorker(config, { orm, mailer, temporal, config, now: () => new Date() });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  console.log(`baocao worker: task queue "${config.TEMPORAL_TASK_QUEUE}" on ${config.TEMPORAL_ADDRESS}`);
  try {
    await worker.run();
  } finally {
    mailer.close();
    await connection.close();
    await clientConnection.close();
    await orm.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
