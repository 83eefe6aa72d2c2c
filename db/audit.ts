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

export const auditHash = (prevHash: string, content: AuditRowContent): string =>
  sha256(`${prevHash}\n${canonicalJson(content)}`);

/** The canonical text an event is chained by (`audit_pending.content`). */
export function auditContent(input: AuditInput): string {
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
  return canonicalJson(content);
}

/**
 * Appends one event to the chained audit log as part of the caller's transaction; returns its id.
 * The row is chained when the transaction commits (deferred trigger, migration 20261123170000),
 * so appends do not queue behind each other while their transactions are still running.
 */
export async function appendAudit(em: EntityManager, input: AuditInput): Promise<number> {
  const rows = await em.execute<{ id: string }[]>('INSERT INTO audit_pending (content) VALUES (?) RETURNING id', [
    auditContent(input),
  ]);
  return Number(rows[0]!.id);
}

/**
 * Appends many events in two round trips (their ids, then the rows); answers their ids in the
 * order given. Chained at commit like `appendAudit`, in insertion order.
 */
export async function appendAudits(em: EntityManager, inputs: readonly AuditInput[]): Promise<number[]> {
  if (inputs.length === 0) return [];
  const ids = (
    await em.execute<{ id: string }[]>(`SELECT nextval('audit_event_id_seq') AS id FROM generate_series(1, ?)`, [
      inputs.length,
    ])
  ).map((r) => Number(r.id));
  const rows = inputs.map((input, i) => ({ id: ids[i], content: auditContent(input) }));
  await em.execute(
    `INSERT INTO audit_pending (id, content) SELECT r.id, r.content FROM jsonb_to_recordset(?::jsonb) AS r(id bigint, content text) ORDER BY r.id`,
    [JSON.stringify(rows)],
  );
  return ids;
}

/**
 * Chains every committed event left to be sealed after commit (`seal_after_commit`, migration
 * 20261123200000), its own and any other writer's; answers how many it chained.
 */
export async function sealAuditChain(em: EntityManager): Promise<number> {
  const [row] = await em.execute<[{ sealed: number }]>('SELECT seal_audit_chain() AS sealed');
  return Number(row.sealed);
}
