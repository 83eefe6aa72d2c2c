import type { EntityManager } from '@mikro-orm/postgresql';
import { sha256 } from '../auth/tokens';
import type { ActorKind } from './entities/audit.entity';

export interface Actor {
  readonly kind: ActorKind;
  /** Token name for a user, `task:<id>` for a link, workflow id for the system. */
  readonly id: string;
  /** Where the request came from: client address for HTTP, workflow id for workflows. */
  readonly origin?: string;
}

export interface AuditInput {
  readonly actor: Actor;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly cycleId?: number | null;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly occurredAt?: Date;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Canonical JSON (sorted keys) so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface AuditRowContent {
  occurredAt: string;
  actorKind: string;
  actorId: string;
  action: string;
  subjectType: string;
  subjectId: string;
  cycleId: number | null;
  before: unknown;
  after: unknown;
  origin: string | null;
}

export const auditHash = (prevHash: string, content: AuditRowContent): string => sha256(`${prevHash}\n${canonicalJson(content)}`);

/**
 * Appends one event to the chained audit log inside the caller's transaction. Appends are
 * serialised by a transaction-scoped advisory lock so each row chains to its predecessor.
 */
export async function appendAudit(em: EntityManager, input: AuditInput): Promise<number> {
  await em.execute(`SELECT pg_advisory_xact_lock(hashtext('audit_event'))`);
  const last = await em.execute<{ hash: string; seq: string }[]>('SELECT hash, seq FROM audit_event ORDER BY seq DESC LIMIT 1');
  const prevHash = last[0]?.hash ?? GENESIS_HASH;
  const seq = Number(last[0]?.seq ?? 0) + 1;
  const content: AuditRowContent = {
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    actorKind: input.actor.kind,
    actorId: input.actor.id,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    cycleId: input.cycleId ?? null,
    before: input.before ?? null,
    after: input.after ?? null,
    origin: input.actor.origin ?? null,
  };
  const hash = auditHash(prevHash, content);
  const rows = await em.execute<{ id: string }[]>(
    `INSERT INTO audit_event (seq, occurred_at, actor_kind, actor_id, action, subject_type, subject_id, cycle_id, before, after, origin, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?) RETURNING id`,
    [seq, content.occurredAt, content.actorKind, content.actorId, content.action, content.subjectType, content.subjectId, content.cycleId,
      JSON.stringify(content.before), JSON.stringify(content.after), content.origin, prevHash, hash],
  );
  return Number(rows[0]!.id);
}
