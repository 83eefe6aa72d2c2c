import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createUnit, deactivateUnit, getUnit, listUnits, updateUnit } from '../../services/admin-units.service';
import { CSV_COLUMNS, MAX_IMPORT_ROWS, importUnits } from '../../services/units-import.service';
import { principalOf } from '../../http/auth';
import { READERS, WRITERS, adminWrite } from './context';
import { CodeParams } from '../../http/request-schemas';
import { ImportRefusedReply, ImportReply, UnitBody, UnitPatchBody, UnitReply } from '../schemas';

const CSV_BODY_LIMIT = 2 * 1024 * 1024;
const tags = ['units'];

export const unitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // CSV files for the import, read whole as a string (a UTF-8 BOM is dropped by the reader).
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT }, (_request, body, done) => {
    done(null, body);
  });

  app.get(
    '/api/v1/units',
    {
      config: { roles: READERS, listInScope: true },
      schema: {
        summary: "Units within the caller's scopes, sorted by code (administrator, council, auditor)",
        tags,
        querystring: Type.Object({
          active: Type.Optional(Type.Boolean({ description: 'only active (true) or deactivated (false) units' })),
        }),
        response: { 200: Type.Array(UnitReply) },
      },
    },
    async (request) => {
      return listUnits(request.em, { active: request.query.active, scopes: principalOf(request).scopes });
    },
  );

  app.get(
    '/api/v1/units/:code',
    {
      config: { roles: READERS },
      schema: {
        summary: 'One unit (administrator, council, auditor)',
        tags,
        params: CodeParams,
        response: { 200: UnitReply },
      },
    },
    async (request) => {
      return getUnit(request.em, request.params.code);
    },
  );

  app.post(
    '/api/v1/units',
    {
      config: { roles: WRITERS },
      schema: { summary: 'Create a unit (administrator)', tags, body: UnitBody, response: { 201: UnitReply } },
    },
    async (request, reply) => {
      const ctx = adminWrite(app, request);
      return reply.status(201).send(await createUnit(ctx, request.body));
    },
  );

  app.patch(
    '/api/v1/units/:code',
    {
      config: { roles: WRITERS },
      schema: {
        summary: 'Change some fields of a unit; its code never changes (administrator)',
        tags,
        params: CodeParams,
        body: UnitPatchBody,
        response: { 200: UnitReply },
      },
    },
    async (request) => {
      const ctx = adminWrite(app, request);
      return updateUnit(ctx, request.params.code, request.body);
    },
  );

  app.delete(
    '/api/v1/units/:code',
    {
      config: { roles: WRITERS },
      schema: {
        summary: 'Deactivate a unit: it gets no new tasks; nothing is deleted, its history stays (administrator)',
        tags,
        params: CodeParams,
        response: { 200: UnitReply },
      },
    },
    async (request) => {
      const ctx = adminWrite(app, request);
      return deactivateUnit(ctx, request.params.code);
    },
  );

  app.post(
    '/api/v1/units/import',
    {
      config: { roles: WRITERS },
      bodyLimit: CSV_BODY_LIMIT,
      schema: {
        summary:
          'Create or update units from a CSV file; every row is checked before anything is stored (administrator)',
        description:
          `Body: text/csv, UTF-8 (with or without BOM), RFC 4180 quoting, at most ${MAX_IMPORT_ROWS} rows and 2 MB. ` +
          `Header: ${CSV_COLUMNS.join(',')} (active optional, default true). Units are matched by code. ` +
          'When any row has a problem nothing is stored: 400, or 200 in a dry run, listing every problem with its line.',
        tags,
        consumes: ['text/csv'],
        querystring: Type.Object({
          dryRun: Type.Optional(Type.Boolean({ default: false, description: 'check and count only; store nothing' })),
        }),
        body: Type.String({ description: 'the CSV file' }),
        response: { 200: ImportReply, 400: ImportRefusedReply },
      },
    },
    async (request, reply) => {
      const ctx = adminWrite(app, request);
      const csv = typeof request.body === 'string' ? request.body : '';
      const result = await importUnits(ctx, csv, { dryRun: request.query.dryRun ?? false });
      if (result.errors.length > 0 && !result.saved && !result.dryRun) {
        return reply.status(400).send({
          error: 'ValidationError',
          message: `The file has ${result.errors.length} problem(s); nothing was saved. Correct them and import again.`,
          ...result,
        });
      }
      return result;
    },
  );
};
