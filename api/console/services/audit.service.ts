/**
 * The auditor's timeline of a cycle (or of one unit in it): every audit event and every email,
 * merged in time order, one page at a time or streamed whole for export. Each event's hash is
 * recomputed from its content and its link to the previous row is checked, so a page shows
 * whether the record was altered.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditHash } from '../../../db/audit';
import { AuditEvent, Email, UnitTask } from '../../../db/entities';
import type { IAuditEvent } from '../../../db/entities/audit.entity';
import type { ICycle } from '../../../db/entities/cycle.entity';
import { NotFoundError } from '../../../domain/errors';

export interface EventItem {
  readonly source: 'event';
  readonly id: number;
  readonly at: string;
  readonly actorKind: string;
  readonly actorId: string;
  readonly origin: string | null;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly hash: string;
  readonly prevHash: string;
  /** The hash matches the content, and the previous row's hash matches `prevHash`. */
  readonly verified: boolean;
}

export interface EmailItem {
  readonly source: 'email';
  readonly id: number;
  readonly at: string;
  readonly kind: string;
  readonly recipient: string;
  readonly subject: string | null;
  readonly status: string;
  readonly attempts: number;
  readonly sentAt: string | null;
  readonly lastError: string | null;
  readonly bodySha256: string | null;
  readonly auditEventId: number | null;
}

export type TimelineItem = EventItem | EmailItem;

export interface TimelineScope {
  readonly cycleId: number;
  /** One unit of the cycle: its task's events, the cycle events naming it, its emails. */
  readonly unit?: { readonly code: string; readonly taskId: number };
}

/** The unit of a cycle by code (its task id), for a unit's timeline. */
export async function unitScope(
  em: EntityManager,
  cycle: ICycle,
  code: string,
): Promise<{ code: string; taskId: number; name: string; workflowId: string }> {
  const task = await em.findOne(UnitTask, { cycle, unit: { code } }, { populate: ['unit'] });
  if (!task) throw new NotFoundError({ code: 'unit_has_no_task', params: { unit: code } }, 'unit');
  return { code, taskId: task.id, name: task.unit.name, workflowId: task.workflowId };
}

/** The units of a cycle the timeline can be narrowed to (the first `limit`, by code). */
export async function timelineUnits(
  em: EntityManager,
  cycle: ICycle,
  limit = 1000,
): Promise<{ code: string; name: string }[]> {
  const tasks = await em.find(UnitTask, { cycle }, { populate: ['unit'], orderBy: { unit: { code: 'asc' } }, limit });
  return tasks.map((t) => ({ code: t.unit.code, name: t.unit.name }));
}

function filters(scope: TimelineScope): {
  events: string;
  eventParams: unknown[];
  emails: string;
  emailParams: unknown[];
} {
  if (!scope.unit)
    return {
      events: 'cycle_id = ?',
      eventParams: [scope.cycleId],
      emails: 'cycle_id = ?',
      emailParams: [scope.cycleId],
    };
  const { code, taskId } = scope.unit;
  return {
    events: `cycle_id = ? AND ((subject_type = 'unit_task' AND subject_id = ?) OR jsonb_exists(coalesce(after -> 'units', '[]'::jsonb), ?) OR jsonb_exists(coalesce(after -> 'unitCodes', '[]'::jsonb), ?))`,
    eventParams: [scope.cycleId, String(taskId), code, code],
    emails: `cycle_id = ? AND (task_id = ? OR coalesce(params -> 'overdue', '[]'::jsonb) @> ?::jsonb)`,
    emailParams: [scope.cycleId, taskId, JSON.stringify([{ code }])],
  };
}

export async function countTimeline(
  em: EntityManager,
  scope: TimelineScope,
): Promise<{ events: number; emails: number }> {
  const f = filters(scope);
  const [events] = await em.execute<{ n: string }[]>(
    `SELECT count(*) AS n FROM audit_event WHERE ${f.events}`,
    f.eventParams,
  );
  const [emails] = await em.execute<{ n: string }[]>(
    `SELECT count(*) AS n FROM email WHERE ${f.emails}`,
    f.emailParams,
  );
  return { events: Number(events?.n ?? 0), emails: Number(emails?.n ?? 0) };
}

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

function verify(e: IAuditEvent, previousHash: string | undefined): boolean {
  const content = {
    occurredAt: e.occurredAt.toISOString(),
    actorKind: e.actorKind,
    actorId: e.actorId,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    cycleId: e.cycleId ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
    origin: e.origin ?? null,
  };
  return auditHash(e.prevHash, content) === e.hash && (previousHash === undefined || previousHash === e.prevHash);
}

/** One slice of the merged timeline, oldest first. */
export async function timelinePage(
  em: EntityManager,
  scope: TimelineScope,
  { offset, limit }: { offset: number; limit: number },
): Promise<TimelineItem[]> {
  const f = filters(scope);
  const keys = await em.execute<{ source: 'event' | 'email'; id: string }[]>(
    `SELECT source, id FROM (
       SELECT 'event' AS source, id, occurred_at AS at FROM audit_event WHERE ${f.events}
       UNION ALL
       SELECT 'email' AS source, id, coalesce(sent_at, created_at) AS at FROM email WHERE ${f.emails}
     ) t ORDER BY at, source DESC, id LIMIT ? OFFSET ?`,
    [...f.eventParams, ...f.emailParams, limit, offset],
  );
  const eventIds = keys.filter((k) => k.source === 'event').map((k) => Number(k.id));
  const emailIds = keys.filter((k) => k.source === 'email').map((k) => Number(k.id));
  const events = eventIds.length ? await em.find(AuditEvent, { id: { $in: eventIds } }) : [];
  const emails = emailIds.length ? await em.find(Email, { id: { $in: emailIds } }) : [];
  const previous = eventIds.length
    ? await em.execute<{ id: string; prev: string | null }[]>(
        `SELECT a.id, (SELECT b.hash FROM audit_event b WHERE b.seq = a.seq - 1) AS prev FROM audit_event a WHERE a.id IN (${eventIds.map(() => '?').join(',')})`,
        eventIds,
      )
    : [];
  const prevOf = new Map(previous.map((p) => [Number(p.id), p.prev ?? '0'.repeat(64)]));
  const byEvent = new Map(events.map((e) => [Number(e.id), e]));
  const byEmail = new Map(emails.map((e) => [e.id, e]));
  return keys.flatMap((k): TimelineItem[] => {
    if (k.source === 'event') {
      const e = byEvent.get(Number(k.id));
      if (!e) return [];
      return [
        {
          source: 'event',
          id: Number(e.id),
          at: e.occurredAt.toISOString(),
          actorKind: e.actorKind,
          actorId: e.actorId,
          origin: e.origin ?? null,
          action: e.action,
          subjectType: e.subjectType,
          subjectId: e.subjectId,
          before: e.before ?? null,
          after: e.after ?? null,
          hash: e.hash,
          prevHash: e.prevHash,
          verified: verify(e, prevOf.get(Number(e.id))),
        },
      ];
    }
    const m = byEmail.get(Number(k.id));
    if (!m) return [];
    return [
      {
        source: 'email',
        id: m.id,
        at: (m.sentAt ?? m.createdAt).toISOString(),
        kind: m.kind,
        recipient: m.recipient,
        subject: m.subject ?? null,
        status: m.status,
        attempts: m.attempts,
        sentAt: iso(m.sentAt),
        lastError: m.lastError ?? null,
        bodySha256: m.bodySha256 ?? null,
        auditEventId: m.auditEventId ?? null,
      },
    ];
  });
}

/** The whole timeline, in batches (for exports that should not hold a big cycle in memory). */
export async function* timelineAll(
  em: EntityManager,
  scope: TimelineScope,
  batch = 1000,
): AsyncGenerator<TimelineItem> {
  for (let offset = 0; ; offset += batch) {
    const items = await timelinePage(em.fork(), scope, { offset, limit: batch });
    yield* items;
    if (items.length < batch) return;
  }
}

/** One flat row per item, for CSV. */
export function timelineCsvRow(item: TimelineItem): (string | number)[] {
  if (item.source === 'event') {
    return [
      item.at,
      'event',
      item.id,
      `${item.actorKind}:${item.actorId}`,
      item.origin ?? '',
      item.action,
      `${item.subjectType}:${item.subjectId}`,
      '',
      JSON.stringify(item.before),
      JSON.stringify(item.after),
      item.hash,
      item.prevHash,
      item.verified ? 'verified' : 'MISMATCH',
    ];
  }
  return [
    item.at,
    'email',
    item.id,
    item.recipient,
    '',
    `email.${item.kind}`,
    item.subject ?? '',
    item.status,
    item.sentAt ?? '',
    item.lastError ?? '',
    item.bodySha256 ?? '',
    item.auditEventId === null ? '' : String(item.auditEventId),
    '',
  ];
}

export const TIMELINE_CSV_HEADER = [
  'time',
  'source',
  'id',
  'actor_or_recipient',
  'origin',
  'action',
  'subject',
  'email_status',
  'before_or_sent_at',
  'after_or_error',
  'hash_or_body_sha256',
  'prev_hash_or_audit_event',
  'hash_check',
];
