/**
 * The waves of a cycle that ran (reminder, escalations, hard close), each measured from its
 * instant in the cycle's plan to its last effect — the last email of the wave accepted by the
 * SMTP sink, or the last audit event of the hard close — against a floor measured in the same run:
 * the wave's emails sent again (the same messages, to other addresses) over one pooled transport
 * (5 connections, as the worker's) and its rows updated in one statement, one after the other.
 */
import { performance } from 'node:perf_hooks';
import type { Stack } from '../../test/support/stack';
import { createMailTransport } from '../../mail/transport';
import type { ReceivedMessage } from '../../mail/sink';

export interface Wave {
  readonly name: string;
  /** The instant of the wave in the cycle's plan (ms since the epoch). */
  readonly at: number;
  /** Its last effect (ms since the epoch). */
  readonly doneAt: number;
  readonly emails: readonly ReceivedMessage[];
  /** Task rows the wave changed. */
  readonly rows: number;
  readonly floorMs: number;
}

export interface WaveChecks {
  /** Reminders sent to a unit that had reported before the reminder's instant (goal: none). */
  readonly remindedAfterReporting: number;
  /** Reminders received more than once (goal: none). */
  readonly remindedTwice: number;
}

interface Plan {
  readonly schedule: {
    readonly reminders: readonly string[];
    readonly escalations: readonly [string, string];
    readonly hardClose: string;
  };
}

/** Sends copies of `messages` to other addresses over a fresh pooled transport and updates `rows` task rows: the floor of a wave. */
async function floorOf(stack: Stack, messages: readonly ReceivedMessage[], rows: number): Promise<number> {
  const mailer = createMailTransport(stack.config.SMTP_URL);
  try {
    await mailer.sendMail({
      from: 'floor@baocao.example.org',
      to: 'warm@floor.example.org',
      subject: 'warm',
      text: '.',
    });
    const started = performance.now();
    await Promise.all(
      messages.map((m, i) =>
        mailer.sendMail({
          from: m.from,
          to: `floor-${i}@floor.example.org`,
          subject: m.subject,
          text: m.text,
          html: m.html,
          messageId: `<floor-${i}-${m.id}@baocao>`,
        }),
      ),
    );
    await stack.orm.em
      .fork()
      .execute(
        `UPDATE unit_task SET updated_at = updated_at WHERE id IN (SELECT id FROM unit_task ORDER BY id LIMIT ?)`,
        [rows],
      );
    return performance.now() - started;
  } finally {
    mailer.close();
  }
}

/** Measures the waves of the cycle `workflowId` once it has closed; the floors run one after the other, after the cycle. */
export async function measureWaves(stack: Stack, workflowId: string): Promise<{ waves: Wave[]; checks: WaveChecks }> {
  const em = stack.orm.em.fork();
  const [cycle] = await em.execute<{ id: number; plan: Plan }[]>('SELECT id, plan FROM cycle WHERE workflow_id = ?', [
    workflowId,
  ]);
  const { id: cycleId, plan } = cycle!;
  const byId = new Map<string, ReceivedMessage[]>();
  for (const m of stack.sink.messages) byId.set(m.messageId, [...(byId.get(m.messageId) ?? []), m]);
  const emailsOf = async (where: string, params: unknown[]): Promise<ReceivedMessage[]> =>
    (
      await em.execute<{ message_id: string }[]>(
        `SELECT message_id FROM email WHERE cycle_id = ? AND status = 'sent' AND ${where}`,
        [cycleId, ...params],
      )
    ).flatMap((r) => byId.get(r.message_id)?.slice(0, 1) ?? []);
  const lastOf = (messages: readonly ReceivedMessage[], from: number): number =>
    Math.max(from, ...messages.map((m) => m.receivedAt.getTime()));
  const count = async (sql: string, params: unknown[]): Promise<number> =>
    (await em.execute<{ n: number }[]>(sql, params))[0]!.n;

  const reminderAt = Date.parse(plan.schedule.reminders[0]!);
  const reminders = await emailsOf(`kind = 'reminder'`, []);
  const remindedRows = await count(
    `SELECT count(*)::int AS n FROM audit_event WHERE cycle_id = ? AND action = 'task.reminded'`,
    [cycleId],
  );
  const escalation = async (level: 1 | 2): Promise<Omit<Wave, 'floorMs'>> => {
    const at = Date.parse(plan.schedule.escalations[level - 1]!);
    const emails = await emailsOf(`idempotency_key LIKE ?`, [`escalation:cycle-${cycleId}:L${level}:%`]);
    return {
      name: `escalation level ${level} (${emails.length} digests)`,
      at,
      doneAt: lastOf(emails, at),
      emails,
      rows: await count(`SELECT count(*)::int AS n FROM unit_task WHERE cycle_id = ? AND escalation_level >= ?`, [
        cycleId,
        level,
      ]),
    };
  };
  const hardCloseAt = Date.parse(plan.schedule.hardClose);
  const [closedRow] = await em.execute<{ n: number; last: Date | null }[]>(
    `SELECT count(*)::int AS n, max(occurred_at) AS last FROM audit_event WHERE cycle_id = ? AND action = 'task.not_submitted'`,
    [cycleId],
  );
  const [reviewRow] = await em.execute<{ at: Date }[]>(
    `SELECT occurred_at AS at FROM audit_event WHERE cycle_id = ? AND action = 'cycle.review_opened' ORDER BY id LIMIT 1`,
    [cycleId],
  );
  const measured: Omit<Wave, 'floorMs'>[] = [
    {
      name: 'reminder',
      at: reminderAt,
      doneAt: lastOf(reminders, reminderAt),
      emails: reminders,
      rows: remindedRows,
    },
    await escalation(1),
    await escalation(2),
    {
      name: 'hard close (tasks closed)',
      at: hardCloseAt,
      doneAt: closedRow!.last ? new Date(closedRow!.last).getTime() : hardCloseAt,
      emails: [],
      rows: closedRow!.n,
    },
  ];
  const waves: Wave[] = [];
  for (const w of measured) waves.push({ ...w, floorMs: await floorOf(stack, w.emails, w.rows) });
  waves.push({
    name: 'hard close → review open (consolidated, council emailed)',
    at: hardCloseAt,
    doneAt: new Date(reviewRow!.at).getTime(),
    emails: [],
    rows: 0,
    floorMs: Number.NaN,
  });

  const checks: WaveChecks = {
    remindedAfterReporting: await count(
      `SELECT count(*)::int AS n FROM email e JOIN unit_task t ON t.id = e.task_id
       WHERE e.cycle_id = ? AND e.kind = 'reminder' AND t.submitted_at < ?`,
      [cycleId, new Date(reminderAt)],
    ),
    remindedTwice: reminders.filter((m) => byId.get(m.messageId)!.length > 1).length,
  };
  return { waves, checks };
}
