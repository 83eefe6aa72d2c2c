/**
 * Timeliness, defined once. Pure: imported by workflows, services and consolidation.
 *
 * - The **obligation** (the monthly report a unit owes) is on time when its first submission was
 *   handed in by the deadline in force: the cycle's deadline, or the unit's extended one. An
 *   extension is possible only while nothing is submitted, so the deadline in force when the
 *   first report arrived is the task's schedule deadline forever after.
 * - A **revision round** (the council sent the unit back) has its own deadline; whether the revised
 *   report came by that deadline is a separate fact and never changes the obligation's.
 *
 * Every submission stores the deadline it answered (`submission.deadline`) and whether it came
 * after it (`submission.late`): version 1 answers the obligation, later versions a revision round.
 */

/** True when `submittedAt` is after `deadline` (a report at the deadline's instant is on time). */
export function isLate(submittedAt: Date | string, deadline: Date | string): boolean {
  return new Date(submittedAt).getTime() > new Date(deadline).getTime();
}

/** The submission version that answers the obligation; later versions answer revision rounds. */
export const OBLIGATION_VERSION = 1;

/** Which deadline a submission of a task in `state` answers. */
export function deadlineAnswered(
  state: string,
  schedule: { deadline: string },
  revisionDeadline: string | null,
): string {
  if (state === 'revision_requested') {
    if (!revisionDeadline) throw new Error('A task under revision always has a revision deadline.');
    return revisionDeadline;
  }
  return schedule.deadline;
}

/** Until when a task in `state` takes a report: the hard close, or the revision round's deadline. */
export function closesAt(state: string, schedule: { hardClose: string }, revisionDeadline: string | null): string {
  return state === 'revision_requested' && revisionDeadline ? revisionDeadline : schedule.hardClose;
}
