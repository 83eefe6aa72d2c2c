/**
 * PostgreSQL and the (file-backed) Temporal dev server are each restarted in the middle of a
 * cycle. This file runs its own of both — an embedded PostgreSQL and a dev server on a database
 * file — so that restarting them disturbs no other test. The cycle must complete with the outcome
 * an undisturbed run has: the same submissions, the same missing unit, and every unit exactly the
 * emails its timeline calls for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { ensureDatabase } from '../db/admin';
import { ConsolidatedReport, Cycle, Email } from '../db/entities';
import { ormOptions } from '../db/orm';
import { seedReferenceData } from '../db/seed';
import { freePort } from '../scripts/lib/project';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../scripts/postgres';
import { startTemporalDevServer, type DevServer } from '../scripts/temporal-server';
import { startStack, type Stack } from './support/stack';
import {
  api,
  createCampaign,
  createUnits,
  eventually,
  openCycle,
  sleep,
  submitByLink,
  timing,
} from './support/fixtures';
import { readConsolidatedReport } from '../db/consolidated-report';

const DIR = path.join(__dirname, '..', '.data', `test-restarts-${process.pid}`);
let pg: EmbeddedPostgres;
let temporal: DevServer;
let temporalPort: number;
let stack: Stack;

const startTemporal = () =>
  startTemporalDevServer({ port: temporalPort, dbFilename: path.join(DIR, 'temporal.db'), log: () => {} });

beforeAll(async () => {
  fs.mkdirSync(DIR, { recursive: true });
  pg = await startEmbeddedPostgres(path.join(DIR, 'postgres'), await freePort());
  const template = `${pg.serverUrl}/baocao_restarts`;
  await ensureDatabase(template);
  const orm = await MikroORM.init(ormOptions(template));
  await orm.migrator.up();
  await seedReferenceData(orm.em.fork());
  await orm.close();
  temporalPort = await freePort();
  temporal = await startTemporal();
  stack = await startStack({ templateDatabaseUrl: template, temporalAddress: temporal.address });
}, 180_000);
afterAll(async () => {
  await stack?.stop();
  await temporal?.stop();
  await pg?.stop();
  fs.rmSync(DIR, { recursive: true, force: true });
});

test('a cycle completes with the undisturbed outcome when PostgreSQL and then the Temporal server restart in the middle of it', async () => {
  const units = await createUnits(stack.orm, 12, { supervisors: 3 });
  const council = [await stack.token('council'), await stack.token('council')];
  // Deadline at 40 s with a reminder at 20 s; escalation at +5 s; hard close at +15 s.
  const campaign = await createCampaign(
    stack.orm,
    timing({ deadline: 40, reminders: [20], escalations: [5, 10], hardClose: 15 }),
  );
  const t0 = Date.now();
  const at = (ms: number) => sleep(Math.max(0, t0 + ms - Date.now()));
  const { base, workflowId, links } = await openCycle(stack, await stack.token('admin'), {
    units,
    campaign,
    emailTimeoutMs: 60_000,
  });
  const link = (i: number) => links[i]!;

  // Units 0–3 report at once (no reminder for them); 4–7 after the reminder; 8–10 late; 11 never.
  for (const i of [0, 1, 2, 3]) expect((await submitByLink(stack.baseUrl, link(i))).status).toBe(201);

  // PostgreSQL goes away for 5 s across the reminder at 20 s: the reminders go out once it is back.
  await at(17_000);
  await pg.stop();
  await sleep(5_000);
  await pg.start();
  await stack.sink.waitFor(() => units.slice(4).every((u) => stack.sink.to(u.headEmail).length >= 2), 60_000);
  for (const i of [4, 5, 6, 7]) {
    const res = await eventually(
      async () => {
        const r = await submitByLink(stack.baseUrl, link(i));
        return r.status >= 500 ? undefined : r; // the pool may still hold a connection that died
      },
      { timeoutMs: 20_000, what: `unit ${i}'s submission after the database restart` },
    );
    expect(res.status).toBe(201);
  }

  // The Temporal server is stopped across the deadline (40 s); units 8–10 report late while it is down.
  await at(35_000);
  await temporal.stop();
  await at(43_000);
  for (const i of [8, 9, 10]) {
    const res = await submitByLink(stack.baseUrl, link(i));
    if (res.status !== 201)
      throw new Error(`unit ${i} at ${Date.now() - t0} ms: ${res.status} ${JSON.stringify(res.body)}`);
  }
  temporal = await startTemporal();

  // Unit 11 never reports. After the hard close (55 s) the council approves.
  await eventually(
    async () =>
      (await stack.orm.em.fork().findOneOrFail(Cycle, { workflowId })).stage === 'review' ? true : undefined,
    { timeoutMs: 120_000, what: 'the review' },
  );
  for (const token of council)
    expect(
      (await api(stack.baseUrl, 'POST', `${base}/ballots`, { token, body: { version: 1, choice: 'approve' } })).status,
    ).toBe(201);
  await stack.client.workflow.getHandle(workflowId).result();

  const em = stack.orm.em.fork();
  const cycle = await em.findOneOrFail(Cycle, { workflowId });
  const content = await readConsolidatedReport(em, await em.findOneOrFail(ConsolidatedReport, { cycle, version: 1 }));
  expect(content).toMatchObject({ expected: 12, submitted: 11, onTime: 8 });
  expect(content.lateUnits.map((u) => u.unitCode).sort()).toEqual([8, 9, 10].map((i) => units[i]!.code).sort());
  expect(content.missingUnits.map((u) => u.unitCode)).toEqual([units[11]!.code]);

  // Every unit's emails, as its timeline calls for: dispatch; a reminder unless it reported before
  // 20 s; the publication. Nothing lost, nothing twice.
  await stack.sink.waitFor(
    () => units.every((u) => stack.sink.to(u.headEmail).some((m) => m.subject.includes('Công bố'))),
    60_000,
  );
  const emails = await em.find(Email, { cycleId: cycle.id });
  expect(emails.every((e) => e.status === 'sent')).toBe(true);
  for (const [i, unit] of units.entries()) {
    const kinds = emails
      .filter((e) => e.recipient === unit.headEmail)
      .map((e) => e.kind)
      .sort();
    expect({ unit: i, kinds }).toEqual({
      unit: i,
      kinds: (i < 4 ? ['dispatch', 'publication'] : ['dispatch', 'publication', 'reminder']).sort(),
    });
    expect(stack.sink.to(unit.headEmail)).toHaveLength(kinds.length);
  }
}, 300_000);
