/**
 * Configuration: read once from the environment, validated against a schema, typed. Every
 * variable is documented in `.env.example`. A bad value stops start-up with one line per problem.
 */
import { isIP } from 'node:net';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

const Url = (description: string, pattern: string) => Type.String({ pattern, description });

export const ConfigSchema = Type.Object({
  DATABASE_URL: Url('PostgreSQL connection URL', '^postgres(ql)?://.+'),
  TEMPORAL_ADDRESS: Type.String({ pattern: '^[^\\s:/]+:\\d{1,5}$', description: 'host:port of the Temporal frontend' }),
  TEMPORAL_NAMESPACE: Type.String({ minLength: 1 }),
  TEMPORAL_TASK_QUEUE: Type.String({ minLength: 1 }),
  TEMPORAL_UI_URL: Url('Temporal Web UI base URL', '^https?://.+'),
  SMTP_URL: Url('SMTP server URL', '^smtps?://.+'),
  MAIL_FROM: Type.String({ minLength: 3 }),
  SECRETARIAT_EMAIL: Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$' }),
  API_HOST: Type.String({ minLength: 1 }),
  API_PORT: Type.Integer({ minimum: 0, maximum: 65535 }),
  PUBLIC_URL: Url('base URL of the API as unit heads reach it (used in emailed links)', '^https?://[^\\s]+[^/]$'),
  LINK_SECRET: Type.String({ minLength: 32, description: 'secret that derives the personal link tokens' }),
  DEFAULT_LOCALE: Type.Union([Type.Literal('vi'), Type.Literal('en')]),
  TRUST_PROXY: Type.String({
    pattern: '^(off|\\d{1,2}|[0-9A-Fa-f:.]+(/\\d{1,3})?(\\s*,\\s*[0-9A-Fa-f:.]+(/\\d{1,3})?)*)$',
    description:
      'off, a hop count (1-99) or a comma-separated list of proxy addresses/CIDRs whose X-Forwarded-For is believed',
  }),
  LINK_GUESS_LIMIT: Type.Integer({
    minimum: 1,
    maximum: 100000,
    description: 'failed personal-link lookups an address may make per 10 minutes before it is refused',
  }),
  WORKER_MAX_CACHED_WORKFLOWS: Type.Integer({
    minimum: 1,
    maximum: 100000,
    description: 'workflows a worker keeps in memory between their steps',
  }),
  OIDC_ISSUER: Type.String({
    pattern: '^(https?://[^\\s]+)?$',
    description: 'OpenID Connect issuer of the identity provider people may sign in with (empty: none)',
  }),
  OIDC_CLIENT_ID: Type.String({ maxLength: 500 }),
  OIDC_CLIENT_SECRET: Type.String({ maxLength: 2000 }),
  OIDC_NAME: Type.String({ maxLength: 100, description: 'the identity provider as the sign-in page names it' }),
  WORKER_METRICS_PORT: Type.Integer({
    minimum: 0,
    maximum: 65535,
    description: "port of a worker's /metrics, /healthz and /readyz (0: none)",
  }),
  LOG_FORMAT: Type.Union([Type.Literal('json'), Type.Literal('pretty')]),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
});

export type Config = Readonly<Static<typeof ConfigSchema>>;

/** Defaults for a single machine: local PostgreSQL, Temporal dev server and SMTP sink. */
export const DEFAULTS: Readonly<Record<keyof Config, string>> = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/baocao',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  TEMPORAL_NAMESPACE: 'default',
  TEMPORAL_TASK_QUEUE: 'baocao',
  TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
  SMTP_URL: 'smtp://127.0.0.1:1025',
  MAIL_FROM: '"Văn phòng Hội đồng Thi đua - Khen thưởng" <baocao@localhost>',
  SECRETARIAT_EMAIL: 'thuongtruc-hdtdkt@localhost',
  API_HOST: '127.0.0.1',
  API_PORT: '3000',
  PUBLIC_URL: 'http://127.0.0.1:3000',
  LINK_SECRET: '',
  DEFAULT_LOCALE: 'vi',
  TRUST_PROXY: 'off',
  LINK_GUESS_LIMIT: '20',
  WORKER_MAX_CACHED_WORKFLOWS: '200',
  OIDC_ISSUER: '',
  OIDC_CLIENT_ID: '',
  OIDC_CLIENT_SECRET: '',
  OIDC_NAME: '',
  WORKER_METRICS_PORT: '0',
  LOG_FORMAT: 'json',
  LOG_LEVEL: 'info',
};

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`,
    );
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration from `env` (defaults fill what is unset or empty). */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof Config)[]) {
    const value = env[key];
    raw[key] = value === undefined || value === '' ? DEFAULTS[key] : value;
  }
  // Unset PUBLIC_URL follows API_PORT, so changing the port alone keeps emailed links right.
  if (!env.PUBLIC_URL && env.API_PORT) raw.PUBLIC_URL = `http://127.0.0.1:${env.API_PORT}`;
  const converted = Value.Convert(ConfigSchema, raw) as Record<string, unknown>;
  const problems = [...Value.Errors(ConfigSchema, converted)]
    .filter((e) => e.keyword !== 'const') // a union's per-member errors; its anyOf error names it once
    .map((e) => {
      const key = e.instancePath.replace(/^\//, '');
      const shown = key === 'LINK_SECRET' ? '(hidden)' : JSON.stringify(raw[key]);
      return key === 'LINK_SECRET' && raw[key] === ''
        ? 'LINK_SECRET is required: set it to a random string of at least 32 characters (e.g. `openssl rand -hex 32`)'
        : `${key}=${shown}: ${describe(key, e.message)}`;
    });
  if (problems.length === 0) problems.push(...trustProxyProblems(String(converted.TRUST_PROXY)));
  if (converted.OIDC_ISSUER && !converted.OIDC_CLIENT_ID)
    problems.push('OIDC_CLIENT_ID is required with OIDC_ISSUER: the client id registered at the identity provider');
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(converted as Config);
}

/**
 * Whose `X-Forwarded-For` the API believes, as Fastify's `trustProxy` takes it: nobody's (`off`,
 * the client's own address is the socket's), the last `n` hops, or only proxies at these
 * addresses. Never "everybody": then any caller would choose its own address.
 */
export function trustProxySetting(value: string): false | number | string[] {
  if (value === 'off') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((a) => a.trim());
}

function trustProxyProblems(value: string): string[] {
  const setting = trustProxySetting(value);
  if (setting === false) return [];
  if (typeof setting === 'number')
    return setting >= 1 ? [] : [`TRUST_PROXY=${JSON.stringify(value)}: a hop count is at least 1 (or use off)`];
  return setting.flatMap((entry) => {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    const ok = family !== 0 && (prefix === undefined || Number(prefix) <= (family === 4 ? 32 : 128));
    return ok ? [] : [`TRUST_PROXY=${JSON.stringify(value)}: "${entry}" is not an IP address or CIDR range`];
  });
}

/** The configuration for commands that use no link secret (migrations, tokens, Temporal setup). */
function loadWithoutLinkSecret(env: Readonly<Record<string, string | undefined>>): Config {
  return loadConfig({ ...env, LINK_SECRET: env.LINK_SECRET || 'not-used-by-this-command-'.padEnd(32, '.') });
}

/** Only the database URL, for commands that touch nothing else (migrations, tokens). */
export function loadDatabaseUrl(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return loadWithoutLinkSecret(env).DATABASE_URL;
}

/** Only the Temporal server and namespace, for commands that touch nothing else (search attributes). */
export function loadTemporalTarget(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'> {
  const { TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE } = loadWithoutLinkSecret(env);
  return { TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE };
}

function describe(key: string, message: string): string {
  const schema = (ConfigSchema.properties as Record<string, { description?: string; anyOf?: { const: string }[] }>)[
    key
  ];
  if (schema?.anyOf) return `must be one of ${schema.anyOf.map((s) => s.const).join(', ')}`;
  return schema?.description ? `${message} (${schema.description})` : message;
}
