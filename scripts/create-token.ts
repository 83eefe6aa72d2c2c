/**
 * `npm run token:create -- --name "Nguyễn Văn A" --email a@bo.gov.vn --role admin [--days 90] [--label "..."]`:
 * finds the person of that email (or creates them with that name), gives them the role over the
 * whole installation when they do not hold it, and prints a new API token of theirs once
 * (standard output: the token alone; its expiry on standard error). On the audit record.
 */
import { parseArgs } from 'node:util';
import { TOKEN_DAYS, createToken } from '../api/services/access.service';
import { requireText } from '../api/services/admin-common';
import { ensurePersonWithRole } from '../api/services/people.service';
import { loadDatabaseUrl } from '../config/config';
import type { Actor } from '../db/audit';
import { ROLES, type Role } from '../db/entities/api-token.entity';
import { openDatabase } from '../db/orm';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      email: { type: 'string' },
      days: { type: 'string' },
      label: { type: 'string' },
    },
  });
  if (!values.name?.trim()) throw new Error('--name is required: whose token is this?');
  if (!values.email?.trim()) throw new Error('--email is required: the person is found (or created) by their email');
  const name = requireText('--name', values.name, { max: 200, formula: true });
  if (!ROLES.includes(values.role as Role)) throw new Error(`--role must be one of: ${ROLES.join(', ')}`);
  const role = values.role as Role;
  const days = values.days === undefined ? TOKEN_DAYS : Number(values.days);
  const orm = await openDatabase(loadDatabaseUrl());
  try {
    const actor: Actor = { kind: 'system', id: 'npm run token:create', origin: 'npm run token:create' };
    const now = new Date();
    const person = await ensurePersonWithRole(orm.em.fork(), actor, { name, email: values.email, role }, now);
    const { token, view } = await createToken(
      orm.em.fork(),
      actor,
      { personId: person.id, name: values.label ?? `npm run token:create (${role})`, role, days },
      now,
    );
    console.log(token);
    console.error(
      `Token ${view.id} of ${person.name} <${person.email}> works until ${view.expiresAt}; revoke it sooner in the console or with \`npm run token:revoke -- --id ${view.id}\`.`,
    );
  } finally {
    await orm.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
