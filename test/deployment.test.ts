/**
 * Static checks of the deployment files (docker-compose.yml, Dockerfile, .dockerignore,
 * .env.example) against the code they start: no Docker needed, only the files themselves.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ConfigSchema, loadConfig } from '../config/config';
import { finishBuild } from '../scripts/lib/build-output';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../worker/node-flags';

type Scalar = string | number | boolean | null;
interface PortMapping {
  target: number;
  published?: string | number;
  host_ip?: string;
}
interface Service {
  image?: string;
  build?: string | { context?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, Scalar> | string[];
  ports?: (string | number | PortMapping)[];
  depends_on?: string[] | Record<string, { condition?: string }>;
}
interface ComposeFile {
  version?: unknown;
  services: Record<string, Service>;
}

const root = path.join(__dirname, '..');
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');

const composeText = read('docker-compose.yml');
const compose = parse(composeText) as ComposeFile;
const services = compose.services;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
};

const CONFIG_KEYS = Object.keys(ConfigSchema.properties);
const APP_SERVICES = ['worker', 'api', 'migrate'] as const;
const RUNNING_NEEDS = ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL', 'LINK_SECRET', 'PUBLIC_URL'];
/** What the test puts in place of values Compose takes from `.env`. */
const FROM_DOTENV: Readonly<Record<string, string>> = { LINK_SECRET: '0123456789abcdef'.repeat(4) };

/** The environment a service declares, values as written (before Compose interpolation). */
function declaredEnv(svc: Service): Record<string, string> {
  const env = svc.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((line) => {
        const eq = line.indexOf('=');
        return eq < 0 ? [line, ''] : [line.slice(0, eq), line.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Compose interpolation of `${NAME}`, `${NAME:-default}`, `${NAME:?message}` (and `$$`), with FROM_DOTENV as `.env`. */
function interpolate(value: string): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g,
    (match, name?: string, op?: string, arg?: string) => {
      if (match === '$$') return '$';
      const given = FROM_DOTENV[name!];
      const missing = op?.startsWith(':') ? !given : given === undefined;
      if (!missing) return given!;
      if (op?.endsWith('?')) throw new Error(`\${${name}} is required but the test gives no value for it`);
      return op?.endsWith('-') ? (arg ?? '') : '';
    },
  );
}

const runtimeEnv = (svc: Service): Record<string, string> =>
  Object.fromEntries(Object.entries(declaredEnv(svc)).map(([k, v]) => [k, interpolate(v)]));

const argv = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : value.split(/\s+/).filter(Boolean);

/** Container and host port of a `ports` entry ("3000", "3000:3000", "127.0.0.1:3000:3000/tcp" or the long form). */
function portMapping(entry: string | number | PortMapping): { container: number; host: number | undefined } {
  if (typeof entry === 'object')
    return {
      container: Number(entry.target),
      host: entry.published === undefined ? undefined : Number(entry.published),
    };
  const parts = String(entry)
    .replace(/\/(tcp|udp)$/, '')
    .split(':');
  const container = Number(parts.at(-1));
  return { container, host: parts.length > 1 ? Number(parts.at(-2)) : undefined };
}

/** The source file a `node dist/….js` command runs, or undefined for another command. */
function sourceOf(command: readonly string[]): string | undefined {
  const script = command[0] === 'node' ? command.slice(1).find((arg) => !arg.startsWith('--')) : undefined;
  const match = script?.match(/^dist\/(.+)\.js$/);
  return match ? `${match[1]}.ts` : undefined;
}

test('docker-compose.yml parses as a Compose-spec file with postgres, temporal, temporal-ui, mail, migrate, worker and api', () => {
  expect(compose).toBeInstanceOf(Object);
  expect(compose.version).toBeUndefined();
  for (const name of ['postgres', 'temporal', 'temporal-ui', 'mail', 'migrate', 'worker', 'api']) {
    expect(services).toHaveProperty([name]);
  }
});

test('docker-compose gives the worker and API only variables the config knows', () => {
  for (const name of APP_SERVICES) {
    const unknown = Object.keys(declaredEnv(service(name))).filter((key) => !CONFIG_KEYS.includes(key));
    expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
  }
});

test('docker-compose sets on the worker and API every variable they need to run', () => {
  for (const name of ['worker', 'api']) {
    const env = declaredEnv(service(name));
    for (const key of RUNNING_NEEDS)
      expect({ service: name, key, set: Boolean(env[key]) }).toEqual({ service: name, key, set: true });
  }
  expect(declaredEnv(service('migrate')).DATABASE_URL).toBeTruthy();
});

test('the configuration accepts the environment docker-compose gives the worker and the API', () => {
  for (const name of ['worker', 'api']) {
    const config = loadConfig(runtimeEnv(service(name)));
    expect(config.LINK_SECRET).toBe(FROM_DOTENV.LINK_SECRET);
    // Inside a container the API must listen on every interface, and the services reach each other by name.
    expect(config.API_HOST).toBe('0.0.0.0');
    expect(new URL(config.DATABASE_URL).hostname).toBe('postgres');
    expect(config.TEMPORAL_ADDRESS.split(':')[0]).toBe('temporal');
    expect(new URL(config.SMTP_URL).hostname).toBe('mail');
  }
  expect(runtimeEnv(service('worker'))).toEqual(runtimeEnv(service('api')));
});

test('docker-compose refuses to start without a LINK_SECRET from .env', () => {
  expect(declaredEnv(service('worker')).LINK_SECRET).toMatch(/^\$\{LINK_SECRET:\?.+\}$/);
  expect(() => loadConfig({ ...runtimeEnv(service('worker')), LINK_SECRET: '' })).toThrow(/LINK_SECRET is required/);
});

test('every node command of the compose file and the Dockerfile runs a compiled source file of the repository', () => {
  const commands = Object.entries(services)
    .filter(([, svc]) => svc.build !== undefined || svc.image === 'baocao:local')
    .map(([name, svc]) => ({ name, command: argv(svc.command) }));
  const cmd = read('Dockerfile').match(/^CMD\s+(\[.*\])\s*$/m);
  expect(cmd).not.toBeNull();
  commands.push({ name: 'Dockerfile CMD', command: JSON.parse(cmd![1]!) as string[] });

  expect(commands.map((c) => c.name)).toEqual(expect.arrayContaining(['migrate', 'worker', 'api']));
  for (const { name, command } of commands) {
    const source = sourceOf(command);
    expect({ name, command, source: source !== undefined && fs.existsSync(path.join(root, source)) }).toEqual({
      name,
      command,
      source: true,
    });
  }
  expect(sourceOf(argv(service('worker').command))).toBe('worker/main.ts');
  expect(sourceOf(argv(service('api').command))).toBe('api/main.ts');
  expect(sourceOf(argv(service('migrate').command))).toBe('scripts/migrate.ts');
});

test("every way of starting a worker process passes the worker's Node flags and environment", () => {
  const flags = [...WORKER_NODE_FLAGS];
  const env = Object.entries(WORKER_ENV).map(([k, v]) => `${k}=${v}`);
  expect(env.length).toBeGreaterThan(0);
  expect(argv(service('worker').command)).toEqual(['node', ...flags, 'dist/worker/main.js']);
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
  expect(scripts['start:worker']).toBe([...env, 'node', ...flags, 'dist/worker/main.js'].join(' '));
  const dockerfile = read('Dockerfile');
  expect(dockerfile).toContain(['node', ...flags, 'dist/worker/main.js'].join(' '));
  // The compose worker runs the image, whose environment carries WORKER_ENV.
  expect(service('worker').image).toBe('baocao:local');
  for (const line of env) expect(dockerfile).toMatch(new RegExp(`^ENV ${line}$`, 'm'));
  for (const file of ['scripts/dev.ts', 'scripts/lib/cluster.ts', 'test/support/worker-process.ts'])
    expect(read(file)).toContain('...WORKER_ENV');
});

test('the Temporal setup registers every search attribute the workflows use, as Keyword', () => {
  const setup = service('temporal-setup');
  const script = [...argv(setup.entrypoint), ...argv(setup.command)].join(' ');
  expect(script).toContain('search-attribute create');
  expect(script).toContain('--type Keyword');
  for (const key of SEARCH_ATTRIBUTES) {
    expect(key.type).toBe('KEYWORD');
    expect(script).toContain(key.name);
  }
  // The namespace it prepares is the one the worker and API use.
  const namespace = runtimeEnv(service('worker')).TEMPORAL_NAMESPACE || 'default';
  expect(script).toMatch(new RegExp(`namespace=${namespace}\\b`));
});

test('the API is published on the port it listens on, and PUBLIC_URL points at that port', () => {
  const api = service('api');
  const config = loadConfig(runtimeEnv(api));
  const mappings = (api.ports ?? []).map(portMapping);
  const listening = mappings.find((m) => m.container === config.API_PORT);
  expect(listening).toBeDefined();
  expect(listening!.host).toBe(config.API_PORT);
  expect(Number(new URL(config.PUBLIC_URL).port)).toBe(listening!.host);
});

test('the worker and the API start only after migrations and the Temporal setup have succeeded', () => {
  for (const name of ['worker', 'api']) {
    expect(service(name).depends_on).toMatchObject({
      migrate: { condition: 'service_completed_successfully' },
      'temporal-setup': { condition: 'service_completed_successfully' },
    });
  }
  expect(service('migrate').depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
});

test('.env.example documents every configuration variable', () => {
  const example = read('.env.example');
  const missing = CONFIG_KEYS.filter((key) => !new RegExp(`^(#\\s*)?${key}=`, 'm').test(example));
  expect(missing).toEqual([]);
  // The one required variable is present and empty, never a shared secret.
  expect(example).toMatch(/^LINK_SECRET=$/m);
});

test('the Dockerfile builds on Node 24 and does not set NODE_ENV', () => {
  const dockerfile = read('Dockerfile');
  const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
  expect(bases.length).toBeGreaterThan(0);
  for (const base of bases) expect(base).toMatch(/^node:24([.-]|$)/);
  expect(dockerfile).not.toMatch(/^\s*(ENV|ARG)\b.*\bNODE_ENV\b/m);
  for (const [name, svc] of Object.entries(services))
    expect({ name, NODE_ENV: declaredEnv(svc).NODE_ENV }).toEqual({ name, NODE_ENV: undefined });
});

test('.dockerignore keeps local state and build output out of the image', () => {
  const ignored = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  expect(ignored).toEqual(
    expect.arrayContaining(['node_modules', 'dist', '.data', '.tools', '.git', 'test-artifacts', 'coverage']),
  );
});

test('no npm script deletes dist/: every one that builds compiles over it in place, so a running `npm start` keeps its files', () => {
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
  expect(scripts.build).toMatch(/^tsc -p tsconfig\.build\.json && node dist\/scripts\/finish-build\.js$/);
  for (const [name, script] of Object.entries(scripts)) {
    expect({ name, deletes: /rmSync|rm\s+-\w*r|rimraf|--clean/.test(script) }).toEqual({ name, deletes: false });
    // Scripts that run a compiled command build it first, the one way (start:* run what `npm run build` made).
    if (name !== 'build' && /node dist\/scripts\//.test(script))
      expect({ name, builds: script.startsWith('npm run build && ') }).toEqual({ name, builds: true });
  }
});

test('when the build finishes, only what no source produces any more leaves dist/; every other file is rewritten in place', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'baocao-build-'));
  try {
    const write = (rel: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    const inode = (rel: string): number => fs.statSync(path.join(root, rel)).ino;
    write('worker/main.ts', 'source');
    write('api/public/app.css', 'body { color: red }');
    write('api/public/console.js', 'enhance()');
    write('dist/worker/main.js', 'compiled');
    write('dist/worker/main.js.map', '{}');
    write('dist/worker/removed.js', 'compiled from a deleted source');
    write('dist/worker/removed.js.map', '{}');
    write('dist/old/only.js', 'compiled from a deleted folder');
    write('dist/api/public/app.css', 'body { color: blue }');
    write('dist/api/public/dropped.js', 'a static file deleted from api/public');
    write('dist/notes.txt', 'not compiled output');
    const before = { main: inode('dist/worker/main.js'), css: inode('dist/api/public/app.css') };

    const removed = finishBuild(root);

    expect(removed.sort()).toEqual(
      [
        path.join('api', 'public', 'dropped.js'),
        path.join('old', 'only.js'),
        path.join('worker', 'removed.js'),
        path.join('worker', 'removed.js.map'),
      ].sort(),
    );
    expect(fs.existsSync(path.join(root, 'dist', 'old'))).toBe(false);
    expect(fs.readFileSync(path.join(root, 'dist/worker/main.js'), 'utf8')).toBe('compiled');
    expect(fs.readFileSync(path.join(root, 'dist/api/public/app.css'), 'utf8')).toBe('body { color: red }');
    expect(fs.readFileSync(path.join(root, 'dist/api/public/console.js'), 'utf8')).toBe('enhance()');
    expect(fs.existsSync(path.join(root, 'dist/notes.txt'))).toBe(true);
    // The same files, not new ones: a process holding or re-reading them never finds a gap.
    expect({ main: inode('dist/worker/main.js'), css: inode('dist/api/public/app.css') }).toEqual(before);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
