import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Campaign, Cycle, Unit, UnitTask } from '../../db/entities';
import { ConflictError, NotFoundError, ValidationError, DomainError } from '../../domain/errors';
import { cycleWorkflowId, parsePeriod } from '../../domain/period';
import { extendDeadlineUpdate, resendLinkUpdate } from '../../workflows/messages';
import { appendAudit } from '../../db/audit';
import { CAMPAIGN, PERIOD, STAGE } from '../../workflows/search-attributes';
import { cycleWorkflow } from '../../workflows/cycle.workflow';
import { principalOf } from '../auth';
import { findCycle } from '../services/council.service';

const Code = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'a code: letters, digits, "-" and "_"' });
const PeriodString = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'reporting month, YYYY-MM' });

/** Turns a failed workflow update into the domain error its workflow raised. */
function updateError(error: unknown): never {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const { type, message } = error.cause;
    if (type === 'NotFoundError') throw new NotFoundError(message, 'unitCode');
    if (type === 'ValidationError') throw new ValidationError(message, 'newDeadline');
    throw new ConflictError(message);
  }
  throw error;
}

export const cycleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/v1/cycles', {
    config: { roles: ['admin'] },
    schema: {
      summary: 'Start the cycle of a campaign for a month (administrator)',
      tags: ['cycles'],
      body: Type.Object({
        campaign: Code,
        period: PeriodString,
        units: Type.Optional(Type.Array(Code, { minItems: 1, maxItems: 20_000, uniqueItems: true, description: 'codes of the reporting units; every active unit when omitted' })),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ workflowId: Type.String(), campaign: Type.String(), period: Type.String(), temporalUrl: Type.String() }) },
    },
  }, async (request, reply) => {
    const user = principalOf(request);
    const { campaign: campaignCode, period, units: unitCodes } = request.body;
    const campaign = await request.em.findOne(Campaign, { code: campaignCode });
    if (!campaign) throw new NotFoundError(`Campaign "${campaignCode}" does not exist.`, 'campaign');
    if (!campaign.active) throw new ConflictError(`Campaign "${campaignCode}" is not active.`, 'campaign');
    const units = await request.em.find(Unit, { active: true, ...(unitCodes ? { code: { $in: unitCodes } } : {}) }, { fields: ['code'] });
    if (unitCodes && units.length !== unitCodes.length) {
      const missing = unitCodes.filter((code) => !units.some((u) => u.code === code));
      throw new NotFoundError(`No active unit with code ${missing.map((c) => `"${c}"`).join(', ')}.`, 'units');
    }
    if (units.length === 0) throw new ConflictError('There is no active unit to report; add units first.', 'units');
    const workflowId = cycleWorkflowId(campaignCode, parsePeriod(period)!);
    try {
      await app.temporal.workflow.start(cycleWorkflow, {
        workflowId,
        taskQueue: app.config.TEMPORAL_TASK_QUEUE,
        args: [{ campaignCode, period, requestedBy: user.name, ...(unitCodes ? { unitCodes } : {}) }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [
          { key: CAMPAIGN, value: campaignCode },
          { key: PERIOD, value: period },
          { key: STAGE, value: 'collecting' },
        ],
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw new ConflictError(`The ${period} cycle of campaign "${campaignCode}" has already been started (workflow ${workflowId}); it cannot be started twice.`, 'period');
      }
      throw error;
    }
    return reply.status(201).send({ workflowId, campaign: campaignCode, period, temporalUrl: app.temporalUiLink(workflowId) });
  });

  app.get('/api/v1/cycles/:campaign/:period', {
    config: { roles: ['admin', 'council', 'auditor'] },
    schema: {
      summary: 'A cycle and the state of every unit (administrator, council, auditor)',
      tags: ['cycles'],
      params: Type.Object({ campaign: Code, period: PeriodString }),
    },
  }, async (request) => {
    const { campaign, period } = request.params;
    const cycle = await findCycle(request.em, campaign, period);
    const tasks = await request.em.find(UnitTask, { cycle }, { populate: ['unit'], orderBy: { unit: { code: 'asc' } } });
    return {
      id: cycle.id,
      workflowId: cycle.workflowId,
      temporalUrl: app.temporalUiLink(cycle.workflowId),
      campaign: cycle.campaign.code,
      period: cycle.period,
      stage: cycle.stage,
      templateVersion: cycle.template.version,
      plan: cycle.plan,
      units: tasks.map((t) => ({
        code: t.unit.code,
        name: t.unit.name,
        state: t.state,
        late: t.late,
        deadline: t.schedule.deadline,
        dispatchedAt: t.dispatchedAt?.toISOString() ?? null,
        submittedAt: t.submittedAt?.toISOString() ?? null,
        remindersSent: t.remindersSent,
        escalationLevel: t.escalationLevel,
        workflowId: t.workflowId,
        temporalUrl: app.temporalUiLink(t.workflowId),
      })),
    };
  });

  app.post('/api/v1/cycles/:campaign/:period/units/:unit/extension', {
    config: { roles: ['admin'] },
    schema: {
      summary: "Extend one unit's deadline, with a reason (administrator)",
      tags: ['cycles'],
      params: Type.Object({ campaign: Code, period: PeriodString, unit: Code }),
      body: Type.Object({
        newDeadline: Type.String({ format: 'date-time', description: 'ISO 8601 instant with offset, e.g. 2026-11-27T17:00:00+07:00' }),
        reason: Type.String({ minLength: 3, maxLength: 1000 }),
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    const user = principalOf(request);
    const { campaign, period, unit } = request.params;
    const workflowId = cycleWorkflowId(campaign, parsePeriod(period)!);
    const exists = await request.em.count(Cycle, { workflowId });
    if (!exists) throw new NotFoundError(`There is no ${period} cycle for campaign "${campaign}".`, 'period');
    try {
      const schedule = await app.temporal.workflow.getHandle(workflowId).executeUpdate(extendDeadlineUpdate, {
        args: [{ unitCode: unit, newDeadline: new Date(request.body.newDeadline).toISOString(), reason: request.body.reason, actor: user.name }],
      });
      return { unit, schedule };
    } catch (error) {
      if (error instanceof DomainError) throw error;
      return updateError(error);
    }
  });

  app.post('/api/v1/cycles/:campaign/:period/units/:unit/link', {
    config: { roles: ['admin'] },
    schema: {
      summary: "Replace a unit's personal link and email the new one to its registered head (administrator)",
      tags: ['cycles'],
      params: Type.Object({ campaign: Code, period: PeriodString, unit: Code }),
      body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 1000 }) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const user = principalOf(request);
    const { campaign, period, unit } = request.params;
    const task = await request.em.findOne(UnitTask, { cycle: { campaign: { code: campaign }, period }, unit: { code: unit } });
    if (!task) throw new NotFoundError(`Unit "${unit}" has no task in the ${period} cycle of campaign "${campaign}".`, 'unit');
    const requestId = randomUUID();
    try {
      await app.temporal.workflow.getHandle(task.workflowId).executeUpdate(resendLinkUpdate, { args: [{ requestId, actor: user.name, reason: request.body.reason }], updateId: requestId });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new ConflictError(`The task of unit "${unit}" is closed; there is no link to re-send.`);
      return updateError(error);
    }
    return { unit, sentTo: 'registered head email' };
  });

  app.post('/api/v1/cycles/:campaign/:period/cancel', {
    config: { roles: ['admin'] },
    schema: {
      summary: 'Cancel a cycle, with a reason (administrator)',
      tags: ['cycles'],
      params: Type.Object({ campaign: Code, period: PeriodString }),
      body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 1000 }) }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const user = principalOf(request);
    const { campaign, period } = request.params;
    const cycle = await findCycle(request.em, campaign, period);
    if (cycle.stage === 'closed' || cycle.stage === 'cancelled') throw new ConflictError(`The cycle is already ${cycle.stage}.`);
    await request.em.transactional(async (tx) => {
      const c = await tx.findOneOrFail(Cycle, cycle.id);
      c.cancelReason = request.body.reason;
      await tx.flush();
      await appendAudit(tx, { actor: { kind: 'user', id: user.name, origin: request.ip }, action: 'cycle.cancel_requested', subjectType: 'cycle', subjectId: String(cycle.id), cycleId: cycle.id, after: { reason: request.body.reason }, occurredAt: app.now() });
    });
    await app.temporal.workflow.getHandle(cycle.workflowId).cancel();
    return reply.status(202).send({ workflowId: cycle.workflowId, status: 'cancelling' });
  });
};
