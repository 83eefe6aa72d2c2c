/** Official documents of a cycle (Decree 30 layout) as DOCX or PDF, for administrators, the council and auditors. */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/auth';
import { Code, CycleParams } from '../http/request-schemas';
import { userActor } from '../services/admin-common';
import { DOCUMENT_FILE_PATTERN, cycleDocument } from '../services/documents.service';
import { sendDownload } from '../http/downloads';

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
            node: Type.Optional({
              ...Code,
              description:
                'monthly report only, in a cycle of several levels: the report of this unit, consolidating what reports to it',
            }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) =>
      sendDownload(
        reply,
        await cycleDocument(
          request.em,
          request.params,
          { version: request.query.v, lang: request.query.lang, node: request.query.node },
          userActor(principalOf(request), request.ip),
          app.now(),
        ),
      ),
  );
};
