import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { principalOf } from '../http/auth';
import { Code, CycleParams, Period, Reason } from '../http/request-schemas';
import { cycleTree, cycleWithTasks } from '../services/cycles.service';
import {
  cancelCycle,
  closeCollection,
  extendUnit,
  resendUnitLink,
  startCycle,
  type ActionDeps,
} from '../services/cycle-actions.service';

export const cycleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const actionDeps = (request: FastifyRequest): ActionDeps => ({
    em: request.em,
    temporal: app.temporal,
    config: app.config,
    now: app.now(),
    actor: principalOf(request).name,
    origin: request.ip,
  });

  app.post(
    '/api/v1/cycles',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: 'Start the cycle of a campaign for a month (administrator)',
        tags: ['cycles'],
        body: Type.Object(
          {
            campaign: Code,
            period: Period,
            units: Type.Optional(
              Type.Array(Code, {
                minItems: 1,
                maxItems: 20_000,
                uniqueItems: true,
                description: 'codes of the reporting units; every active unit when omitted',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            workflowId: Type.String(),
            campaign: Type.String(),
            period: Type.String(),
            temporalUrl: Type.String(),
          }),
        },
      },
    },
    async (request, reply) => {
      const { campaign, period, units: unitCodes } = request.body;
      const workflowId = await startCycle(actionDeps(request), {
        campaign,
        period,
        ...(unitCodes ? { unitCodes } : {}),
      });
      return reply.status(201).send({ workflowId, campaign, period, temporalUrl: app.temporalUiLink(workflowId) });
    },
  );

  app.get(
    '/api/v1/cycles/:campaign/:period',
    {
      config: { roles: ['admin', 'council', 'auditor'] },
      schema: {
        summary: 'A cycle and the state of every unit (administrator, council, auditor)',
        tags: ['cycles'],
        params: CycleParams,
      },
    },
    async (request) => {
      const { campaign, period } = request.params;
      const { cycle, tasks } = await cycleWithTasks(request.em, campaign, period);
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
          level: t.level,
          reportsTo: t.parentTask?.unit.code ?? null,
          deadline: t.schedule.deadline,
          dispatchedAt: t.dispatchedAt?.toISOString() ?? null,
          submittedAt: t.submittedAt?.toISOString() ?? null,
          remindersSent: t.remindersSent,
          escalationLevel: t.escalationLevel,
          workflowId: t.workflowId,
          temporalUrl: app.temporalUiLink(t.workflowId),
        })),
      };
    },
  );

  app.get(
    '/api/v1/cycles/:campaign/:period/tree',
    {
      config: { roles: ['admin', 'council', 'auditor'] },
      schema: {
        summary:
          'Where a cycle of several levels stands: every unit with the unit it reports to, its level and state; the reporting rate of each level and of each unit others report to (administrator, council, auditor)',
        tags: ['cycles'],
        params: CycleParams,
        querystring: Type.Object(
          { node: Type.Optional({ ...Code, description: "only this unit's subtree" }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { campaign, period } = request.params;
      return cycleTree(request.em, campaign, period, request.query.node);
    },
  );

  app.post(
    '/api/v1/cycles/:campaign/:period/units/:unit/extension',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: "Extend one unit's deadline, with a reason (administrator)",
        tags: ['cycles'],
        params: Type.Object({ campaign: Code, period: Period, unit: Code }),
        body: Type.Object(
          {
            newDeadline: Type.String({
              format: 'date-time',
              description: 'ISO 8601 instant with offset, e.g. 2026-11-27T17:00:00+07:00',
            }),
            reason: Reason,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { campaign, period, unit } = request.params;
      const schedule = await extendUnit(
        actionDeps(request),
        campaign,
        period,
        unit,
        new Date(request.body.newDeadline),
        request.body.reason,
      );
      return { unit, schedule };
    },
  );

  app.post(
    '/api/v1/cycles/:campaign/:period/units/:unit/link',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: "Replace a unit's personal link and email the new one to its registered head (administrator)",
        tags: ['cycles'],
        params: Type.Object({ campaign: Code, period: Period, unit: Code }),
        body: Type.Object({ reason: Reason }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const { campaign, period, unit } = request.params;
      await resendUnitLink(actionDeps(request), campaign, period, unit, request.body.reason);
      return { unit, sentTo: 'registered head email' };
    },
  );

  app.post(
    '/api/v1/cycles/:campaign/:period/close-collection',
    {
      config: { roles: ['admin'] },
      schema: {
        summary:
          'End collection now instead of at the hard close, with a reason (administrator): units that have not reported are closed as not submitted and the cycle consolidates',
        tags: ['cycles'],
        params: CycleParams,
        body: Type.Object({ reason: Reason }, { additionalProperties: false }),
        response: { 202: Type.Object({ closedAt: Type.String(), openUnits: Type.Integer() }) },
      },
    },
    async (request, reply) => {
      const { campaign, period } = request.params;
      return reply.status(202).send(await closeCollection(actionDeps(request), campaign, period, request.body.reason));
    },
  );

  app.post(
    '/api/v1/cycles/:campaign/:period/cancel',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: 'Cancel a cycle, with a reason (administrator)',
        tags: ['cycles'],
        params: CycleParams,
        body: Type.Object({ reason: Reason }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const { campaign, period } = request.params;
      const { workflowId } = await cancelCycle(actionDeps(request), campaign, period, request.body.reason);
      return reply.status(202).send({ workflowId, status: 'cancelling' });
    },
  );
};
