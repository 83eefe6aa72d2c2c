/** Starts `temporal server start-dev` as a child process and waits until it answers. */
import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { ensureTemporalCli } from './temporal-cli';
import { freePort } from './lib/project';

export interface DevServerOptions {
  /** Frontend port; a free one when omitted. */
  readonly port?: number;
  /** Web UI port; no UI when omitted. */
  readonly uiPort?: number;
  /** SQLite file to persist to; in memory when omitted. */
  readonly dbFilename?: string;
  readonly namespace?: string;
  /** False to start without the project's search attributes (as a server of one's own may be); true by default. */
  readonly searchAttributes?: boolean;
  readonly dynamicConfig?: Readonly<Record<string, unknown>>;
  readonly log?: (line: string) => void;
}

export interface DevServer {
  readonly address: string;
  readonly uiUrl: string | undefined;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** `--search-attribute` flags for the project's custom search attributes. */
export const searchAttributeFlags = (): string[] =>
  SEARCH_ATTRIBUTES.flatMap((key) => [
    '--search-attribute',
    `${key.name}=${key.type === 'KEYWORD' ? 'Keyword' : key.type}`,
  ]);

export async function startTemporalDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cli = ensureTemporalCli({ log: options.log ?? console.log });
  const port = options.port ?? (await freePort());
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--http-port',
    String(await freePort()),
    '--metrics-port',
    String(await freePort()),
    '--namespace',
    options.namespace ?? 'default',
    '--log-level',
    'error',
    ...(options.searchAttributes === false ? [] : searchAttributeFlags()),
    ...(options.uiPort ? ['--ui-port', String(options.uiPort), '--ui-ip', '127.0.0.1'] : ['--headless']),
    ...(options.dbFilename ? ['--db-filename', options.dbFilename] : []),
    ...Object.entries(options.dynamicConfig ?? {}).flatMap(([k, v]) => [
      '--dynamic-config-value',
      `${k}=${JSON.stringify(v)}`,
    ]),
  ];
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  });
  child.stderr?.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${port}`;

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`temporal server start-dev exited with code ${child.exitCode}:\n${output}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`temporal server start-dev did not answer on ${address} within 60 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
