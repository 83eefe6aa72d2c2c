/**
 * What a unit head can do through the personal link: read the task, save a draft, submit, read
 * the receipt. Submissions are stored in PostgreSQL before anything else happens, so a report
 * answered 2xx is kept even if no worker (or no Temporal server) is up at that moment.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { LINK_TOKEN_PATTERN, sha256 } from '../../auth/tokens';
import { lockRow, lockTaskByTokenHash } from '../../db/row-lock';
import { appendAudit, auditContent, type Actor } from '../../db/audit';
import { preparedStatement, runPrepared } from '../../db/prepared';
import { templateDefinition } from '../../db/template-definitions';
import { DraftLink, Submission, UnitTask, type IUnitTask } from '../../db/entities/cycle.entity';
import { validateAnswers, type ReportAnswers } from '../../domain/answers';
import { ConflictError, ForbiddenError, LinkError } from '../../domain/errors';
import type { Refusal } from '../../domain/refusals';
import { closesAt, deadlineAnswered, isLate } from '../../domain/timeliness';
import {
  AWAITING_REPORT_STATES,
  OPEN_TASK_STATES,
  SUBMITTED_TASK_STATES,
  type CycleStage,
  type TaskState,
} from '../../domain/states';
import type { TemplateDefinition } from '../../domain/template';
import { InvalidReportError } from '../http/errors';
import { groupedPass } from './grouped-pass';
import type { SignalDefinition } from '@temporalio/common';
import { allReportedSignal } from '../../workflows/messages';

export interface Receipt {
  readonly receiptNumber: string;
  readonly version: number;
  readonly submittedAt: string;
  /** The deadline this report answered: the obligation's, or its revision round's. */
  readonly deadline: string;
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
  /** The deadline of the unit's latest revision round, if the council sent it back. */
  readonly revisionDeadline: string | null;
  readonly state: TaskState;
  /** Who holds the link this view was read with. */
  readonly holder: LinkHolder;
  /** The task takes a report (or a draft) now. */
  readonly open: boolean;
  /** The task takes a report now and the link is the unit head's (a draft-only link never submits). */
  readonly canSubmit: boolean;
  readonly template: TemplateDefinition;
  readonly draft: Partial<ReportAnswers> | null;
  readonly draftSavedAt: string | null;
  /** The unit head's name, or the name on the draft-only link, that saved the draft last. */
  readonly draftSavedBy: string | null;
  readonly lastSubmission: (Receipt & { answers: ReportAnswers }) | null;
}

/**
 * Who holds a link: the unit head (the task's own, emailed link) or a staff member the head gave a
 * draft-only link to (`DraftLink`): it reads the task and saves drafts under that name.
 */
export type LinkHolder =
  { readonly kind: 'head' } | { readonly kind: 'staff'; readonly draftLinkId: number; readonly name: string };

const HEAD: LinkHolder = { kind: 'head' };

/** The audit actor of a link's holder: `task:<id>` for the head, `task:<id>:draft-link:<id>` for staff. */
export const linkActor = (task: { id: number }, origin: string, holder: LinkHolder = HEAD): Actor => ({
  kind: 'link',
  id: holder.kind === 'head' ? `task:${task.id}` : `task:${task.id}:draft-link:${holder.draftLinkId}`,
  origin,
});

const unknownLink = () => new LinkError({ code: 'link_unknown', params: {} }, 'unknown');

/** The hash a link token is stored under; refuses what cannot be a token at all. */
function tokenHashOf(token: string): string {
  if (!LINK_TOKEN_PATTERN.test(token)) throw new LinkError({ code: 'link_malformed', params: {} }, 'unknown');
  return sha256(token);
}

const TASK_POPULATE = ['unit', 'cycle', 'cycle.campaign', 'cycle.template'] as const;

/**
 * The draft-only link with this token hash, if it is one: its task id and holder. A withdrawn one
 * is refused with its own reason, so its holder knows to ask the head again.
 */
async function draftLinkOf(
  em: EntityManager,
  tokenHash: string,
): Promise<{ taskId: number; holder: LinkHolder } | undefined> {
  const link = await em.findOne(DraftLink, { tokenHash });
  if (!link) return undefined;
  if (link.revokedAt) throw new LinkError({ code: 'draft_link_revoked', params: {} }, 'closed');
  return { taskId: link.task.id, holder: { kind: 'staff', draftLinkId: link.id, name: link.holderName } };
}

/**
 * Finds the task behind a link token and who holds it: the unit head's link or a draft-only link
 * (optionally locking the task's row, and only it).
 */
export async function resolveHolder(
  em: EntityManager,
  token: string,
  { lock = false } = {},
): Promise<{ task: IUnitTask; holder: LinkHolder }> {
  const tokenHash = tokenHashOf(token);
  const load = (where: { tokenHash: string } | { id: number }) =>
    em.findOne(UnitTask, where, { populate: TASK_POPULATE, ...(lock ? { refresh: true } : {}) });
  const headTaskId = lock ? await lockTaskByTokenHash(em, tokenHash) : undefined;
  const task = lock && headTaskId === undefined ? null : await load(headTaskId ? { id: headTaskId } : { tokenHash });
  if (task) return { task, holder: HEAD };
  const staff = await draftLinkOf(em, tokenHash);
  if (!staff || (lock && !(await lockRow(em, 'unit_task', staff.taskId)))) throw unknownLink();
  const staffTask = await load({ id: staff.taskId });
  if (!staffTask) throw unknownLink();
  return { task: staffTask, holder: staff.holder };
}

/**
 * Finds the task behind the unit head's own link (optionally locking its row, and only it); a
 * draft-only link is refused with a 403 saying that only the head's link does this.
 */
export async function resolveLink(em: EntityManager, token: string, { lock = false } = {}): Promise<IUnitTask> {
  const { task, holder } = await resolveHolder(em, token, { lock });
  if (holder.kind !== 'head') throw new ForbiddenError({ code: 'draft_link_cannot_submit', params: {} }, 'token');
  return task;
}

function receiptOf(
  task: IUnitTask,
  s: { receiptNumber: string; version: number; submittedAt: Date; deadline: Date; late: boolean },
): Receipt {
  return {
    receiptNumber: s.receiptNumber,
    version: s.version,
    submittedAt: s.submittedAt.toISOString(),
    deadline: s.deadline.toISOString(),
    late: s.late,
    unitCode: task.unit.code,
    unitName: task.unit.name,
    period: task.cycle.period,
  };
}

async function latestSubmission(em: EntityManager, task: IUnitTask) {
  return em.findOne(Submission, { task }, { orderBy: { version: 'desc' } });
}

interface TaskStanding {
  readonly stage: CycleStage;
  readonly state: TaskState;
  readonly hardClose: string;
  readonly revisionDeadline: string | null;
}

const standingOf = (task: IUnitTask): TaskStanding => ({
  stage: task.cycle.stage,
  state: task.state,
  hardClose: task.schedule.hardClose,
  revisionDeadline: task.revisionDeadline?.toISOString() ?? null,
});

/** Why the task no longer takes a report; undefined when it does. */
export function closedRefusal(task: IUnitTask, now: Date): Refusal | undefined {
  return refusal(standingOf(task), now);
}

function refusal({ stage, state, hardClose, revisionDeadline }: TaskStanding, now: Date): Refusal | undefined {
  if (stage === 'cancelled') return { code: 'cycle_cancelled', params: {} };
  if (SUBMITTED_TASK_STATES.has(state)) return { code: 'report_already_submitted', params: {} };
  const closedAt = closesAt(state, { hardClose }, revisionDeadline);
  if (!OPEN_TASK_STATES.has(state) || now.getTime() >= Date.parse(closedAt)) {
    return state === 'revision_requested'
      ? { code: 'revision_closed', params: { closedAt } }
      : { code: 'reporting_closed', params: { closedAt } };
  }
  return undefined;
}

export async function readTask(em: EntityManager, token: string, now: Date): Promise<TaskView> {
  const { task, holder } = await resolveHolder(em, token);
  const last = await latestSubmission(em, task);
  const open = refusal(standingOf(task), now) === undefined;
  return {
    unit: { code: task.unit.code, name: task.unit.name, headName: task.unit.headName },
    campaign: { code: task.cycle.campaign.code, name: task.cycle.campaign.name },
    period: task.cycle.period,
    dataFrom: task.cycle.plan.dataFrom,
    dataTo: task.cycle.plan.dataTo,
    deadline: task.schedule.deadline,
    hardClose: task.schedule.hardClose,
    revisionDeadline: task.revisionDeadline?.toISOString() ?? null,
    state: task.state,
    holder,
    open,
    canSubmit: open && holder.kind === 'head',
    template: task.cycle.template.definition,
    draft: task.draft ?? null,
    draftSavedAt: task.draftSavedAt?.toISOString() ?? null,
    draftSavedBy: task.draftSavedBy ?? null,
    lastSubmission: last ? { ...receiptOf(task, last), answers: last.answers } : null,
  };
}

export async function saveDraft(
  em: EntityManager,
  token: string,
  body: unknown,
  origin: string,
  now: Date,
  { autosave = false } = {},
): Promise<SavedDraft> {
  return em.transactional(async (tx) => {
    const { task, holder } = await resolveHolder(tx, token, { lock: true });
    const refused = refusal(standingOf(task), now);
    if (refused) throw new ConflictError(refused);
    const checked = validateAnswers(task.cycle.template.definition, body, { complete: false });
    if (!checked.ok) throw new InvalidReportError(checked.errors);
    return storeDraft(tx, task, holder, checked.answers, { origin, now, action: 'task.draft_saved', autosave });
  });
}

/**
 * A form saving itself writes every few seconds while someone types: such a save is on the record
 * when it starts a session of writing — the first draft, another writer than the last, or the same
 * writer after a pause of this long — not every few seconds. Explicit saves are always recorded.
 */
export const AUTOSAVE_AUDIT_INTERVAL_MS = 10 * 60_000;

export interface SavedDraft {
  readonly savedAt: string;
  /** The unit head's name or the name on the draft-only link that saved it. */
  readonly savedBy: string;
}

/**
 * Stores checked answers as the task's draft (in the caller's transaction, the task's row locked),
 * with who saved it, on the record.
 */
export async function storeDraft(
  tx: EntityManager,
  task: IUnitTask,
  holder: LinkHolder,
  answers: Partial<ReportAnswers>,
  {
    origin,
    now,
    action,
    detail = {},
    autosave = false,
  }: { origin: string; now: Date; action: string; detail?: Record<string, unknown>; autosave?: boolean },
): Promise<SavedDraft> {
  const before = task.state;
  const savedBy = holder.kind === 'head' ? task.unit.headName : holder.name;
  const recorded =
    !autosave ||
    before === 'dispatched' ||
    task.draftSavedBy !== savedBy ||
    !task.draftSavedAt ||
    now.getTime() - task.draftSavedAt.getTime() >= AUTOSAVE_AUDIT_INTERVAL_MS;
  task.draft = answers;
  task.draftSavedAt = now;
  task.draftSavedBy = savedBy;
  if (task.state === 'dispatched') task.state = 'draft';
  await tx.flush();
  if (!recorded) return { savedAt: now.toISOString(), savedBy };
  await appendAudit(tx, {
    actor: linkActor(task, origin, holder),
    action,
    subjectType: 'unit_task',
    subjectId: String(task.id),
    cycleId: task.cycle.id,
    before: { state: before },
    after: { state: task.state, savedBy, ...detail },
    occurredAt: now,
  });
  return { savedAt: now.toISOString(), savedBy };
}

/** What a submission needs to know about its task, read in one query. */
interface SubmitTarget {
  id: number;
  state: TaskState;
  hard_close: string;
  deadline: string;
  /** As the driver returns it (a string or a Date, depending on the pool's type parsers). */
  revision_deadline: Date | string | null;
  unit_code: string;
  unit_name: string;
  cycle_id: number;
  cycle_workflow_id: string;
  period: string;
  stage: CycleStage;
  template_id: number;
  last_version: number | null;
}

const SUBMIT_TARGET = preparedStatement<SubmitTarget, [tokenHash: string]>(
  'submit-target',
  `
  SELECT t.id, t.state, t.schedule->>'hardClose' AS hard_close, t.schedule->>'deadline' AS deadline, t.revision_deadline,
         u.code AS unit_code, u.name AS unit_name, c.id AS cycle_id, c.workflow_id AS cycle_workflow_id, c.period, c.stage, c.template_id,
         (SELECT max(s.version) FROM submission s WHERE s.task_id = t.id) AS last_version
  FROM unit_task t JOIN unit u ON u.id = t.unit_id JOIN cycle c ON c.id = t.cycle_id
  WHERE t.token_hash = $1`,
);

/**
 * Stores the submission, the task's new state and the audit event in one statement (one implicit
 * transaction), only if the task is still in the state it was read in and still takes a report at
 * that instant (a hard close, a closed collection or a cancel moved since the read are seen here,
 * under the row's lock); returns whether it did. The task's `late` is the obligation's fact: only
 * the first report sets it (domain/timeliness.ts).
 */
const STORE_SUBMISSION = preparedStatement<
  { n: number },
  [
    state: TaskState,
    at: Date,
    late: boolean,
    taskId: number,
    readState: TaskState,
    version: number,
    answers: string,
    receiptNumber: string,
    audit: string,
    deadline: string,
  ]
>(
  'store-submission',
  `
  WITH task AS (
    UPDATE unit_task SET state = $1, submitted_at = $2, late = CASE WHEN $1 = 'submitted' THEN $3 ELSE late END, draft = NULL, draft_saved_by = NULL, updated_at = $2
    WHERE id = $4 AND state = $5
      AND $2 < CASE WHEN state = 'revision_requested' THEN revision_deadline ELSE (schedule->>'hardClose')::timestamptz END
    RETURNING id
  ), stored AS (
    INSERT INTO submission (created_at, updated_at, task_id, version, answers, submitted_at, deadline, late, receipt_number)
    SELECT $2, $2, id, $6, $7::jsonb, $2, $10::timestamptz, $3, $8 FROM task RETURNING id
  ), audited AS (
    INSERT INTO audit_pending (content, seal_after_commit) SELECT $9, true FROM stored RETURNING id
  )
  SELECT count(*)::int AS n FROM audited`,
);

/**
 * Run after reports are committed, once for every report of the moment (`groupedPass`): chains
 * their audit events, with every other committed meanwhile (`seal_audit_chain`, migration
 * 20261123200000), and tells for each of their cycles whether any task is still awaited (the
 * statement starts after the reports' commits, so the last of two concurrent reports sees both).
 */
const AFTER_REPORTS = preparedStatement<{ cycle_id: number; awaiting: boolean }, [cycleIds: string]>(
  'after-reports',
  `
  WITH sealed AS (SELECT seal_audit_chain() AS n)
  SELECT c.id AS cycle_id, EXISTS (SELECT 1 FROM unit_task t WHERE t.cycle_id = c.id AND t.state IN (${[...AWAITING_REPORT_STATES].map((s) => `'${s}'`).join(', ')})) AS awaiting
  FROM sealed, (SELECT DISTINCT jsonb_array_elements_text($1::jsonb)::int AS id) AS c`,
);

/** A workflow to wake once a report is stored. */
export interface Wake {
  readonly workflowId: string;
  readonly signal: SignalDefinition<[]>;
}

/** What is left to do once a report is committed; answers which workflow to wake, if any. */
export type AfterReport = (task: Pick<SubmitTarget, 'cycle_id' | 'cycle_workflow_id'>) => Promise<Wake | undefined>;

/**
 * After a report is committed: seals its audit event, and answers the cycle's workflow to wake
 * once no task of the cycle waits for a report any more. Until then nothing needs waking: every
 * step of a unit's workflow reads the task's state from PostgreSQL. Concurrent reports share one
 * round trip for this.
 *
 * The report is committed before this runs: if it fails, the answer still says so (`onError` is
 * told), the event is chained by the next seal (any report's, or `npm run audit:verify`) and the
 * units' workflows see the report at their next step.
 */
export function createAfterReport(em: () => EntityManager, onError: (error: unknown) => void): AfterReport {
  const awaitingByCycle = groupedPass<number, boolean>(async (cycleIds) => {
    const rows = await runPrepared(em(), AFTER_REPORTS, [JSON.stringify(cycleIds)]);
    return new Map(rows.map((r) => [r.cycle_id, r.awaiting]));
  });
  return async (task) => {
    let awaiting: boolean;
    try {
      awaiting = await awaitingByCycle(task.cycle_id);
    } catch (error) {
      onError(error);
      awaiting = true; // unknown: the cycle learns from its units' next steps
    }
    return awaiting ? undefined : { workflowId: task.cycle_workflow_id, signal: allReportedSignal };
  };
}

/**
 * Validates and stores a report; returns the receipt and the workflow to wake, if any. Two
 * round trips and no explicit transaction: the task is read, the answers checked against its
 * (cached) template, then everything is written by one statement that only applies if the task
 * has not changed state since it was read (a concurrent draft, reminder step or second
 * submission); then it is read again and decided afresh. After the commit, `afterReport` seals the
 * audit event and decides whom to wake.
 */
export async function submitReport(
  em: EntityManager,
  afterReport: AfterReport,
  token: string,
  body: unknown,
  origin: string,
  now: Date,
): Promise<{ receipt: Receipt; wake: Wake | undefined }> {
  const tokenHash = tokenHashOf(token);
  for (let attempt = 1; ; attempt += 1) {
    const [task] = await runPrepared(em, SUBMIT_TARGET, [tokenHash]);
    if (!task) {
      // Not the head's link: a draft-only link is told why it cannot submit, anything else is unknown.
      if (await draftLinkOf(em, tokenHash))
        throw new ForbiddenError({ code: 'draft_link_cannot_submit', params: {} }, 'token');
      throw unknownLink();
    }
    const revisionDeadline = task.revision_deadline === null ? null : new Date(task.revision_deadline).toISOString();
    const refused = refusal(
      { stage: task.stage, state: task.state, hardClose: task.hard_close, revisionDeadline },
      now,
    );
    if (refused) throw new ConflictError(refused);
    const checked = validateAnswers(await templateDefinition(em, task.template_id), body, { complete: true });
    if (!checked.ok) throw new InvalidReportError(checked.errors);
    const version = (task.last_version ?? 0) + 1;
    const deadline = deadlineAnswered(task.state, { deadline: task.deadline }, revisionDeadline);
    const late = isLate(now, deadline);
    const receiptNumber = `BC-${task.cycle_id}-${task.unit_code}-${version}`;
    const state: TaskState = task.state === 'revision_requested' ? 'resubmitted' : 'submitted';
    const audit = auditContent({
      actor: { kind: 'link', id: `task:${task.id}`, origin },
      action: 'task.submitted',
      subjectType: 'unit_task',
      subjectId: String(task.id),
      cycleId: task.cycle_id,
      before: { state: task.state },
      after: { state, version, deadline, late, receiptNumber },
      occurredAt: now,
    });
    const [stored] = await runPrepared(em, STORE_SUBMISSION, [
      state,
      now,
      late,
      task.id,
      task.state,
      version,
      JSON.stringify(checked.answers),
      receiptNumber,
      audit,
      deadline,
    ]);
    if (stored!.n === 1) {
      return {
        receipt: {
          receiptNumber,
          version,
          submittedAt: now.toISOString(),
          deadline,
          late,
          unitCode: task.unit_code,
          unitName: task.unit_name,
          period: task.period,
        },
        wake: await afterReport(task),
      };
    }
    if (attempt === 3) throw new ConflictError({ code: 'report_kept_changing', params: {} });
  }
}

export async function readReceipt(em: EntityManager, token: string): Promise<Receipt> {
  const task = await resolveLink(em, token);
  const last = await latestSubmission(em, task);
  if (!last) throw new ConflictError({ code: 'no_report_yet', params: {} });
  return receiptOf(task, last);
}
