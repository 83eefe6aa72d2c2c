import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { verifyAuditChain } from '../../db/audit-verify';

/** Auditors' checks over the whole record. */
export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/audit/verify',
    {
      config: { roles: ['auditor', 'admin'] },
      schema: {
        summary: 'Re-compute the audit chain and report the first broken row (auditor, administrator)',
        tags: ['audit'],
      },
    },
    async (request) => verifyAuditChain(request.em),
  );
};
