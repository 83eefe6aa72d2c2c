/** Periodic summaries (quarter, half-year, year, any range of months) of the approved monthly cycles. */
import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Code, SummaryParams } from '../http/request-schemas';
import { principalOf } from '../http/auth';
import { userActor } from '../services/admin-common';
import { findSummarySchedule, runCutOff, setSummarySchedule } from '../services/summary-schedule.service';
import { campaignSummary, freezeSummary, unitSummary } from '../services/summary.service';
import { PeriodSummaryResponse, SummaryScheduleResponse, UnitSummaryResponse } from './summary-schemas';

const READERS = ['admin', 'council', 'auditor'] as const;

export const summaryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/summaries/:campaign/:window',
    {
      config: { roles: READERS },
      schema: {
        summary:
          "A campaign's summary over a window, from the monthly cycles the council approved: reporting per month and per unit with streaks, key-task status counts month by month, each indicator per month and over the window, which key task or indicator existed when (administrator, council, auditor)",
        tags: ['summaries'],
        params: SummaryParams,
        querystring: Type.Object(
          { node: Type.Optional({ ...Code, description: 'only what reports (directly or not) to this unit' }) },
          { additionalProperties: false },
        ),
        response: { 200: PeriodSummaryResponse },
      },
    },
    async (request) => {
      const { campaign, summary, frozen } = await campaignSummary(
        request.em,
        request.params.campaign,
        request.params.window,
        { node: request.query.node },
      );
      // The same shape, its arrays readonly (the schema's are mutable, and TypeScript compares no further).
      return { campaign, ...summary, ...(frozen ? { frozen } : {}) } as unknown as Static<typeof PeriodSummaryResponse>;
    },
  );

  app.get(
    '/api/v1/summaries/:campaign/:window/units/:unit',
    {
      config: { roles: READERS },
      schema: {
        summary:
          "One unit's summary over a window: its reporting month by month, each key task's status and text month by month, its indicators, and every text it reported, by month (administrator, council, auditor)",
        tags: ['summaries'],
        params: Type.Object({ ...SummaryParams.properties, unit: Code }),
        response: { 200: UnitSummaryResponse },
      },
    },
    async (request) => {
      const { campaign, summary } = await unitSummary(
        request.em,
        request.params.campaign,
        request.params.window,
        request.params.unit,
      );
      return { campaign, ...summary } as unknown as unknown as Static<typeof UnitSummaryResponse>;
    },
  );

  app.post(
    '/api/v1/summaries/:campaign/:window/freeze',
    {
      config: { roles: ['admin'] },
      schema: {
        summary:
          "Freeze a campaign's summary over a window (administrator): its workflow stores the summary as it is now, audited with its SHA-256; afterwards the summary reads the frozen one. Once per campaign and window: asking again answers the first",
        tags: ['summaries'],
        params: SummaryParams,
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: {
          200: Type.Object({
            workflowId: Type.String(),
            frozenAt: Type.String(),
            sha256: Type.String(),
            accepted: Type.Integer({ description: 'approved months in the frozen summary' }),
            started: Type.Boolean({ description: 'false when the window was already frozen (or being frozen)' }),
          }),
        },
      },
    },
    async (request) =>
      freezeSummary(
        {
          em: request.em,
          temporal: app.temporal,
          taskQueue: app.config.TEMPORAL_TASK_QUEUE,
          actor: userActor(principalOf(request), request.ip),
          now: app.now(),
        },
        request.params.campaign,
        request.params.window,
      ),
  );

  const scheduleDeps = (request: FastifyRequest) => ({
    em: request.em,
    temporal: app.temporal,
    taskQueue: app.config.TEMPORAL_TASK_QUEUE,
    actor: userActor(principalOf(request), request.ip),
    now: app.now(),
  });
  const CampaignParams = Type.Object({ campaign: Code });

  app.get(
    '/api/v1/summaries/:campaign/schedule',
    {
      config: { roles: READERS },
      schema: {
        summary:
          "The campaign's summary schedule: on the 15th of March, June, September and December at 08:00 (Vietnam) it freezes each window ending at that cut-off once its monthly cycles have closed; null when it has none (administrator, council, auditor)",
        tags: ['summaries'],
        params: CampaignParams,
        response: { 200: Type.Object({ schedule: Type.Union([SummaryScheduleResponse, Type.Null()]) }) },
      },
    },
    async (request) => ({
      schedule: await findSummarySchedule(request.em, app.temporal, request.params.campaign),
    }),
  );

  app.put(
    '/api/v1/summaries/:campaign/schedule',
    {
      config: { roles: ['admin'] },
      schema: {
        summary:
          "Create the campaign's summary schedule, or pause or resume it (administrator); the reason goes to the schedule's note and the audit log",
        tags: ['summaries'],
        params: CampaignParams,
        body: Type.Object(
          {
            paused: Type.Boolean(),
            reason: Type.String({ minLength: 1, maxLength: 500, description: 'why (kept on the record)' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: SummaryScheduleResponse },
      },
    },
    async (request) => setSummarySchedule(scheduleDeps(request), request.params.campaign, request.body),
  );

  app.post(
    '/api/v1/summaries/:campaign/cut-offs/:cutOff',
    {
      config: { roles: ['admin'] },
      schema: {
        summary:
          'Run a quarterly cut-off now (administrator): starts the freezing of each window ending at that month (its quarter; in June the first half too; in December the second half and the year) that is not frozen yet. Each freezes once its monthly cycles have closed; answers which were started',
        tags: ['summaries'],
        params: Type.Object({
          campaign: Code,
          cutOff: Type.String({ pattern: '^\\d{4}-(03|06|09|12)$', description: "a quarter's last month, YYYY-MM" }),
        }),
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: {
          200: Type.Object({
            cutOff: Type.String(),
            windows: Type.Array(
              Type.Object({
                window: Type.String(),
                workflowId: Type.String(),
                started: Type.Boolean({ description: 'false when the window was already frozen (or being frozen)' }),
              }),
            ),
          }),
        },
      },
    },
    async (request) => runCutOff(scheduleDeps(request), request.params.campaign, request.params.cutOff),
  );
};
