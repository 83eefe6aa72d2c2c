/**
 * `npm start`: the whole product on one machine — Temporal dev server (file-backed, Web UI),
 * PostgreSQL, an SMTP sink with a mailbox page, the worker and the API as separate processes —
 * seeded with a demo campaign when the database is empty.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { prepareDatabase } from './lib/first-run';
import type http from 'node:http';
import { DEFAULTS, loadConfig, loadTemporalTarget } from '../config/config';
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../worker/node-flags';
import { startMailSink, startMailboxPage, type MailSink } from '../mail/sink';
import { portOpen, projectRoot } from './lib/project';
import { resolveDatabase } from './postgres';
import { ensureDocumentRenderer } from './lib/document-renderer';
import { registerSearchAttributesAt } from './lib/search-attributes';
import { startTemporalDevServer, type DevServer } from './temporal-server';

const log = (line: string): void => console.log(`[baocao] ${line}`);

function linkSecret(dataDir: string): string {
  if (process.env.LINK_SECRET) return process.env.LINK_SECRET;
  const file = path.join(dataDir, 'link-secret');
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

/** How long the one-time sign-in link printed by `npm start` works. */
const DEV_SIGN_IN_MINUTES = 60;
/** How long the administrator token printed by `npm start` works; the next start revokes it. */
const DEV_TOKEN_HOURS = 12;

function run(name: string, script: string, env: NodeJS.ProcessEnv, nodeFlags: readonly string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeFlags, script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((l) => `[${name}] ${l}`)
      .join('\n');
  child.stdout?.on('data', (d: Buffer) => console.log(prefix(d)));
  child.stderr?.on('data', (d: Buffer) => console.error(prefix(d)));
  return child;
}

async function main(): Promise<void> {
  const root = projectRoot();
  const dataDir = path.join(root, '.data');
  fs.mkdirSync(dataDir, { recursive: true });
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  try {
    const db = await resolveDatabase(dataDir, log);
    cleanups.push(() => db.stop());
    log(`PostgreSQL: ${db.source} (${db.url.replace(/:[^:@/]+@/, ':***@')})`);

    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    let temporalUi = process.env.TEMPORAL_UI_URL || DEFAULTS.TEMPORAL_UI_URL;
    if (!temporalAddress) {
      const [port, uiPort] = [7233, Number(new URL(temporalUi).port || 8233)];
      if (await portOpen(port))
        throw new Error(
          `Port ${port} is taken: stop what listens there or set TEMPORAL_ADDRESS to use that Temporal server.`,
        );
      log('Starting the Temporal dev server (state in .data/temporal.db) …');
      const server: DevServer = await startTemporalDevServer({
        port,
        uiPort,
        dbFilename: path.join(dataDir, 'temporal.db'),
        log,
      });
      cleanups.push(() => server.stop());
      temporalAddress = server.address;
      temporalUi = server.uiUrl!;
    }
    // The dev server above starts with the search attributes; a server of one's own may lack them.
    const { TEMPORAL_NAMESPACE: namespace } = loadTemporalTarget({ ...process.env, TEMPORAL_ADDRESS: temporalAddress });
    const added = await registerSearchAttributesAt(temporalAddress, namespace);
    if (added.length > 0)
      log(`Registered the search attributes ${added.join(', ')} in namespace "${namespace}" on ${temporalAddress}.`);

    let smtpUrl = process.env.SMTP_URL;
    let mailboxUrl: string | undefined;
    if (!smtpUrl) {
      const smtpPort = Number(process.env.DEV_SMTP_PORT || 1025);
      const mailboxPort = Number(process.env.DEV_MAILBOX_PORT || 8025);
      const sink: MailSink = await startMailSink({ port: smtpPort });
      const page: http.Server = await startMailboxPage(sink, { port: mailboxPort });
      cleanups.push(
        () => sink.close(),
        () => new Promise<void>((r) => page.close(() => r())),
      );
      smtpUrl = `smtp://127.0.0.1:${smtpPort}`;
      mailboxUrl = `http://127.0.0.1:${mailboxPort}`;
    }

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_UI_URL: temporalUi,
      SMTP_URL: smtpUrl,
      LINK_SECRET: linkSecret(dataDir),
      // Readable log lines on this terminal; production keeps the default, JSON.
      LOG_FORMAT: process.env.LOG_FORMAT || 'pretty',
    };
    const config = loadConfig(env);

    // The first administrator (created when there is none) gets a one-time sign-in link and a short-lived token.
    const { seeded, adminToken, signInUrl, firstAdmin } = await prepareDatabase(config, 'npm start', {
      tokenHours: DEV_TOKEN_HOURS,
      signInMinutes: DEV_SIGN_IN_MINUTES,
    });
    if (seeded)
      log(
        'Seeded the demo campaigns "demo" (every unit reports to the council; a cycle runs in minutes) and "demo-an-giang" (units report through their district offices).',
      );

    const dist = path.join(root, 'dist');
    // PDF downloads need LibreOffice; without it they answer 503 and the DOCX still works.
    ensureDocumentRenderer(log);
    const worker = run('worker', path.join(dist, 'worker', 'main.js'), { ...env, ...WORKER_ENV }, WORKER_NODE_FLAGS);
    const api = run('api', path.join(dist, 'api', 'main.js'), env);
    for (const [name, child] of [
      ['worker', worker],
      ['api', api],
    ] as const) {
      cleanups.push(
        () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      );
      child.once('exit', (code) => {
        log(`${name} exited (code ${code}); stopping everything.`);
        void stopAll().then(() => process.exit(code ?? 1));
      });
    }

    const deadline = Date.now() + 60_000;
    while (
      !(await fetch(`${config.PUBLIC_URL}/healthz`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error('the API did not answer on /healthz within 60 s');
      await new Promise((r) => setTimeout(r, 300));
    }

    console.log(`
baocao is running.
  Console:        ${config.PUBLIC_URL}/console
  Sign in:        ${signInUrl}
                  (one-time link for ${firstAdmin.name} <${firstAdmin.email}>, works once within ${DEV_SIGN_IN_MINUTES} min;
                  later, ask for a link by email on the sign-in page: it arrives in the mailbox below)
  API:            ${config.PUBLIC_URL}/api/v1    (OpenAPI: ${config.PUBLIC_URL}/openapi.json)
  Mailbox:        ${mailboxUrl ?? `(external SMTP: ${smtpUrl})`}
  Temporal UI:    ${temporalUi}
  Admin token:    ${adminToken}    (works for ${DEV_TOKEN_HOURS} h; the next start revokes it and prints another)

Start the demo cycle (every unit head gets an email in the mailbox; open it and follow the link):
  curl -X POST ${config.PUBLIC_URL}/api/v1/cycles -H 'authorization: Bearer ${adminToken}' \\
       -H 'content-type: application/json' -d '{"campaign":"demo","period":"${new Date().toISOString().slice(0, 7)}"}'
Press Ctrl+C to stop.`);
  } catch (error) {
    console.error(`[baocao] ${error instanceof Error ? error.message : String(error)}`);
    await stopAll();
    process.exit(1);
  }
}

void main();
