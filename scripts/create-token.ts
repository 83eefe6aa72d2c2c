/**
 * `npm run token:create -- --name "Nguyễn Văn A" --role admin [--email a@b] [--days 90]`: prints a
 * new personal API token once (standard output: the token alone; its expiry on standard error).
 */
import { parseArgs } from 'node:util';
import { TOKEN_DAYS, createApiToken } from '../api/http/auth';
import { requireText } from '../api/services/admin-common';
import { newApiToken } from '../auth/tokens';
import { loadDatabaseUrl } from '../config/config';
import { ROLES, type Role } from '../db/entities/api-token.entity';
import { openDatabase } from '../db/orm';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      email: { type: 'string' },
      days: { type: 'string' },
    },
  });
  if (!values.name?.trim()) throw new Error('--name is required: whose token is this?');
  const name = requireText('--name', values.name, { max: 200, formula: true });
  if (!ROLES.includes(values.role as Role)) throw new Error(`--role must be one of: ${ROLES.join(', ')}`);
  const days = values.days === undefined ? TOKEN_DAYS : Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw new Error('--days must be a whole number of days from 1 to 366');
  const databaseUrl = loadDatabaseUrl();
  const orm = await openDatabase(databaseUrl);
  try {
    const token = newApiToken();
    const expiresAt = new Date(Date.now() + days * 86_400_000);
    const id = await createApiToken(
      orm.em.fork(),
      { name, role: values.role as Role, expiresAt, ...(values.email ? { email: values.email } : {}) },
      token,
    );
    console.log(token);
    console.error(
      `Token ${id} works until ${expiresAt.toISOString()}; revoke it sooner with \`npm run token:revoke -- --id ${id}\`.`,
    );
  } finally {
    await orm.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
