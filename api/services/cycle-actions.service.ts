/**
 * What an administrator can do to a cycle — start it, extend a unit, re-send a link, close
 * collection early, cancel — in one place for both doors: the JSON routes (`cycles.routes.ts`)
 * and the console's forms. Each sends the workflow its message and leaves the audit trail.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { Config } from '../../config/config';
import { appendAudit } from '../../db/audit';
import { Campaign, Cycle, Unit, UnitTask } from '../../db/entities';
import type { UnitSchedule } from '../../domain/calendar';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import { domainErrorOf } from '../../workflows/refusal-failure';
import { cycleWorkflowId, parsePeriod } from '../../domain/period';
import { cycleWorkflow } from '../../workflows/cycle.workflow';
import { closeCollectionUpdate, extendDeadlineUpdate, resendLinkUpdate } from '../../workflows/messages';
import { CAMPAIGN, PERIOD, STAGE } from '../../workflows/search-attributes';
import { findCycle } from './cycles.service';

export interface ActionDeps {
  readonly em: EntityManager;
  readonly temporal: Client;
  readonly config: Config;
  readonly now: Date;
  /** Who acts (their token's name) and from where. */
  readonly actor: string;
  readonly origin: string;
}

/** Turns a failed workflow update into the domain error its workflow (or one of its activities) raised. */
export function updateError(error: unknown, field: string): never {
  let cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
  while (cause && !(cause instanceof ApplicationFailure))
    cause = cause.cause instanceof Error ? cause.cause : undefined;
  if (cause instanceof ApplicationFailure) throw domainErrorOf(cause, field);
  throw error;
}

/**
 * Starts the cycle of a campaign for a month, with the given units or every active one. Starting
 * the same cycle twice is refused (the workflow id is deterministic). Answers the workflow id.
 */
export async function startCycle(
  deps: ActionDeps,
  request: { campaign: string; period: string; unitCodes?: readonly string[] },
): Promise<string> {
  const { campaign: campaignCode, period, unitCodes } = request;
  const parsed = parsePeriod(period);
  if (!parsed) throw new ValidationError({ code: 'period_malformed', params: { period } }, 'period');
  const campaign = await deps.em.findOne(Campaign, { code: campaignCode });
  if (!campaign) throw new NotFoundError({ code: 'campaign_unknown', params: { campaign: campaignCode } }, 'campaign');
  if (!campaign.active)
    throw new ConflictError({ code: 'campaign_inactive', params: { campaign: campaignCode } }, 'campaign');
  const units = await deps.em.find(
    Unit,
    { active: true, ...(unitCodes ? { code: { $in: [...unitCodes] } } : {}) },
    { fields: ['code'] },
  );
  if (unitCodes && units.length !== unitCodes.length) {
    const missing = unitCodes.filter((code) => !units.some((u) => u.code === code));
    throw new NotFoundError({ code: 'units_inactive_or_unknown', params: { units: missing } }, 'units');
  }
  if (units.length === 0) throw new ConflictError({ code: 'no_active_unit', params: {} }, 'units');
  const workflowId = cycleWorkflowId(campaignCode, parsed);
  try {
    await deps.temporal.workflow.start(cycleWorkflow, {
      workflowId,
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      args: [{ campaignCode, period, requestedBy: deps.actor, ...(unitCodes ? { unitCodes } : {}) }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: CAMPAIGN, value: campaignCode },
        { key: PERIOD, value: period },
        { key: STAGE, value: 'collecting' },
      ],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new ConflictError(
        { code: 'cycle_already_started', params: { campaign: campaignCode, period, workflowId } },
        'period',
      );
    }
    throw error;
  }
  return workflowId;
}

/** Moves one unit's deadline, with a reason; its reminders, escalations and hard close follow. Answers the unit's new schedule. */
export async function extendUnit(
  deps: ActionDeps,
  campaign: string,
  period: string,
  unit: string,
  newDeadline: Date,
  reason: string,
): Promise<UnitSchedule> {
  const cycle = await findCycle(deps.em, campaign, period);
  if (Number.isNaN(newDeadline.getTime()))
    throw new ValidationError({ code: 'deadline_not_a_date', params: {} }, 'newDeadline');
  if (newDeadline.getTime() <= deps.now.getTime())
    throw new ValidationError({ code: 'deadline_in_past', params: {} }, 'newDeadline');
  try {
    return await deps.temporal.workflow.getHandle(cycle.workflowId).executeUpdate(extendDeadlineUpdate, {
      args: [{ unitCode: unit, newDeadline: newDeadline.toISOString(), reason, actor: deps.actor }],
    });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new ConflictError({ code: 'cycle_ended', params: {} });
    return updateError(error, 'newDeadline');
  }
}

/** Replaces a unit's personal link and emails the new one to its registered head. */
export async function resendUnitLink(
  deps: ActionDeps,
  campaign: string,
  period: string,
  unit: string,
  reason: string,
): Promise<void> {
  const task = await deps.em.findOne(UnitTask, {
    cycle: { campaign: { code: campaign }, period },
    unit: { code: unit },
  });
  if (!task) throw new NotFoundError({ code: 'unit_has_no_task', params: { unit } }, 'unit');
  const requestId = randomUUID();
  try {
    await deps.temporal.workflow
      .getHandle(task.workflowId)
      .executeUpdate(resendLinkUpdate, { args: [{ requestId, actor: deps.actor, reason }], updateId: requestId });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new ConflictError({ code: 'link_not_open', params: { unit } });
    updateError(error, 'reason');
  }
}

/**
 * Ends collection now instead of at the hard close: units that have not reported are closed as
 * not submitted and the cycle consolidates what is in. Answers when it closed and how many units
 * were still open.
 */
export async function closeCollection(
  deps: ActionDeps,
  campaign: string,
  period: string,
  reason: string,
): Promise<{ closedAt: string; openUnits: number }> {
  const cycle = await findCycle(deps.em, campaign, period);
  if (cycle.stage !== 'collecting') throw new ConflictError({ code: 'not_collecting', params: { stage: cycle.stage } });
  try {
    return await deps.temporal.workflow
      .getHandle(cycle.workflowId)
      .executeUpdate(closeCollectionUpdate, { args: [{ actor: deps.actor, reason }] });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new ConflictError({ code: 'cycle_ended', params: {} });
    return updateError(error, 'reason');
  }
}

/** Cancels a cycle, with a reason: the reason is stored and audited first, then the workflow is cancelled. */
export async function cancelCycle(
  deps: ActionDeps,
  campaign: string,
  period: string,
  reason: string,
): Promise<{ workflowId: string }> {
  const cycle = await findCycle(deps.em, campaign, period);
  if (cycle.stage === 'closed' || cycle.stage === 'cancelled')
    throw new ConflictError({ code: 'cycle_already_ended', params: { stage: cycle.stage } });
  await deps.em.transactional(async (tx) => {
    const c = await tx.findOneOrFail(Cycle, cycle.id);
    c.cancelReason = reason;
    await tx.flush();
    await appendAudit(tx, {
      actor: { kind: 'user', id: deps.actor, origin: deps.origin },
      action: 'cycle.cancel_requested',
      subjectType: 'cycle',
      subjectId: String(cycle.id),
      cycleId: cycle.id,
      after: { reason },
      occurredAt: deps.now,
    });
  });
  await deps.temporal.workflow.getHandle(cycle.workflowId).cancel();
  return { workflowId: cycle.workflowId };
}
