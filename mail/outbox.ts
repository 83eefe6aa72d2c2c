/**
 * The email outbox. A state change and the message it causes are written in one transaction
 * (`enqueueEmail`); `deliverPending` sends what is pending and records the result. A retried
 * activity finds the row by its idempotency key and never sends a delivered message again.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Transporter } from 'nodemailer';
import { linkToken, sha256 } from '../auth/tokens';
import type { EmailKind } from '../db/entities/email.entity';
import type { Locale } from '../domain/template';
import { LINK_KINDS, renderEmail, type EmailParams } from './render';

export interface OutboxMessage<K extends EmailKind = EmailKind> {
  readonly key: string;
  readonly kind: K;
  readonly recipient: string;
  readonly locale: Locale;
  readonly params: EmailParams[K] & ({ taskId?: number; tokenVersion?: number });
  readonly cycleId?: number | null;
  readonly taskId?: number | null;
  readonly auditEventId?: number | null;
}

/** Adds a message to the outbox in the caller's transaction; a second call with the same key is a no-op. */
export async function enqueueEmail(em: EntityManager, m: OutboxMessage): Promise<void> {
  await em.execute(
    `INSERT INTO email (created_at, updated_at, idempotency_key, kind, cycle_id, task_id, recipient, locale, params, status, attempts, audit_event_id)
     VALUES (now(), now(), ?, ?, ?, ?, ?, ?, ?::jsonb, 'pending', 0, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
    [m.key, m.kind, m.cycleId ?? null, m.taskId ?? null, m.recipient, m.locale, JSON.stringify(m.params), m.auditEventId ?? null],
  );
}

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

/**
 * Sends every pending message whose key is `key` or starts with `keyPrefix`. Each row is locked
 * while it is sent, so two concurrent attempts never send the same row. Throws on the first
 * SMTP failure (after recording it) so the activity is retried.
 */
export async function deliverPending(deps: DeliveryDeps, match: { key: string } | { keyPrefix: string }): Promise<number> {
  const [clause, param] = 'key' in match ? ['idempotency_key = ?', match.key] : ['idempotency_key LIKE ?', `${match.keyPrefix.replace(/[\\%_]/g, '\\$&')}%`];
  const ids = await deps.em.execute<{ id: number }[]>(`SELECT id FROM email WHERE status = 'pending' AND ${clause} ORDER BY id`, [param]);
  let sent = 0;
  for (const { id } of ids) {
    const delivered = await deps.em.fork().transactional(async (em): Promise<boolean> => {
      const rows = await em.execute<PendingRow[]>(
        `SELECT id, idempotency_key, kind, recipient, locale, params FROM email WHERE id = ? AND status = 'pending' FOR UPDATE SKIP LOCKED`,
        [id],
      );
      const row = rows[0];
      if (!row) return false;
      const { taskId, tokenVersion } = row.params as { taskId?: number; tokenVersion?: number };
      const link = LINK_KINDS.has(row.kind) && taskId !== undefined && tokenVersion !== undefined
        ? taskLink(deps.publicUrl, deps.linkSecret, taskId, tokenVersion)
        : undefined;
      const rendered = renderEmail(row.kind, row.params as never, row.locale, link);
      const messageId = `<${sha256(row.idempotency_key).slice(0, 32)}@baocao>`;
      await deps.mailer.sendMail({ from: deps.from, to: row.recipient, subject: rendered.subject, text: rendered.text, html: rendered.html, messageId });
      await em.execute(
        `UPDATE email SET status = 'sent', attempts = attempts + 1, subject = ?, body_sha256 = ?, message_id = ?, sent_at = now(), updated_at = now(), last_error = NULL WHERE id = ?`,
        [rendered.subject, sha256(rendered.text + '\n' + rendered.html), messageId, id],
      );
      return true;
    }).catch(async (error: unknown) => {
      // Recorded after the row lock is released (the transaction has rolled back), then retried.
      await deps.em.fork().execute(`UPDATE email SET attempts = attempts + 1, last_error = ?, updated_at = now() WHERE id = ?`, [String(error), id]);
      throw error;
    });
    if (delivered) sent += 1;
  }
  return sent;
}
