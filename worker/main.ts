/** Worker entry point: runs on its own against TEMPORAL_ADDRESS and DATABASE_URL. */
import { Client, Connection } from '@temporalio/client';
import { Runtime, type LogLevel, type Worker } from '@temporalio/worker';
import { loadConfig } from '../config/config';
import { openDatabase } from '../db/orm';
import { createMailTransport } from '../mail/transport';
import { logLine, workerLogger } from '../observability/log';
import { freePort } from '../scripts/lib/project';
import { startWorkerHttp } from './http';
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
  // The SDK's runtime metrics go to a loopback exporter that the worker's /metrics reads.
  const sdkMetricsAddress = config.WORKER_METRICS_PORT ? `127.0.0.1:${await freePort()}` : undefined;
  Runtime.install({
    logger: workerLogger(level, config.LOG_FORMAT),
    telemetryOptions: {
      logging: { filter: { core: level, other: level }, forward: {} },
      ...(sdkMetricsAddress ? { metrics: { prometheus: { bindAddress: sdkMetricsAddress } } } : {}),
    },
  });
  const orm = await openDatabase(config.DATABASE_URL);
  const mailer = createMailTransport(config.SMTP_URL);
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
  let running: Worker | undefined;
  const server = config.WORKER_METRICS_PORT
    ? await startWorkerHttp({
        port: config.WORKER_METRICS_PORT,
        orm,
        temporal: clientConnection,
        worker: () => running,
        sdkMetricsAddress,
      })
    : undefined;
  const { worker, connection } = await createWorker(config, { orm, mailer, temporal, config, now: () => new Date() });
  running = worker;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  // Standard output: process managers (and test/support/worker-process.ts) wait for this line.
  console.log(
    logLine(
      config.LOG_FORMAT,
      'INFO',
      `baocao worker: task queue "${config.TEMPORAL_TASK_QUEUE}" on ${config.TEMPORAL_ADDRESS}`,
    ),
  );
  try {
    await worker.run();
  } finally {
    server?.close();
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
