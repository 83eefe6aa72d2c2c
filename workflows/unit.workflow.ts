/**
 * One unit's task in one cycle, started by its batch (unit-batch.workflow.ts), which dispatches the
 * task right after and runs its schedule: the batch sends reminders, marks the task overdue and
 * closes it at the hard close for all its units at once, and tells this workflow how the unit
 * settled when the cycle closes. While the council reviews, revision rounds reopen it. Its history is what an auditor reads for the unit. PostgreSQL holds the
 * truth about submissions: signals only wake this workflow, and every step re-reads the task's
 * state before acting.
 */
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { refusalFailure } from './refusal-failure';
import { activities } from './activity-proxies';
import {
  closeUnitSignal,
  resendLinkUpdate,
  revisionRequestedSignal,
  submittedSignal,
  unitSettledSignal,
} from './messages';
import { STAGE } from './search-attributes';
import type { UnitOutcome, UnitWorkflowInput } from './types';

export async function unitWorkflow(input: UnitWorkflowInput): Promise<UnitOutcome> {
  const { taskId, unitCode } = input;
  let submitted = false;
  /** How the unit settled in collection, told by the batch as the cycle closes. */
  let closedWith: UnitOutcome | undefined;
  let open = true; // the unit head may still hand in (or revise) a report
  let closed = false;
  let revision: { deadline: string } | undefined;
  /** Revision rounds begun: told with each settlement, so the cycle can tell a stale one from the latest. */
  let round = 0;

  setHandler(submittedSignal, () => {
    submitted = true;
  });
  setHandler(revisionRequestedSignal, (request) => {
    revision = request;
  });
  setHandler(closeUnitSignal, ({ outcome }) => {
    closedWith = outcome;
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

  // Collection: the batch runs the unit's schedule and settles it. A unit is sent back only once
  // its report is stored: a revision request means it submitted.
  await condition(() => revision !== undefined || closedWith !== undefined);
  const outcome: UnitOutcome = revision !== undefined ? 'submitted' : closedWith!;
  open = false;
  setStage(outcome);

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
    open = false;
    setStage('submitted');
    await getExternalWorkflowHandle(input.batchWorkflowId).signal(unitSettledSignal, {
      unitCode,
      outcome: 'submitted',
      round,
    });
  }
  setStage('closed');
  await condition(allHandlersFinished);
  return outcome;
}
