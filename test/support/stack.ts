/**
 * The real product for one test file: a PostgreSQL database of its own (copied from the run's
 * migrated template) and the run's Temporal server, an
 * in-process SMTP sink over loopback, a worker on a task queue of the file's own, and the API
 * listening on a real port.
 */
import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, Runtime, DefaultLogger, type WorkflowBundle } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { Transporter } from 'nodemailer';
import { buildApp, type AppDeps } from '../../api/app';
import { createApiToken } from '../../api/http/auth';
import { newApiToken } from '../../auth/tokens';
import { ensurePersonWithRole } from '../../api/services/people.service';
import { createDatabaseFrom, withDatabaseName } from '../../db/admin';
import { loadConfig, type Config } from '../../config/config';
import type { Role } from '../../db/entities/api-token.entity';
import { ormOptions } from '../../db/orm';
import { startMailSink, type MailSink } from '../../mail/sink';
import { createMailTransport } from '../../mail/transport';
import { freePort } from '../../scripts/lib/project';
import { WORKFLOWS_PATH, createWorker } from '../../worker/worker';

export interface Stack {
  readonly config: Config;
  readonly orm: MikroORM;
  readonly sink: MailSink;
  readonly client: Client;
  readonly app: FastifyInstance;
  readonly baseUrl: string;
  /** Creates a personal API token with `role` and returns it. */
  /**
   * A new API token of a new person (named `name`, with an email of their own) holding `role`
   * over the whole installation; or, with `personId`, another token of that person.
   */
  token(role: Role, name?: string, options?: { personId?: number }): Promise<string>;
  /** A new person holding `role` over the whole installation; answers their id and email. */
  person(role: Role, name?: string): Promise<{ id: number; email: string }>;
  /** Stops the worker (to simulate an outage) and starts it again. */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  stop(): Promise<void>;
}

let bundle: Promise<WorkflowBundle> | undefined;
let runtimeInstalled = false;

export interface StackOptions {
  /** A migrated database to copy; the run's template by default. */
  readonly templateDatabaseUrl?: string;
  readonly temporalAddress?: string;
  readonly activityConcurrency?: number;
  readonly linkGuessLimit?: number;
  /** False to run no in-process worker (a test runs worker processes of its own). */
  readonly worker?: boolean;
  /** The API's log: its level (silent by default) and where it goes. */
  readonly logLevel?: string;
  readonly logStream?: NodeJS.WritableStream;
  readonly trustProxy?: string;
  readonly refusals?: AppDeps['refusals'];
  /** More configuration (e.g. an identity provider's OIDC_*). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Installs the SDK's runtime before the first in-process worker. Not before: a runtime is shut
 * down when its last worker stops, and one that never ran a worker would keep jest from exiting.
 */
function installRuntime(): void {
  if (runtimeInstalled) return;
  // Errors only, from the SDK's native side too (its retry warnings would flood the fault tests' output).
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
  });
  runtimeInstalled = true;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve(WORKFLOWS_PATH),
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } as never,
  });
  const sink = await startMailSink();
  const apiPort = await freePort();
  const templateUrl = options.templateDatabaseUrl ?? process.env.BAOCAO_TEST_DATABASE_URL!;
  const template = new URL(templateUrl).pathname.slice(1);
  const databaseUrl = withDatabaseName(templateUrl, `${template}_${randomBytes(4).toString('hex')}`);
  await createDatabaseFrom(databaseUrl, template);
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: options.temporalAddress ?? process.env.BAOCAO_TEST_TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: `test-${randomBytes(6).toString('hex')}`,
    SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
    API_PORT: String(apiPort),
    LINK_SECRET: randomBytes(32).toString('hex'),
    SECRETARIAT_EMAIL: 'thuongtruc@hdtdkt.example.org',
    LOG_LEVEL: options.logLevel ?? process.env.BAOCAO_TEST_LOG_LEVEL ?? 'silent',
    TRUST_PROXY: options.trustProxy,
    LINK_GUESS_LIMIT: String(options.linkGuessLimit ?? 1000),
    // Unset in tests (the default applies); benchmarks pass it through to measure the cache's trade-off.
    WORKER_MAX_CACHED_WORKFLOWS: process.env.WORKER_MAX_CACHED_WORKFLOWS,
    ...options.env,
  });
  const orm = await MikroORM.init(ormOptions(config.DATABASE_URL));
  const mailer: Transporter = createMailTransport(config.SMTP_URL);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const deps = { orm, mailer, temporal: client, config, now: () => new Date() };
  const workflowBundle = await bundle;

  let running: { stop: () => Promise<void> } | undefined;
  const startWorker = async (): Promise<void> => {
    installRuntime();
    const { worker, connection } = await createWorker(config, deps, {
      workflowBundle,
      shutdownGraceTime: '2s',
      ...(options.activityConcurrency ? { maxConcurrentActivityTaskExecutions: options.activityConcurrency } : {}),
    });
    const run = worker.run();
    running = {
      stop: async () => {
        worker.shutdown();
        await run;
        await connection.close();
      },
    };
  };
  if (options.worker !== false) await startWorker();

  const app = await buildApp({
    config,
    orm,
    temporal: client,
    ...(options.logStream ? { logStream: options.logStream } : {}),
    ...(options.refusals ? { refusals: options.refusals } : {}),
  });
  await app.listen({ host: '127.0.0.1', port: apiPort });

  const newPerson = async (role: Role, name: string) => {
    const email = `${role}-${randomBytes(5).toString('hex')}@test.invalid`;
    const person = await ensurePersonWithRole(
      orm.em.fork(),
      { kind: 'system', id: 'test', origin: 'test' },
      { name, email, role },
      new Date(),
    );
    return { id: person.id, email };
  };

  return {
    config,
    orm,
    sink,
    client,
    app,
    baseUrl: config.PUBLIC_URL,
    async token(role, name = `${role} ${randomBytes(3).toString('hex')}`, options = {}) {
      const personId = options.personId ?? (await newPerson(role, name)).id;
      const token = newApiToken();
      await createApiToken(orm.em.fork(), { personId, name, role }, token);
      return token;
    },
    person: (role, name = `${role} ${randomBytes(3).toString('hex')}`) => newPerson(role, name),
    stopWorker: async () => {
      await running?.stop();
      running = undefined;
    },
    startWorker,
    async stop() {
      await app.close();
      await running?.stop();
      await connection.close();
      mailer.close();
      await sink.close();
      await orm.close();
    },
  };
}

/** Tokens for the council's three members (chair, vice-chair, member), named `names`. */
export async function councilTokens(
  stack: Stack,
  names: readonly [string, string, string] = ['Chủ tịch', 'Phó Chủ tịch', 'Ủy viên'],
): Promise<string[]> {
  const tokens: string[] = [];
  for (const name of names) tokens.push(await stack.token('council', name));
  return tokens;
}
