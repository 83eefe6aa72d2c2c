/**
 * `npm run start:cluster`: the production topology on one machine — the Temporal server proper
 * on PostgreSQL (frontend, history, matching and worker services as separate processes; databases
 * `temporal` and `temporal_visibility`, migrated with temporal-sql-tool), CLUSTER_WORKERS baocao
 * workers and CLUSTER_APIS API processes behind a round-robin proxy on API_PORT, and an SMTP sink
 * with its mailbox page. baocao's data goes to the database `baocao_cluster` (DATABASE_URL to
 * choose another), apart from `npm start`'s.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { DEFAULTS, loadConfig } from '../config/config';
import { ensureDatabase, withDatabaseName } from '../db/admin';
import { startMailSink, startMailboxPage } from '../mail/sink';
import { startBaocaoProcesses } from './lib/cluster';
import { prepareDatabase } from './lib/first-run';
import { portOpen, projectRoot } from './lib/project';
import { resolveDatabase } from './postgres';
import { startTemporalCluster } from './temporal-cluster';

const log = (line: string): void => console.log(`[cluster] ${line}`);

const count = (name: string, fallback: number): number => {
  const value = Number(process.env[name] || fallback);
  if (!Number.isInteger(value) || value < 1 || value > 16) throw new Error(`${name} must be an integer from 1 to 16`);
  return value;
};

async function main(): Promise<void> {
  const root = projectRoot();
  const dataDir = path.join(root, '.data', 'cluster');
  fs.mkdirSync(dataDir, { recursive: true });
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));
  try {
    const workers = count('CLUSTER_WORKERS', 2);
    const apis = count('CLUSTER_APIS', 2);
    const apiPort = Number(process.env.API_PORT || DEFAULTS.API_PORT);
    const frontendPort = Number(new URL(`http://${process.env.TEMPORAL_ADDRESS || DEFAULTS.TEMPORAL_ADDRESS}`).port);
    for (const [port, what] of [
      [apiPort, 'API_PORT'],
      [frontendPort, 'TEMPORAL_ADDRESS'],
    ] as const)
      if (await portOpen(port))
        throw new Error(`Port ${port} (${what}) is taken: stop what listens there (npm start?).`);

    const db = await resolveDatabase(path.join(root, '.data'), log);
    cleanups.push(() => db.stop());
    const databaseUrl = process.env.DATABASE_URL ? db.url : withDatabaseName(db.url, 'baocao_cluster');
    await ensureDatabase(databaseUrl);
    log(`PostgreSQL: ${db.source}; baocao's data in ${new URL(databaseUrl).pathname.slice(1)}`);

    const temporal = await startTemporalCluster({
      databaseUrl,
      dataDir: path.join(dataDir, 'temporal'),
      frontendPort,
      log,
      // The server's errors and warnings (zap JSON), one short line each; its stack traces are left out.
      onOutput: (service, line) => {
        let entry: { level?: string; msg?: string; error?: string };
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          return;
        }
        if (entry.level === 'error' || entry.level === 'fatal')
          console.error(
            `[temporal-${service}] ${entry.level.toUpperCase()} ${entry.msg}${entry.error ? `: ${entry.error}` : ''}`,
          );
      },
    });
    cleanups.push(() => temporal.stop());

    const smtpPort = Number(process.env.DEV_SMTP_PORT || 1025);
    const mailboxPort = Number(process.env.DEV_MAILBOX_PORT || 8025);
    const sink = await startMailSink({ port: smtpPort });
    const page: http.Server = await startMailboxPage(sink, { port: mailboxPort });
    cleanups.push(
      () => sink.close(),
      () => new Promise<void>((r) => page.close(() => r())),
    );

    const secretFile = path.join(root, '.data', 'link-secret');
    if (!process.env.LINK_SECRET && !fs.existsSync(secretFile))
      fs.writeFileSync(secretFile, randomBytes(32).toString('hex'), { mode: 0o600 });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      LINK_SECRET: process.env.LINK_SECRET || fs.readFileSync(secretFile, 'utf8').trim(),
      PUBLIC_URL: process.env.PUBLIC_URL || `http://127.0.0.1:${apiPort}`,
      LOG_FORMAT: process.env.LOG_FORMAT || 'pretty',
    };
    const config = loadConfig(env);
    const { seeded, adminToken } = await prepareDatabase(config, 'npm run start:cluster', { tokenHours: 12 });
    if (seeded) log('Seeded the demo campaigns "demo" and "demo-an-giang".');

    const processes = await startBaocaoProcesses({
      distDir: path.join(root, 'dist'),
      env,
      workers,
      apis,
      proxyPort: apiPort,
      onOutput: (name, line) => console.log(`[${name}] ${line}`),
    });
    cleanups.push(() => processes.stop());
    for (const p of [...processes.workers, ...processes.apis])
      p.process.once('exit', (code, signal) => log(`${p.name} exited (${signal ?? code}).`));

    console.log(`
baocao cluster is running (Temporal server ${temporal.address}, ${workers} workers, ${apis} API processes).
  Console:        ${config.PUBLIC_URL}/console    (round-robin proxy over ${processes.apis.map((a) => a.port).join(', ')})
  Mailbox:        http://127.0.0.1:${mailboxPort}
  Metrics:        ${[...processes.apis, ...processes.workers].map((p) => `http://127.0.0.1:${p.port}/metrics`).join('\n                  ')}
  Temporal:       ${Object.entries(temporal.ports.metrics)
    .map(([s, port]) => `${s} http://127.0.0.1:${port}/metrics`)
    .join(', ')}
  Admin token:    ${adminToken}    (works for 12 h)
Press Ctrl+C to stop.`);
  } catch (error) {
    console.error(`[cluster] ${error instanceof Error ? error.message : String(error)}`);
    await stopAll();
    process.exit(1);
  }
}

void main();
