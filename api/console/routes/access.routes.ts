/**
 * The administrator's view of who can get in: people (add, disable or enable, give and take
 * roles), council seats per campaign, API tokens (create, shown once; revoke) and console
 * sessions (end). Only administrators over the whole installation manage people.
 */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROLES, type Role } from '../../../db/entities/api-token.entity';
import {
  COUNCIL_POSITIONS,
  SCOPE_KINDS,
  type CouncilPosition,
  type ScopeKind,
} from '../../../db/entities/person.entity';
import { ValidationError } from '../../../domain/errors';
import { accessPage, type AccessPageData } from '../pages/access.page';
import { createToken, endSession, listSessions, listTokens, revokeToken } from '../../services/access.service';
import { listCampaigns } from '../../services/admin-campaigns.service';
import { userActor } from '../../services/admin-common';
import {
  assignRole,
  createPerson,
  listCouncilSeats,
  listPeople,
  removeCouncilSeat,
  removeRole,
  setCouncilSeat,
  setPersonStatus,
} from '../../services/people.service';
import { actionError } from './admin.routes';
import { field, requireUser, sendPage } from './context';

/** People and access are the administrators' over the whole installation (api/http/scope.ts: a scoped one gets 403). */
const INSTALLATION = { consoleRoles: ['admin'] } as const;
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const RoleParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  assignmentId: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
});

const invalid = (name: string, problem: string) =>
  new ValidationError({ code: 'field_invalid', params: { field: name, problem } }, name);

function oneOf<T extends string>(body: unknown, name: string, values: readonly T[]): T {
  const value = field(body, name);
  if (!(values as readonly string[]).includes(value)) throw invalid(name, `must be one of: ${values.join(', ')}`);
  return value as T;
}

function positiveInt(body: unknown, name: string, max = 2_147_483_647): number {
  const value = field(body, name);
  const n = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalid(name, `must be a whole number from 1 to ${max}`);
  return n;
}

const roleScope = (body: unknown): { role: Role; scope: ScopeKind; target?: string } => {
  const role = oneOf(body, 'role', ROLES);
  const scope = oneOf(body, 'scope', SCOPE_KINDS);
  const target = field(body, 'target');
  if (scope !== 'installation' && !target) throw invalid('target', 'name the campaign or unit of this scope');
  return { role, scope, ...(scope === 'installation' ? {} : { target }) };
};

export const accessPages: FastifyPluginAsyncTypebox = async (app) => {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Pick<AccessPageData, 'ok' | 'error' | 'newToken'>,
    status = 200,
  ) => {
    const { view, scopes } = requireUser(request);
    return sendPage(
      reply,
      accessPage(view, {
        people: await listPeople(request.em),
        seats: await listCouncilSeats(request.em),
        campaigns: (await listCampaigns(request.em, scopes)).map((c) => ({ code: c.code, name: c.name })),
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
      config: INSTALLATION,
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

  /**
   * Runs a change with the form's fields; back to the page with what happened, or the page again
   * with the refusal (naming the field) and its status.
   */
  const act = async (
    request: FastifyRequest,
    reply: FastifyReply,
    done: string,
    action: (actor: ReturnType<typeof userActor>) => Promise<unknown>,
    { needsReason = false } = {},
  ) => {
    const user = requireUser(request);
    if (needsReason) {
      const reason = field(request.body, 'reason');
      if (reason.length < 3 || reason.length > 1000)
        return render(
          request,
          reply,
          {
            error:
              user.view.lang === 'vi'
                ? 'Hãy ghi lý do (từ 3 đến 1000 ký tự).'
                : 'Give a reason (3 to 1000 characters).',
          },
          400,
        );
    }
    try {
      await action(userActor({ name: user.name }, request.ip));
    } catch (error) {
      const { status, message } = actionError(user.view.lang, error);
      return render(request, reply, { error: message }, status);
    }
    return reply.redirect(`/console/access?ok=${done}`, 303);
  };

  app.post(
    '/console/access/tokens/:id/revoke',
    { config: INSTALLATION, schema: { hide: true, params: IdParams } },
    async (request, reply) =>
      act(
        request,
        reply,
        'revoked',
        (actor) => revokeToken(request.em, actor, request.params.id, field(request.body, 'reason'), app.now()),
        { needsReason: true },
      ),
  );

  app.post(
    '/console/access/sessions/:id/end',
    { config: INSTALLATION, schema: { hide: true, params: IdParams } },
    async (request, reply) =>
      act(
        request,
        reply,
        'ended',
        (actor) => endSession(request.em, actor, request.params.id, field(request.body, 'reason'), app.now()),
        { needsReason: true },
      ),
  );

  app.post('/console/access/people', { config: INSTALLATION, schema: { hide: true } }, async (request, reply) =>
    act(request, reply, 'person', async (actor) => {
      const grant = roleScope(request.body);
      const person = await createPerson(
        request.em,
        actor,
        { name: field(request.body, 'name'), email: field(request.body, 'email') },
        app.now(),
      );
      await assignRole(request.em.fork(), actor, person.id, grant, app.now());
    }),
  );

  app.post(
    '/console/access/people/:id/status',
    { config: INSTALLATION, schema: { hide: true, params: IdParams } },
    async (request, reply) =>
      act(
        request,
        reply,
        'status',
        (actor) =>
          setPersonStatus(
            request.em,
            actor,
            request.params.id,
            oneOf(request.body, 'status', ['active', 'disabled'] as const),
            field(request.body, 'reason'),
            app.now(),
          ),
        { needsReason: true },
      ),
  );

  app.post(
    '/console/access/people/:id/roles',
    { config: INSTALLATION, schema: { hide: true, params: IdParams } },
    async (request, reply) =>
      act(request, reply, 'role', (actor) =>
        assignRole(request.em, actor, request.params.id, roleScope(request.body), app.now()),
      ),
  );

  app.post(
    '/console/access/people/:id/roles/:assignmentId/remove',
    { config: INSTALLATION, schema: { hide: true, params: RoleParams } },
    async (request, reply) =>
      act(request, reply, 'role', (actor) =>
        removeRole(request.em, actor, request.params.id, request.params.assignmentId, app.now()),
      ),
  );

  app.post('/console/access/council', { config: INSTALLATION, schema: { hide: true } }, async (request, reply) =>
    act(request, reply, 'council', (actor) =>
      setCouncilSeat(
        request.em,
        actor,
        {
          campaign: field(request.body, 'campaign'),
          personId: positiveInt(request.body, 'person'),
          position: oneOf<CouncilPosition>(request.body, 'position', COUNCIL_POSITIONS),
        },
        app.now(),
      ),
    ),
  );

  app.post('/console/access/council/remove', { config: INSTALLATION, schema: { hide: true } }, async (request, reply) =>
    act(request, reply, 'council', (actor) =>
      removeCouncilSeat(
        request.em,
        actor,
        { campaign: field(request.body, 'campaign'), personId: positiveInt(request.body, 'person') },
        app.now(),
      ),
    ),
  );

  // Answers the page itself (not a redirect): the new token is shown this once and never again.
  app.post('/console/access/tokens', { config: INSTALLATION, schema: { hide: true } }, async (request, reply) => {
    const user = requireUser(request);
    try {
      const { token, view } = await createToken(
        request.em,
        userActor({ name: user.name }, request.ip),
        {
          personId: positiveInt(request.body, 'person'),
          role: oneOf(request.body, 'role', ROLES),
          name: field(request.body, 'name'),
          days: positiveInt(request.body, 'days', 366),
        },
        app.now(),
      );
      return render(request, reply, { newToken: { token, holder: view.holder, expiresAt: view.expiresAt } }, 201);
    } catch (error) {
      const { status, message } = actionError(user.view.lang, error);
      return render(request, reply, { error: message }, status);
    }
  });
};
