import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  createTemplateVersion,
  getLatestTemplate,
  getTemplateVersion,
  listTemplates,
} from '../../services/admin-templates.service';
import { READERS, WRITERS, adminWrite } from './context';
import { Code, CodeParams } from '../../http/request-schemas';
import { TemplateDefinitionSchema, TemplateSummaryReply, TemplateVersionReply } from '../schemas';

const tags = ['templates'];

/** Templates are versioned and immutable: a change is a new version; there is no update route. */
export const templateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/templates',
    {
      config: { roles: READERS },
      schema: {
        summary: 'The latest version of every template (administrator, council, auditor)',
        tags,
        response: { 200: Type.Array(TemplateSummaryReply) },
      },
    },
    async (request) => {
      return listTemplates(request.em);
    },
  );

  app.get(
    '/api/v1/templates/:code',
    {
      config: { roles: READERS },
      schema: {
        summary: 'The latest version of a template, with its definition (administrator, council, auditor)',
        tags,
        params: CodeParams,
        response: { 200: TemplateVersionReply },
      },
    },
    async (request) => {
      return getLatestTemplate(request.em, request.params.code);
    },
  );

  app.get(
    '/api/v1/templates/:code/versions/:version',
    {
      config: { roles: READERS },
      schema: {
        summary: 'One version of a template (administrator, council, auditor)',
        tags,
        params: Type.Object({ code: Code, version: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }),
        response: { 200: TemplateVersionReply },
      },
    },
    async (request) => {
      return getTemplateVersion(request.em, request.params.code, request.params.version);
    },
  );

  app.post(
    '/api/v1/templates/:code/versions',
    {
      config: { roles: WRITERS },
      schema: {
        summary:
          'Store a new version of a template (version 1 for a new code); earlier versions stay as they were (administrator)',
        tags,
        params: CodeParams,
        body: TemplateDefinitionSchema,
        response: { 201: TemplateVersionReply },
      },
    },
    async (request, reply) => {
      const ctx = adminWrite(app, request);
      return reply.status(201).send(await createTemplateVersion(ctx, request.params.code, request.body));
    },
  );
};
