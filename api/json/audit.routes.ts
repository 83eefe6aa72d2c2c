import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { verifyAuditChain } from '../../db/audit-verify';
import { principalOf } from '../http/auth';
import { Code, CycleParams } from '../http/request-schemas';
import { exportCycle } from '../services/cycle-export.service';
import {
  campaignHistories,
  campaignHistory,
  cycleAuditEvents,
  cycleEmails,
  cycleHistories,
  cycleHistory,
} from '../services/cycle-record.service';
import { campaignRef } from '../services/summary.service';
import { findCycle } from '../services/cycles.service';

const tags = ['audit'];
const AUDITORS = { roles: ['auditor', 'admin'] as const };

/** Auditors' reads: the whole chain's check, a cycle's events, emails, histories and export, and a campaign's own histories. */
export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/audit/verify',
    {
      config: AUDITORS,
      schema: { summary: 'Re-compute the audit chain and report the first broken row (auditor, administrator)', tags },
    },
    async (request) => verifyAuditChain(request.em),
  );

  app.get(
    '/api/v1/cycles/:campaign/:period/audit-events',
    {
      config: AUDITORS,
      schema: { summary: 'Every audit event of a cycle, in order (auditor, administrator)', tags, params: CycleParams },
    },
    async (request) =>
      cycleAuditEvents(request.em, await findCycle(request.em, request.params.campaign, request.params.period)),
  );

  app.get(
    '/api/v1/cycles/:campaign/:period/emails',
    {
      config: AUDITORS,
      schema: {
        summary: 'Every email of a cycle: recipient, subject, status, time (auditor, administrator)',
        tags,
        params: CycleParams,
      },
    },
    async (request) =>
      cycleEmails(request.em, await findCycle(request.em, request.params.campaign, request.params.period)),
  );

  app.get(
    '/api/v1/cycles/:campaign/:period/histories',
    {
      config: AUDITORS,
      schema: {
        summary: 'Archived Temporal histories of the cycle and unit workflows (auditor, administrator)',
        tags,
        params: CycleParams,
      },
    },
    async (request) =>
      cycleHistories(request.em, await findCycle(request.em, request.params.campaign, request.params.period)),
  );

  app.get(
    '/api/v1/cycles/:campaign/:period/histories/:workflowId',
    {
      config: AUDITORS,
      schema: {
        summary: 'One archived workflow history, replayable with Worker.runReplayHistory (auditor, administrator)',
        tags,
        params: Type.Object({ ...CycleParams.properties, workflowId: Type.String({ maxLength: 300 }) }),
      },
    },
    async (request) => {
      const cycle = await findCycle(request.em, request.params.campaign, request.params.period);
      return cycleHistory(request.em, cycle, request.params.workflowId);
    },
  );

  app.get(
    '/api/v1/cycles/:campaign/:period/export',
    {
      config: AUDITORS,
      schema: {
        summary: "The cycle's whole record as a .tar.gz with a manifest of SHA-256 hashes (auditor, administrator)",
        tags,
        params: CycleParams,
      },
    },
    async (request, reply) => {
      const cycle = await findCycle(request.em, request.params.campaign, request.params.period);
      const archive = await exportCycle(request.em, cycle, principalOf(request).name, app.now());
      return reply
        .header('content-type', 'application/gzip')
        .header('content-disposition', `attachment; filename="${cycle.workflowId}.tar.gz"`)
        .send(archive);
    },
  );

  app.get(
    '/api/v1/audit/campaigns/:campaign/histories',
    {
      config: AUDITORS,
      schema: {
        summary:
          "Archived Temporal histories of the campaign's own workflows: summaries frozen, quarterly cut-offs, registration rounds, title votes (auditor, administrator)",
        tags,
        params: Type.Object({ campaign: Code }),
      },
    },
    async (request) => campaignHistories(request.em, await campaignRef(request.em, request.params.campaign)),
  );

  app.get(
    '/api/v1/audit/campaigns/:campaign/histories/:workflowId',
    {
      config: AUDITORS,
      schema: {
        summary: "One archived history of the campaign's own workflows, replayable (auditor, administrator)",
        tags,
        params: Type.Object({ campaign: Code, workflowId: Type.String({ maxLength: 300 }) }),
      },
    },
    async (request) =>
      campaignHistory(request.em, await campaignRef(request.em, request.params.campaign), request.params.workflowId),
  );
};
