import { Client } from 'pg';

/** Database-level chores on the server behind a URL: create or drop the URL's database. */

function split(databaseUrl: string): { adminUrl: string; name: string } {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name "${name}" must be letters, digits and underscores`);
  url.pathname = '/postgres';
  return { adminUrl: url.toString(), name };
}

async function withAdmin<T>(databaseUrl: string, fn: (client: Client, name: string) => Promise<T>): Promise<T> {
  const { adminUrl, name } = split(databaseUrl);
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client, name);
  } finally {
    await client.end();
  }
}

/** Creates the database named in the URL if it does not exist; true when it was created. */
export function ensureDatabase(databaseUrl: string): Promise<boolean> {
  return withAdmin(databaseUrl, async (client, name) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${name}"`);
    return true;
  });
}

/** Creates the URL's database as a copy of `template` (which must have no open connection). */
export function createDatabaseFrom(databaseUrl: string, template: string): Promise<void> {
  return withAdmin(databaseUrl, async (client, name) => {
    if (!/^[A-Za-z0-9_]+$/.test(template))
      throw new Error(`template name "${template}" must be letters, digits and underscores`);
    await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  });
}

/** Drops every database whose name starts with `prefix`. */
export function dropDatabasesLike(databaseUrl: string, prefix: string): Promise<void> {
  return withAdmin(databaseUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [prefix],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}

export function dropDatabase(databaseUrl: string): Promise<void> {
  return withAdmin(databaseUrl, async (client, name) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

/** True when a PostgreSQL server answers at the URL's host (whatever the database). */
export async function serverReachable(databaseUrl: string): Promise<boolean> {
  try {
    await withAdmin(databaseUrl, async (client) => client.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

/** The same server with another database name. */
export function withDatabaseName(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
