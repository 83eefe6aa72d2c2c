/** Emulation blocs of a campaign, their scoring tables, hand scores and rankings. */
import { Title } from './title-vote-schemas';
import { nominationsFromRanking } from '../services/title-nominations.service';
import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { READERS, WRITERS, adminWrite } from './admin/context';
import {
  blocRanking,
  createBloc,
  freezeRanking,
  getBloc,
  listBlocs,
  setHandScore,
  setScoringTable,
  updateBloc,
} from '../services/scoring.service';
import {
  BlocBody,
  BlocParams,
  BlocPatchBody,
  BlocReply,
  CampaignParams,
  HandScoreBody,
  HandScoreReply,
  RankingParams,
  RankingReply,
  ScoringTableBody,
} from './scoring-schemas';

const tags = ['blocs'];
const Frozen = Type.Object({
  frozenAt: Type.String(),
  frozenBy: Type.String(),
  sha256: Type.String(),
  started: Type.Boolean({ description: 'false when the ranking was already frozen' }),
});
/** Hand scores are the council's; the secretariat enters them too. */
const SCORERS = ['admin', 'council'] as const;

export const scoringRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/blocs/:campaign',
    {
      config: { roles: READERS },
      schema: {
        summary: "A campaign's emulation blocs with their units and scoring tables (administrator, council, auditor)",
        tags,
        params: CampaignParams,
        response: { 200: Type.Array(BlocReply) },
      },
    },
    async (request) => listBlocs(request.em, request.params.campaign),
  );

  app.post(
    '/api/v1/blocs/:campaign',
    {
      config: { roles: WRITERS },
      schema: {
        summary: 'Create an emulation bloc: a named set of units of the campaign, for one year (administrator)',
        tags,
        params: CampaignParams,
        body: BlocBody,
        response: { 201: BlocReply },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createBloc(adminWrite(app, request), request.params.campaign, request.body)),
  );

  app.get(
    '/api/v1/blocs/:campaign/:bloc',
    {
      config: { roles: READERS },
      schema: {
        summary: 'One bloc with its units and scoring table (administrator, council, auditor)',
        tags,
        params: BlocParams,
        response: { 200: BlocReply },
      },
    },
    async (request) => getBloc(request.em, request.params.campaign, request.params.bloc),
  );

  app.patch(
    '/api/v1/blocs/:campaign/:bloc',
    {
      config: { roles: WRITERS },
      schema: {
        summary: 'Rename a bloc or change its units; units no longer change once a ranking is frozen (administrator)',
        tags,
        params: BlocParams,
        body: BlocPatchBody,
        response: { 200: BlocReply },
      },
    },
    async (request) => updateBloc(adminWrite(app, request), request.params.campaign, request.params.bloc, request.body),
  );

  app.put(
    '/api/v1/blocs/:campaign/:bloc/scoring-table',
    {
      config: { roles: WRITERS },
      schema: {
        summary:
          "Replace the bloc's scoring table: its criteria in order (tie-breaks follow it), each with a code, a label, a weight in whole points and how it is scored; refused once a ranking is frozen (administrator)",
        tags,
        params: BlocParams,
        body: ScoringTableBody,
        response: { 200: BlocReply },
      },
    },
    async (request) =>
      setScoringTable(adminWrite(app, request), request.params.campaign, request.params.bloc, request.body.criteria),
  );

  app.get(
    '/api/v1/blocs/:campaign/:bloc/rankings/:window',
    {
      config: { roles: READERS },
      schema: {
        summary:
          "The bloc's ranking over a window of its year: each unit's exact score and rank, and per criterion the numerator, denominator, points and the approved monthly reports they come from (administrator, council, auditor)",
        tags,
        params: RankingParams,
        response: { 200: RankingReply },
      },
    },
    async (request) =>
      (await blocRanking(
        request.em,
        request.params.campaign,
        request.params.bloc,
        request.params.window,
      )) as unknown as Static<typeof RankingReply>,
  );

  app.get(
    '/api/v1/blocs/:campaign/:bloc/rankings/:window/nominations',
    {
      config: { roles: READERS },
      schema: {
        summary:
          "Title nominations proposed from the bloc's ranking: in rank order, each unit for the emulation titles it registered for the bloc's year, its rank and score as the reason; the list to edit and send to POST /api/v1/title-votes/{campaign}/{year} (administrator, council, auditor)",
        tags,
        params: RankingParams,
        response: {
          200: Type.Object({
            year: Type.Integer(),
            nominees: Type.Array(
              Type.Object({
                unitCode: Type.String(),
                title: Title,
                reason: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { year, nominees } = await nominationsFromRanking(
        request.em,
        request.params.campaign,
        request.params.bloc,
        request.params.window,
      );
      return { year, nominees: [...nominees] };
    },
  );

  app.put(
    '/api/v1/blocs/:campaign/:bloc/rankings/:window/hand-scores',
    {
      config: { roles: SCORERS },
      schema: {
        summary:
          "Set the council's points for a unit on a criterion scored by hand, with the reason; refused once the ranking is frozen (administrator, council)",
        tags,
        params: RankingParams,
        body: HandScoreBody,
        response: { 200: HandScoreReply },
      },
    },
    async (request) =>
      setHandScore(
        adminWrite(app, request),
        request.params.campaign,
        request.params.bloc,
        request.params.window,
        request.body,
      ),
  );

  app.post(
    '/api/v1/blocs/:campaign/:bloc/rankings/:window/freeze',
    {
      config: { roles: WRITERS },
      schema: {
        summary:
          "Freeze the bloc's ranking over a window as it is now: afterwards it reads as frozen and its hand scores and table no longer change. Once per bloc and window: asking again answers the first freeze (200) (administrator)",
        tags,
        params: RankingParams,
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: {
          201: Frozen,
          200: Frozen,
        },
      },
    },
    async (request, reply) => {
      const { campaign, bloc, window } = request.params;
      const frozen = await freezeRanking(adminWrite(app, request), campaign, bloc, window);
      return reply.status(frozen.started ? 201 : 200).send(frozen);
    },
  );
};
