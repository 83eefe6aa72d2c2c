/**
 * A worker's own small HTTP server (WORKER_METRICS_PORT): `/metrics` (the product's figures and
 * this process's, then the Temporal SDK's runtime metrics — slots, schedule-to-start latency,
 * polls — read from the SDK's Prometheus exporter on a loopback port), `/healthz` (the worker is
 * running) and `/readyz` (running, PostgreSQL and Temporal answer).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { createProductMetrics, readiness, temporalAnswers } from '../observability/metrics';

export interface WorkerHttpOptions {
  readonly port: number;
  readonly host?: string;
  readonly orm: MikroORM;
  readonly temporal: Connection;
  readonly worker: () => Worker | undefined;
  /** host:port of the SDK's Prometheus exporter. */
  readonly sdkMetricsAddress?: string;
}

export async function startWorkerHttp(options: WorkerHttpOptions): Promise<http.Server> {
  const metrics = createProductMetrics(options.orm, 'worker');
  const sdkMetrics = options.sdkMetricsAddress
    ? async () => {
        const res = await fetch(`http://${options.sdkMetricsAddress}/metrics`, { signal: AbortSignal.timeout(3000) });
        return res.ok ? res.text() : '';
      }
    : undefined;
  const running = (): boolean => options.worker()?.getState() === 'RUNNING';
  const json = (res: http.ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = async (): Promise<void> => {
      if (req.method !== 'GET') return json(res, 405, { error: 'MethodNotAllowed' });
      if (path === '/healthz') return json(res, running() ? 200 : 503, { ok: running() });
      if (path === '/readyz') {
        const result = await readiness({
          postgres: () => options.orm.em.fork().getConnection().execute('SELECT 1'),
          temporal: () => temporalAnswers(options.temporal),
        });
        const ok = result.ok && running();
        return json(res, ok ? 200 : 503, { ok, worker: options.worker()?.getState() ?? 'STARTING', ...result.checks });
      }
      if (path === '/metrics') {
        res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(await metrics.render(sdkMetrics));
        return;
      }
      json(res, 404, { error: 'NotFound' });
    };
    answer().catch((error: unknown) => json(res, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return server;
}

export const boundPort = (server: http.Server): number => (server.address() as AddressInfo).port;
