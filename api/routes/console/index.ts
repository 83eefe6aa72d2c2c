import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Pages for people: the administrator's console, the council's review, the auditor's viewer. */
export const consoleRoutes: FastifyPluginAsyncTypebox = async () => {};
