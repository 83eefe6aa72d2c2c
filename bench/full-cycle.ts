/**
 * `npm run bench:cycle [-- --units 50]`: one whole cycle end to end on the real stack (Temporal
 * dev server, PostgreSQL, SMTP sink, worker, API) with short durations: dispatch, every unit
 * submits over HTTP, consolidation, two council approvals, publication. Prints a table of how
 * long each stage took.
 */
import { parseArgs } from 'node:util';
import { MikroORM } from '@mikro-orm/postgresql';
import { dropDatabasesLike, ensureDatabase } from '../db/admin';
import { verifyAuditChain } from '../db/audit-verify';
import { ormOptions } from '../db/orm';
import { seedReferenceData } from '../db/seed';
import { startTemporalDevServer } from '../scripts/temporal-server';
import { api, createCampaign, createUnits, currentPeriod, linkIn, submitByLink, validAnswers } from '../test/support/fixtures';
import { startStack } from '../test/support/stack';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { units: { type: 'string', default: '50' } } });
  const n = Number(values.units);
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const prefix = `baocao_bench_${Date.now()}`;
  const templateUrl = new URL(base);
  templateUrl.pathname = `/${prefix}`;
  await ensureDatabase(templateUrl.toString());
  const orm = await MikroORM.init(ormOptions(templateUrl.toString()));
  await orm.migrator.up();
  await seedReferenceData(orm.em.fork());
  await orm.close();
  const temporal = await startTemporalDevServer({ log: () => {} });
  const stack = await startStack({ templateDatabaseUrl: templateUrl.toString(), temporalAddress: temporal.address });
  const rows: [string, number][] = [];
  try {
    const units = await createUnits(stack.orm, n, { supervisors: 5 });
    const campaign = await createCampaign(stack.orm, { deadlineAfterSeconds: 600, reminderSecondsBefore: [], escalationSecondsAfter: [600, 1200], hardCloseSecondsAfter: 1800, reviewWindowSeconds: 600, revisionWindowSeconds: 600 });
    const admin = await stack.token('admin');
    const council = [await stack.token('council'), await stack.token('council'), await stack.token('council')];
    const t0 = performance.now();
    let t = t0;
    const lap = (label: string): void => {
      const now = performance.now();
      rows.push([label, now - t]);
      t = now;
    };

    const period = currentPeriod();
    const started = await api<{ workflowId: string }>(stack.baseUrl, 'POST', '/api/v1/cycles', { token: admin, body: { campaign, period, units: units.map((u) => u.code) } });
    if (started.status !== 201) throw new Error(`start failed: ${JSON.stringify(started.body)}`);
    await stack.sink.waitFor(() => units.every((u) => stack.sink.to(u.headEmail).length >= 1), 600_000);
    lap(`dispatch: ${n} tasks stored, ${n} emails accepted`);

    const links = units.map((u) => linkIn(stack.sink.to(u.headEmail)[0]!.text, stack.baseUrl));
    await Promise.all(links.map(async (link, i) => {
      const res = await submitByLink(stack.baseUrl, link, validAnswers(`Đơn vị ${i}`));
      if (res.status !== 201) throw new Error(`submission ${i} failed: ${JSON.stringify(res.body)}`);
    }));
    lap(`${n} submissions over HTTP (all at once)`);

    const reviewPath = `/api/v1/cycles/${campaign}/${period}/review`;
    while ((await api<{ version: number | null }>(stack.baseUrl, 'GET', reviewPath, { token: admin })).body.version !== 1) await new Promise((r) => setTimeout(r, 50));
    lap('consolidation until the review opens');

    for (const token of council.slice(0, 2)) await api(stack.baseUrl, 'POST', `/api/v1/cycles/${campaign}/${period}/ballots`, { token, body: { version: 1, choice: 'approve' } });
    await stack.client.workflow.getHandle(started.body.workflowId).result();
    await stack.sink.waitFor(() => units.every((u) => stack.sink.to(u.headEmail).length >= 2), 600_000);
    lap(`two approvals → publication emailed to ${n} units`);
    rows.push(['total, end to end', performance.now() - t0]);
    const chain = await verifyAuditChain(stack.orm.em.fork());
    if (!chain.ok) throw new Error('the audit chain does not verify');
    rows.push([`audit chain verification (${chain.rows} rows)`, chain.milliseconds]);
  } finally {
    await stack.stop();
    await temporal.stop();
    await dropDatabasesLike(base, prefix);
  }
  console.log(`\nFull cycle, ${n} units (one run; absolute times on a noisy 2-core machine)\n`);
  console.log('| stage | seconds |\n|---|---:|');
  for (const [label, ms] of rows) console.log(`| ${label} | ${(ms / 1000).toFixed(2)} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
