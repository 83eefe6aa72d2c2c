/**
 * One source of truth for the Temporal server: config/temporal-topology.ts is what
 * `npm run start:cluster` (scripts/temporal-cluster.ts) uses, and docker-compose.yml must say the
 * same — server version, schema steps, namespace and retention, search attributes, dynamic
 * configuration. Static checks of the files, no Docker needed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  TEMPORAL_ADMIN_TOOLS_IMAGE_PREFIX,
  TEMPORAL_DATABASES,
  TEMPORAL_DYNAMIC_CONFIG,
  TEMPORAL_NAMESPACE,
  TEMPORAL_RETENTION_HOURS,
  TEMPORAL_SCHEMA_ROOT,
  TEMPORAL_SCHEMA_STEPS,
  TEMPORAL_SEARCH_ATTRIBUTES,
  TEMPORAL_SERVER_IMAGE,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_SERVICES,
  TEMPORAL_SQL_PLUGIN,
} from '../config/temporal-topology';
import { TEMPORAL_CLI_MODULE } from '../scripts/temporal-cli';
import {
  PRODUCTION_POOLS,
  poolsFor,
  postgresTarget,
  serverConfig,
  type ClusterPorts,
} from '../scripts/temporal-cluster';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

interface Service {
  image?: string;
  environment?: Record<string, string>;
  entrypoint?: string[];
  command?: string[];
}
const root = path.join(__dirname, '..');
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');
const compose = parse(read('docker-compose.yml')) as {
  services: Record<string, Service>;
  configs: Record<string, { content: string }>;
};
const service = (name: string): Service => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
};
/** A service's shell script as the container runs it (Compose's `$$` is a `$`). */
const script = (name: string): string =>
  [...(service(name).entrypoint ?? []), ...(service(name).command ?? [])].join('\n').replace(/\$\$/g, '$');

test('docker-compose runs the Temporal server release the cluster profile builds, with schema tools of the same release', () => {
  expect(service('temporal').image).toBe(TEMPORAL_SERVER_IMAGE);
  for (const name of ['temporal-schema', 'temporal-setup'])
    expect(service(name).image!.startsWith(TEMPORAL_ADMIN_TOOLS_IMAGE_PREFIX)).toBe(true);
  expect(service('temporal').environment!.DB).toBe(TEMPORAL_SQL_PLUGIN);
  expect(service('temporal-schema').environment!.SQL_PLUGIN).toBe(TEMPORAL_SQL_PLUGIN);
  // The CLI behind the dev server is the release that embeds the same server.
  expect(TEMPORAL_CLI_MODULE).toBe('github.com/temporalio/cli/cmd/temporal@v1.5.1');
  expect(TEMPORAL_SERVER_VERSION).toBe('1.29.1');
});

test('docker-compose migrates the same two databases with the same schema steps, in the same order', () => {
  const text = script('temporal-schema').replace(/"/g, '');
  expect(text).toContain(`schema=/etc/temporal/${TEMPORAL_SCHEMA_ROOT}`);
  // The loop names both databases, and maps each to its schema folder.
  expect(text).toMatch(new RegExp(`for db in ${TEMPORAL_DATABASES.map((d) => d.database).join(' ')}; do`));
  for (const db of TEMPORAL_DATABASES) {
    const mapping = db.database === 'temporal' ? `dir=${db.schemaDir};` : `else dir=${db.schemaDir};`;
    expect(text).toContain(mapping);
  }
  // Each step, with the schema folder of the database, as `temporal-sql-tool --db $db <step>` (quotes aside).
  const steps = TEMPORAL_SCHEMA_STEPS('$schema/$dir').map((step) => `temporal-sql-tool --db $db ${step.join(' ')}`);
  const positions = steps.map((step) => text.indexOf(step));
  expect(positions.every((p) => p >= 0)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
});

test('docker-compose prepares the same namespace, retention and search attributes', () => {
  const text = script('temporal-setup');
  expect(text).toMatch(new RegExp(`^namespace=${TEMPORAL_NAMESPACE}$`, 'm'));
  expect(text).toContain(`--retention ${TEMPORAL_RETENTION_HOURS}h`);
  const loop =
    /for name in ([\w ]+); do\n\s*retry ok_if_exists temporal operator search-attribute create .*--type (\w+)/.exec(
      text,
    );
  expect(loop).not.toBeNull();
  expect(loop![1]!.split(' ').sort()).toEqual(TEMPORAL_SEARCH_ATTRIBUTES.map((a) => a.name).sort());
  for (const a of TEMPORAL_SEARCH_ATTRIBUTES) expect(a.type).toBe(loop![2]);
  expect(TEMPORAL_SEARCH_ATTRIBUTES.map((a) => a.name)).toEqual(SEARCH_ATTRIBUTES.map((k) => k.name));
  // The worker and API use the namespace prepared.
  expect(service('worker').environment!.TEMPORAL_NAMESPACE).toBe(TEMPORAL_NAMESPACE);
});

test('docker-compose gives the server the same dynamic configuration', () => {
  const dynamic = parse(compose.configs['temporal-dynamic-config']!.content) as Record<string, { value: unknown }[]>;
  expect(Object.fromEntries(Object.entries(dynamic).map(([k, v]) => [k, v[0]!.value]))).toEqual(
    TEMPORAL_DYNAMIC_CONFIG,
  );
});

test('the cluster profile takes every value from the topology module, not copies of them', () => {
  const cluster = read('scripts/temporal-cluster.ts');
  for (const name of [
    'TEMPORAL_DATABASES',
    'TEMPORAL_DYNAMIC_CONFIG',
    'TEMPORAL_NAMESPACE',
    'TEMPORAL_RETENTION_HOURS',
    'TEMPORAL_SCHEMA_STEPS',
    'TEMPORAL_SERVER_VERSION',
    'TEMPORAL_SQL_PLUGIN',
  ])
    expect(cluster).toMatch(new RegExp(`\\b${name}\\b[^\\n]*\\n(.|\\n)*\\b${name}\\b`));
  expect(cluster).not.toMatch(/['"`]1\.29\.1['"`]|['"`]temporal_visibility['"`]|['"`]postgres12['"`]/);
});

test("the cluster profile's connection pools fit the PostgreSQL server beside baocao's own", () => {
  // A production server (max_connections ≥ 200, as Compose sets it) gets the production pools.
  expect(poolsFor(200 - 3)).toBe(PRODUCTION_POOLS);
  // A stock server (100, 3 reserved) cannot hold four services at 20 + 5 beside baocao's 50.
  const stock = poolsFor(100 - 3);
  expect(stock.default).toBeGreaterThanOrEqual(2);
  expect(stock.visibility).toBeGreaterThanOrEqual(1);
  expect(TEMPORAL_SERVICES.length * (stock.default + stock.visibility) + 50).toBeLessThanOrEqual(100 - 3);
  // The pools written to each service's file are those.
  const each = { frontend: 5, history: 6, matching: 7, worker: 8 };
  const ports: ClusterPorts = {
    frontend: 1,
    frontendHttp: 2,
    history: 3,
    matching: 4,
    worker: 5,
    membership: each,
    metrics: each,
  };
  const pg = postgresTarget('postgres://u@h:5432/x');
  const config = serverConfig('history', pg, { default: 'a', visibility: 'b' }, ports, 'dc.yaml', 'warn', stock);
  expect(JSON.stringify(config)).toContain(`"maxConns":${stock.default},`);
  expect(JSON.stringify(config)).toContain(`"maxConns":${stock.visibility},`);
});
