import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { addHoliday, listHolidays, removeHoliday } from '../../services/admin-holidays.service';
import { READERS, WRITERS, adminWrite } from './context';
import { HolidayBody, HolidayDate, HolidayReply } from '../schemas';

const tags = ['holidays'];

/** The holiday calendar; cycles already planned keep their instants. */
export const holidayRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/holidays',
    {
      config: { roles: READERS },
      schema: {
        summary: 'Public holidays, by date (administrator, council, auditor)',
        tags,
        querystring: Type.Object({
          year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2999, description: 'only this year' })),
        }),
        response: { 200: Type.Array(HolidayReply) },
      },
    },
    async (request) => {
      return listHolidays(request.em, { year: request.query.year });
    },
  );

  app.post(
    '/api/v1/holidays',
    {
      config: { roles: WRITERS },
      schema: {
        summary: 'Add a public holiday (administrator)',
        tags,
        body: HolidayBody,
        response: { 201: HolidayReply },
      },
    },
    async (request, reply) => {
      const ctx = adminWrite(app, request);
      return reply.status(201).send(await addHoliday(ctx, request.body));
    },
  );

  app.delete(
    '/api/v1/holidays/:date',
    {
      config: { roles: WRITERS },
      schema: {
        summary: 'Remove a public holiday (administrator)',
        tags,
        params: Type.Object({ date: HolidayDate }),
        response: { 200: HolidayReply },
      },
    },
    async (request) => {
      const ctx = adminWrite(app, request);
      return removeHoliday(ctx, request.params.date);
    },
  );
};
