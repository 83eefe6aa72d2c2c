import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ValidationError } from '../../domain/errors';
import { ballotCastSignal } from '../../workflows/messages';
import { principalOf } from '../http/auth';
import { Code, Comment, CycleParams, ProposalParams, Version, VersionParams } from '../http/request-schemas';
import {
  ballotSealKey,
  castBallot,
  commendationDecisions,
  consolidatedVersion,
  consolidatedVersions,
  reviewStatus,
  type BallotRequest,
} from '../services/council.service';
import { findCycle } from '../services/cycles.service';

/** The council's review: consolidated reports, ballots, decisions. */
export const councilRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const wake = (workflowId: string): void => app.wake(workflowId, ballotCastSignal);
  const sealKey = ballotSealKey(app.config.LINK_SECRET);

  app.get(
    '/api/v1/cycles/:campaign/:period/consolidated-reports',
    {
      config: { roles: ['admin', 'council', 'auditor'] },
      schema: { summary: 'Versions of the consolidated report', tags: ['council'], params: CycleParams },
    },
    async (request) =>
      consolidatedVersions(request.em, await findCycle(request.em, request.params.campaign, request.params.period)),
  );

  app.get(
    '/api/v1/cycles/:campaign/:period/consolidated-reports/:version',
    {
      config: { roles: ['admin', 'council', 'auditor'] },
      schema: {
        summary: 'One version of the consolidated report',
        tags: ['council'],
        params: VersionParams,
      },
    },
    async (request) => {
      const cycle = await findCycle(request.em, request.params.campaign, request.params.period);
      return consolidatedVersion(request.em, cycle, request.params.version);
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
        params: ProposalParams,
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
    async (request) =>
      commendationDecisions(request.em, await findCycle(request.em, request.params.campaign, request.params.period)),
  );
};
