import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createPolicy, getPolicy, listPolicies, replacePolicy } from '../../services/admin-policies.service';
import { READERS, WRITERS, adminWrite } from './context';
import { Code, CodeParams } from '../../http/request-schemas';
import { CyclePolicySchema, PolicyReply } from '../schemas';

const tags = ['policies'];

export const policyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/policies',
    {
      config: { roles: READERS },
      schema: {
        summary: 'Cycle policies (administrator, council, auditor)',
        tags,
        response: { 200: Type.Array(PolicyReply) },
      },
    },
    async (request) => {
      return listPolicies(request.em);
    },
  );

  app.get(
    '/api/v1/policies/:code',
    {
      config: { roles: READERS },
      schema: {
        summary: 'One cycle policy (administrator, council, auditor)',
        tags,
        params: CodeParams,
        response: { 200: PolicyReply },
      },
    },
    async (request) => {
      return getPolicy(request.em, request.params.code);
    },
  );

  app.post(
    '/api/v1/policies',
    {
      config: { roles: WRITERS },
      schema: {
        summary: 'Create a cycle policy (administrator)',
        tags,
        body: Type.Object({ code: Code, definition: CyclePolicySchema }, { additionalProperties: false }),
        response: { 201: PolicyReply },
      },
    },
    async (request, reply) => {
      const ctx = adminWrite(app, request);
      return reply.status(201).send(await createPolicy(ctx, request.body.code, request.body.definition));
    },
  );

  app.put(
    '/api/v1/policies/:code',
    {
      config: { roles: WRITERS },
      schema: {
        summary:
          "Replace a policy's definition; cycles already started keep the policy they started with (administrator)",
        tags,
        params: CodeParams,
        body: Type.Object({ definition: CyclePolicySchema }, { additionalProperties: false }),
        response: { 200: PolicyReply },
      },
    },
    async (request) => {
      const ctx = adminWrite(app, request);
      return replacePolicy(ctx, request.params.code, request.body.definition);
    },
  );
};
