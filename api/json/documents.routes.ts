/** Official documents of a cycle (Decree 30 layout) as DOCX or PDF, for administrators, the council and auditors. */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/auth';
import { findCycle } from '../services/cycles.service';
import { CycleParams } from '../http/request-schemas';
import { userActor } from '../services/admin-common';
import { downloadDocument, type DocumentFormat, type DocumentKind } from '../services/documents.service';

export const DOCUMENT_FILE_PATTERN = '^(monthly-report|council-minutes|commendation-decision)\\.(docx|pdf)$';

/** `monthly-report.pdf` → its kind and format (the route's pattern admits only these). */
export function documentFileOf(file: string): { kind: DocumentKind; format: DocumentFormat } {
  const dot = file.lastIndexOf('.');
  return { kind: file.slice(0, dot) as DocumentKind, format: file.slice(dot + 1) as DocumentFormat };
}

/** `attachment` with an ASCII name and its UTF-8 form (RFC 6266). */
export const attachment = (filename: string): string =>
  `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;

export const documentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/cycles/:campaign/:period/documents/:file',
    {
      config: { roles: ['admin', 'council', 'auditor'] },
      schema: {
        summary:
          'An official document of the cycle in the Decree 30/2020 layout: monthly-report, council-minutes or commendation-decision, as .docx or .pdf (503 when the server has no PDF renderer)',
        tags: ['documents'],
        params: Type.Object({
          ...CycleParams.properties,
          file: Type.String({ pattern: DOCUMENT_FILE_PATTERN, description: 'e.g. monthly-report.docx' }),
        }),
        querystring: Type.Object(
          {
            v: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: 1000,
                description: 'consolidated version (default: under review or latest)',
              }),
            ),
            lang: Type.Optional(
              Type.Union([Type.Literal('vi'), Type.Literal('en')], {
                description: 'monthly report only; vi by default',
              }),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const cycle = await findCycle(request.em, request.params.campaign, request.params.period);
      const { kind, format } = documentFileOf(request.params.file);
      const file = await downloadDocument(
        request.em,
        cycle,
        {
          kind,
          format,
          ...(request.query.v !== undefined ? { version: request.query.v } : {}),
          ...(request.query.lang ? { lang: request.query.lang } : {}),
        },
        userActor(principalOf(request), request.ip),
        app.now(),
      );
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', attachment(file.filename))
        .header('cache-control', 'private, no-store')
        .send(file.bytes);
    },
  );
};
