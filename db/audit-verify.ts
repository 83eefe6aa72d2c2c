/**
 * Re-computes the audit chain from the first row and reports the first broken one: a row whose
 * content no longer matches its hash (edited), whose previous hash is not its predecessor's
 * (deleted or inserted rows), or whose position skips (deleted rows). Reads in batches, so the
 * cost grows with the log, not with memory.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditHash, GENESIS_HASH, sealAuditChain, type AuditRowContent } from './audit';

export interface ChainBreak {
  readonly seq: number;
  readonly id: number;
  readonly problem:
    | 'content does not match its hash'
    | 'previous hash does not match the row before'
    | 'position skips (rows missing before it)';
}

export interface ChainReport {
  readonly ok: boolean;
  readonly rows: number;
  /** The last row: record it elsewhere to detect a truncated tail later. */
  readonly head: { seq: number; hash: string } | null;
  readonly firstBreak: ChainBreak | null;
  readonly milliseconds: number;
}

interface Row {
  id: string;
  seq: string;
  occurred_at: Date;
  actor_kind: string;
  actor_id: string;
  action: string;
  subject_type: string;
  subject_id: string;
  cycle_id: number | null;
  before: unknown;
  after: unknown;
  origin: string | null;
  prev_hash: string;
  hash: string;
}

const BATCH = 2000;

export async function verifyAuditChain(em: EntityManager): Promise<ChainReport> {
  const started = performance.now();
  await sealAuditChain(em); // events a writer committed but did not live to seal are chained first
  let prevHash = GENESIS_HASH;
  let prevSeq = 0;
  let rows = 0;
  let head: ChainReport['head'] = null;
  for (;;) {
    const batch = await em.execute<Row[]>(
      `SELECT id, seq, occurred_at, actor_kind, actor_id, action, subject_type, subject_id, cycle_id, before, after, origin, prev_hash, hash
       FROM audit_event WHERE seq > ? ORDER BY seq LIMIT ${BATCH}`,
      [prevSeq],
    );
    for (const row of batch) {
      const seq = Number(row.seq);
      const id = Number(row.id);
      const fail = (problem: ChainBreak['problem']): ChainReport => ({
        ok: false,
        rows,
        head,
        firstBreak: { seq, id, problem },
        milliseconds: performance.now() - started,
      });
      if (seq !== prevSeq + 1) return fail('position skips (rows missing before it)');
      if (row.prev_hash !== prevHash) return fail('previous hash does not match the row before');
      const content: AuditRowContent = {
        occurredAt: new Date(row.occurred_at).toISOString(),
        actorKind: row.actor_kind,
        actorId: row.actor_id,
        action: row.action,
        subjectType: row.subject_type,
        subjectId: row.subject_id,
        cycleId: row.cycle_id,
        before: row.before,
        after: row.after,
        origin: row.origin,
      };
      if (auditHash(row.prev_hash, content) !== row.hash) return fail('content does not match its hash');
      prevHash = row.hash;
      prevSeq = seq;
      rows += 1;
      head = { seq, hash: row.hash };
    }
    if (batch.length < BATCH) break;
  }
  return { ok: true, rows, head, firstBreak: null, milliseconds: performance.now() - started };
}
