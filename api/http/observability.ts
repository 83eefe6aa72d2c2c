/**
 * What operators and load balancers ask the API: `/healthz` (the process answers: liveness),
 * `/readyz` (PostgreSQL answers; Temporal's state is reported too, but an API whose Temporal is
 * unreachable still takes reports, stored in PostgreSQL, so it stays in rotation) and `/metrics`
 * (Prometheus text: observability/metrics.ts). None of them needs a token, none shows a secret:
 * expose them to the monitoring network only (OPERATIONS.md).
 */
import type { FastifyInstance } from 'fastify';
import { createProductMetrics, readiness, temporalAnswers } from '../../observability/metrics';

const SUBMISSION_ROUTES = new Set(['/api/v1/link/:token/submission', '/r/:token']);

export function registerObservability(app: FastifyInstance): void {
  const metrics = createProductMetrics(app.orm, 'api');
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode >= 400) metrics.httpErrors.inc({ status: String(reply.statusCode) });
    if (request.method === 'POST' && SUBMISSION_ROUTES.has(request.routeOptions.url ?? '')) {
      const outcome = reply.statusCode < 300 ? 'stored' : reply.statusCode < 500 ? 'refused' : 'failed';
      metrics.submissionSeconds.observe({ outcome }, reply.elapsedTime / 1000);
    }
  });
  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const result = await readiness({
      postgres: () => app.orm.em.fork().getConnection().execute('SELECT 1'),
      temporal: () => temporalAnswers(app.temporal.connection),
    });
    const ready = result.checks.postgres === 'ok';
    return reply.status(ready ? 200 : 503).send({ ok: ready, ...result.checks });
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.render()),
  );
}
