import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../http/auth';
import { Reason } from '../../http/request-schemas';
import { endSession, listSessions, listTokens, revokeToken } from '../../services/access.service';
import { userActor } from '../../services/admin-common';
import { WRITERS } from './context';

const tags = ['access'];
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const ReasonBody = Type.Object({ reason: Reason }, { additionalProperties: false });
/** The roles of `ROLES` in db/entities/api-token.entity.ts (spelt out so the reply's type keeps them). */
const Role = Type.Union([Type.Literal('admin'), Type.Literal('council'), Type.Literal('auditor')]);
const TokenReply = Type.Object({
  id: Type.Integer(),
  personId: Type.Integer(),
  holder: Type.String(),
  name: Type.String(),
  role: Role,
  createdAt: Type.String(),
  expiresAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  state: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
});
const SessionReply = Type.Object({
  id: Type.Integer(),
  personId: Type.Integer(),
  tokenId: Type.Union([Type.Integer(), Type.Null()]),
  method: Type.String(),
  name: Type.String(),
  role: Role,
  origin: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  expiresAt: Type.String(),
});

/** Personal API tokens and console sessions: list them, revoke a token, end a session (administrator). */
export const accessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/tokens',
    {
      config: { roles: WRITERS },
      schema: {
        summary: 'Every personal API token: holder, role, expiry, whether revoked (administrator; never the token)',
        tags,
        response: { 200: Type.Array(TokenReply) },
      },
    },
    async (request) => listTokens(request.em, app.now()),
  );

  app.post(
    '/api/v1/tokens/:id/revoke',
    {
      config: { roles: WRITERS },
      schema: {
        summary: 'Revoke a token at once, with a reason; its console sessions end with it (administrator)',
        tags,
        params: IdParams,
        body: ReasonBody,
        response: { 200: TokenReply },
      },
    },
    async (request) =>
      revokeToken(
        request.em,
        userActor(principalOf(request), request.ip),
        request.params.id,
        request.body.reason,
        app.now(),
      ),
  );

  app.get(
    '/api/v1/sessions',
    {
      config: { roles: WRITERS },
      schema: {
        summary: 'The console sessions open now (administrator)',
        tags,
        response: { 200: Type.Array(SessionReply) },
      },
    },
    async (request) => listSessions(request.em, app.now()),
  );

  app.post(
    '/api/v1/sessions/:id/end',
    {
      config: { roles: WRITERS },
      schema: {
        summary: 'End a console session at once, with a reason (administrator)',
        tags,
        params: IdParams,
        body: ReasonBody,
        response: { 200: SessionReply },
      },
    },
    async (request) =>
      endSession(
        request.em,
        userActor(principalOf(request), request.ip),
        request.params.id,
        request.body.reason,
        app.now(),
      ),
  );
};
