/** `npm run audit:verify`: re-computes the audit chain; exit code 1 and the first broken row when it is broken. */
import { loadDatabaseUrl } from '../config/config';
import { verifyAuditChain } from '../db/audit-verify';
import { openDatabase } from '../db/orm';

async function main(): Promise<void> {
  const orm = await openDatabase(loadDatabaseUrl());
  try {
    const report = await verifyAuditChain(orm.em.fork());
    console.log(JSON.stringify(report, null, 2));
    if (!report.ok) process.exitCode = 1;
  } finally {
    await orm.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
