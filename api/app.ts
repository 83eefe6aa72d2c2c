/**
 * Builds the HTTP application without listening: JSON API (OpenAPI at /openapi.json), the pages
 * behind unit heads' links, health. `main.ts` listens; tests listen on a free port.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import helmet from 'helmet';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { trustProxySetting, type Config } from '../config/config';
import type { SignalDefinition } from '@temporalio/common';
import { authenticate } from './http/auth';
import { enforceScope } from './http/scope';
import { AuthError, registerErrorHandler, type ErrorBody } from './http/errors';
import { registerJsonBodyParser } from './http/json-body';
import { registerValidation } from './http/validation';
import { registerObservability } from './http/observability';
import { prettyLogStream, redactLinkTokens } from '../observability/log';
import { isLinkRoute, registerLinkGuard } from './http/link-guard';
import { createRefusalLog, type RefusalLog, type RefusalLogOptions } from './http/refusal-log';
import { createAfterReport, type AfterReport } from './services/unit-task.service';
import { CONTENT_SECURITY_POLICY } from './pages/html';
import { adminRoutes } from './json/admin';
import { auditRoutes } from './json/audit.routes';
import { consoleRoutes } from './console';
import { councilRoutes } from './json/council.routes';
import { documentRoutes } from './json/documents.routes';
import { summaryRoutes } from './json/summaries.routes';
import { scoringRoutes } from './json/scoring.routes';
import { titleVoteRoutes } from './json/title-votes.routes';
import { cycleRoutes } from './json/cycles.routes';
import { linkRoutes } from './unit-head/link-api.routes';
import { pageRoutes } from './unit-head/report-pages.routes';
import { scheduleRoutes } from './json/schedules.routes';
import { registrationRoutes } from './json/registrations.routes';
import { registrationLinkRoutes } from './unit-head/registration-link.routes';
import { registrationPageRoutes } from './unit-head/registration-pages.routes';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    orm: MikroORM;
    temporal: Client;
    now: () => Date;
    temporalUiLink: (workflowId: string) => string;
    /**
     * Wakes a workflow once what it waits for (a submission, a ballot) is stored in PostgreSQL.
     * Runs in the background: an answer never waits for Temporal.
     */
    wake: (workflowId: string, signal: SignalDefinition<[]>) => void;
    /** What follows a committed report (its audit seal, whom to wake), grouped over concurrent reports. */
    afterReport: AfterReport;
    /** Every route with the roles it admits, for the access tests and the route × role table. */
    routeTable: RouteEntry[];
    /** Refused accesses on the audit record, counted per address beyond the first. */
    refusals: RefusalLog;
  }
  interface FastifyRequest {
    /** An entity manager of this request's own. */
    em: EntityManager;
  }
}

/** How long a background wake-up keeps trying while Temporal is unreachable. */
const WAKE_DEADLINE_MS = 5 * 60_000;

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly roles: readonly string[] | undefined;
  /** Roles allowed on a console page (session cookie). */
  readonly consoleRoles: readonly string[] | undefined;
  /** A console page for every scope (api/http/scope.ts does not apply). */
  readonly consoleAnyScope?: boolean;
  /** A list filtered to the caller's scopes, open to every scope (api/http/scope.ts). */
  readonly listInScope?: boolean;
}

export { redactLinkTokens };

/** TRUST_PROXY as Fastify takes it: nobody, the last `n` hops (as Fastify counts them), or these proxies. */
function trustedProxies(config: Config): boolean | string[] | ((address: string, hop: number) => boolean) {
  const setting = trustProxySetting(config.TRUST_PROXY);
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

export interface AppDeps {
  readonly config: Config;
  readonly orm: MikroORM;
  readonly temporal: Client;
  readonly now?: () => Date;
  /** Where the log goes (standard output by default). */
  readonly logStream?: NodeJS.WritableStream;
  readonly refusals?: RefusalLogOptions;
}

export async function buildApp({
  config,
  orm,
  temporal,
  now = () => new Date(),
  logStream,
  refusals,
}: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      config.LOG_LEVEL === 'silent'
        ? false
        : {
            level: config.LOG_LEVEL,
            // Personal links carry their token in the path: never log it (nor any bearer token).
            serializers: {
              req: (req: { method: string; url: string; ip?: string }) => ({
                method: req.method,
                url: redactLinkTokens(req.url),
                remoteAddress: req.ip,
              }),
            },
            ...(logStream
              ? { stream: logStream }
              : config.LOG_FORMAT === 'pretty'
                ? { stream: prettyLogStream() }
                : {}),
          },
    bodyLimit: 1024 * 1024,
    // The client's address is the socket's, unless TRUST_PROXY names the proxies in front.
    trustProxy: trustedProxies(config),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Security headers on every answer, pages and JSON alike, refusals included (so this hook comes
  // first): a strict CSP (no inline script or style anywhere), no framing, no sniffing, no
  // referrer. helmet keeps the list current. Its middleware is built once, here: @fastify/helmet
  // built it again on every request, re-parsing the policy each time (≈ 2 % of the API's main
  // thread under bench:submissions).
  const securityHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
  });
  app.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (error) => done(error instanceof Error ? error : undefined)),
  );

  app.decorate('config', config);
  app.decorate('orm', orm);
  app.decorate('temporal', temporal);
  app.decorate('now', now);
  app.decorate(
    'temporalUiLink',
    (workflowId: string) =>
      `${config.TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`,
  );
  // While Temporal is unreachable the client keeps retrying for up to WAKE_DEADLINE_MS; a wake-up
  // that still fails is logged. Nothing is lost by it: the record is in PostgreSQL, and workflows
  // re-read it at their next step.
  const pendingWakes = new Set<Promise<void>>();
  app.decorate('wake', (workflowId: string, signal: SignalDefinition<[]>) => {
    const sending = temporal.connection
      .withDeadline(Date.now() + WAKE_DEADLINE_MS, () => temporal.workflow.getHandle(workflowId).signal(signal))
      .catch((error: unknown) =>
        app.log.warn(
          { err: error, workflowId, signal: signal.name },
          'stored; the workflow will see it at its next step',
        ),
      )
      .finally(() => pendingWakes.delete(sending));
    pendingWakes.add(sending);
  });
  app.addHook('onClose', async () => {
    await Promise.race([
      Promise.allSettled(pendingWakes),
      new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
    ]);
  });
  app.decorate(
    'afterReport',
    createAfterReport(
      () => orm.em.fork(),
      (error) =>
        app.log.warn(
          { err: error },
          "report stored; its audit seal and wake-up are left to the next report and the workflows' next steps",
        ),
    ),
  );
  const refusalLog = createRefusalLog(() => orm.em.fork(), app.log, refusals);
  app.decorate('refusals', refusalLog);
  app.addHook('onClose', async () => refusalLog.close());
  app.decorateRequest('em', null as unknown as EntityManager);
  app.addHook('onRequest', async (request) => {
    request.em = orm.em.fork();
    // Authentication and roles come before body parsing and validation: a caller without the
    // right gets 401/403 whatever they sent.
    const roles = request.routeOptions.config.roles;
    if (!roles) return;
    try {
      request.principal = await authenticate(request.em, request, roles, app.now());
      await enforceScope(request.em, request, request.principal.scopes);
    } catch (error) {
      if (error instanceof AuthError) await refusalLog.record(request, error);
      throw error;
    }
  });

  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      const config = route.config as
        | {
            roles?: readonly string[];
            consoleRoles?: readonly string[];
            consoleAnyScope?: boolean;
            listInScope?: boolean;
          }
        | undefined;
      routeTable.push({
        method,
        url: route.url,
        roles: config?.roles,
        consoleRoles: config?.consoleRoles,
        ...(config?.consoleAnyScope ? { consoleAnyScope: true } : {}),
        ...(config?.listInScope ? { listInScope: true } : {}),
      });
    }
  });

  // A refused personal link (unknown, replaced or closed) is on the record too, pages and API
  // alike, and counts against the address for guessing.
  const linkGuard = registerLinkGuard(app, config.LINK_GUESS_LIMIT);
  const linkRefused = (request: FastifyRequest, reply: FastifyReply): boolean =>
    (reply.statusCode === 404 || reply.statusCode === 410) && isLinkRoute(request.routeOptions.url);
  app.addHook('onSend', async (request, reply) => {
    if (linkRefused(request, reply)) linkGuard.recordFailure(request); // counted before the answer leaves
  });
  app.addHook('onResponse', async (request, reply) => {
    if (linkRefused(request, reply)) {
      await refusalLog.record(
        request,
        Object.assign(new Error('unknown, replaced or closed personal link'), {
          status: reply.statusCode,
          reason: 'link',
        }),
      );
    }
  });

  // JSON bodies without prototypes, a `__proto__` or `constructor.prototype` key refused (400).
  registerJsonBodyParser(app);
  registerValidation(app);
  registerErrorHandler(app);
  // Fastify's own not-found answer (and its log line) repeats the path, which may hold a personal
  // link's token (`/api/v1/link/<token>/`): this one names the path with tokens redacted.
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: 'NotFound',
      message: `There is no ${request.method} ${redactLinkTokens(request.url.split('?')[0]!)} here.`,
    } satisfies ErrorBody),
  );
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'baocao API',
        version: '1',
        description: 'Monthly reporting cycle of the Emulation & Commendation programme.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });

  registerObservability(app);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(adminRoutes);
  await app.register(cycleRoutes);
  await app.register(councilRoutes);
  await app.register(documentRoutes);
  await app.register(summaryRoutes);
  await app.register(scoringRoutes);
  await app.register(titleVoteRoutes);
  await app.register(scheduleRoutes);
  await app.register(registrationRoutes);
  await app.register(auditRoutes);
  await app.register(consoleRoutes);
  await app.register(linkRoutes);
  await app.register(pageRoutes);
  await app.register(registrationLinkRoutes);
  await app.register(registrationPageRoutes);
  return app;
}
