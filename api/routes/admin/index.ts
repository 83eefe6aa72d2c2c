import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Administration: units (CRUD, CSV import), templates, policies, campaigns, holidays. */
export const adminRoutes: FastifyPluginAsyncTypebox = async () => {};
