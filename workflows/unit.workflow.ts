/**
 * One unit's task in one cycle, started by its batch (unit-batch.workflow.ts), which dispatches
 * the task right after. Until the unit settles: reminders at the policy's offsets, overdue at the
 * deadline, not-submitted at the hard close (or when an administrator closes collection early);
 * then it tells its batch. While the council reviews, revision rounds reopen it, until the cycle
 * closes. Its history is what an auditor reads for the unit. PostgreSQL holds the truth about
 * submissions: the `submitted` signal only wakes this workflow early, and every step re-reads the
 * task's state before acting.
 */
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { UnitSchedule } from '../domain/calendar';
import { refusalFailure } from './refusal-failure';
import { activities } from './activity-proxies';
import {
  closeUnitSignal,
  collectionClosedSignal,
  rescheduleSignal,
  resendLinkUpdate,
  revisionRequestedSignal,
  submittedSignal,
  unitSettledSignal,
} from './messages';
import { STAGE } from './search-attributes';
import type { UnitOutcome, UnitWorkflowInput } from './types';

type Step =
  | { readonly kind: 'reminder'; readonly at: string }
  | { readonly kind: 'overdue'; readonly at: string }
  | { readonly kind: 'hardClose'; readonly at: string };

const stepKey = (s: Step): string => `${s.kind}@${s.at}`;

function steps(schedule: UnitSchedule): Step[] {
  const all: Step[] = [
    ...schedule.reminders.map((at): Step => ({ kind: 'reminder', at })),
    { kind: 'overdue', at: schedule.deadline },
    { kind: 'hardClose', at: schedule.hardClose },
  ];
  return all.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export async function unitWorkflow(input: UnitWorkflowInput): Promise<UnitOutcome> {
  const { taskId, unitCode } = input;
  let schedule = input.schedule;
  let submitted = false;
  let rescheduled = false;
  let open = true; // the unit head may still hand in (or revise) a report
  let closed = false;
  let revision: { deadline: string } | undefined;
  /** Revision rounds begun: told with each settlement, so the cycle can tell a stale one from the latest. */
  let round = 0;
  let collectionClosedAt: string | undefined; // an administrator ended collection early

  setHandler(submittedSignal, () => {
    submitted = true;
  });
  setHandler(rescheduleSignal, (next) => {
    schedule = next;
    rescheduled = true;
  });
  setHandler(revisionRequestedSignal, (request) => {
    revision = request;
  });
  setHandler(collectionClosedSignal, ({ at }) => {
    collectionClosedAt ??= at;
  });
  setHandler(closeUnitSignal, () => {
    closed = true;
  });
  setHandler(
    resendLinkUpdate,
    async (request) => {
      await activities.resendLink({ taskId, ...request });
    },
    {
      validator: (_request) => {
        if (!open) throw refusalFailure('ConflictError', { code: 'link_not_open', params: { unit: unitCode } });
      },
    },
  );
  const setStage = (stage: string): void => upsertSearchAttributes([{ key: STAGE, value: stage }]);
  const settle = async (outcome: UnitOutcome): Promise<void> => {
    open = false;
    setStage(outcome);
    await getExternalWorkflowHandle(input.batchWorkflowId).signal(unitSettledSignal, {
      unitCode,
      outcome,
      ...(round > 0 ? { round } : {}),
    });
  };

  const handled = new Set<string>();
  let outcome: UnitOutcome | undefined;
  while (outcome === undefined) {
    // A unit is sent back only once its report is stored: a revision request means it submitted.
    if (submitted || revision !== undefined) {
      outcome = 'submitted';
      break;
    }
    if (collectionClosedAt !== undefined) {
      // The task's hard close was already moved to `collectionClosedAt`: close it like at the hard close.
      const result = await activities.closeTask({ taskId, dueAt: collectionClosedAt });
      outcome = result.submitted ? 'submitted' : 'not_submitted';
      break;
    }
    const next = steps(schedule).find((s) => !handled.has(stepKey(s)));
    if (!next) throw new Error('unreachable: a schedule always ends with its hard close');
    rescheduled = false;
    const wait = Date.parse(next.at) - Date.now();
    if (
      wait > 0 &&
      (await condition(
        () => submitted || rescheduled || revision !== undefined || collectionClosedAt !== undefined,
        wait,
      ))
    )
      continue;
    handled.add(stepKey(next));
    const result =
      next.kind === 'reminder'
        ? await activities.remindTask({ taskId, dueAt: next.at })
        : next.kind === 'overdue'
          ? await activities.markTaskOverdue({ taskId, dueAt: next.at })
          : await activities.closeTask({ taskId, dueAt: next.at });
    if (result.submitted) outcome = 'submitted';
    else if (next.kind === 'hardClose' && result.closed) outcome = 'not_submitted';
  }
  await settle(outcome);

  // Council stage: revision rounds until the cycle is published or cancelled.
  for (;;) {
    await condition(() => closed || revision !== undefined);
    if (closed) break;
    const { deadline } = revision!;
    revision = undefined;
    round += 1;
    open = true;
    setStage('revision');
    // The database decides whether the unit resubmitted: its signal may have come before this
    // round's, and a late signal from the first round must not count.
    for (;;) {
      submitted = false; // cleared before the check, so a signal during the check wakes the wait
      if ((await activities.closeRevision({ taskId, deadlinePassed: false })).resubmitted) break;
      const woken = await condition(() => submitted || closed, Math.max(Date.parse(deadline) - Date.now(), 1));
      if (closed) break;
      if (!woken) {
        await activities.closeRevision({ taskId, deadlinePassed: true });
        break;
      }
    }
    if (closed) break;
    await settle('submitted');
  }
  setStage('closed');
  await condition(allHandlersFinished);
  return outcome;
}
