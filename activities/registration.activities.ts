/**
 * The steps of a registration round (registrationWorkflow): email each unit head its personal
 * link, remind the units that have not registered, close the round at its deadline. Each runs in
 * one transaction with its audit events and its outbox rows, the rows it changes locked; a retry
 * finds the work done and only finishes the deliveries.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { appendAudit, appendAudits } from '../db/audit';
import { NotFoundError } from '../domain/errors';
import type { Locale } from '../domain/template';
import { deliverPending, enqueueEmails } from '../mail/outbox';
import type { EmailParams } from '../mail/render';
import { deliveryDeps, type ActivityDeps } from './deps';

interface RoundRow {
  id: number;
  year: number;
  deadline: Date;
  reminders: string[];
  workflow_id: string;
  closed_at: Date | null;
  campaign_name: string;
  indicator_count: number;
}

interface UnitRow {
  id: number;
  reminders_sent: number;
  unit_name: string;
  head_name: string;
  head_email: string;
}

/** The round, locked until the transaction ends. */
async function lockRound(em: EntityManager, roundId: number): Promise<RoundRow> {
  const [round] = await em.execute<RoundRow[]>(
    `SELECT r.id, r.year, r.deadline, r.reminders, r.workflow_id, r.closed_at, c.name AS campaign_name,
            jsonb_array_length(t.definition->'indicators') AS indicator_count
     FROM registration_round r JOIN campaign c ON c.id = r.campaign_id JOIN report_template t ON t.id = r.template_id
     WHERE r.id = ? FOR UPDATE OF r`,
    [roundId],
  );
  if (!round) throw new NotFoundError({ code: 'record_missing', params: { what: 'registration round', id: roundId } });
  return round;
}

const dispatchPrefix = (roundId: number): string => `registration-dispatch:round-${roundId}:`;
const reminderPrefix = (roundId: number, dueAt: string): string => `registration-reminder:round-${roundId}:${dueAt}:`;

const emailParams = (round: RoundRow, u: UnitRow): EmailParams['registration_dispatch'] => ({
  registrationId: u.id,
  unitName: u.unit_name,
  headName: u.head_name,
  campaignName: round.campaign_name,
  year: round.year,
  deadline: new Date(round.deadline).toISOString(),
  indicatorCount: round.indicator_count,
});

export function createRegistrationActivities(deps: ActivityDeps) {
  const locale = deps.config.DEFAULT_LOCALE as Locale;

  return {
    /** Emails every unit of the round not yet sent its link (each once: its outbox key names it). */
    async dispatchRegistrations({ roundId }: { roundId: number }): Promise<{ dispatched: number }> {
      const dispatched = await deps.orm.em.fork().transactional(async (em) => {
        const round = await lockRound(em, roundId);
        const units = await em.execute<UnitRow[]>(
          `SELECT g.id, g.reminders_sent, u.name AS unit_name, u.head_name, u.head_email
           FROM emulation_registration g JOIN unit u ON u.id = g.unit_id
           WHERE g.round_id = ? AND g.dispatched_at IS NULL ORDER BY g.id FOR UPDATE OF g`,
          [roundId],
        );
        if (units.length === 0) return 0;
        const now = deps.now();
        await em.execute(
          `UPDATE emulation_registration SET dispatched_at = ?, updated_at = ? WHERE round_id = ? AND dispatched_at IS NULL`,
          [now, now, roundId],
        );
        const auditIds = await appendAudits(
          em,
          units.map((u) => ({
            actor: { kind: 'system', id: round.workflow_id, origin: round.workflow_id },
            action: 'registration.dispatched',
            subjectType: 'emulation_registration',
            subjectId: String(u.id),
            after: { recipient: u.head_email, deadline: new Date(round.deadline).toISOString() },
            occurredAt: now,
          })),
        );
        await enqueueEmails(
          em,
          units.map((u, i) => ({
            key: `${dispatchPrefix(roundId)}${u.id}`,
            kind: 'registration_dispatch',
            recipient: u.head_email,
            locale,
            auditEventId: auditIds[i]!,
            params: emailParams(round, u),
          })),
        );
        return units.length;
      });
      await deliverPending(deliveryDeps(deps), { keyPrefix: dispatchPrefix(roundId) });
      return { dispatched };
    },

    /**
     * Reminds the units of the round that have not registered, at the reminder `dueAt` of the
     * round: each unit at most once per reminder (its outbox key names the reminder), none once the
     * round is closed or its deadline has passed.
     */
    async remindRegistrations({ roundId, dueAt }: { roundId: number; dueAt: string }): Promise<{ reminded: number }> {
      const prefix = reminderPrefix(roundId, dueAt);
      const reminded = await deps.orm.em.fork().transactional(async (em) => {
        const round = await lockRound(em, roundId);
        const now = deps.now();
        if (round.closed_at || now >= new Date(round.deadline) || !round.reminders.includes(dueAt)) return 0;
        const units = await em.execute<UnitRow[]>(
          `SELECT g.id, g.reminders_sent, u.name AS unit_name, u.head_name, u.head_email
           FROM emulation_registration g JOIN unit u ON u.id = g.unit_id
           WHERE g.round_id = ? AND g.submitted_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM email e WHERE e.idempotency_key = ? || g.id::text)
           ORDER BY g.id FOR UPDATE OF g`,
          [roundId, prefix],
        );
        if (units.length === 0) return 0;
        await em.execute(
          `UPDATE emulation_registration SET reminders_sent = reminders_sent + 1, updated_at = ?
           WHERE id IN (SELECT jsonb_array_elements_text(?::jsonb)::int)`,
          [now, JSON.stringify(units.map((u) => u.id))],
        );
        const auditIds = await appendAudits(
          em,
          units.map((u) => ({
            actor: { kind: 'system', id: round.workflow_id, origin: round.workflow_id },
            action: 'registration.reminded',
            subjectType: 'emulation_registration',
            subjectId: String(u.id),
            before: { remindersSent: u.reminders_sent },
            after: { remindersSent: u.reminders_sent + 1, dueAt, recipient: u.head_email },
            occurredAt: now,
          })),
        );
        await enqueueEmails(
          em,
          units.map((u, i) => ({
            key: `${prefix}${u.id}`,
            kind: 'registration_reminder',
            recipient: u.head_email,
            locale,
            auditEventId: auditIds[i]!,
            params: { ...emailParams(round, u), reminderNumber: u.reminders_sent + 1 },
          })),
        );
        return units.length;
      });
      await deliverPending(deliveryDeps(deps), { keyPrefix: prefix });
      return { reminded };
    },

    /** At the deadline: the round is closed (once), with how many of its units registered. */
    async closeRegistrationRound({ roundId }: { roundId: number }): Promise<{ registered: number; expected: number }> {
      return deps.orm.em.fork().transactional(async (em) => {
        const round = await lockRound(em, roundId);
        const [counts] = await em.execute<{ expected: number; registered: number }[]>(
          `SELECT count(*)::int AS expected, count(submitted_at)::int AS registered FROM emulation_registration WHERE round_id = ?`,
          [roundId],
        );
        const result = { registered: counts!.registered, expected: counts!.expected };
        if (round.closed_at) return result;
        const now = deps.now();
        await em.execute(`UPDATE registration_round SET closed_at = ?, updated_at = ? WHERE id = ?`, [
          now,
          now,
          roundId,
        ]);
        await appendAudit(em, {
          actor: { kind: 'system', id: round.workflow_id, origin: round.workflow_id },
          action: 'registration_round.closed',
          subjectType: 'registration_round',
          subjectId: String(roundId),
          after: { ...result, deadline: new Date(round.deadline).toISOString() },
          occurredAt: now,
        });
        return result;
      });
    },
  };
}
