/** The administrator's view of who can get in: tokens (revoke) and console sessions (end). */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { accessPage } from '../pages/access.page';
import { endSession, listSessions, listTokens, revokeToken } from '../../services/access.service';
import { userActor } from '../../services/admin-common';
import { actionError } from './admin.routes';
import { field, requireUser, sendPage } from './context';

const ADMIN = ['admin'] as const;
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

export const accessPages: FastifyPluginAsyncTypebox = async (app) => {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { ok?: string; error?: string | null },
    status = 200,
  ) => {
    const { view } = requireUser(request);
    return sendPage(
      reply,
      accessPage(view, {
        tokens: await listTokens(request.em, app.now()),
        sessions: await listSessions(request.em, app.now()),
        ...extra,
      }),
      status,
    );
  };

  app.get(
    '/console/access',
    {
      config: { consoleRoles: ADMIN },
      schema: {
        hide: true,
        querystring: Type.Object({
          ok: Type.Optional(Type.String({ maxLength: 20 })),
          lang: Type.Optional(Type.String({ maxLength: 5 })),
        }),
      },
    },
    async (request, reply) => render(request, reply, request.query.ok ? { ok: request.query.ok } : {}),
  );

  /** Revokes a token or ends a session with the form's reason; back to the page with what happened. */
  const act = async (
    request: FastifyRequest,
    reply: FastifyReply,
    done: string,
    action: (reason: string, actor: ReturnType<typeof userActor>) => Promise<unknown>,
  ) => {
    const user = requireUser(request);
    const reason = field(request.body, 'reason');
    if (reason.length < 3 || reason.length > 1000)
      return render(
        request,
        reply,
        {
          error:
            user.view.lang === 'vi' ? 'Hãy ghi lý do (từ 3 đến 1000 ký tự).' : 'Give a reason (3 to 1000 characters).',
        },
        400,
      );
    try {
      await action(reason, userActor({ name: user.name }, request.ip));
    } catch (error) {
      const { status, message } = actionError(user.view.lang, error);
      return render(request, reply, { error: message }, status);
    }
    return reply.redirect(`/console/access?ok=${done}`, 303);
  };

  app.post(
    '/console/access/tokens/:id/revoke',
    { config: { consoleRoles: ADMIN }, schema: { hide: true, params: IdParams } },
    async (request, reply) =>
      act(request, reply, 'revoked', (reason, actor) =>
        revokeToken(request.em, actor, request.params.id, reason, app.now()),
      ),
  );

  app.post(
    '/console/access/sessions/:id/end',
    { config: { consoleRoles: ADMIN }, schema: { hide: true, params: IdParams } },
    async (request, reply) =>
      act(request, reply, 'ended', (reason, actor) =>
        endSession(request.em, actor, request.params.id, reason, app.now()),
      ),
  );
};
