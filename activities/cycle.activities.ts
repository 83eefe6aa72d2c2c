/** Activities on a whole cycle: open it, escalate overdue units, consolidate, change stage. */
import { LockMode } from '@mikro-orm/core';
import { appendAudit, type Actor } from '../db/audit';
import { AuditEvent, Campaign, Cycle, Holiday, ReportTemplate, Unit, UnitTask } from '../db/entities';
import { writeConsolidatedReport } from '../db/consolidated-report';
import type { ICycle, IUnitTask } from '../db/entities/cycle.entity';
import { planCycle, planLevels, scheduleAtLevel } from '../domain/calendar';
import { reportingLines } from '../domain/reporting-tree';
import { campaignUnits } from '../db/campaign-units';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { parsePeriod, unitWorkflowId } from '../domain/period';
import { AWAITING_REPORT_STATES, OPEN_TASK_STATES, type CycleStage } from '../domain/states';
import type { Locale } from '../domain/template';
import { deliverPending, enqueueEmail, enqueueEmails } from '../mail/outbox';
import type { OverdueUnit } from '../mail/render';
import type { OpenedCycle, StartCycleInput } from '../workflows/types';
import { deliveryDeps, type ActivityDeps } from './deps';
import { loadCycle } from './load-cycle';

/** An escalated unit, with whoever it answers to. */
interface EscalatedRow {
  code: string;
  name: string;
  deadline: string;
  supervisor_email: string | null;
  supervisor_name: string | null;
  parent_head_email: string | null;
  parent_head_name: string | null;
}

const SECRETARIAT_NAME = 'Thường trực Hội đồng Thi đua - Khen thưởng';

const workflowActor = (cycle: Pick<ICycle, 'workflowId'>): Actor => ({
  kind: 'system',
  id: cycle.workflowId,
  origin: cycle.workflowId,
});

export function createCycleActivities(deps: ActivityDeps) {
  const locale = deps.config.DEFAULT_LOCALE as Locale;

  return {
    /**
     * Creates the cycle and one task per active unit, pinning the template version and the
     * policy. Idempotent by workflow id: a retry returns what the first attempt created.
     */
    async openCycle(input: StartCycleInput & { workflowId: string; startedAt: string }): Promise<OpenedCycle> {
      return deps.orm.em.fork().transactional(async (em) => {
        let cycle = await em.findOne(Cycle, { workflowId: input.workflowId });
        if (!cycle) {
          const period = parsePeriod(input.period);
          if (!period)
            throw new ValidationError({ code: 'period_malformed', params: { period: input.period } }, 'period');
          const campaign = await em.findOne(Campaign, { code: input.campaignCode }, { populate: ['policy'] });
          if (!campaign)
            throw new NotFoundError({ code: 'campaign_unknown', params: { campaign: input.campaignCode } }, 'campaign');
          if (!campaign.active)
            throw new ConflictError(
              { code: 'campaign_inactive', params: { campaign: input.campaignCode } },
              'campaign',
            );
          const template = await em.findOne(
            ReportTemplate,
            { code: campaign.templateCode },
            { orderBy: { version: 'desc' } },
          );
          if (!template)
            throw new NotFoundError(
              { code: 'template_unknown', params: { template: campaign.templateCode } },
              'template',
            );
          const root = campaign.rootUnit ? await em.findOneOrFail(Unit, campaign.rootUnit.id) : null;
          const { units, tree: registered } = await campaignUnits(em, campaign, input.unitCodes);
          if (units.length === 0) throw new ConflictError({ code: 'no_active_unit', params: {} }, 'units');
          const holidays = new Set((await em.find(Holiday, {})).map((h) => h.date));
          const policy = campaign.policy.definition;
          const lines = registered ? reportingLines(registered, new Set(units.map((u) => u.id))) : null;
          const height = lines ? Math.max(0, ...[...lines.values()].map((l) => l.level)) : 0;
          const plan = planLevels(
            policy.timing,
            planCycle(policy.timing, period, input.startedAt, holidays),
            height,
            input.startedAt,
            holidays,
          );
          cycle = em.create(Cycle, {
            campaign,
            period,
            workflowId: input.workflowId,
            template,
            policy,
            plan,
            stage: 'collecting',
          });
          const taskOf = new Map<number, IUnitTask>();
          for (const unit of units) {
            const level = lines?.get(unit.id)?.level ?? 0;
            taskOf.set(
              unit.id,
              em.create(UnitTask, {
                cycle,
                unit,
                workflowId: unitWorkflowId(input.workflowId, unit.code),
                state: 'pending',
                schedule: scheduleAtLevel(plan, level),
                level,
              }),
            );
          }
          await em.flush();
          if (lines) {
            for (const [unitId, line] of lines)
              if (line.reportsTo !== null) taskOf.get(unitId)!.parentTask = taskOf.get(line.reportsTo)!;
            await em.flush();
          }
          await appendAudit(em, {
            actor: {
              kind: input.requestedBy === 'schedule' ? 'system' : 'user',
              id: input.requestedBy,
              origin: input.workflowId,
            },
            action: 'cycle.opened',
            subjectType: 'cycle',
            subjectId: String(cycle.id),
            cycleId: cycle.id,
            after: {
              campaign: campaign.code,
              period,
              templateVersion: template.version,
              units: units.length,
              ...(root ? { root: root.code, levels: height + 1 } : {}),
              plan,
            },
            occurredAt: deps.now(),
          });
        }
        const tasks = await em.find(UnitTask, { cycle }, { populate: ['unit'], orderBy: { unit: { code: 'asc' } } });
        return {
          cycleId: cycle.id,
          plan: cycle.plan,
          units: tasks.map((t) => ({
            taskId: t.id,
            unitCode: t.unit.code,
            ...(t.level > 0 ? { level: t.level } : {}),
          })),
        };
      });
    },

    /** Records that the cycle was cancelled (the reason was stored by the API when it asked). */
    async markCycleCancelled({ cycleId }: { cycleId: number }): Promise<void> {
      await deps.orm.em.fork().transactional(async (em) => {
        const cycle = await loadCycle(em, cycleId, { lock: true });
        if (cycle.stage === 'cancelled') return;
        const now = deps.now();
        // Tasks still awaiting a report stop taking one now: a report racing the cancel either
        // commits first (and stands) or finds its task closed under the row lock.
        await em.execute(
          `UPDATE unit_task SET updated_at = now(),
             schedule = CASE WHEN state = 'revision_requested' THEN schedule ELSE jsonb_set(schedule, '{hardClose}', to_jsonb(?::text)) END,
             revision_deadline = CASE WHEN state = 'revision_requested' THEN ?::timestamptz ELSE revision_deadline END
           WHERE cycle_id = ? AND state IN (SELECT jsonb_array_elements_text(?::jsonb))`,
          [now.toISOString(), now.toISOString(), cycleId, JSON.stringify([...AWAITING_REPORT_STATES])],
        );
        const before = cycle.stage;
        cycle.stage = 'cancelled';
        cycle.closedAt = now;
        await em.flush();
        await appendAudit(em, {
          actor: workflowActor(cycle),
          action: 'cycle.cancelled',
          subjectType: 'cycle',
          subjectId: String(cycleId),
          cycleId,
          before: { stage: before },
          after: { stage: 'cancelled', reason: cycle.cancelReason },
          occurredAt: now,
        });
      });
    },

    /**
     * An administrator ends collection at `at`: every open task's hard close moves to `at`, so a
     * report sent after it is refused as after any hard close. Audited once; safe to retry.
     * Answers how many tasks were still open.
     */
    async closeCollectionEarly({
      cycleId,
      at,
      actor,
      reason,
    }: {
      cycleId: number;
      at: string;
      actor: string;
      reason: string;
    }): Promise<{ openUnits: number }> {
      return deps.orm.em.fork().transactional(async (em) => {
        const cycle = await loadCycle(em, cycleId, { lock: true });
        const done = await em.findOne(AuditEvent, { cycleId, action: 'cycle.collection_closed' });
        if (done) return { openUnits: (done.after as { openUnits: number }).openUnits }; // a retry
        const tasks = await em.find(
          UnitTask,
          { cycle: cycleId, state: { $in: [...OPEN_TASK_STATES] } },
          { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
        );
        const moved = tasks.filter((t) => Date.parse(t.schedule.hardClose) > Date.parse(at));
        for (const task of moved) task.schedule = { ...task.schedule, hardClose: at };
        await em.flush();
        await appendAudit(em, {
          actor: { kind: 'user', id: actor, origin: cycle.workflowId },
          action: 'cycle.collection_closed',
          subjectType: 'cycle',
          subjectId: String(cycleId),
          cycleId,
          after: { closedAt: at, reason, openUnits: tasks.length },
          occurredAt: deps.now(),
        });
        return { openUnits: tasks.length };
      });
    },

    async setCycleStage({ cycleId, stage }: { cycleId: number; stage: CycleStage }): Promise<void> {
      await deps.orm.em.fork().transactional(async (em) => {
        const cycle = await loadCycle(em, cycleId, { lock: true });
        if (cycle.stage === stage) return;
        const before = cycle.stage;
        cycle.stage = stage;
        if (stage === 'closed' || stage === 'cancelled') cycle.closedAt = deps.now();
        await em.flush();
        await appendAudit(em, {
          actor: workflowActor(cycle),
          action: `cycle.${stage}`,
          subjectType: 'cycle',
          subjectId: String(cycle.id),
          cycleId,
          before: { stage: before },
          after: { stage },
          occurredAt: deps.now(),
        });
      });
    },

    /**
     * Escalates every task of the cycle that is still without a report and whose escalation of
     * this level is due: level 1 emails each supervisor the list of their overdue units, level 2
     * emails the secretariat the whole list.
     */
    async escalateOverdue({
      cycleId,
      level,
      dueAt,
    }: {
      cycleId: number;
      level: 1 | 2;
      dueAt: string;
    }): Promise<number> {
      const keyPrefix = `escalation:cycle-${cycleId}:L${level}:${dueAt}:`;
      const escalated = await deps.orm.em.fork().transactional(async (em) => {
        const cycle = await loadCycle(em, cycleId);
        // One conditional statement: a task whose report commits meanwhile is re-read under its
        // row lock and left alone, so an escalation never overwrites a stored report.
        const rows = await em.execute<{ id: number }[]>(
          `WITH due AS (
             SELECT id FROM unit_task
             WHERE cycle_id = ? AND state IN ('dispatched', 'draft', 'overdue', 'escalated') AND escalation_level < ?
               AND (schedule->'escalations'->>?)::timestamptz <= ?::timestamptz AND (schedule->>'deadline')::timestamptz < ?::timestamptz
             ORDER BY id FOR UPDATE
           )
           UPDATE unit_task t SET state = 'escalated', escalation_level = ?, updated_at = now() FROM due WHERE t.id = due.id RETURNING t.id`,
          [cycleId, level, level - 1, dueAt, dueAt, level],
        );
        if (rows.length === 0) return 0;
        // Each unit with whoever it answers to, in one read.
        const due = await em.execute<EscalatedRow[]>(
          `SELECT u.code, u.name, t.schedule->>'deadline' AS deadline, u.supervisor_email, u.supervisor_name,
                  pu.head_email AS parent_head_email, pu.head_name AS parent_head_name
           FROM unit_task t JOIN unit u ON u.id = t.unit_id
           LEFT JOIN unit_task pt ON pt.id = t.parent_task_id LEFT JOIN unit pu ON pu.id = pt.unit_id
           WHERE t.id IN (SELECT jsonb_array_elements_text(?::jsonb)::int) ORDER BY u.code`,
          [JSON.stringify(rows.map((r) => r.id))],
        );
        const now = deps.now();
        const auditEventId = await appendAudit(em, {
          actor: workflowActor(cycle),
          action: `cycle.escalated.level${level}`,
          subjectType: 'cycle',
          subjectId: String(cycle.id),
          cycleId,
          after: { level, dueAt, units: due.map((t) => t.code) },
          occurredAt: now,
        });
        const overdue = (tasks: readonly EscalatedRow[]): OverdueUnit[] =>
          tasks.map((t) => ({ code: t.code, name: t.name, deadline: t.deadline }));
        const base = { campaignName: cycle.campaign.name, period: cycle.period };
        if (level === 1) {
          // First to whoever the unit answers to: the head of the unit it reports to in a campaign
          // of several levels, otherwise its supervisor, otherwise the secretariat.
          const answersTo = (task: EscalatedRow) => {
            if (task.parent_head_email) return { email: task.parent_head_email, name: task.parent_head_name! };
            if (task.supervisor_email)
              return { email: task.supervisor_email, name: task.supervisor_name ?? SECRETARIAT_NAME };
            return { email: deps.config.SECRETARIAT_EMAIL, name: SECRETARIAT_NAME };
          };
          const byRecipient = new Map<string, { name: string; tasks: EscalatedRow[] }>();
          for (const task of due) {
            const to = answersTo(task);
            const group = byRecipient.get(to.email) ?? { name: to.name, tasks: [] };
            group.tasks.push(task);
            byRecipient.set(to.email, group);
          }
          await enqueueEmails(
            em,
            [...byRecipient].map(([to, { name: recipientName, tasks }]) => ({
              key: `${keyPrefix}${to}`,
              kind: 'escalation_supervisor' as const,
              recipient: to,
              locale,
              params: { ...base, recipientName, overdue: overdue(tasks) },
              cycleId,
              auditEventId,
            })),
          );
        } else {
          const to = deps.config.SECRETARIAT_EMAIL;
          await enqueueEmail(em, {
            key: `${keyPrefix}${to}`,
            kind: 'escalation_secretariat',
            recipient: to,
            locale,
            params: { ...base, recipientName: SECRETARIAT_NAME, overdue: overdue(due) },
            cycleId,
            auditEventId,
          });
        }
        return due.length;
      });
      await deliverPending(deliveryDeps(deps), { keyPrefix });
      return escalated;
    },

    /** Writes consolidated version `version` from every unit's latest report (once per version). */
    async consolidateCycle({ cycleId, version }: { cycleId: number; version: number }): Promise<number> {
      return deps.orm.em.fork().transactional(async (em) => {
        const cycle = await loadCycle(em, cycleId);
        const summary = await writeConsolidatedReport(em, cycleId, version);
        if (!summary) return version; // written by an earlier attempt
        await appendAudit(em, {
          actor: workflowActor(cycle),
          action: 'cycle.consolidated',
          subjectType: 'cycle',
          subjectId: String(cycle.id),
          cycleId,
          after: { version, ...summary },
          occurredAt: deps.now(),
        });
        return version;
      });
    },
  };
}
