/** Title votes of a campaign's council: open a round, vote, record written opinions, close, read. */
import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Code } from '../http/request-schemas';
import { principalOf } from '../http/auth';
import { sendDownload } from '../http/downloads';
import { userActor } from '../services/admin-common';
import { TITLE_VOTE_FILE_PATTERN, titleVoteFile } from '../services/title-vote-documents.service';
import {
  castTitleBallots,
  closeTitleVoteNow,
  findTitleVote,
  listTitleVotes,
  openTitleVote,
  recordWrittenOpinion,
  titleVoteView,
} from '../services/title-votes.service';
import {
  BallotsBody,
  OpenTitleVoteBody,
  TitleVoteClosedResponse,
  TitleVoteListResponse,
  TitleVoteParams,
  TitleVoteResponse,
  WrittenOpinionBody,
} from './title-vote-schemas';

const READERS = ['admin', 'council', 'auditor'] as const;
/** Administrators, and the council's secretary (the service checks the seat). */
const SECRETARIAT = ['admin', 'council'] as const;
const Done = Type.Object({ ok: Type.Literal(true) });

export const titleVoteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/title-votes/:campaign',
    {
      config: { roles: READERS },
      schema: {
        summary: "A campaign's rounds of title votes, newest year first (administrator, council, auditor)",
        tags: ['title votes'],
        params: Type.Object({ campaign: Code }),
        response: { 200: TitleVoteListResponse },
      },
    },
    async (request) => listTitleVotes(request.em, request.params.campaign),
  );

  app.post(
    '/api/v1/title-votes/:campaign/:year',
    {
      config: { roles: SECRETARIAT },
      schema: {
        summary:
          "Open the round of title votes of a year with its nominees (administrator or the council's secretary): records the council and every title's rule as they are now; its workflow emails the council, reminds those who have not voted and closes at `closesAt`",
        tags: ['title votes'],
        params: TitleVoteParams,
        body: OpenTitleVoteBody,
        response: { 201: Type.Object({ workflowId: Type.String() }) },
      },
    },
    async (request, reply) => {
      const opened = await openTitleVote(
        { em: request.em, temporal: app.temporal, taskQueue: app.config.TEMPORAL_TASK_QUEUE, now: app.now() },
        principalOf(request),
        request.ip,
        request.params.campaign,
        request.params.year,
        request.body,
      );
      return reply.code(201).send(opened);
    },
  );

  app.get(
    '/api/v1/title-votes/:campaign/:year',
    {
      config: { roles: READERS },
      schema: {
        summary:
          'A round of title votes: its roll, nominees and who took part; once closed, each nominee’s counts and result under its rule, and who chose what only where the ballot is not secret (administrator, council, auditor)',
        tags: ['title votes'],
        params: TitleVoteParams,
        response: { 200: TitleVoteResponse },
      },
    },
    // The same shape, its arrays readonly (the schema's are mutable, and TypeScript compares no further).
    async (request) =>
      (await titleVoteView(request.em, request.params.campaign, request.params.year)) as unknown as Static<
        typeof TitleVoteResponse
      >,
  );

  app.post(
    '/api/v1/title-votes/:campaign/:year/ballots',
    {
      config: { roles: ['council'] },
      schema: {
        summary:
          'Vote on nominees of an open round (a council member on its roll): agree, disagree or abstain, once per nominee',
        tags: ['title votes'],
        params: TitleVoteParams,
        body: BallotsBody,
        response: { 200: Done },
      },
    },
    async (request) => {
      const { vote } = await findTitleVote(request.em, request.params.campaign, request.params.year);
      await castTitleBallots(request.em, vote, principalOf(request), request.body.ballots, request.ip, app.now());
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/title-votes/:campaign/:year/written-opinions',
    {
      config: { roles: SECRETARIAT },
      schema: {
        summary:
          "Record the written opinion of an absent member on nominees of an open round (administrator or the council's secretary); it counts where the title's rule says so",
        tags: ['title votes'],
        params: TitleVoteParams,
        body: WrittenOpinionBody,
        response: { 200: Done },
      },
    },
    async (request) => {
      const { vote } = await findTitleVote(request.em, request.params.campaign, request.params.year);
      await recordWrittenOpinion(
        request.em,
        vote,
        principalOf(request),
        request.body.personId,
        request.body.ballots,
        request.ip,
        app.now(),
      );
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/title-votes/:campaign/:year/close',
    {
      config: { roles: SECRETARIAT },
      schema: {
        summary:
          "Close an open round now (administrator or the council's secretary): its workflow counts each nominee and answers the outcomes",
        tags: ['title votes'],
        params: TitleVoteParams,
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: TitleVoteClosedResponse },
      },
    },
    async (request) => {
      const { vote } = await findTitleVote(request.em, request.params.campaign, request.params.year);
      const closed = await closeTitleVoteNow({ em: request.em, temporal: app.temporal }, vote, principalOf(request));
      return { ...closed, outcomes: [...closed.outcomes] };
    },
  );

  app.get(
    '/api/v1/title-votes/:campaign/:year/documents/:file',
    {
      config: { roles: READERS },
      schema: {
        summary:
          'The minutes of the vote count (minutes.docx in the Decree 30 layout, minutes.pdf) or the results table (results.csv, results.xlsx) of a round, written now and audited; a secret ballot’s choices are never in them (administrator, council, auditor)',
        tags: ['title votes'],
        params: Type.Object({
          ...TitleVoteParams.properties,
          file: Type.String({
            pattern: TITLE_VOTE_FILE_PATTERN,
            description: 'minutes.docx, minutes.pdf, results.csv or results.xlsx',
          }),
        }),
      },
    },
    async (request, reply) =>
      sendDownload(
        reply,
        await titleVoteFile(request.em, request.params, userActor(principalOf(request), request.ip), app.now()),
      ),
  );
};
