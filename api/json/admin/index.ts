import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { accessRoutes } from './access.routes';
import { campaignRoutes } from './campaigns.routes';
import { holidayRoutes } from './holidays.routes';
import { policyRoutes } from './policies.routes';
import { templateRoutes } from './templates.routes';
import { unitRoutes } from './units.routes';

/**
 * Administration: units (CRUD, CSV import), templates, policies, campaigns, holidays, and who can
 * get in (API tokens, console sessions: administrators only). Reads are
 * open to administrators, council members and auditors; writes to administrators, and every
 * write appends an audit event in its own transaction.
 */
export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(unitRoutes);
  await app.register(templateRoutes);
  await app.register(policyRoutes);
  await app.register(campaignRoutes);
  await app.register(holidayRoutes);
  await app.register(accessRoutes);
};
