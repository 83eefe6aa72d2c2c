import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createCampaign, getCampaign, listCampaigns, updateCampaign } from '../../services/admin-campaigns.service';
import { principalOf } from '../../http/auth';
import { READERS, WRITERS, adminWrite } from './context';
import { CodeParams } from '../../http/request-schemas';
import { CampaignBody, CampaignPatchBody, CampaignReply } from '../schemas';

const tags = ['campaigns'];

export const campaignRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/campaigns',
    {
      config: { roles: READERS, listInScope: true },
      schema: {
        summary: "Emulation campaigns within the caller's scopes (administrator, council, auditor)",
        tags,
        response: { 200: Type.Array(CampaignReply) },
      },
    },
    async (request) => {
      return listCampaigns(request.em, principalOf(request).scopes);
    },
  );

  app.get(
    '/api/v1/campaigns/:code',
    {
      config: { roles: READERS },
      schema: {
        summary: 'One campaign (administrator, council, auditor)',
        tags,
        params: CodeParams,
        response: { 200: CampaignReply },
      },
    },
    async (request) => {
      return getCampaign(request.em, request.params.code);
    },
  );

  app.post(
    '/api/v1/campaigns',
    {
      config: { roles: WRITERS },
      schema: {
        summary: 'Create a campaign with its template and policy (administrator)',
        tags,
        body: CampaignBody,
        response: { 201: CampaignReply },
      },
    },
    async (request, reply) => {
      const ctx = adminWrite(app, request);
      return reply.status(201).send(await createCampaign(ctx, request.body));
    },
  );

  app.patch(
    '/api/v1/campaigns/:code',
    {
      config: { roles: WRITERS },
      schema: {
        summary:
          'Change the name, template, policy or active flag of a campaign; cycles already started keep theirs (administrator)',
        tags,
        params: CodeParams,
        body: CampaignPatchBody,
        response: { 200: CampaignReply },
      },
    },
    async (request) => {
      const ctx = adminWrite(app, request);
      return updateCampaign(ctx, request.params.code, request.body);
    },
  );
};
