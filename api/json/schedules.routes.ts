import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { principalOf } from '../http/auth';
import { CodeParams, Reason } from '../http/request-schemas';
import { readSchedule, setSchedule, steerSchedule, type ScheduleDeps } from '../services/schedule.service';

const deps = (app: FastifyInstance, request: FastifyRequest): ScheduleDeps => ({
  em: request.em,
  temporal: app.temporal,
  taskQueue: app.config.TEMPORAL_TASK_QUEUE,
  now: app.now(),
  actor: principalOf(request).name,
  origin: request.ip,
});

/** A Temporal Schedule per campaign starts each month's cycle on the policy's day and time in Vietnam. */
export const scheduleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.put(
    '/api/v1/campaigns/:code/schedule',
    {
      config: { roles: ['admin'] },
      schema: {
        summary:
          "Create or replace the campaign's monthly schedule (administrator). Defaults to the policy's dispatch day and time.",
        tags: ['schedules'],
        params: CodeParams,
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
    async (request) => setSchedule(deps(app, request), request.params.code, request.body),
  );

  app.get(
    '/api/v1/campaigns/:code/schedule',
    {
      config: { roles: ['admin', 'council', 'auditor'] },
      schema: {
        summary: "The campaign's schedule: paused or not, next runs, recent runs",
        tags: ['schedules'],
        params: CodeParams,
      },
    },
    async (request) => readSchedule(request.em, app.temporal, request.params.code),
  );

  for (const verb of ['pause', 'unpause', 'trigger'] as const) {
    app.post(
      `/api/v1/campaigns/:code/schedule/${verb}`,
      {
        config: { roles: ['admin'] },
        schema: {
          summary: `${verb[0]!.toUpperCase()}${verb.slice(1)} the campaign's schedule, with a reason (administrator)`,
          tags: ['schedules'],
          params: CodeParams,
          body: Type.Object({ reason: Reason }, { additionalProperties: false }),
        },
      },
      async (request) => steerSchedule(deps(app, request), request.params.code, verb, request.body.reason),
    );
  }
};
