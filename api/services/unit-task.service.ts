/**
 * What a unit head can do through the personal link: read the task, save a draft, submit, read
 * the receipt. Submissions are stored in PostgreSQL before anything else happens, so a report
 * answered 2xx is kept even if no worker (or no Temporal server) is up at that moment.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { LINK_TOKEN_PATTERN, sha256 } from '../../auth/tokens';
import { lockTaskByTokenHash } from '../../db/row-lock';
import { appendAudit, type Actor } from '../../db/audit';
import { Submission, UnitTask, type IUnitTask } from '../../db/entities/cycle.entity';
import { validateAnswers, type ReportAnswers } from '../../domain/answers';
import { ConflictError, LinkError } from '../../domain/errors';
import { OPEN_TASK_STATES, type TaskState } from '../../domain/states';
import type { TemplateDefinition } from '../../domain/template';
import { InvalidReportError } from '../errors';

export interface Receipt {
  readonly receiptNumber: string;
  readonly version: number;
  readonly submittedAt: string;
  readonly late: boolean;
  readonly unitCode: string;
  readonly unitName: string;
  readonly period: string;
}

export interface TaskView {
  readonly unit: { code: string; name: string; headName: string };
  readonly campaign: { code: string; name: string };
  readonly period: string;
  readonly dataFrom: string;
  readonly dataTo: string;
  readonly deadline: string;
  readonly hardClose: string;
  readonly state: TaskState;
  readonly canSubmit: boolean;
  readonly template: TemplateDefinition;
  readonly draft: Partial<ReportAnswers> | null;
  readonly draftSavedAt: string | null;
  readonly lastSubmission: (Receipt & { answers: ReportAnswers }) | null;
}

const linkActor = (task: IUnitTask, origin: string): Actor => ({ kind: 'link', id: `task:${task.id}`, origin });

/** Finds the task behind a link token (optionally locking its row, and only it). */
export async function resolveLink(em: EntityManager, token: string, { lock = false } = {}): Promise<IUnitTask> {
  if (!LINK_TOKEN_PATTERN.test(token)) throw new LinkError('This link is not valid. Check that it was copied completely from the email.', 'unknown');
  const unknown = () => new LinkError('This link is not valid or has been replaced by a newer one. Use the most recent email, or ask for a fresh link.', 'unknown');
  const tokenHash = sha256(token);
  if (lock && (await lockTaskByTokenHash(em, tokenHash)) === undefined) throw unknown();
  const task = await em.findOne(UnitTask, { tokenHash }, { populate: ['unit', 'cycle', 'cycle.campaign', 'cycle.template'], ...(lock ? { refresh: true } : {}) });
  if (!task) throw unknown();
  return task;
}

function receiptOf(task: IUnitTask, s: { receiptNumber: string; version: number; submittedAt: Date; late: boolean }): Receipt {
  return {
    receiptNumber: s.receiptNumber, version: s.version, submittedAt: s.submittedAt.toISOString(), late: s.late,
    unitCode: task.unit.code, unitName: task.unit.name, period: task.cycle.period,
  };
}

async function latestSubmission(em: EntityManager, task: IUnitTask) {
  return em.findOne(Submission, { task }, { orderBy: { version: 'desc' } });
}

/** Why the task no longer takes a report, in words for the unit head; undefined when it does. */
function refusal(task: IUnitTask, now: Date): string | undefined {
  if (task.cycle.stage === 'cancelled') return 'This reporting cycle was cancelled; nothing needs to be submitted.';
  if (task.state === 'not_submitted' || now.getTime() >= Date.parse(task.schedule.hardClose)) {
    return `The reporting period closed on ${task.schedule.hardClose}; reports can no longer be submitted through this link. Contact the council secretariat.`;
  }
  if (!OPEN_TASK_STATES.has(task.state)) return 'Your report has already been submitted; the council has not asked for a revision.';
  return undefined;
}

export async function readTask(em: EntityManager, token: string, now: Date): Promise<TaskView> {
  const task = await resolveLink(em, token);
  const last = await latestSubmission(em, task);
  return {
    unit: { code: task.unit.code, name: task.unit.name, headName: task.unit.headName },
    campaign: { code: task.cycle.campaign.code, name: task.cycle.campaign.name },
    period: task.cycle.period,
    dataFrom: task.cycle.plan.dataFrom,
    dataTo: task.cycle.plan.dataTo,
    deadline: task.schedule.deadline,
    hardClose: task.schedule.hardClose,
    state: task.state,
    canSubmit: refusal(task, now) === undefined,
    template: task.cycle.template.definition,
    draft: task.draft ?? null,
    draftSavedAt: task.draftSavedAt?.toISOString() ?? null,
    lastSubmission: last ? { ...receiptOf(task, last), answers: last.answers } : null,
  };
}

export async function saveDraft(em: EntityManager, token: string, body: unknown, origin: string, now: Date): Promise<{ savedAt: string }> {
  return em.transactional(async (tx) => {
    const task = await resolveLink(tx, token, { lock: true });
    const refused = refusal(task, now);
    if (refused) throw new ConflictError(refused);
    const checked = validateAnswers(task.cycle.template.definition, body, { complete: false });
    if (!checked.ok) throw new InvalidReportError(checked.errors);
    const before = task.state;
    task.draft = checked.answers;
    task.draftSavedAt = now;
    if (task.state === 'dispatched') task.state = 'draft';
    await tx.flush();
    await appendAudit(tx, {
      actor: linkActor(task, origin), action: 'task.draft_saved', subjectType: 'unit_task', subjectId: String(task.id), cycleId: task.cycle.id,
      before: { state: before }, after: { state: task.state }, occurredAt: now,
    });
    return { savedAt: now.toISOString() };
  });
}

/** Validates and stores a report; returns the receipt and the workflow to notify. */
export async function submitReport(em: EntityManager, token: string, body: unknown, origin: string, now: Date): Promise<{ receipt: Receipt; workflowId: string }> {
  return em.transactional(async (tx) => {
    const task = await resolveLink(tx, token, { lock: true });
    const refused = refusal(task, now);
    if (refused) throw new ConflictError(refused);
    const checked = validateAnswers(task.cycle.template.definition, body, { complete: true });
    if (!checked.ok) throw new InvalidReportError(checked.errors);
    const previous = await latestSubmission(tx, task);
    const version = (previous?.version ?? 0) + 1;
    const late = now.getTime() > Date.parse(task.schedule.deadline);
    const submission = tx.create(Submission, {
      task, version, answers: checked.answers, submittedAt: now, late,
      receiptNumber: `BC-${task.cycle.id}-${task.unit.code}-${version}`,
    });
    const before = task.state;
    task.state = before === 'revision_requested' ? 'resubmitted' : 'submitted';
    task.submittedAt = now;
    task.late = late;
    task.draft = null;
    await tx.flush();
    await appendAudit(tx, {
      actor: linkActor(task, origin), action: 'task.submitted', subjectType: 'unit_task', subjectId: String(task.id), cycleId: task.cycle.id,
      before: { state: before }, after: { state: task.state, version, late, receiptNumber: submission.receiptNumber }, occurredAt: now,
    });
    return { receipt: receiptOf(task, submission), workflowId: task.workflowId };
  });
}

export async function readReceipt(em: EntityManager, token: string): Promise<Receipt> {
  const task = await resolveLink(em, token);
  const last = await latestSubmission(em, task);
  if (!last) throw new ConflictError('No report has been submitted through this link yet.');
  return receiptOf(task, last);
}
