import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { appendAudit } from '../../db/audit';
import { Campaign } from '../../db/entities';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { scheduleId } from '../../domain/period';
import { scheduledCycleWorkflow } from '../../workflows/scheduled-cycle.workflow';
import { CAMPAIGN } from '../../workflows/search-attributes';
import type { EntityManager } from '@mikro-orm/postgresql';
import { principalOf } from '../http/auth';

const Params = Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });
const Reason = Type.Object({ reason: Type.String({ minLength: 3, maxLength: 1000 }) }, { additionalProperties: false });

/** A Temporal Schedule per campaign starts each month's cycle on the policy's day and time in Vietnam. */
export const scheduleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const campaignOf = async (em: EntityManager, code: string) => {
    const campaign = await em.findOne(Campaign, { code }, { populate: ['policy'] });
    if (!campaign) throw new NotFoundError({ code: 'campaign_unknown', params: { campaign: code } }, 'code');
    return campaign;
  };
  const describe = async (code: string) => {
    try {
      const d = await app.temporal.schedule.getHandle(scheduleId(code)).describe();
      return {
        scheduleId: scheduleId(code),
        paused: d.state.paused,
        note: d.state.note ?? null,
        timezone: d.spec.timezone ?? null,
        calendars: d.spec.calendars ?? [],
        nextRuns: d.info.nextActionTimes.map((t) => t.toISOString()),
        recentRuns: d.info.recentActions.map((a) => ({
          scheduledAt: a.scheduledAt.toISOString(),
          workflowId: a.action.workflow.workflowId,
        })),
      };
    } catch (error) {
      if (error instanceof ScheduleNotFoundError)
        throw new NotFoundError({ code: 'campaign_no_schedule', params: { campaign: code } }, 'code');
      throw error;
    }
  };
  const audit = (
    request: { em: EntityManager; ip: string },
    actor: string,
    action: string,
    code: string,
    after: unknown,
  ) =>
    request.em.transactional((tx) =>
      appendAudit(tx, {
        actor: { kind: 'user', id: actor, origin: request.ip },
        action,
        subjectType: 'campaign',
        subjectId: code,
        after,
        occurredAt: app.now(),
      }),
    );

  app.put(
    '/api/v1/campaigns/:code/schedule',
    {
      config: { roles: ['admin'] },
      schema: {
        summary:
          "Create or replace the campaign's monthly schedule (administrator). Defaults to the policy's dispatch day and time.",
        tags: ['schedules'],
        params: Params,
        body: Type.Object(
          {
            dayOfMonth: Type.Optional(Type.Integer({ minimum: 1, maximum: 28 })),
            time: Type.Optional(
              Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'HH:MM in Asia/Ho_Chi_Minh' }),
            ),
            paused: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const user = principalOf(request);
      const campaign = await campaignOf(request.em, request.params.code);
      const timing = campaign.policy.definition.timing;
      const dayOfMonth = request.body.dayOfMonth ?? (timing.kind === 'calendar' ? timing.dispatchDay : undefined);
      const time = request.body.time ?? (timing.kind === 'calendar' ? timing.dispatchTime : undefined);
      if (dayOfMonth === undefined) throw new ValidationError({ code: 'no_dispatch_day', params: {} }, 'dayOfMonth');
      if (time === undefined) throw new ValidationError({ code: 'no_dispatch_time', params: {} }, 'time');
      const [hour, minute] = time.split(':').map(Number) as [number, number];
      const spec = {
        calendars: [{ dayOfMonth, hour, minute, comment: `day ${dayOfMonth} at ${time}` }],
        timezone: 'Asia/Ho_Chi_Minh',
      };
      const action = {
        type: 'startWorkflow' as const,
        workflowType: scheduledCycleWorkflow,
        workflowId: `scheduled-${campaign.code}`,
        taskQueue: app.config.TEMPORAL_TASK_QUEUE,
        args: [{ campaignCode: campaign.code }] as [{ campaignCode: string }],
        typedSearchAttributes: [{ key: CAMPAIGN, value: campaign.code }],
      };
      const handle = app.temporal.schedule.getHandle(scheduleId(campaign.code));
      try {
        await handle.update((previous) => ({
          ...previous,
          spec,
          action,
          state: { ...previous.state, paused: request.body.paused ?? previous.state.paused },
        }));
      } catch (error) {
        if (!(error instanceof ScheduleNotFoundError)) throw error;
        await app.temporal.schedule.create({
          scheduleId: scheduleId(campaign.code),
          spec,
          action,
          policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
          state: { paused: request.body.paused ?? false, note: `created by ${user.name}` },
        });
      }
      await audit(request, user.name, 'campaign.schedule_set', campaign.code, {
        dayOfMonth,
        time,
        timezone: spec.timezone,
        paused: request.body.paused ?? null,
      });
      return describe(campaign.code);
    },
  );

  app.get(
    '/api/v1/campaigns/:code/schedule',
    {
      config: { roles: ['admin', 'council', 'auditor'] },
      schema: {
        summary: "The campaign's schedule: paused or not, next runs, recent runs",
        tags: ['schedules'],
        params: Params,
      },
    },
    async (request) => {
      await campaignOf(request.em, request.params.code);
      return describe(request.params.code);
    },
  );

  for (const verb of ['pause', 'unpause', 'trigger'] as const) {
    app.post(
      `/api/v1/campaigns/:code/schedule/${verb}`,
      {
        config: { roles: ['admin'] },
        schema: {
          summary: `${verb[0]!.toUpperCase()}${verb.slice(1)} the campaign's schedule, with a reason (administrator)`,
          tags: ['schedules'],
          params: Params,
          body: Reason,
        },
      },
      async (request) => {
        const user = principalOf(request);
        await campaignOf(request.em, request.params.code);
        await describe(request.params.code); // 404 when there is no schedule
        const handle = app.temporal.schedule.getHandle(scheduleId(request.params.code));
        const note = `${user.name}: ${request.body.reason}`;
        if (verb === 'pause') await handle.pause(note);
        else if (verb === 'unpause') await handle.unpause(note);
        else await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
        const action = {
          pause: 'campaign.schedule_paused',
          unpause: 'campaign.schedule_unpaused',
          trigger: 'campaign.schedule_triggered',
        }[verb];
        await audit(request, user.name, action, request.params.code, { reason: request.body.reason });
        return describe(request.params.code);
      },
    );
  }
};
