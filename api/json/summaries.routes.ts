/** Periodic summaries (quarter, half-year, year, any range of months) of the approved monthly cycles. */
import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Code, SummaryParams } from '../http/request-schemas';
import { principalOf } from '../http/auth';
import { userActor } from '../services/admin-common';
import { campaignSummary, freezeSummary, unitSummary } from '../services/summary.service';
import { PeriodSummaryResponse, UnitSummaryResponse } from './summary-schemas';

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
};
