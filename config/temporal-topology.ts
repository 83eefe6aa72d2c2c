/**
 * The production Temporal server as baocao runs it: one source of truth for `npm run start:cluster`
 * (scripts/temporal-cluster.ts) and `docker-compose.yml` (checked against these values by
 * test/temporal-topology.test.ts). Upgrading the server means changing the version here and the
 * image tags in docker-compose.yml together; the test refuses one without the other.
 */
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

/** Server release: the Go module built by the cluster profile, the image tag in Compose. */
export const TEMPORAL_SERVER_VERSION = '1.29.1';
export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';
export const TEMPORAL_SERVER_IMAGE = `temporalio/server:${TEMPORAL_SERVER_VERSION}`;
/** The admin-tools image carries temporal-sql-tool and the schemas of the same server release. */
export const TEMPORAL_ADMIN_TOOLS_IMAGE_PREFIX = `temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}-`;

/** temporal-sql-tool's plugin and the schema folder (inside the module, or /etc/temporal/schema in the image). */
export const TEMPORAL_SQL_PLUGIN = 'postgres12';
export const TEMPORAL_SCHEMA_ROOT = 'schema/postgresql/v12';

/** The two databases: persistence (`temporal`) and SQL visibility (`temporal_visibility`). */
export const TEMPORAL_DATABASES = [
  { role: 'default', database: 'temporal', schemaDir: 'temporal' },
  { role: 'visibility', database: 'temporal_visibility', schemaDir: 'visibility' },
] as const;

/**
 * The schema steps, run in order for each database, with temporal-sql-tool: create the database
 * (fails harmlessly when it exists), create the version table at 0.0, then apply every versioned
 * step up to the release's schema. Re-running them on an up-to-date database changes nothing.
 */
export const TEMPORAL_SCHEMA_STEPS = (schemaDir: string): string[][] => [
  ['create-database'],
  ['setup-schema', '-v', '0.0'],
  ['update-schema', '-d', `${schemaDir}/versioned`],
];

/** The services of the server, each a process of its own in the cluster profile. */
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

/** The namespace baocao runs in, and how long Temporal keeps a closed workflow's history. */
export const TEMPORAL_NAMESPACE = 'default';
export const TEMPORAL_RETENTION_HOURS = 720;

/** Dynamic configuration of the server (same keys and values in Compose's `temporal-dynamic-config`). */
export const TEMPORAL_DYNAMIC_CONFIG: Readonly<Record<string, unknown>> = {
  // Newly registered search attributes are usable at once (no wait for the cache to refresh).
  'system.forceSearchAttributesCacheRefreshOnRead': true,
  // Workflow ids carry campaign, period and unit codes.
  'limit.maxIDLength': 255,
};

/** The custom search attributes, as `temporal operator search-attribute create` names their types. */
export const TEMPORAL_SEARCH_ATTRIBUTES: readonly { name: string; type: string }[] = SEARCH_ATTRIBUTES.map((key) => ({
  name: key.name,
  type: key.type === 'KEYWORD' ? 'Keyword' : key.type,
}));

/** Shards of the history service; fixed when the `temporal` database is created (cannot change later). */
export const TEMPORAL_HISTORY_SHARDS = 4;
