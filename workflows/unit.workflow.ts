/**
 * One unit's task in one cycle: dispatch, reminders while it has not submitted, overdue at the
 * deadline, not-submitted at the hard close. Its history is what an auditor reads for the unit.
 * PostgreSQL holds the truth about submissions; the `submitted` signal only wakes this workflow
 * early, and every step re-reads the task's state before acting.
 */
import { condition, getExternalWorkflowHandle, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { UnitSchedule } from '../domain/calendar';
import { activities } from './activity-proxies';
import { rescheduleSignal, submittedSignal, unitSettledSignal } from './messages';
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
  let schedule = input.schedule;
  let submitted = false;
  let rescheduled = false;
  setHandler(submittedSignal, () => {
    submitted = true;
  });
  setHandler(rescheduleSignal, (next) => {
    schedule = next;
    rescheduled = true;
  });

  await activities.dispatchTask({ taskId: input.taskId });
  upsertSearchAttributes([{ key: STAGE, value: 'collecting' }]);

  const handled = new Set<string>();
  let outcome: UnitOutcome | undefined;
  while (outcome === undefined) {
    if (submitted) {
      outcome = 'submitted';
      break;
    }
    const next = steps(schedule).find((s) => !handled.has(stepKey(s)));
    if (!next) throw new Error('unreachable: a schedule always ends with its hard close');
    rescheduled = false;
    const wait = Date.parse(next.at) - Date.now();
    if (wait > 0 && (await condition(() => submitted || rescheduled, wait))) continue;
    handled.add(stepKey(next));
    const result =
      next.kind === 'reminder'
        ? await activities.remindTask({ taskId: input.taskId, dueAt: next.at })
        : next.kind === 'overdue'
          ? await activities.markTaskOverdue({ taskId: input.taskId, dueAt: next.at })
          : await activities.closeTask({ taskId: input.taskId, dueAt: next.at });
    if (result.submitted) outcome = 'submitted';
    else if (next.kind === 'hardClose' && result.closed) outcome = 'not_submitted';
  }

  upsertSearchAttributes([{ key: STAGE, value: outcome }]);
  const parent = workflowInfo().parent;
  if (parent) await getExternalWorkflowHandle(parent.workflowId).signal(unitSettledSignal, { unitCode: input.unitCode, outcome });
  return outcome;
}
