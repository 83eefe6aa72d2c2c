/**
 * The audit log is tamper-evident: the database refuses UPDATE, DELETE and TRUNCATE, and when
 * someone with superuser rights goes behind the application's back anyway (triggers bypassed),
 * verification finds the first broken row — for an edit, a deletion and an insertion.
 */
import { Client } from 'pg';
import type { EntityManager } from '@mikro-orm/postgresql';
import { appendAudit, auditContent, auditHash, sealAuditChain } from '../db/audit';
import { api, eventually, openCycle, timing } from './support/fixtures';
import { useStack } from './support/hooks';

const stack = useStack();
let auditor: string;
let db: Client;
beforeAll(async () => {
  auditor = await stack.token('auditor');
  const admin = await stack.token('admin');
  await openCycle(stack, admin, {
    units: 3,
    timing: timing({ deadline: 300, escalations: [60, 120], hardClose: 180 }),
  });
  db = new Client({ connectionString: stack.config.DATABASE_URL });
  await db.connect();
  await eventually(
    async () => (Number((await db.query('SELECT count(*) AS n FROM audit_event')).rows[0].n) >= 4 ? true : undefined),
    { what: 'audit events' },
  );
});
afterAll(async () => {
  await db?.end();
});

interface Report {
  ok: boolean;
  rows: number;
  head: { seq: number; hash: string };
  firstBreak: { seq: number; problem: string } | null;
}
const verify = async (): Promise<Report> =>
  (await api<Report>(stack.baseUrl, 'GET', '/api/v1/audit/verify', { token: auditor })).body;

/** Runs `sql` as a superuser with triggers bypassed, then puts everything back as it was. */
async function behindTheBack(sql: string, params: unknown[] = []): Promise<void> {
  await db.query('BEGIN');
  await db.query("SET LOCAL session_replication_role = 'replica'");
  await db.query(sql, params);
  await db.query('COMMIT');
}

test('an untouched log verifies, from the API', async () => {
  const report = await verify();
  expect(report.ok).toBe(true);
  expect(report.rows).toBeGreaterThanOrEqual(4);
  expect(report.head.seq).toBe(report.rows);
});

test('concurrent writers chain without gaps at commit; a rolled-back writer leaves nothing behind', async () => {
  const before = (await verify()).rows;
  const actor = { kind: 'system' as const, id: 'audit-chain.test' };
  const append = (em: EntityManager, i: number, step: number) =>
    appendAudit(em, { actor, action: 'test.concurrent', subjectType: 'test', subjectId: `w${i}`, after: { step } });
  const outcomes = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      stack.orm.em
        .fork()
        .transactional(async (em) => {
          const first = await append(em, i, 1);
          await new Promise((resolve) => setTimeout(resolve, (i * 7) % 25)); // writers interleave and commit out of order
          const second = await append(em, i, 2);
          if (i % 8 === 0) throw new Error('rolled back');
          return [first, second];
        })
        .catch(() => []),
    ),
  );
  const committed = outcomes.flat();
  expect(committed).toHaveLength(70);
  const report = await verify();
  expect(report).toMatchObject({ ok: true, rows: before + 70, firstBreak: null });
  const { rows } = await db.query(
    "SELECT id, subject_id, after FROM audit_event WHERE action = 'test.concurrent' ORDER BY seq",
  );
  expect(rows.map((r) => Number(r.id)).sort((a, b) => a - b)).toEqual([...committed].sort((a, b) => a - b));
  expect(rows.some((r) => ['w0', 'w8', 'w16', 'w24', 'w32'].includes(r.subject_id))).toBe(false);
  // Each writer's two events are in its own order, and none is left waiting to be chained.
  for (let i = 1; i < 40; i += 1) {
    const mine = rows.filter((r) => r.subject_id === `w${i}`).map((r) => r.after.step);
    if (i % 8 !== 0) expect(mine).toEqual([1, 2]);
  }
  expect(Number((await db.query('SELECT count(*) AS n FROM audit_pending')).rows[0].n)).toBe(0);
});

test('events sealed after commit are chained in groups in id order; one whose writer died before sealing is chained by the next seal', async () => {
  const before = (await verify()).rows;
  const event = (subjectId: string): string =>
    auditContent({
      actor: { kind: 'system', id: 'audit-chain.test' },
      action: 'test.sealed',
      subjectType: 'test',
      subjectId,
    });
  const insert = 'INSERT INTO audit_pending (content, seal_after_commit) VALUES ($1, true) RETURNING id';
  // Committed, then its writer died: not chained yet, and nothing else picks it up at commit.
  const orphan = Number((await db.query(insert, [event('orphan')])).rows[0].id);
  expect(Number((await db.query("SELECT count(*) AS n FROM audit_event WHERE action = 'test.sealed'")).rows[0].n)).toBe(
    0,
  );
  // 30 writers commit, then each seals: whoever holds the lock chains what has committed so far.
  const sealed = await Promise.all(
    Array.from({ length: 30 }, async (_, i) => {
      await stack.orm.em.fork().execute(insert.replace('$1', '?'), [event(`s${i}`)]);
      return sealAuditChain(stack.orm.em.fork());
    }),
  );
  expect(sealed.reduce((a, b) => a + b, 0)).toBe(31);
  expect(Number((await db.query('SELECT count(*) AS n FROM audit_pending')).rows[0].n)).toBe(0);
  expect(await verify()).toMatchObject({ ok: true, rows: before + 31, firstBreak: null });
  const { rows } = await db.query("SELECT id FROM audit_event WHERE action = 'test.sealed' ORDER BY seq");
  expect(Number(rows[0].id)).toBe(orphan);
  expect(rows).toHaveLength(31);
  // A seal with nothing to do chains nothing, and verification seals first.
  expect(await sealAuditChain(stack.orm.em.fork())).toBe(0);
  await db.query(insert, [event('verified')]);
  expect(await verify()).toMatchObject({ ok: true, rows: before + 32 });
});

test('the database refuses UPDATE, DELETE and TRUNCATE on the audit log', async () => {
  await expect(db.query("UPDATE audit_event SET action = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/);
  await expect(db.query('DELETE FROM audit_event WHERE seq = 1')).rejects.toThrow(/append-only/);
  await expect(db.query('TRUNCATE audit_event')).rejects.toThrow(/append-only/);
  expect((await verify()).ok).toBe(true);
});

test('an edited row is found', async () => {
  const { rows } = await db.query('SELECT after FROM audit_event WHERE seq = 2');
  await behindTheBack("UPDATE audit_event SET after = jsonb_set(after, '{state}', '\"submitted\"') WHERE seq = 2");
  expect((await verify()).firstBreak).toEqual({
    seq: 2,
    id: expect.any(Number),
    problem: 'content does not match its hash',
  });
  await behindTheBack('UPDATE audit_event SET after = $1 WHERE seq = 2', [JSON.stringify(rows[0].after)]);
  expect((await verify()).ok).toBe(true);
});

test('a deleted row is found', async () => {
  const { rows } = await db.query('SELECT * FROM audit_event WHERE seq = 3');
  await behindTheBack('DELETE FROM audit_event WHERE seq = 3');
  expect((await verify()).firstBreak).toMatchObject({ seq: 4, problem: 'position skips (rows missing before it)' });
  const r = rows[0];
  await behindTheBack(
    'INSERT INTO audit_event (id, seq, occurred_at, actor_kind, actor_id, action, subject_type, subject_id, cycle_id, before, after, origin, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)',
    [
      r.id,
      r.seq,
      r.occurred_at,
      r.actor_kind,
      r.actor_id,
      r.action,
      r.subject_type,
      r.subject_id,
      r.cycle_id,
      JSON.stringify(r.before),
      JSON.stringify(r.after),
      r.origin,
      r.prev_hash,
      r.hash,
    ],
  );
  expect((await verify()).ok).toBe(true);
});

test('an inserted row is found, even one whose own hash is right', async () => {
  // Make room at position 2 by shifting the rest, then slip in a row that hashes correctly on
  // top of row 1: its successor no longer chains to it.
  const { rows } = await db.query('SELECT hash FROM audit_event WHERE seq = 1');
  const content = {
    occurredAt: new Date().toISOString(),
    actorKind: 'user',
    actorId: 'intruder',
    action: 'task.submitted',
    subjectType: 'unit_task',
    subjectId: '1',
    cycleId: null,
    before: null,
    after: null,
    origin: null,
  };
  await behindTheBack('UPDATE audit_event SET seq = seq + 1000000 WHERE seq >= 2');
  await behindTheBack('UPDATE audit_event SET seq = seq - 1000000 + 1 WHERE seq >= 1000000');
  await behindTheBack(
    "INSERT INTO audit_event (seq, occurred_at, actor_kind, actor_id, action, subject_type, subject_id, cycle_id, before, after, origin, prev_hash, hash) VALUES (2, $1, 'user', 'intruder', 'task.submitted', 'unit_task', '1', NULL, 'null', 'null', NULL, $2, $3)",
    [content.occurredAt, rows[0].hash, auditHash(rows[0].hash, content)],
  );
  expect((await verify()).firstBreak).toMatchObject({ seq: 3, problem: 'previous hash does not match the row before' });
});
