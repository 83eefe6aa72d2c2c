/**
 * Activities on unit tasks (one, or a batch's for dispatch). Each re-reads the task under a row lock, acts only if its state
 * still calls for it, records the change, its audit event and its email in one transaction,
 * then delivers the email: a retry finds the work done and only finishes the delivery.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { linkToken, sha256 } from '../auth/tokens';
import { appendAudit, appendAudits } from '../db/audit';
import { lockRow } from '../db/row-lock';
import { Holiday } from '../db/entities';
import { UnitTask, type ICycle, type IUnitTask } from '../db/entities/cycle.entity';
import { rescheduleUnit, windowEnd, type UnitSchedule } from '../domain/calendar';
import { ConflictError, NotFoundError } from '../domain/errors';
import {
  AWAITING_REPORT_STATES,
  EXTENDABLE_TASK_STATES,
  OPEN_TASK_STATES,
  SUBMITTED_TASK_STATES,
  type TaskState,
} from '../domain/states';
import type { Locale } from '../domain/template';
import { deliverPending, enqueueEmail, enqueueEmails } from '../mail/outbox';
import type { EmailParams } from '../mail/render';
import { deliveryDeps, type ActivityDeps } from './deps';
import { loadCycle } from './load-cycle';

export interface TaskStepResult {
  /** The unit has handed in its report (possibly before this step). */
  readonly submitted: boolean;
  /** The task is closed as not submitted. */
  readonly closed: boolean;
  readonly state: TaskState;
}

async function lockTask(em: EntityManager, taskId: number): Promise<IUnitTask> {
  if (!(await lockRow(em, 'unit_task', taskId)))
    throw new NotFoundError({ code: 'record_missing', params: { what: 'unit task', id: taskId } });
  const task = await em.findOneOrFail(UnitTask, taskId, {
    populate: ['unit', 'cycle', 'cycle.campaign', 'cycle.template'],
    refresh: true,
  });
  return task;
}

const result = (task: IUnitTask): TaskStepResult => ({
  submitted: SUBMITTED_TASK_STATES.has(task.state),
  closed: task.state === 'not_submitted',
  state: task.state,
});

type CycleEmailFacts = Pick<
  EmailParams['dispatch'],
  'campaignName' | 'period' | 'dataFrom' | 'dataTo' | 'keyTaskCount' | 'indicatorCount'
>;

/** What every unit-head email of a cycle says about the cycle itself. */
function cycleEmailFacts(cycle: ICycle): CycleEmailFacts {
  const definition = cycle.template.definition;
  return {
    campaignName: cycle.campaign.name,
    period: cycle.period,
    dataFrom: cycle.plan.dataFrom,
    dataTo: cycle.plan.dataTo,
    keyTaskCount: definition.keyTasks.length,
    indicatorCount: definition.indicators.length,
  };
}

/** What a unit-head email says about the task (no secret: the link is derived at send time). */
export function taskEmailParams(task: IUnitTask): EmailParams['dispatch'] & { taskId: number; tokenVersion: number } {
  return {
    ...cycleEmailFacts(task.cycle),
    taskId: task.id,
    tokenVersion: task.tokenVersion,
    unitName: task.unit.name,
    headName: task.unit.headName,
    deadline: task.schedule.deadline,
  };
}

/** A task still waiting to be dispatched, locked for the dispatch. */
interface PendingTaskRow {
  id: number;
  token_version: number;
  workflow_id: string;
  deadline: string;
  unit_name: string;
  head_name: string;
  head_email: string;
}

/** What a unit-head email says about a task read as a row (as `taskEmailParams` for an entity). */
const rowEmailParams = (
  facts: CycleEmailFacts,
  t: PendingTaskRow,
): EmailParams['dispatch'] & { taskId: number; tokenVersion: number } => ({
  ...facts,
  taskId: t.id,
  tokenVersion: t.token_version,
  unitName: t.unit_name,
  headName: t.head_name,
  deadline: t.deadline,
});

const dispatchKey = (taskId: number): string => `dispatch:task-${taskId}`;

/** A step of the units' schedules, due at one instant over many tasks (a batch's units). */
export interface TaskWave {
  readonly cycleId: number;
  readonly kind: 'reminder' | 'overdue' | 'hardClose';
  readonly dueAt: string;
  readonly taskIds: readonly number[];
}

/** Of a wave's tasks, after it: those holding a report, and those closed without one. */
export interface TaskWaveResult {
  readonly submitted: readonly number[];
  readonly closed: readonly number[];
}

interface TimedTransition {
  readonly from: readonly TaskState[];
  /** The field of the task's schedule this step is due at. */
  readonly at: 'deadline' | 'hardClose';
  readonly to: TaskState;
  readonly action: string;
}

/** At the deadline a task still open becomes overdue; at the hard close one without a report is not submitted. */
const TIMED_TRANSITIONS: Record<Exclude<TaskWave['kind'], 'reminder'>, TimedTransition> = {
  overdue: { from: ['dispatched', 'draft'], at: 'deadline', to: 'overdue', action: 'task.overdue' },
  // A unit sent back by the unit it reports to is in its revision round, which ends at that round's own deadline.
  hardClose: {
    from: [...OPEN_TASK_STATES].filter((s) => s !== 'revision_requested'),
    at: 'hardClose',
    to: 'not_submitted',
    action: 'task.not_submitted',
  },
};

const idList = (ids: readonly number[]): string => JSON.stringify(ids);

/**
 * Applies `step` to those of `taskIds` still in a state it leaves and due by `dueAt` in the
 * schedule in force (an extension stored first moved the instant: the row lock orders the two),
 * with one audit event each.
 */
async function timedTransition(
  em: EntityManager,
  cycleId: number,
  dueAt: string,
  taskIds: readonly number[],
  now: Date,
  step: TimedTransition,
): Promise<void> {
  const due = await em.execute<{ id: number; state: TaskState; workflow_id: string; at: string }[]>(
    `SELECT id, state, workflow_id, schedule->>'${step.at}' AS at FROM unit_task
     WHERE cycle_id = ? AND id IN (SELECT jsonb_array_elements_text(?::jsonb)::int)
       AND state IN (SELECT jsonb_array_elements_text(?::jsonb)) AND (schedule->>'${step.at}')::timestamptz <= ?::timestamptz
     ORDER BY id FOR UPDATE`,
    [cycleId, idList(taskIds), JSON.stringify(step.from), dueAt],
  );
  if (due.length === 0) return;
  await em.execute(
    `UPDATE unit_task SET state = ?, updated_at = ? WHERE id IN (SELECT jsonb_array_elements_text(?::jsonb)::int)`,
    [step.to, now, idList(due.map((t) => t.id))],
  );
  await appendAudits(
    em,
    due.map((t) => ({
      actor: { kind: 'system', id: t.workflow_id, origin: t.workflow_id },
      action: step.action,
      subjectType: 'unit_task',
      subjectId: String(t.id),
      cycleId,
      before: { state: t.state },
      after: { state: step.to, [step.at]: t.at },
      occurredAt: now,
    })),
  );
}

/** A task's reminder at `dueAt`: its outbox key, which also makes a retry a no-op. */
const reminderKey = (taskId: number, dueAt: string): string => `reminder:task-${taskId}:${dueAt}`;

export function createTaskActivities(deps: ActivityDeps) {
  const locale = deps.config.DEFAULT_LOCALE as Locale;

  /**
   * Issues the personal links of the cycle's tasks `taskIds` that are still pending and emails
   * them to the unit heads: one transaction for every task (states, audit events, outbox), then
   * the deliveries. A retry finds the tasks dispatched and only delivers what is left.
   */
  async function dispatchTasks({
    cycleId,
    taskIds,
  }: {
    cycleId: number;
    taskIds: readonly number[];
  }): Promise<{ dispatched: number }> {
    const dispatched = await deps.orm.em.fork().transactional(async (em) => {
      const tasks = await em.execute<PendingTaskRow[]>(
        `SELECT t.id, t.token_version, t.workflow_id, t.schedule->>'deadline' AS deadline, u.name AS unit_name, u.head_name, u.head_email
         FROM unit_task t JOIN unit u ON u.id = t.unit_id
         WHERE t.cycle_id = ? AND t.state = 'pending' AND t.id IN (SELECT jsonb_array_elements_text(?::jsonb)::int)
         ORDER BY t.id FOR UPDATE OF t`,
        [cycleId, JSON.stringify(taskIds)],
      );
      if (tasks.length === 0) return 0;
      const cycle = await loadCycle(em, cycleId);
      const facts = cycleEmailFacts(cycle);
      const now = deps.now();
      const links = tasks.map((t) => ({
        id: t.id,
        token_hash: sha256(linkToken(deps.config.LINK_SECRET, t.id, t.token_version)),
      }));
      await em.execute(
        `UPDATE unit_task t SET state = 'dispatched', dispatched_at = ?, token_hash = l.token_hash, updated_at = ?
         FROM jsonb_to_recordset(?::jsonb) AS l(id int, token_hash text) WHERE t.id = l.id`,
        [now, now, JSON.stringify(links)],
      );
      const auditIds = await appendAudits(
        em,
        tasks.map((t) => ({
          actor: { kind: 'system', id: t.workflow_id, origin: t.workflow_id },
          action: 'task.dispatched',
          subjectType: 'unit_task',
          subjectId: String(t.id),
          cycleId,
          before: { state: 'pending' },
          after: { state: 'dispatched', deadline: t.deadline, recipient: t.head_email },
          occurredAt: now,
        })),
      );
      await enqueueEmails(
        em,
        tasks.map((t, i) => ({
          key: dispatchKey(t.id),
          kind: 'dispatch',
          recipient: t.head_email,
          locale,
          cycleId,
          taskId: t.id,
          auditEventId: auditIds[i]!,
          params: rowEmailParams(facts, t),
        })),
      );
      return tasks.length;
    });
    await deliverPending(deliveryDeps(deps), { keys: taskIds.map(dispatchKey) });
    return { dispatched };
  }

  /**
   * Reminds the heads of those of `taskIds` still open (not sent back), whose schedule in force
   * has a reminder at `dueAt` (an extension stored first replaces the old reminders) and whose
   * policy allows another, and queues their emails. A retry finds the keys queued and skips them.
   */
  async function remindTasks(
    em: EntityManager,
    cycleId: number,
    dueAt: string,
    taskIds: readonly number[],
    now: Date,
  ): Promise<void> {
    const cycle = await loadCycle(em, cycleId);
    const due = await em.execute<(PendingTaskRow & { reminders_sent: number })[]>(
      `SELECT t.id, t.token_version, t.workflow_id, t.schedule->>'deadline' AS deadline, t.reminders_sent,
              u.name AS unit_name, u.head_name, u.head_email
       FROM unit_task t JOIN unit u ON u.id = t.unit_id
       WHERE t.cycle_id = ? AND t.id IN (SELECT jsonb_array_elements_text(?::jsonb)::int)
         AND t.state IN (SELECT jsonb_array_elements_text(?::jsonb)) AND t.schedule->'reminders' @> jsonb_build_array(?::text)
         AND t.reminders_sent < ?
         AND NOT EXISTS (SELECT 1 FROM email e WHERE e.idempotency_key = 'reminder:task-' || t.id || ':' || ?)
       ORDER BY t.id FOR UPDATE OF t`,
      [
        cycleId,
        idList(taskIds),
        JSON.stringify([...OPEN_TASK_STATES].filter((s) => s !== 'revision_requested')),
        dueAt,
        cycle.policy.maxReminders,
        dueAt,
      ],
    );
    if (due.length === 0) return;
    await em.execute(
      `UPDATE unit_task SET reminders_sent = reminders_sent + 1, updated_at = ? WHERE id IN (SELECT jsonb_array_elements_text(?::jsonb)::int)`,
      [now, idList(due.map((t) => t.id))],
    );
    const auditIds = await appendAudits(
      em,
      due.map((t) => ({
        actor: { kind: 'system', id: t.workflow_id, origin: t.workflow_id },
        action: 'task.reminded',
        subjectType: 'unit_task',
        subjectId: String(t.id),
        cycleId,
        before: { remindersSent: t.reminders_sent },
        after: { remindersSent: t.reminders_sent + 1, dueAt },
        occurredAt: now,
      })),
    );
    const facts = cycleEmailFacts(cycle);
    await enqueueEmails(
      em,
      due.map((t, i) => ({
        key: reminderKey(t.id, dueAt),
        kind: 'reminder',
        recipient: t.head_email,
        locale,
        cycleId,
        taskId: t.id,
        auditEventId: auditIds[i]!,
        params: { ...rowEmailParams(facts, t), reminderNumber: t.reminders_sent + 1 },
      })),
    );
  }

  return {
    dispatchTasks,

    /** Which of `taskIds` hold a report (submitted or resubmitted). */
    async reportedTasks({ taskIds }: { taskIds: readonly number[] }): Promise<number[]> {
      const rows = await deps.orm.em
        .fork()
        .execute<{ id: number }[]>(
          `SELECT id FROM unit_task WHERE id IN (SELECT jsonb_array_elements_text(?::jsonb)::int) AND state IN (SELECT jsonb_array_elements_text(?::jsonb)) ORDER BY id`,
          [JSON.stringify(taskIds), JSON.stringify([...SUBMITTED_TASK_STATES])],
        );
      return rows.map((r) => r.id);
    },

    /**
     * One step of the schedule, due at `dueAt`, over the tasks `taskIds` of the cycle `cycleId` in
     * one transaction, then the deliveries of the wave's reminders; answers which of the tasks hold
     * a report and which are closed. A retry changes no row twice and sends what is still pending.
     */
    async runTaskWave(input: TaskWave): Promise<TaskWaveResult> {
      const { cycleId, kind, dueAt, taskIds } = input;
      await deps.orm.em.fork().transactional(async (em) => {
        const now = deps.now();
        if (kind === 'reminder') await remindTasks(em, cycleId, dueAt, taskIds, now);
        else await timedTransition(em, cycleId, dueAt, taskIds, now, TIMED_TRANSITIONS[kind]);
      });
      // Every reminder of the wave still pending, also those an earlier attempt queued and could not send.
      if (kind === 'reminder')
        await deliverPending(deliveryDeps(deps), { keys: taskIds.map((id) => reminderKey(id, dueAt)) });
      const rows = await deps.orm.em
        .fork()
        .execute<{ id: number; state: TaskState }[]>(
          `SELECT id, state FROM unit_task WHERE cycle_id = ? AND id IN (SELECT jsonb_array_elements_text(?::jsonb)::int) ORDER BY id`,
          [cycleId, JSON.stringify(taskIds)],
        );
      return {
        submitted: rows.filter((r) => SUBMITTED_TASK_STATES.has(r.state)).map((r) => r.id),
        closed: rows.filter((r) => r.state === 'not_submitted').map((r) => r.id),
      };
    },

    /**
     * A unit's head sends back the report of a unit reporting to it: the unit's task reopens for a
     * revision until the sender's own deadline (a revision window from now once that has passed),
     * and its head gets the reason and the link by email, in one transaction with the audit event.
     * Refused when the unit does not report to the sender, has no report to send back, or the
     * sender has already reported up. A retry of the same request changes nothing more.
     */
    async sendBackTask({
      cycleId,
      byTaskId,
      unitCode,
      reason,
      requestId,
      requestedAt,
      origin,
    }: {
      cycleId: number;
      origin: string;
      byTaskId: number;
      unitCode: string;
      reason: string;
      requestId: string;
      requestedAt: string;
    }): Promise<{ taskId: number; deadline: string }> {
      const key = `sent-back:task-${byTaskId}:${requestId}`;
      const done = await deps.orm.em.fork().transactional(async (em) => {
        const by = await lockTask(em, byTaskId);
        const found = await em.findOne(UnitTask, { cycle: cycleId, unit: { code: unitCode }, parentTask: byTaskId });
        if (!found || by.cycle.id !== cycleId)
          throw new NotFoundError({ code: 'not_reporting_to_you', params: { unit: unitCode } }, 'unit');
        const task = await lockTask(em, found.id);
        const exists = await em.execute('SELECT 1 FROM email WHERE idempotency_key = ?', [key]);
        if (exists.length > 0) return { taskId: task.id, deadline: task.revisionDeadline!.toISOString() };
        if (!AWAITING_REPORT_STATES.has(by.state)) throw new ConflictError({ code: 'already_reported_up', params: {} });
        if (!SUBMITTED_TASK_STATES.has(task.state))
          throw new ConflictError({ code: 'not_yet_reported', params: { unit: unitCode } }, 'unit');
        const holidays = new Set((await em.find(Holiday, {})).map((h) => h.date));
        const deadline =
          Date.parse(by.schedule.deadline) > Date.parse(requestedAt)
            ? by.schedule.deadline
            : windowEnd(task.cycle.policy.timing, requestedAt, 'revision', holidays);
        const before = task.state;
        task.state = 'revision_requested';
        task.revisionDeadline = new Date(deadline);
        await em.flush();
        const auditEventId = await appendAudit(em, {
          actor: { kind: 'link', id: `task:${by.id}`, origin },
          action: 'task.sent_back',
          subjectType: 'unit_task',
          subjectId: String(task.id),
          cycleId,
          before: { state: before },
          after: { state: 'revision_requested', deadline, reason, by: by.unit.code, byName: by.unit.name },
          occurredAt: deps.now(),
        });
        await enqueueEmail(em, {
          key,
          kind: 'revision',
          recipient: task.unit.headEmail,
          locale,
          params: { ...taskEmailParams(task), deadline, comment: reason, requestedBy: by.unit.name },
          cycleId,
          taskId: task.id,
          auditEventId,
        });
        return { taskId: task.id, deadline };
      });
      await deliverPending(deliveryDeps(deps), { keys: [key] });
      return done;
    },

    /** Replaces the unit's link (the old one stops working) and emails the new one to the unit head. */
    async resendLink({
      taskId,
      requestId,
      actor,
      reason,
    }: {
      taskId: number;
      requestId: string;
      actor: string;
      reason: string;
    }): Promise<TaskStepResult> {
      const key = `link-resent:task-${taskId}:${requestId}`;
      const after = await deps.orm.em.fork().transactional(async (em) => {
        const task = await lockTask(em, taskId);
        const exists = await em.execute('SELECT 1 FROM email WHERE idempotency_key = ?', [key]);
        if (exists.length > 0) return result(task); // a retry: the link was already replaced
        // The unit's workflow may not know yet that its unit reported (it is woken with the cycle's last report).
        if (!OPEN_TASK_STATES.has(task.state))
          throw new ConflictError({ code: 'link_not_open', params: { unit: task.unit.code } });
        const now = deps.now();
        task.tokenVersion += 1;
        task.tokenHash = sha256(linkToken(deps.config.LINK_SECRET, task.id, task.tokenVersion));
        await em.flush();
        const auditEventId = await appendAudit(em, {
          actor: { kind: 'user', id: actor, origin: task.workflowId },
          action: 'task.link_resent',
          subjectType: 'unit_task',
          subjectId: String(task.id),
          cycleId: task.cycle.id,
          before: { tokenVersion: task.tokenVersion - 1 },
          after: { tokenVersion: task.tokenVersion, reason, recipient: task.unit.headEmail },
          occurredAt: now,
        });
        await enqueueEmail(em, {
          key,
          kind: 'link_resent',
          recipient: task.unit.headEmail,
          locale,
          params: taskEmailParams(task),
          cycleId: task.cycle.id,
          taskId: task.id,
          auditEventId,
        });
        return result(task);
      });
      await deliverPending(deliveryDeps(deps), { keys: [key] });
      return after;
    },

    /** Moves one unit's deadline; its reminders, escalations and hard close move with it. */
    async extendTask(request: {
      taskId: number;
      newDeadline: string;
      reason: string;
      actor: string;
    }): Promise<UnitSchedule> {
      return deps.orm.em.fork().transactional(async (em) => {
        const task = await lockTask(em, request.taskId);
        if (task.schedule.deadline === new Date(request.newDeadline).toISOString()) return task.schedule; // retried
        if (!EXTENDABLE_TASK_STATES.has(task.state)) {
          throw new ConflictError({
            code: 'unit_settled',
            params: { unit: task.unit.code, outcome: task.state === 'not_submitted' ? 'not_submitted' : 'submitted' },
          });
        }
        const holidays = new Set((await em.find(Holiday, {})).map((h) => h.date));
        const now = deps.now();
        const before = { state: task.state, schedule: task.schedule, escalationLevel: task.escalationLevel };
        task.schedule = rescheduleUnit(
          task.cycle.policy.timing,
          new Date(request.newDeadline).toISOString(),
          now.toISOString(),
          holidays,
        );
        if (task.state === 'overdue' || task.state === 'escalated') task.state = task.draft ? 'draft' : 'dispatched';
        task.escalationLevel = 0;
        await em.flush();
        await appendAudit(em, {
          actor: { kind: 'user', id: request.actor, origin: task.cycle.workflowId },
          action: 'task.extended',
          subjectType: 'unit_task',
          subjectId: String(task.id),
          cycleId: task.cycle.id,
          before,
          after: { state: task.state, schedule: task.schedule, reason: request.reason },
          occurredAt: now,
        });
        return task.schedule;
      });
    },
  };
}
