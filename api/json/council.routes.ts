import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditEvent, CommendationDecision, ConsolidatedReport, Email, WorkflowHistory } from '../../db/entities';
import { exportCycle } from '../services/cycle-export.service';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { ballotCastSignal } from '../../workflows/messages';
import { principalOf } from '../http/auth';
import { ballotSealKey, castBallot, findCycle, reviewStatus, type BallotRequest } from '../services/council.service';
import { readConsolidatedReport } from '../../db/consolidated-report';

const Code = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const CycleParams = Type.Object({ campaign: Code, period: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }) });
const Version = Type.Integer({ minimum: 1, maximum: 1000, description: 'the consolidated version under review' });
const Comment = Type.String({ minLength: 3, maxLength: 5000 });

/** The council's review (consolidated reports, ballots, decisions) and the auditors' reads. */
export const councilRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const wake = (workflowId: string): void => app.wake(workflowId, ballotCastSignal);
  const sealKey = ballotSealKey(app.config.LINK_SECRET);

  app.get(
    '/api/v1/cycles/:campaign/:period/consolidated-reports',
    {
      config: { roles: ['admin', 'council', 'auditor'] },
      schema: { summary: 'Versions of the consolidated report', tags: ['council'], params: CycleParams },
    },
    async (request) => {
      const cycle = await findCycle(request.em, request.params.campaign, request.params.period);
      const reports = await request.em.find(
        ConsolidatedReport,
        { cycle },
        { orderBy: { version: 'asc' }, fields: ['version', 'createdAt'] },
      );
      return reports.map((r) => ({ version: r.version, createdAt: r.createdAt.toISOString() }));
    },
  );

  app.get(
    '/api/v1/cycles/:campaign/:period/consolidated-reports/:version',
    {
      config: { roles: ['admin', 'council', 'auditor'] },
      schema: {
        summary: 'One version of the consolidated report',
        tags: ['council'],
        params: Type.Object({ ...CycleParams.properties, version: Version }),
      },
    },
    async (request) => {
      const cycle = await findCycle(request.em, request.params.campaign, request.params.period);
      const report = await request.em.findOne(ConsolidatedReport, { cycle, version: request.params.version });
      if (!report)
        throw new NotFoundError(
          { code: 'version_not_consolidated', params: { version: request.params.version } },
          'version',
        );
      return {
        version: report.version,
        createdAt: report.createdAt.toISOString(),
        content: await readConsolidatedReport(request.em, report),
      };
    },
  );

  app.get(
    '/api/v1/cycles/:campaign/:period/review',
    {
      config: { roles: ['admin', 'council', 'auditor'] },
      schema: { summary: 'Review status: who voted, quorum, decision so far', tags: ['council'], params: CycleParams },
    },
    async (request) =>
      reviewStatus(request.em, await findCycle(request.em, request.params.campaign, request.params.period)),
  );

  app.post(
    '/api/v1/cycles/:campaign/:period/ballots',
    {
      config: { roles: ['council'] },
      schema: {
        summary: 'Vote on the consolidated report: approve, or request revision naming units with a comment (council)',
        tags: ['council'],
        params: CycleParams,
        body: Type.Object(
          {
            version: Version,
            choice: Type.Union([Type.Literal('approve'), Type.Literal('request_revision')]),
            unitCodes: Type.Optional(
              Type.Array(Code, {
                minItems: 1,
                maxItems: 10_000,
                description: 'required with request_revision: the units sent back',
              }),
            ),
            comment: Type.Optional(Comment),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const voter = principalOf(request);
      const cycle = await findCycle(request.em, request.params.campaign, request.params.period);
      const { version, choice, unitCodes, comment } = request.body;
      let ballotRequest: BallotRequest;
      if (choice === 'approve') {
        if (unitCodes) throw new ValidationError({ code: 'unit_codes_only_for_revision', params: {} }, 'unitCodes');
        ballotRequest = { subject: 'report', version, choice };
      } else {
        if (!unitCodes) throw new ValidationError({ code: 'revision_needs_units', params: {} }, 'unitCodes');
        if (!comment) throw new ValidationError({ code: 'revision_needs_comment', params: {} }, 'comment');
        ballotRequest = { subject: 'report', version, choice, unitCodes, comment };
      }
      const ballot = await castBallot(request.em, cycle, voter, ballotRequest, request.ip, app.now(), sealKey);
      wake(ballot.workflowId);
      return reply.status(201).send({ ballotId: ballot.ballotId });
    },
  );

  app.post(
    '/api/v1/cycles/:campaign/:period/proposals/:proposalId/ballots',
    {
      config: { roles: ['council'] },
      schema: {
        summary: 'Vote on one commendation proposal: approve or reject (council)',
        tags: ['council'],
        params: Type.Object({
          ...CycleParams.properties,
          proposalId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,150}$' }),
        }),
        body: Type.Object(
          {
            version: Version,
            choice: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
            comment: Type.Optional(Comment),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const voter = principalOf(request);
      const cycle = await findCycle(request.em, request.params.campaign, request.params.period);
      const ballot = await castBallot(
        request.em,
        cycle,
        voter,
        { subject: 'proposal', proposalId: request.params.proposalId, ...request.body },
        request.ip,
        app.now(),
        sealKey,
      );
      return reply.status(201).send({ ballotId: ballot.ballotId });
    },
  );

  app.get(
    '/api/v1/cycles/:campaign/:period/decisions',
    {
      config: { roles: ['admin', 'council', 'auditor'] },
      schema: { summary: 'Commendation decisions of a published cycle', tags: ['council'], params: CycleParams },
    },
    async (request) => {
      const cycle = await findCycle(request.em, request.params.campaign, request.params.period);
      const decisions = await request.em.find(CommendationDecision, { cycle }, { orderBy: { proposalId: 'asc' } });
      return decisions.map((d) => ({
        proposalId: d.proposalId,
        unitCode: d.unitCode,
        nominee: d.nominee,
        requestedForm: d.requestedForm,
        approved: d.approved,
        approvals: d.approvals,
        rejections: d.rejections,
        members: d.members,
        version: d.reportVersion,
      }));
    },
  );

  app.get(
    '/api/v1/cycles/:campaign/:period/audit-events',
    {
      config: { roles: ['auditor', 'admin'] },
      schema: {
        summary: 'Every audit event of a cycle, in order (auditor, administrator)',
        tags: ['audit'],
        params: CycleParams,
      },
    },
    async (request) => {
      const cycle = await findCycle(request.em, request.params.campaign, request.params.period);
      const events = await request.em.find(AuditEvent, { cycleId: cycle.id }, { orderBy: { seq: 'asc' } });
      return events.map((e) => ({
        id: e.id,
        occurredAt: e.occurredAt.toISOString(),
        actor: { kind: e.actorKind, id: e.actorId },
        origin: e.origin,
        action: e.action,
        subject: { type: e.subjectType, id: e.subjectId },
        before: e.before,
        after: e.after,
        hash: e.hash,
        prevHash: e.prevHash,
      }));
    },
  );

  app.get(
    '/api/v1/cycles/:campaign/:period/emails',
    {
      config: { roles: ['auditor', 'admin'] },
      schema: {
        summary: 'Every email of a cycle: recipient, subject, status, time (auditor, administrator)',
        tags: ['audit'],
        params: CycleParams,
      },
    },
    async (request) => {
      const cycle = await findCycle(request.em, request.params.campaign, request.params.period);
      const emails = await request.em.find(Email, { cycleId: cycle.id }, { orderBy: { id: 'asc' } });
      return emails.map((e) => ({
        id: e.id,
        kind: e.kind,
        recipient: e.recipient,
        subject: e.subject,
        status: e.status,
        attempts: e.attempts,
        sentAt: e.sentAt?.toISOString() ?? null,
        bodySha256: e.bodySha256,
        auditEventId: e.auditEventId,
        lastError: e.lastError,
      }));
    },
  );

  app.get(
    '/api/v1/cycles/:campaign/:period/histories',
    {
      config: { roles: ['auditor', 'admin'] },
      schema: {
        summary: 'Archived Temporal histories of the cycle and unit workflows (auditor, administrator)',
        tags: ['audit'],
        params: CycleParams,
      },
    },
    async (request) => {
      const cycle = await findCycle(request.em, request.params.campaign, request.params.period);
      const rows = await request.em.find(WorkflowHistory, { cycle }, { orderBy: { workflowId: 'asc' } });
      return rows.map((h) => ({
        workflowId: h.workflowId,
        runId: h.runId,
        status: h.status,
        events: h.eventCount,
        bytes: h.sizeBytes,
        sha256: h.sha256,
        archivedAt: h.createdAt.toISOString(),
      }));
    },
  );

  app.get(
    '/api/v1/cycles/:campaign/:period/histories/:workflowId',
    {
      config: { roles: ['auditor', 'admin'] },
      schema: {
        summary: 'One archived workflow history, replayable with Worker.runReplayHistory (auditor, administrator)',
        tags: ['audit'],
        params: Type.Object({ ...CycleParams.properties, workflowId: Type.String({ maxLength: 300 }) }),
      },
    },
    async (request) => {
      const cycle = await findCycle(request.em, request.params.campaign, request.params.period);
      const row = await request.em.findOne(
        WorkflowHistory,
        { cycle, workflowId: request.params.workflowId },
        { populate: ['history'] },
      );
      if (!row)
        throw new NotFoundError(
          { code: 'no_archived_history', params: { workflowId: request.params.workflowId } },
          'workflowId',
        );
      return { workflowId: row.workflowId, runId: row.runId, history: row.history };
    },
  );

  app.get(
    '/api/v1/cycles/:campaign/:period/export',
    {
      config: { roles: ['auditor', 'admin'] },
      schema: {
        summary: "The cycle's whole record as a .tar.gz with a manifest of SHA-256 hashes (auditor, administrator)",
        tags: ['audit'],
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
};
