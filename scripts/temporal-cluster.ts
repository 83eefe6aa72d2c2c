/**
 * The production Temporal server on PostgreSQL, as a cluster profile on one machine: builds (once,
 * cached in .tools/bin) the server and its schema tool from the Go module of
 * config/temporal-topology.ts, creates and migrates its two databases with the tool, and runs the
 * frontend, history, matching and worker services as separate processes, each with a
 * configuration file of its own (ports, metrics). Then the namespace and the custom search
 * attributes. `npm run temporal:server:install` only builds.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection, isGrpcServiceError } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { Client as PgClient } from 'pg';
import { stringify } from 'yaml';
import {
  TEMPORAL_DATABASES,
  TEMPORAL_DYNAMIC_CONFIG,
  TEMPORAL_HISTORY_SHARDS,
  TEMPORAL_NAMESPACE,
  TEMPORAL_RETENTION_HOURS,
  TEMPORAL_SCHEMA_ROOT,
  TEMPORAL_SCHEMA_STEPS,
  TEMPORAL_SERVER_MODULE,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_SERVICES,
  TEMPORAL_SQL_PLUGIN,
  type TemporalService,
} from '../config/temporal-topology';
import { projectRoot } from './lib/project';
import { registerSearchAttributes } from './lib/search-attributes';

export interface TemporalServerTools {
  readonly server: string;
  readonly sqlTool: string;
  /** The release's PostgreSQL schemas (`…/v12`), copied next to the binaries. */
  readonly schemaRoot: string;
}

const works = (file: string, args: string[]): boolean => spawnSync(file, args, { stdio: 'ignore' }).status === 0;

function findGo(): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/go/bin']) {
    const file = path.join(dir, 'go');
    if (dir && fs.existsSync(file)) return file;
  }
  return undefined;
}

/**
 * The server binary, the SQL tool and the schemas of TEMPORAL_SERVER_VERSION, from
 * .tools/bin (names carry the version, so an upgrade builds anew) or built there with Go.
 */
export function ensureTemporalServer({ log = console.log } = {}): TemporalServerTools {
  const binDir = path.join(projectRoot(), '.tools', 'bin');
  const server = path.join(binDir, `temporal-server-${TEMPORAL_SERVER_VERSION}`);
  const sqlTool = path.join(binDir, `temporal-sql-tool-${TEMPORAL_SERVER_VERSION}`);
  const schemaRoot = path.join(projectRoot(), '.tools', `temporal-schema-${TEMPORAL_SERVER_VERSION}`);
  const ready = (): boolean =>
    works(server, ['--version']) && works(sqlTool, ['--version']) && fs.existsSync(path.join(schemaRoot, 'temporal'));
  if (ready()) return { server, sqlTool, schemaRoot };
  const go = findGo();
  if (!go)
    throw new Error(
      `The cluster profile needs the Temporal server ${TEMPORAL_SERVER_VERSION}: install Go >= 1.25 and run \`npm run temporal:server:install\` (builds ${TEMPORAL_SERVER_MODULE}/cmd/server into .tools/bin).`,
    );
  log(
    `Building the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool into .tools/bin — minutes the first time, cached afterwards…`,
  );
  const build = path.join(binDir, `.build-${process.pid}`);
  fs.mkdirSync(build, { recursive: true });
  const env = { ...process.env, GOBIN: build, CGO_ENABLED: '0' };
  execFileSync(
    go,
    [
      'install',
      `${TEMPORAL_SERVER_MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION}`,
      `${TEMPORAL_SERVER_MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`,
    ],
    { stdio: 'inherit', env },
  );
  fs.renameSync(path.join(build, 'server'), server);
  fs.renameSync(path.join(build, 'sql'), sqlTool);
  fs.rmSync(build, { recursive: true, force: true });
  const modCache = execFileSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8', env }).trim();
  const moduleDir = path.join(modCache, `${TEMPORAL_SERVER_MODULE}@v${TEMPORAL_SERVER_VERSION}`);
  fs.cpSync(path.join(moduleDir, TEMPORAL_SCHEMA_ROOT), schemaRoot, { recursive: true });
  // The module cache is read-only; the copy need not be.
  execFileSync('chmod', ['-R', 'u+w', schemaRoot]);
  if (!ready()) throw new Error(`go install finished but ${server} or ${sqlTool} does not run.`);
  return { server, sqlTool, schemaRoot };
}

export interface PostgresTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

export function postgresTarget(databaseUrl: string): PostgresTarget {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
  };
}

/**
 * Creates and migrates the persistence and visibility databases with temporal-sql-tool, the
 * steps of TEMPORAL_SCHEMA_STEPS. `names` renames the databases (tests use names of their own).
 */
export function setupTemporalDatabases(
  tools: TemporalServerTools,
  pg: PostgresTarget,
  names: Readonly<Record<'default' | 'visibility', string>>,
  log: (line: string) => void = console.log,
): void {
  for (const db of TEMPORAL_DATABASES) {
    const base = [
      '--plugin',
      TEMPORAL_SQL_PLUGIN,
      '--ep',
      pg.host,
      '-p',
      String(pg.port),
      '-u',
      pg.user,
      '--pw',
      pg.password,
      '--db',
      names[db.role],
    ];
    for (const step of TEMPORAL_SCHEMA_STEPS(path.join(tools.schemaRoot, db.schemaDir))) {
      const result = spawnSync(tools.sqlTool, [...base, ...step], { encoding: 'utf8' });
      const output = `${result.stdout}${result.stderr}`;
      if (result.status !== 0) {
        if (step[0] === 'create-database' && /already exists/i.test(output)) continue;
        throw new Error(`temporal-sql-tool ${step.join(' ')} on ${names[db.role]} failed:\n${output.slice(-2000)}`);
      }
    }
    log(`Temporal database ${names[db.role]} is at the schema of server ${TEMPORAL_SERVER_VERSION}.`);
  }
}

export interface ClusterPorts {
  readonly frontend: number;
  readonly frontendHttp: number;
  readonly history: number;
  readonly matching: number;
  readonly worker: number;
  /** Membership (ringpop) port per service. */
  readonly membership: Readonly<Record<TemporalService, number>>;
  /** Prometheus metrics port per service. */
  readonly metrics: Readonly<Record<TemporalService, number>>;
}

/**
 * A free port below 32768: the server stores membership ports in a smallint column, and a port
 * there is outside the kernel's ephemeral range, so no outgoing connection takes it between this
 * check and the service binding it (a taken gRPC or membership port leaves a service out of the
 * ring: "Not enough hosts to serve the request").
 */
async function freeLowPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
}

export async function freeClusterPorts(frontend?: number): Promise<ClusterPorts> {
  const taken = new Set<number>();
  const membership = {} as Record<TemporalService, number>;
  for (const s of TEMPORAL_SERVICES) membership[s] = await freeLowPort(taken);
  const metrics = {} as Record<TemporalService, number>;
  for (const s of TEMPORAL_SERVICES) metrics[s] = await freeLowPort(taken);
  return {
    frontend: frontend ?? (await freeLowPort(taken)),
    frontendHttp: await freeLowPort(taken),
    history: await freeLowPort(taken),
    matching: await freeLowPort(taken),
    worker: await freeLowPort(taken),
    membership,
    metrics,
  };
}

/** Connections one Temporal service may hold to each of its two databases. */
export interface TemporalPools {
  readonly default: number;
  readonly visibility: number;
}

/** The pools of a production server, whose PostgreSQL allows ≥ 200 connections (OPERATIONS.md). */
export const PRODUCTION_POOLS: TemporalPools = { default: 20, visibility: 5 };

/**
 * What baocao's own processes and tools may hold besides Temporal: at `start:cluster`'s defaults
 * (2 workers, 2 APIs, pools of 10) plus a migration lock and an operator's psql each.
 */
const BAOCAO_CONNECTIONS = 50;

/**
 * The pools that fit a PostgreSQL server allowing `maxConnections` (its superuser-reserved ones
 * already taken off) alongside baocao: the production sizes when they fit, otherwise an even
 * share per service, at least 2 + 1. Four services holding 25 each on a server of 100 leave
 * baocao too few, and a refused connection there is a failed request.
 */
export function poolsFor(maxConnections: number): TemporalPools {
  const perService = Math.floor((maxConnections - BAOCAO_CONNECTIONS) / TEMPORAL_SERVICES.length);
  if (perService >= PRODUCTION_POOLS.default + PRODUCTION_POOLS.visibility) return PRODUCTION_POOLS;
  const visibility = Math.max(1, Math.floor(perService / 5));
  return { default: Math.max(2, perService - visibility), visibility };
}

/** The connections `pg` accepts from a non-superuser client: max_connections less the reserved ones. */
async function availableConnections(pg: PostgresTarget): Promise<number> {
  const client = new PgClient({
    host: pg.host,
    port: pg.port,
    user: pg.user,
    password: pg.password,
    database: 'postgres',
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ available: number }>(
      `SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int AS available`,
    );
    return rows[0]?.available ?? 0;
  } finally {
    await client.end();
  }
}

/** The server configuration of one service's process (config/development-postgres12.yaml, adapted). */
export function serverConfig(
  service: TemporalService,
  pg: PostgresTarget,
  names: Readonly<Record<'default' | 'visibility', string>>,
  ports: ClusterPorts,
  dynamicConfigFile: string,
  logLevel: string,
  pools: TemporalPools = PRODUCTION_POOLS,
): Record<string, unknown> {
  const sql = (database: string, maxConns: number) => ({
    sql: {
      pluginName: TEMPORAL_SQL_PLUGIN,
      databaseName: database,
      connectAddr: `${pg.host}:${pg.port}`,
      connectProtocol: 'tcp',
      user: pg.user,
      password: pg.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (grpcPort: number, s: TemporalService, extra: Record<string, unknown> = {}) => ({
    rpc: { grpcPort, membershipPort: ports.membership[s], bindOnLocalHost: true, ...extra },
  });
  return {
    log: { stdout: true, level: logLevel, format: 'json' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: TEMPORAL_HISTORY_SHARDS,
      datastores: {
        'postgres-default': sql(names.default, pools.default),
        'postgres-visibility': sql(names.visibility, pools.visibility),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: {
        prometheus: {
          framework: 'tally',
          timerType: 'histogram',
          listenAddress: `127.0.0.1:${ports.metrics[service]}`,
        },
      },
    },
    // Every service's ports, so each process finds the others; it starts only its own.
    services: {
      frontend: rpc(ports.frontend, 'frontend', { httpPort: ports.frontendHttp }),
      history: rpc(ports.history, 'history'),
      matching: rpc(ports.matching, 'matching'),
      worker: rpc(ports.worker, 'worker'),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    // The history of a closed workflow is kept TEMPORAL_RETENTION_HOURS, then deleted (baocao's
    // own archive is in PostgreSQL: OPERATIONS.md).
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
}

export interface ServiceProcess {
  readonly service: TemporalService;
  readonly process: ChildProcess;
  /** The last lines it wrote. */
  output(): string;
}

export interface TemporalCluster {
  readonly address: string;
  readonly namespace: string;
  readonly ports: ClusterPorts;
  readonly services: Map<TemporalService, ServiceProcess>;
  /** Stops one service (SIGTERM; SIGKILL with `kill`) and starts it again. */
  restart(service: TemporalService, options?: { kill?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export interface TemporalClusterOptions {
  /** PostgreSQL server (any database in the URL; the server's own are named by `databases`). */
  readonly databaseUrl: string;
  readonly databases?: Readonly<Record<'default' | 'visibility', string>>;
  /** Where the configuration files go. */
  readonly dataDir: string;
  readonly frontendPort?: number;
  readonly namespace?: string;
  /** Extra dynamic configuration (tests). */
  readonly dynamicConfig?: Readonly<Record<string, unknown>>;
  readonly logLevel?: string;
  readonly log?: (line: string) => void;
  /** Where each service's output goes, line by line; kept in memory only when omitted. */
  readonly onOutput?: (service: TemporalService, line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Waits until the frontend answers, matching and history are in the ring, and `namespace` is usable (registering it and the search attributes). */
async function prepareNamespace(
  address: string,
  namespace: string,
  deadline: number,
  whileWaiting: () => void,
): Promise<void> {
  let lastError: unknown;
  for (;;) {
    whileWaiting();
    if (Date.now() > deadline)
      throw new Error(`the Temporal frontend at ${address} was not ready in time: ${String(lastError)}`);
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 2000 });
      await connection.workflowService.getSystemInfo({});
      try {
        await connection.workflowService.registerNamespace({
          namespace,
          workflowExecutionRetentionPeriod: msToTs(TEMPORAL_RETENTION_HOURS * 3600 * 1000),
        });
      } catch (error) {
        // ALREADY_EXISTS (6): registered by an earlier start.
        if (!isGrpcServiceError(error) || error.code !== 6) throw error;
      }
      await registerSearchAttributes(connection, namespace);
      // The frontend's namespace cache refreshes every few seconds: usable once a query succeeds.
      await connection.workflowService.countWorkflowExecutions({ namespace, query: '' });
      // Matching is in the ring once a task queue can be described through the frontend.
      await connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: 'baocao-readiness' },
        taskQueueType: 1,
      });
      // History is in the ring once it answers for a workflow: "not found" (5) for one that never ran,
      // where a frontend that knows no history host answers "not enough hosts" (14, unavailable).
      try {
        await connection.workflowService.describeWorkflowExecution({
          namespace,
          execution: { workflowId: 'baocao-readiness' },
        });
      } catch (error) {
        if (!isGrpcServiceError(error) || error.code !== 5) throw error;
      }
      return;
    } catch (error) {
      lastError = error;
      await sleep(500);
    } finally {
      await connection?.close().catch(() => {});
    }
  }
}

/** Sets up the databases and starts the four services; resolves once the namespace takes workflows. */
export async function startTemporalCluster(options: TemporalClusterOptions): Promise<TemporalCluster> {
  const log = options.log ?? console.log;
  const tools = ensureTemporalServer({ log });
  const pg = postgresTarget(options.databaseUrl);
  const names = options.databases ?? {
    default: TEMPORAL_DATABASES[0].database,
    visibility: TEMPORAL_DATABASES[1].database,
  };
  setupTemporalDatabases(tools, pg, names, log);
  const available = await availableConnections(pg);
  const pools = poolsFor(available);
  if (pools !== PRODUCTION_POOLS)
    log(
      `PostgreSQL accepts ${available} connections: each Temporal service's pools are ${pools.default} + ${pools.visibility} ` +
        `(${PRODUCTION_POOLS.default} + ${PRODUCTION_POOLS.visibility} with max_connections ≥ 200, see OPERATIONS.md).`,
    );
  const ports = await freeClusterPorts(options.frontendPort);
  fs.mkdirSync(options.dataDir, { recursive: true });
  const dynamicConfigFile = path.join(options.dataDir, 'dynamicconfig.yaml');
  fs.writeFileSync(
    dynamicConfigFile,
    stringify(
      Object.fromEntries(
        Object.entries({ ...TEMPORAL_DYNAMIC_CONFIG, ...options.dynamicConfig }).map(([k, v]) => [
          k,
          [{ value: v, constraints: {} }],
        ]),
      ),
    ),
  );
  const services = new Map<TemporalService, ServiceProcess>();
  const start = (service: TemporalService): ServiceProcess => {
    const dir = path.join(options.dataDir, service);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'development.yaml'),
      stringify(serverConfig(service, pg, names, ports, dynamicConfigFile, options.logLevel ?? 'warn', pools)),
      { mode: 0o600 },
    );
    const child = spawn(
      tools.server,
      [
        '--root',
        options.dataDir,
        '--config',
        service,
        '--env',
        'development',
        '--allow-no-auth',
        'start',
        '--service',
        service,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let tail = '';
    const onData = (d: Buffer): void => {
      const text = d.toString();
      tail = (tail + text).slice(-8000);
      if (options.onOutput) for (const line of text.split('\n').filter(Boolean)) options.onOutput(service, line);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const handle = { service, process: child, output: () => tail };
    services.set(service, handle);
    return handle;
  };
  for (const service of TEMPORAL_SERVICES) start(service);
  const address = `127.0.0.1:${ports.frontend}`;
  const namespace = options.namespace ?? TEMPORAL_NAMESPACE;
  const stop = async (): Promise<void> => {
    await Promise.all([...services.values()].map((s) => stopProcess(s.process)));
  };
  // Services started together race to write the cluster's metadata and membership: one that
  // loses exits at once, and is started again (a few times) while the frontend is awaited.
  const restarts = new Map<TemporalService, number>();
  const restartExited = (): void => {
    for (const [service, s] of services) {
      if (s.process.exitCode === null && s.process.signalCode === null) continue;
      const n = (restarts.get(service) ?? 0) + 1;
      if (n > 5) throw new Error(`the ${service} service keeps exiting`);
      restarts.set(service, n);
      log(`Temporal ${service} exited while starting; starting it again (${n}).`);
      start(service);
    }
  };
  try {
    await prepareNamespace(address, namespace, Date.now() + 120_000, restartExited);
  } catch (error) {
    const outputs = [...services.values()].map((s) => `--- ${s.service}:\n${s.output().slice(-1500)}`).join('\n');
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${outputs}`, { cause: error });
  }
  log(`Temporal server ${TEMPORAL_SERVER_VERSION}: ${TEMPORAL_SERVICES.join(', ')} up; frontend on ${address}.`);
  return {
    address,
    namespace,
    ports,
    services,
    async restart(service, { kill = false } = {}) {
      const running = services.get(service)!;
      await stopProcess(running.process, kill ? 'SIGKILL' : 'SIGTERM');
      start(service);
    },
    stop,
  };
}

if (require.main === module) {
  try {
    const tools = ensureTemporalServer();
    console.log(`${tools.server}\n${tools.sqlTool}\n${tools.schemaRoot}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
