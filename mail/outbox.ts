/**
 * The email outbox. A state change and the message it causes are written in one transaction
 * (`enqueueEmail`); `deliverPending` sends what is pending and records the result. A retried
 * activity finds the row by its idempotency key and never sends a delivered message again.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Transporter } from 'nodemailer';
import { linkToken, registrationToken, sha256, signInToken } from '../auth/tokens';
import type { EmailKind } from '../db/entities/email.entity';
import type { Locale } from '../domain/template';
import { LINK_KINDS, REGISTRATION_KINDS, renderEmail, type EmailParams } from './render';

export interface OutboxMessage<K extends EmailKind = EmailKind> {
  readonly key: string;
  readonly kind: K;
  readonly recipient: string;
  readonly locale: Locale;
  readonly params: EmailParams[K] & { taskId?: number; tokenVersion?: number };
  readonly cycleId?: number | null;
  readonly taskId?: number | null;
  readonly auditEventId?: number | null;
}

/** Adds messages to the outbox in the caller's transaction, in one statement; a key already there is left as it is. */
export async function enqueueEmails(em: EntityManager, messages: readonly OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const rows = messages.map((m) => ({
    key: m.key,
    kind: m.kind,
    cycle_id: m.cycleId ?? null,
    task_id: m.taskId ?? null,
    recipient: m.recipient,
    locale: m.locale,
    params: m.params,
    audit_event_id: m.auditEventId ?? null,
  }));
  await em.execute(
    `INSERT INTO email (created_at, updated_at, idempotency_key, kind, cycle_id, task_id, recipient, locale, params, status, attempts, audit_event_id)
     SELECT now(), now(), m.key, m.kind, m.cycle_id, m.task_id, m.recipient, m.locale, m.params, 'pending', 0, m.audit_event_id
     FROM jsonb_to_recordset(?::jsonb) AS m(key text, kind text, cycle_id int, task_id int, recipient text, locale text, params jsonb, audit_event_id bigint)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

/** Adds one message to the outbox in the caller's transaction; a second call with the same key is a no-op. */
export const enqueueEmail = (em: EntityManager, m: OutboxMessage): Promise<void> => enqueueEmails(em, [m]);

export interface DeliveryDeps {
  readonly em: EntityManager;
  readonly mailer: Transporter;
  readonly from: string;
  readonly publicUrl: string;
  readonly linkSecret: string;
}

interface PendingRow {
  id: number;
  idempotency_key: string;
  kind: EmailKind;
  recipient: string;
  locale: Locale;
  params: Record<string, unknown>;
}

/** The personal link a unit head follows from an email. */
export const taskLink = (publicUrl: string, secret: string, taskId: number, version: number): string =>
  `${publicUrl}/r/${linkToken(secret, taskId, version)}`;

/** A console sign-in link sent by email (`SignInLink`); it works once. */
export const signInLink = (publicUrl: string, secret: string, signInId: number): string =>
  `${publicUrl}/console/sign-in/link/${signInToken(secret, signInId)}`;

/** A unit's emulation-registration link (`/dk/<token>`): short, typed on a phone if need be. */
export const registrationLink = (publicUrl: string, secret: string, registrationId: number): string =>
  `${publicUrl}/dk/${registrationToken(secret, registrationId)}`;

/** Messages sent at once: as many as the pooled transport has connections (mail/transport.ts). */
export const DELIVERY_CONCURRENCY = 5;

/**
 * Sends every pending message whose key is one of `keys` or starts with `keyPrefix`, up to
 * DELIVERY_CONCURRENCY at a time. Each row is locked while it is sent, so two concurrent attempts
 * never send the same row. On an SMTP failure (recorded on its row) no further message is
 * started; the ones under way finish, then it throws so the activity is retried.
 */
export async function deliverPending(
  deps: DeliveryDeps,
  match: { keys: readonly string[] } | { keyPrefix: string },
): Promise<number> {
  const [clause, param] =
    'keys' in match
      ? ['idempotency_key IN (SELECT jsonb_array_elements_text(?::jsonb))', JSON.stringify(match.keys)]
      : ['idempotency_key LIKE ?', `${match.keyPrefix.replace(/[\\%_]/g, '\\$&')}%`];
  const ids = await deps.em.execute<{ id: number }[]>(
    `SELECT id FROM email WHERE status = 'pending' AND ${clause} ORDER BY id`,
    [param],
  );
  let sent = 0;
  let next = 0;
  let failure: { error: unknown } | undefined;
  const sender = async (): Promise<void> => {
    while (failure === undefined && next < ids.length) {
      const { id } = ids[next]!;
      next += 1;
      try {
        if (await deliverOne(deps, id)) sent += 1;
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DELIVERY_CONCURRENCY, ids.length) }, sender));
  if (failure) throw failure.error;
  return sent;
}

/** Sends one pending row and marks it sent; false when it is not pending (any more) or locked by another sender. */
async function deliverOne(deps: DeliveryDeps, id: number): Promise<boolean> {
  return deps.em
    .fork()
    .transactional(async (em): Promise<boolean> => {
      const rows = await em.execute<PendingRow[]>(
        `SELECT id, idempotency_key, kind, recipient, locale, params FROM email WHERE id = ? AND status = 'pending' FOR UPDATE SKIP LOCKED`,
        [id],
      );
      const row = rows[0];
      if (!row) return false;
      const { taskId, tokenVersion, signInId, registrationId } = row.params as {
        taskId?: number;
        tokenVersion?: number;
        signInId?: number;
        registrationId?: number;
      };
      const link =
        LINK_KINDS.has(row.kind) && taskId !== undefined && tokenVersion !== undefined
          ? taskLink(deps.publicUrl, deps.linkSecret, taskId, tokenVersion)
          : row.kind === 'sign_in' && signInId !== undefined
            ? signInLink(deps.publicUrl, deps.linkSecret, signInId)
            : REGISTRATION_KINDS.has(row.kind) && registrationId !== undefined
              ? registrationLink(deps.publicUrl, deps.linkSecret, registrationId)
              : undefined;
      const rendered = renderEmail(row.kind, row.params as never, row.locale, link);
      const messageId = `<${sha256(row.idempotency_key).slice(0, 32)}@baocao>`;
      await deps.mailer.sendMail({
        from: deps.from,
        to: row.recipient,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        messageId,
      });
      await em.execute(
        `UPDATE email SET status = 'sent', attempts = attempts + 1, subject = ?, body_sha256 = ?, message_id = ?, sent_at = now(), updated_at = now(), last_error = NULL WHERE id = ?`,
        [rendered.subject, sha256(rendered.text + '\n' + rendered.html), messageId, id],
      );
      return true;
    })
    .catch(async (error: unknown) => {
      // Recorded after the row lock is released (the transaction has rolled back), then retried.
      await deps.em
        .fork()
        .execute(`UPDATE email SET attempts = attempts + 1, last_error = ?, updated_at = now() WHERE id = ?`, [
          String(error),
          id,
        ]);
      throw error;
    });
}
