/** Emulation registration rounds (đăng ký thi đua): open a campaign's round for a year, read its status per unit. */
import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EMULATION_TITLES } from '../../domain/emulation-titles';
import { MAX_YEAR, MIN_YEAR } from '../../domain/registration';
import { principalOf } from '../http/auth';
import { Code } from '../http/request-schemas';
import { userActor } from '../services/admin-common';
import { openRound, roundStatus } from '../services/registration.service';
import { LocalizedText } from './schemas';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Year = Type.Integer({ minimum: MIN_YEAR, maximum: MAX_YEAR, description: 'the year registered for' });
export const RoundParams = Type.Object({ campaign: Code, year: Year });
const Instant = Type.String({ format: 'date-time', maxLength: 40 });
const Titles = Type.Array(Type.Union(EMULATION_TITLES.map((t) => Type.Literal(t))), {
  maxItems: EMULATION_TITLES.length,
});
const Targets = Type.Record(Type.String(), Type.Number(), { description: 'indicator code → registered figure' });

export const RoundStatusResponse = Type.Object({
  campaign: Type.Object({ code: Type.String(), name: Type.String() }),
  year: Type.Integer(),
  deadline: Type.String(),
  reminders: Type.Array(Type.String()),
  closedAt: Nullable(Type.String()),
  open: Type.Boolean({ description: 'registrations and corrections are taken now' }),
  workflowId: Type.String(),
  templateVersion: Type.Integer(),
  indicators: Type.Array(
    Type.Object({
      code: Type.String(),
      title: LocalizedText,
      measure: LocalizedText,
      target: Type.Unknown({ description: "the template's target" }),
      min: Type.Number(),
      max: Type.Number(),
    }),
  ),
  expected: Type.Integer(),
  registered: Type.Integer(),
  units: Type.Array(
    Type.Object({
      unitCode: Type.String(),
      unitName: Type.String(),
      headName: Type.String(),
      registered: Type.Boolean(),
      submittedAt: Nullable(Type.String()),
      submittedBy: Nullable(Type.String()),
      version: Type.Integer({ description: 'times submitted (0: not yet; 2 or more: corrected)' }),
      remindersSent: Type.Integer(),
      targets: Nullable(Targets),
      titles: Titles,
    }),
  ),
});

export const registrationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/registrations/:campaign/:year',
    {
      config: { roles: ['admin'] },
      schema: {
        summary:
          "Open a campaign's emulation registration round for a year (administrator): each unit head (the campaign's units, or those named) is emailed a personal link, units that have not registered are reminded, and the round closes at the deadline. Answers 201 when it started; asking again with the same deadline answers the round (200), another deadline is a 409",
        tags: ['registration'],
        params: RoundParams,
        body: Type.Object(
          {
            deadline: Instant,
            reminders: Type.Optional(
              Type.Array(Instant, {
                maxItems: 10,
                description: 'instants before the deadline; 3 days and 1 day before it when omitted',
              }),
            ),
            units: Type.Optional(Type.Array(Code, { minItems: 1, maxItems: 100_000 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: RoundStatusResponse,
          201: Type.Object({ ...RoundStatusResponse.properties, started: Type.Literal(true) }),
        },
      },
    },
    async (request, reply) => {
      const result = await openRound(
        {
          em: request.em,
          temporal: app.temporal,
          taskQueue: app.config.TEMPORAL_TASK_QUEUE,
          linkSecret: app.config.LINK_SECRET,
          actor: userActor(principalOf(request), request.ip),
          now: app.now(),
        },
        request.params.campaign,
        request.params.year,
        request.body,
      );
      return reply.status(result.started ? 201 : 200).send(result as unknown as Static<typeof RoundStatusResponse>);
    },
  );

  app.get(
    '/api/v1/registrations/:campaign/:year',
    {
      config: { roles: ['admin', 'council', 'auditor'] },
      schema: {
        summary:
          "A registration round's status per unit: registered or not, when, by whom, its targets and titles (administrator, council, auditor)",
        tags: ['registration'],
        params: RoundParams,
        response: { 200: RoundStatusResponse },
      },
    },
    async (request) =>
      (await roundStatus(request.em, request.params.campaign, request.params.year, app.now())) as unknown as Static<
        typeof RoundStatusResponse
      >,
  );
};
