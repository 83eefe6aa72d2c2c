import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { CyclePlan, UnitSchedule } from '../../domain/calendar';
import type { ReportAnswers } from '../../domain/answers';
import type { CyclePolicy } from '../../domain/policy';
import { CYCLE_STAGES, AWAITING_REPORT_STATES, TASK_STATES } from '../../domain/states';
import type { BasisEntry } from '../consolidated-report';
import { BaseSchema } from './base';
import { Campaign } from './campaign.entity';
import { ReportTemplate } from './template.entity';
import { Unit } from './unit.entity';

/** One month of one campaign. */
export const Cycle = defineEntity({
  name: 'Cycle',
  extends: BaseSchema,
  uniques: [{ properties: ['campaign', 'period'] }],
  properties: {
    campaign: () => p.manyToOne(Campaign),
    period: p.string().length(7),
    workflowId: p.string().length(200).unique(),
    template: () => p.manyToOne(ReportTemplate),
    /** The policy as it was when the cycle started: later edits do not move a running cycle. */
    policy: p.json<CyclePolicy>(),
    plan: p.json<CyclePlan>(),
    stage: p.enum([...CYCLE_STAGES]),
    /** The consolidated version under review and when its review window ends. */
    reviewVersion: p.integer().nullable(),
    reviewEndsAt: p.datetime().nullable(),
    closedAt: p.datetime().nullable(),
    cancelReason: p.text().nullable(),
  },
});
export type ICycle = InferEntity<typeof Cycle>;

const KEEP_REPLACED_LINK = `if OLD.token_hash is not null and OLD.token_hash is distinct from NEW.token_hash then
  insert into "replaced_link" ("token_hash", "task_id", "token_version", "replaced_at") values (OLD.token_hash, OLD.id, OLD.token_version, now()) on conflict do nothing;
end if; return null`;

/** What one unit owes in one cycle: its link, its schedule and its state. */
export const UnitTask = defineEntity({
  name: 'UnitTask',
  extends: BaseSchema,
  uniques: [{ properties: ['cycle', 'unit'] }],
  indexes: [
    {
      // "Is any task of this cycle still open?" after every stored report: only open tasks are indexed.
      name: 'unit_task_open_by_cycle',
      expression: `create index "unit_task_open_by_cycle" on "unit_task" ("cycle_id") where "state" in (${[...AWAITING_REPORT_STATES].map((s) => `'${s}'`).join(', ')})`,
    },
  ],
  // A replaced link's hash is kept (replaced_link), so an old link is recognised by one lookup.
  triggers: [
    {
      name: 'unit_task_keep_replaced_link',
      timing: 'after',
      events: ['update'],
      forEach: 'row',
      body: KEEP_REPLACED_LINK,
    },
  ],
  properties: {
    cycle: () => p.manyToOne(Cycle),
    /** Indexed for a unit's history across cycles (its previous report, its summaries). */
    unit: () => p.manyToOne(Unit).index(),
    workflowId: p.string().length(250).unique(),
    state: p.enum([...TASK_STATES]),
    schedule: p.json<UnitSchedule>(),
    /** SHA-256 of the current link token; the token itself is never stored. */
    tokenHash: p.string().length(64).unique().nullable(),
    /** Bumped to replace the link: the previous token stops working. */
    tokenVersion: p.integer().default(0),
    dispatchedAt: p.datetime().nullable(),
    submittedAt: p.datetime().nullable(),
    /** Whether the obligation was met after the deadline in force (domain/timeliness.ts); set by the first report only. */
    late: p.boolean().nullable(),
    /** The deadline of the unit's latest revision round; null until the council sends the unit back. */
    revisionDeadline: p.datetime().nullable(),
    remindersSent: p.integer().default(0),
    escalationLevel: p.integer().default(0),
    draft: p.json<Partial<ReportAnswers>>().nullable(),
    draftSavedAt: p.datetime().nullable(),
    /** Who saved the draft last: the unit head, or the name on a draft-only link. */
    draftSavedBy: p.string().length(200).nullable(),
    /** In a campaign of several levels, the task of the unit this one reports to; null at the top. */
    parentTask: () => p.manyToOne(UnitTask).nullable(),
    /** 0 for a unit with nothing below it in the cycle; 1 + the highest level of the units reporting to it. */
    level: p.integer().default(0),
  },
});
export type IUnitTask = InferEntity<typeof UnitTask>;

/** A submitted report; every version is kept (first submission, resubmissions). */
export const Submission = defineEntity({
  name: 'Submission',
  extends: BaseSchema,
  uniques: [{ properties: ['task', 'version'] }],
  properties: {
    task: () => p.manyToOne(UnitTask),
    version: p.integer(),
    answers: p.json<ReportAnswers>(),
    submittedAt: p.datetime(),
    /** The deadline this submission answered: the obligation's (version 1) or its revision round's. */
    deadline: p.datetime(),
    /** Handed in after `deadline` (domain/timeliness.ts). */
    late: p.boolean(),
    /** Shown to the unit head as the receipt number. */
    receiptNumber: p.string().length(64).unique(),
  },
});
export type ISubmission = InferEntity<typeof Submission>;

/**
 * The council's reading: a new version on every consolidation. Stored as its basis (which
 * submission of each task it counts) and read with `readConsolidatedReport` (db/consolidated-report.ts).
 */
export const ConsolidatedReport = defineEntity({
  name: 'ConsolidatedReport',
  extends: BaseSchema,
  uniques: [{ properties: ['cycle', 'version'] }],
  properties: {
    cycle: () => p.manyToOne(Cycle),
    version: p.integer(),
    basis: p.json<readonly BasisEntry[]>().lazy(),
  },
});
export type IConsolidatedReport = InferEntity<typeof ConsolidatedReport>;

/**
 * A draft-only link the unit head gave a staff member to prepare the report: it reads the task
 * and saves drafts under the staff member's name; only the head's own link submits. Revoked by
 * the head; useless once the task no longer takes a report.
 */
export const DraftLink = defineEntity({
  name: 'DraftLink',
  extends: BaseSchema,
  properties: {
    task: () => p.manyToOne(UnitTask).index(),
    /** SHA-256 of the token; the token is shown once to the head and never stored. */
    tokenHash: p.string().length(64).unique(),
    /** The staff member's name, as the head typed it: what the audit log and the page show. */
    holderName: p.string().length(200),
    revokedAt: p.datetime().nullable(),
  },
});
export type IDraftLink = InferEntity<typeof DraftLink>;

/** The hash of a link that was replaced by a newer one (kept by a trigger on unit_task). */
export const ReplacedLink = defineEntity({
  name: 'ReplacedLink',
  properties: {
    tokenHash: p.string().length(64).primary(),
    task: () => p.manyToOne(UnitTask).index(),
    tokenVersion: p.integer(),
    replacedAt: p.datetime(),
  },
});
