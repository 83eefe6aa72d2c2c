/** `npm run token:create -- --name "Nguyễn Văn A" --role admin [--email a@b]`: prints a new personal API token once. */
import { parseArgs } from 'node:util';
import { createApiToken } from '../api/auth';
import { newApiToken } from '../auth/tokens';
import { loadDatabaseUrl } from '../config/config';
import { ROLES, type Role } from '../db/entities/api-token.entity';
import { openDatabase } from '../db/orm';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { name: { type: 'string' }, role: { type: 'string' }, email: { type: 'string' } } });
  if (!values.name?.trim()) throw new Error('--name is required: whose token is this?');
  if (!ROLES.includes(values.role as Role)) throw new Error(`--role must be one of: ${ROLES.join(', ')}`);
  const databaseUrl = loadDatabaseUrl();
  const orm = await openDatabase(databaseUrl);
  try {
    const token = newApiToken();
    await createApiToken(orm.em.fork(), { name: values.name.trim(), role: values.role as Role, ...(values.email ? { email: values.email } : {}) }, token);
    console.log(token);
  } finally {
    await orm.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
