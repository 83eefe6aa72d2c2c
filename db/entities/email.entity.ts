import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { BaseSchema } from './base';

export const EMAIL_KINDS = [
  'dispatch',
  'reminder',
  'escalation_supervisor',
  'escalation_secretariat',
  'revision',
  'publication',
  'link_resent',
  'review_expired',
  'sign_in',
  'summary_frozen',
  'registration_dispatch',
  'registration_reminder',
  'title_vote_opened',
  'title_vote_reminder',
] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];
export const EMAIL_STATUSES = ['pending', 'sent', 'failed'] as const;

/**
 * Outbox row per message, written in the same transaction as the state change that causes it.
 * The idempotency key makes a retried activity find the row instead of sending again.
 */
export const Email = defineEntity({
  name: 'Email',
  extends: BaseSchema,
  properties: {
    idempotencyKey: p.string().length(300).unique(),
    kind: p.enum([...EMAIL_KINDS]),
    cycleId: p.integer().nullable().index(),
    taskId: p.integer().nullable().index(),
    recipient: p.string().length(320),
    locale: p.string().length(2),
    /** What the message is rendered from; never a secret (links are derived at send time). */
    params: p.json<Record<string, unknown>>(),
    subject: p.string().length(500).nullable(),
    bodySha256: p.string().length(64).nullable(),
    status: p.enum([...EMAIL_STATUSES]),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    messageId: p.string().length(300).nullable(),
    sentAt: p.datetime().nullable(),
    auditEventId: p.bigint('number').nullable(),
  },
});
export type IEmail = InferEntity<typeof Email>;
