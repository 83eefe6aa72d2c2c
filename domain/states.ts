/** States of cycles and unit tasks (DOMAIN.md). Pure: imported by workflows. */

export const CYCLE_STAGES = [
  'collecting',
  'consolidating',
  'review',
  'revision',
  'publishing',
  'closed',
  'cancelled',
] as const;
export type CycleStage = (typeof CYCLE_STAGES)[number];

export const TASK_STATES = [
  'pending',
  'dispatched',
  'draft',
  'submitted',
  'overdue',
  'escalated',
  'not_submitted',
  'revision_requested',
  'resubmitted',
  'accepted',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** States in which the unit head may still save a draft or submit. */
export const OPEN_TASK_STATES: ReadonlySet<TaskState> = new Set([
  'dispatched',
  'draft',
  'overdue',
  'escalated',
  'revision_requested',
]);

/** States in which the cycle still waits for the unit: open, or not yet dispatched. */
export const AWAITING_REPORT_STATES: ReadonlySet<TaskState> = new Set(['pending', ...OPEN_TASK_STATES]);

/** States in which an administrator may still move the unit's deadline (collection is on, no report yet). */
export const EXTENDABLE_TASK_STATES: ReadonlySet<TaskState> = new Set([
  'pending',
  'dispatched',
  'draft',
  'overdue',
  'escalated',
]);

/** States in which the unit has handed in a report the council can read. */
export const SUBMITTED_TASK_STATES: ReadonlySet<TaskState> = new Set(['submitted', 'resubmitted', 'accepted']);
