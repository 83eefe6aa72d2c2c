import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const ACTOR_KINDS = ['user', 'link', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/**
 * Append-only record of every state change; each row chains the previous row's hash. The
 * database refuses UPDATE, DELETE and TRUNCATE on it (trigger in the migrations).
 */
const REFUSE =
  "raise exception 'audit_event is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege'";

/** TRUNCATE is refused by a statement trigger kept in migration 20261123122008 (the schema diff cannot see it). */
export const AuditEvent = defineEntity({
  name: 'AuditEvent',
  triggers: [
    {
      name: 'audit_event_no_update_delete',
      timing: 'before',
      events: ['update', 'delete'],
      forEach: 'row',
      body: REFUSE,
    },
  ],
  properties: {
    id: p.bigint('number').primary(),
    /** Gapless position in the chain (ids may skip when a transaction rolls back). */
    seq: p.bigint('number').unique(),
    occurredAt: p.datetime(),
    actorKind: p.enum([...ACTOR_KINDS]),
    actorId: p.string().length(300),
    action: p.string().length(100).index(),
    subjectType: p.string().length(50),
    subjectId: p.string().length(300).index(),
    cycleId: p.integer().nullable().index(),
    before: p.json<unknown>().nullable(),
    after: p.json<unknown>().nullable(),
    origin: p.string().length(300).nullable(),
    prevHash: p.string().length(64),
    hash: p.string().length(64).unique(),
  },
});
export type IAuditEvent = InferEntity<typeof AuditEvent>;

/**
 * An audit event not chained yet: its canonical content (`canonicalJson` of `AuditRowContent`).
 * Usually a deferred constraint trigger (migration 20261123170000, which the schema diff cannot
 * see) chains it into `audit_event` under the same id when the writer commits, and deletes it.
 * Rows marked `sealAfterCommit` are left to `seal_audit_chain()` (migration 20261123200000),
 * which the writer calls once it has committed and which chains every such committed row at once:
 * the chain's lock is then held for one commit per group of events instead of one per event.
 */
export const AuditPending = defineEntity({
  name: 'AuditPending',
  properties: {
    id: p.bigint('number').primary().defaultRaw(`nextval('audit_event_id_seq')`),
    content: p.text(),
    sealAfterCommit: p.boolean().default(false),
  },
});
