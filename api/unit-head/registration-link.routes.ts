/** A unit head's emulation registration in JSON, authenticated by the personal registration link's token. */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { EMULATION_TITLES } from '../../domain/emulation-titles';
import { readRegistration, requireRegistrationLink, submitRegistration } from '../services/registration.service';

const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });

/** A body is read only for a link that leads to a registration: anything else is refused (404) first. */
const linkFirst = async (request: FastifyRequest): Promise<void> => {
  await requireRegistrationLink(request.em.fork(), (request.params as { token: string }).token);
};

export const registrationLinkRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/registration-link/:token',
    {
      schema: {
        summary:
          "The registration behind a unit's personal registration link: campaign, year, deadline, the template's indicators with their targets, the titles, and what the unit registered",
        tags: ['unit head'],
        params: TokenParams,
      },
    },
    async (request) => readRegistration(request.em, request.params.token, app.now()),
  );

  app.put(
    '/api/v1/registration-link/:token',
    {
      schema: {
        summary:
          "Register (or correct, until the deadline) the unit's figure for every indicator and the emulation titles it aims for; 410 from the deadline on",
        tags: ['unit head'],
        params: TokenParams,
        body: Type.Object(
          {
            targets: Type.Record(Type.String({ maxLength: 64 }), Type.Number(), {
              maxProperties: 500,
              description: 'indicator code → the figure the unit commits to for the year',
            }),
            titles: Type.Array(Type.String({ maxLength: 64 }), {
              maxItems: EMULATION_TITLES.length,
              description: `emulation titles aimed for, among ${EMULATION_TITLES.join(', ')}`,
            }),
          },
          { additionalProperties: false },
        ),
      },
      onRequest: linkFirst,
    },
    async (request) =>
      submitRegistration(
        request.em,
        request.params.token,
        { targets: new Map(Object.entries(request.body.targets)), titles: request.body.titles },
        request.ip,
        app.now(),
      ),
  );
};
