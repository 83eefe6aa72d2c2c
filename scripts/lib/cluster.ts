/**
 * baocao's own processes in the cluster profile: N workers and M API processes (compiled code in
 * `distDir`, as `npm run start:worker` / `start:api` run them) and a small round-robin reverse
 * proxy in front of the APIs, standing in for the load balancer of a real deployment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../../worker/node-flags';
import { freePort } from './project';

export interface AppProcess {
  readonly name: string;
  readonly port: number;
  process: ChildProcess;
  /** Resolves when it answers /readyz (API) or its worker line is printed and /healthz answers (worker). */
  ready: Promise<void>;
}

export interface BaocaoProcesses {
  readonly workers: AppProcess[];
  readonly apis: AppProcess[];
  /** The proxy's URL (the product's PUBLIC_URL). */
  readonly url: string;
  /** SIGKILLs one process (and waits for its exit); `restart` starts it again with the same port. */
  kill(p: AppProcess): Promise<void>;
  restart(p: AppProcess): AppProcess;
  /** Starts one more worker, from `distDir` (another build) when given. */
  addWorker(distDir?: string): Promise<AppProcess>;
  /** Stops one process gracefully (SIGTERM: a worker finishes its tasks in hand) and forgets it. */
  retire(p: AppProcess): Promise<void>;
  stop(): Promise<void>;
}

export interface BaocaoProcessOptions {
  readonly distDir: string;
  /** Configuration every process gets (DATABASE_URL, TEMPORAL_ADDRESS, SMTP_URL, LINK_SECRET, …). */
  readonly env: NodeJS.ProcessEnv;
  readonly workers: number;
  readonly apis: number;
  /** Port of the proxy; a free one when omitted. */
  readonly proxyPort?: number;
  /** Each output line of each process; discarded when omitted. */
  readonly onOutput?: (name: string, line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntilAnswers(url: string, child: ChildProcess, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited before it was ready`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${what} did not answer ${url} within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

/** A round-robin HTTP proxy over `targets()`; a backend that refuses the connection is skipped. */
export function startProxy(targets: () => readonly number[], port: number): Promise<http.Server> {
  let next = 0;
  const server = http.createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      const ports = targets();
      const attempt = (tries: number): void => {
        const target = ports[next++ % ports.length]!;
        const upstream = http.request(
          {
            host: '127.0.0.1',
            port: target,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' },
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on('error', () => res.destroy());
          },
        );
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          // Not connected: the request never reached that API, so another may take it.
          if (error.code === 'ECONNREFUSED' && tries < ports.length) return attempt(tries + 1);
          // Connected, then lost: the request may have been handled; the client decides (it retries idempotently).
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'BadGateway', message: 'the API process went away; retry' }));
        });
        upstream.end(Buffer.concat(body));
      };
      attempt(1);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

export async function startBaocaoProcesses(options: BaocaoProcessOptions): Promise<BaocaoProcesses> {
  const proxyPort = options.proxyPort ?? (await freePort());
  const url = `http://127.0.0.1:${proxyPort}`;
  const spawnApp = (name: string, kind: 'worker' | 'api', port: number, distDir = options.distDir): AppProcess => {
    const env: NodeJS.ProcessEnv = {
      ...options.env,
      PUBLIC_URL: options.env.PUBLIC_URL ?? url,
      ...(kind === 'worker'
        ? { ...WORKER_ENV, WORKER_METRICS_PORT: String(port) }
        : { API_PORT: String(port), API_HOST: '127.0.0.1', TRUST_PROXY: '127.0.0.1' }),
    };
    const script = path.join(distDir, kind, 'main.js');
    const child = spawn(process.execPath, [...(kind === 'worker' ? WORKER_NODE_FLAGS : []), script], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    const onData = (d: Buffer): void => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop()!;
      if (options.onOutput) for (const line of lines.filter(Boolean)) options.onOutput(name, line);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const ready = waitUntilAnswers(`http://127.0.0.1:${port}/readyz`, child, name);
    ready.catch(() => {});
    return { name, port, process: child, ready };
  };
  const workers: AppProcess[] = [];
  const apis: AppProcess[] = [];
  for (let i = 1; i <= options.workers; i++) workers.push(spawnApp(`worker-${i}`, 'worker', await freePort()));
  for (let i = 1; i <= options.apis; i++) apis.push(spawnApp(`api-${i}`, 'api', await freePort()));
  let workerCount = workers.length;
  const proxy = await startProxy(() => apis.map((a) => a.port), proxyPort);
  const all = (): AppProcess[] => [...workers, ...apis];
  const exit = async (p: AppProcess, signal: NodeJS.Signals): Promise<void> => {
    const child = p.process;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await Promise.all(all().map((p) => p.ready));
  } catch (error) {
    await Promise.all(all().map((p) => exit(p, 'SIGKILL')));
    proxy.close();
    throw error;
  }
  return {
    workers,
    apis,
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    kill: (p) => exit(p, 'SIGKILL'),
    restart(p) {
      const fresh = spawnApp(p.name, p.name.startsWith('worker') ? 'worker' : 'api', p.port);
      p.process = fresh.process;
      p.ready = fresh.ready;
      return p;
    },
    async addWorker(distDir) {
      const p = spawnApp(`worker-${++workerCount}`, 'worker', await freePort(), distDir);
      workers.push(p);
      await p.ready;
      return p;
    },
    async retire(p) {
      await exit(p, 'SIGTERM');
      for (const list of [workers, apis]) if (list.includes(p)) list.splice(list.indexOf(p), 1);
    },
    async stop() {
      await Promise.all(all().map((p) => exit(p, 'SIGTERM')));
      await new Promise<void>((r) => {
        proxy.close(() => r());
        proxy.closeAllConnections();
      });
    },
  };
}
