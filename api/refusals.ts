import type { FastifyRequest } from 'fastify';
import { appendAudit } from '../db/audit';

/** Records a refused access (no or bad token, wrong role, unknown link) in the audit log. */
export async function auditRefusal(request: FastifyRequest, error: Error & { status?: number; reason?: string }): Promise<void> {
  await request.em.fork().transactional((em) =>
    appendAudit(em, {
      actor: { kind: 'user', id: request.principal?.name ?? 'anonymous', origin: request.ip },
      action: 'access.refused',
      subjectType: 'route',
      subjectId: `${request.method} ${request.routeOptions.url ?? 'unknown route'}`,
      after: { status: error.status ?? null, reason: error.reason ?? null, message: error.message },
    }),
  );
}
