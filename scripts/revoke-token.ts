/**
 * `npm run token:revoke -- --id 12 [--reason "…"]` or `-- --name "Nguyễn Văn A"`: revokes a
 * personal API token (every working token of that holder with --name) at once; its console
 * sessions end with it. Without --id or --name, lists the tokens that work now.
 */
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { loadDatabaseUrl } from '../config/config';
import { openDatabase } from '../db/orm';
import { listTokens, revokeToken } from '../api/services/access.service';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { id: { type: 'string' }, name: { type: 'string' }, reason: { type: 'string' } },
  });
  const orm = await openDatabase(loadDatabaseUrl());
  try {
    const now = new Date();
    const tokens = await listTokens(orm.em.fork(), now);
    const active = tokens.filter((t) => t.state === 'active');
    const chosen =
      values.id !== undefined
        ? tokens.filter((t) => String(t.id) === values.id)
        : values.name !== undefined
          ? active.filter((t) => t.holder === values.name!.trim() || t.name === values.name!.trim())
          : undefined;
    if (!chosen) {
      console.log('Tokens that work now (revoke one with --id N, or every token of a holder with --name "…"):');
      for (const t of active) console.log(`  ${t.id}\t${t.role}\t${t.holder}\t${t.name}\tuntil ${t.expiresAt}`);
      return;
    }
    if (chosen.length === 0)
      throw new Error(
        values.id !== undefined ? `There is no token ${values.id}.` : `No working token is held by "${values.name}".`,
      );
    const actor = { kind: 'system' as const, id: 'npm run token:revoke', origin: hostname() };
    for (const t of chosen) {
      const revoked = await revokeToken(
        orm.em.fork(),
        actor,
        t.id,
        values.reason?.trim() || 'revoked from the command line',
        now,
      );
      console.log(`Revoked token ${revoked.id} (${revoked.role}, ${revoked.name}).`);
    }
  } finally {
    await orm.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
