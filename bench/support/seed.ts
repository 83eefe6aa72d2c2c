/**
 * A cycle's rows written straight into PostgreSQL (no workflow runs): units, the cycle, one task
 * per unit in a chosen state, submissions in the shape the API stores them (answers as
 * `validateAnswers` returns them), reminder emails and escalation audit events. For benchmarks
 * of what reads a large cycle (consolidation, the status board) without running 10,000 workflows.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { appendAudit } from '../../db/audit';
import { Campaign, Cycle, ReportTemplate } from '../../db/entities';
import { planCycle } from '../../domain/calendar';
import { KEY_TASK_STATUSES, validateAnswers, type ReportAnswers } from '../../domain/answers';
import { cycleWorkflowId, parsePeriod, unitWorkflowId } from '../../domain/period';
import type { CycleStage, TaskState } from '../../domain/states';
import type { TemplateDefinition } from '../../domain/template';
import { createCampaign, createUnits, currentPeriod, validAnswers, type TestUnit } from '../../test/support/fixtures';

export interface TaskSeed {
  readonly state: TaskState;
  /** Stores version 1 of a report with these answers (the task must be in a submitted state). */
  readonly answers?: ReportAnswers;
  readonly late?: boolean;
  readonly remindersSent?: number;
  readonly escalationLevel?: 0 | 1 | 2;
}

export interface SeededCycle {
  readonly cycleId: number;
  readonly campaign: string;
  readonly period: string;
  readonly workflowId: string;
  readonly units: readonly TestUnit[];
  readonly template: TemplateDefinition;
}

const BATCH = 1000;

/** A valid report whose statuses and figures vary with `i`, normalised as the API stores it. */
export function variedAnswers(template: TemplateDefinition, i: number): ReportAnswers {
  const base = validAnswers(`Đơn vị ${i}`);
  const body = {
    ...base,
    keyTasks: Object.fromEntries(
      Object.entries(base.keyTasks).map(([code, a], k) => [code, { ...a, status: KEY_TASK_STATUSES[(i + k) % 3]! }]),
    ),
    indicators: { IND01: 0.5 + (i % 50) / 100, IND02: 5 + (i % 20), IND03: 40 + (i % 120) },
  };
  const checked = validateAnswers(template, body, { complete: true });
  if (!checked.ok) throw new Error(`seeded answers do not validate: ${JSON.stringify(checked.errors)}`);
  return checked.answers;
}

/**
 * Seeds `count` units and a cycle of theirs in `stage`, the task of unit `i` as `taskOf(i)`
 * says. Timings are relative to now: the deadline is in an hour.
 */
export async function seedCycle(
  orm: MikroORM,
  databaseUrl: string,
  count: number,
  stage: CycleStage,
  taskOf: (i: number, template: TemplateDefinition) => TaskSeed,
): Promise<SeededCycle> {
  const units = await createUnits(orm, count, { supervisors: 20 });
  const campaignCode = await createCampaign(orm, {
    deadlineAfterSeconds: 3600,
    reminderSecondsBefore: [1800],
    escalationSecondsAfter: [7200, 10800],
    hardCloseSecondsAfter: 14400,
    reviewWindowSeconds: 600,
    revisionWindowSeconds: 600,
  });
  const period = parsePeriod(currentPeriod())!;
  const workflowId = cycleWorkflowId(campaignCode, period);
  const startedAt = new Date();

  const em = orm.em.fork();
  const campaign = await em.findOneOrFail(Campaign, { code: campaignCode }, { populate: ['policy'] });
  const template = await em.findOneOrFail(
    ReportTemplate,
    { code: campaign.templateCode },
    { orderBy: { version: 'desc' } },
  );
  const policy = campaign.policy.definition;
  const plan = planCycle(policy.timing, period, startedAt.toISOString(), new Set());
  const cycle = em.create(Cycle, { campaign, period, workflowId, template, policy, plan, stage });
  await em.flush();

  const seeds = units.map((_, i) => taskOf(i, template.definition));
  const deadline = Date.parse(plan.schedule.deadline);
  const at = (minutesFromStart: number): string =>
    new Date(startedAt.getTime() + minutesFromStart * 60_000).toISOString();
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    await pg.query('BEGIN');
    const taskIds = new Map<string, number>();
    for (let from = 0; from < units.length; from += BATCH) {
      const rows = units.slice(from, from + BATCH).map((u, k) => {
        const i = from + k;
        const s = seeds[i]!;
        return {
          code: u.code,
          workflow_id: unitWorkflowId(workflowId, u.code),
          state: s.state,
          dispatched_at: s.state === 'pending' ? null : at(0),
          submitted_at: s.answers
            ? s.late
              ? new Date(deadline + (i % 600) * 1000).toISOString()
              : at(1 + (i % 50))
            : null,
          late: s.answers ? Boolean(s.late) : null,
          reminders_sent: s.remindersSent ?? 0,
          escalation_level: s.escalationLevel ?? 0,
        };
      });
      const inserted = await pg.query<{ id: number; code: string }>(
        `WITH inserted AS (
           INSERT INTO unit_task (created_at, updated_at, cycle_id, unit_id, workflow_id, state, schedule, token_hash, token_version, dispatched_at, submitted_at, late, reminders_sent, escalation_level)
           SELECT now(), now(), $1, u.id, r.workflow_id, r.state, $2::jsonb, CASE WHEN r.state = 'pending' THEN NULL ELSE encode(sha256(convert_to(r.workflow_id, 'UTF8')), 'hex') END,
                  0, r.dispatched_at, r.submitted_at, r.late, r.reminders_sent, r.escalation_level
           FROM jsonb_to_recordset($3::jsonb) AS r(code text, workflow_id text, state text, dispatched_at timestamptz, submitted_at timestamptz, late boolean, reminders_sent int, escalation_level int)
           JOIN unit u ON u.code = r.code
           RETURNING id, unit_id)
         SELECT inserted.id, unit.code FROM inserted JOIN unit ON unit.id = inserted.unit_id`,
        [cycle.id, JSON.stringify(plan.schedule), JSON.stringify(rows)],
      );
      for (const row of inserted.rows) taskIds.set(row.code, row.id);
    }

    for (let from = 0; from < units.length; from += BATCH) {
      const rows = units.slice(from, from + BATCH).flatMap((u, k) => {
        const s = seeds[from + k]!;
        return s.answers
          ? [{ task_id: taskIds.get(u.code)!, answers: s.answers, receipt: `BC-${cycle.id}-${u.code}-1` }]
          : [];
      });
      if (rows.length === 0) continue;
      await pg.query(
        `INSERT INTO submission (created_at, updated_at, task_id, version, answers, submitted_at, late, receipt_number, deadline)
         SELECT now(), now(), r.task_id, 1, r.answers, t.submitted_at, t.late, r.receipt, (t.schedule->>'deadline')::timestamptz
         FROM jsonb_to_recordset($1::jsonb) AS r(task_id int, answers jsonb, receipt text) JOIN unit_task t ON t.id = r.task_id`,
        [JSON.stringify(rows)],
      );
    }

    // One sent reminder email per reminder a task has had (the board shows the latest's time).
    await pg.query(
      `INSERT INTO email (created_at, updated_at, idempotency_key, kind, cycle_id, task_id, recipient, locale, params, subject, status, attempts, sent_at)
       SELECT now(), now(), 'reminder:task-' || t.id || ':' || n, 'reminder', t.cycle_id, t.id, u.head_email, 'vi', '{}'::jsonb, 'Nhắc báo cáo', 'sent', 1, now() - make_interval(mins => 10 - n)
       FROM unit_task t JOIN unit u ON u.id = t.unit_id CROSS JOIN LATERAL generate_series(1, t.reminders_sent) AS n
       WHERE t.cycle_id = $1 AND t.reminders_sent > 0`,
      [cycle.id],
    );
    await pg.query('COMMIT');
  } catch (error) {
    await pg.query('ROLLBACK');
    throw error;
  } finally {
    await pg.end();
  }

  // Escalations are audit events listing the escalated units, as escalateOverdue writes them.
  for (const level of [1, 2] as const) {
    const codes = units.filter((_, i) => (seeds[i]!.escalationLevel ?? 0) >= level).map((u) => u.code);
    if (codes.length === 0) continue;
    await orm.em.fork().transactional((tx) =>
      appendAudit(tx, {
        actor: { kind: 'system', id: workflowId, origin: workflowId },
        action: `cycle.escalated.level${level}`,
        subjectType: 'cycle',
        subjectId: String(cycle.id),
        cycleId: cycle.id,
        after: { level, dueAt: plan.schedule.escalations[level - 1], units: codes },
      }),
    );
  }
  return { cycleId: cycle.id, campaign: campaignCode, period, workflowId, units, template: template.definition };
}
