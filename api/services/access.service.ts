/**
 * Who can get in: people's API tokens (created and shown once, listed, revoked) and console
 * sessions (listed, ended). Revoking a token ends its open sessions at once. Every change is on
 * the audit record. Shared by the console, `npm run token:create` and `npm run token:revoke`.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { appendAudit, type Actor } from '../../db/audit';
import { ApiToken, ConsoleSession } from '../../db/entities';
import type { IApiToken, Role } from '../../db/entities/api-token.entity';
import type { IConsoleSession } from '../../db/entities/session.entity';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { newApiToken } from '../../auth/tokens';
import { createApiToken } from '../http/auth';
import { requireText } from './admin-common';
import { findPerson, scopesOf } from './people.service';

export interface TokenView {
  readonly id: number;
  readonly personId: number;
  readonly holder: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly state: 'active' | 'expired' | 'revoked';
}

export interface SessionView {
  readonly id: number;
  readonly personId: number;
  readonly tokenId: number | null;
  readonly method: string;
  readonly name: string;
  readonly role: Role;
  readonly origin: string | null;
  readonly createdAt: string;
  readonly expiresAt: string;
}

const tokenView = (t: IApiToken, now: Date): TokenView => ({
  id: t.id,
  personId: t.person.id,
  holder: t.person.name ?? '',
  name: t.name,
  role: t.role,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt.toISOString(),
  revokedAt: t.revokedAt?.toISOString() ?? null,
  state: t.revokedAt ? 'revoked' : t.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active',
});

const sessionView = (s: IConsoleSession): SessionView => ({
  id: s.id,
  personId: s.person.id,
  tokenId: s.token?.id ?? null,
  method: s.method,
  name: s.name,
  role: s.role,
  origin: s.origin ?? null,
  createdAt: s.createdAt.toISOString(),
  expiresAt: s.expiresAt.toISOString(),
});

/** Every token, newest first (never its hash). */
export async function listTokens(em: EntityManager, now: Date): Promise<TokenView[]> {
  return (await em.find(ApiToken, {}, { populate: ['person'], orderBy: { id: 'desc' } })).map((t) => tokenView(t, now));
}

/** The sessions open now, newest first. */
export async function listSessions(em: EntityManager, now: Date): Promise<SessionView[]> {
  return (await em.find(ConsoleSession, { endedAt: null, expiresAt: { $gt: now } }, { orderBy: { id: 'desc' } })).map(
    sessionView,
  );
}

/** Revokes a token (a second revoke changes nothing) and ends its open sessions. */
export async function revokeToken(
  em: EntityManager,
  actor: Actor,
  id: number,
  reason: string,
  now: Date,
): Promise<TokenView> {
  return em.transactional(async (tx) => {
    const token = await tx.findOne(ApiToken, id, { populate: ['person'] });
    if (!token) throw new NotFoundError({ code: 'api_token_unknown', params: { id } }, 'id');
    if (token.revokedAt) return tokenView(token, now);
    token.revokedAt = now;
    const sessions = await tx.find(ConsoleSession, { token, endedAt: null });
    for (const s of sessions) {
      s.endedAt = now;
      s.endReason = 'token revoked';
    }
    await tx.flush();
    await appendAudit(tx, {
      actor,
      action: 'token.revoked',
      subjectType: 'api_token',
      subjectId: String(id),
      before: { revokedAt: null },
      after: {
        personId: token.person.id,
        name: token.name,
        role: token.role,
        reason,
        sessionsEnded: sessions.map((s) => s.id),
      },
      occurredAt: now,
    });
    return tokenView(token, now);
  });
}

/** Ends an open session (it then opens nothing, whoever holds its cookie). */
export async function endSession(
  em: EntityManager,
  actor: Actor,
  id: number,
  reason: string,
  now: Date,
): Promise<SessionView> {
  return em.transactional(async (tx) => {
    const session = await tx.findOne(ConsoleSession, { id, endedAt: null });
    if (!session) throw new NotFoundError({ code: 'session_unknown', params: { id } }, 'id');
    session.endedAt = now;
    session.endReason = `ended by ${actor.id}: ${reason}`.slice(0, 300);
    await tx.flush();
    await appendAudit(tx, {
      actor,
      action: 'session.ended',
      subjectType: 'session',
      subjectId: String(id),
      after: { name: session.name, role: session.role, reason },
      occurredAt: now,
    });
    return sessionView(session);
  });
}

/** How long a token works unless its creator asks for another span, and the longest span allowed. */
export const TOKEN_DAYS = 90;
export const TOKEN_MAX_DAYS = 366;

/**
 * Creates an API token for a person in one of the roles they hold, named for what it is for;
 * answers the token (to show once: only its hash is kept) and its view. On the record.
 */
export async function createToken(
  em: EntityManager,
  actor: Actor,
  input: { personId: number; name: string; role: Role; days?: number },
  now: Date,
): Promise<{ token: string; view: TokenView }> {
  const name = requireText('name', input.name, { max: 200, formula: true });
  const days = input.days ?? TOKEN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > TOKEN_MAX_DAYS)
    throw new ValidationError(
      {
        code: 'field_invalid',
        params: { field: 'days', problem: `must be a whole number from 1 to ${TOKEN_MAX_DAYS}` },
      },
      'days',
    );
  return em.transactional(async (tx) => {
    const person = await findPerson(tx, input.personId);
    if (person.status !== 'active')
      throw new ValidationError({ code: 'person_disabled', params: { id: person.id } }, 'person');
    if (!(await scopesOf(tx, person.id, input.role)).length)
      throw new ValidationError({ code: 'role_not_held', params: { role: input.role } }, 'role');
    const token = newApiToken();
    const expiresAt = new Date(now.getTime() + days * 86_400_000);
    const id = await createApiToken(tx, { personId: person.id, name, role: input.role, expiresAt }, token);
    await appendAudit(tx, {
      actor,
      action: 'token.created',
      subjectType: 'api_token',
      subjectId: String(id),
      after: { personId: person.id, name, role: input.role, expiresAt: expiresAt.toISOString() },
      occurredAt: now,
    });
    const row = await tx.findOneOrFail(ApiToken, id, { populate: ['person'] });
    return { token, view: tokenView(row, now) };
  });
}

/**
 * A token for `hours` under `name` for a person, revoking their earlier ones of that name: so a
 * token shown in a terminal works for a short while only and tokens do not pile up. Answers the
 * new token.
 */
export async function replaceShortLivedToken(
  em: EntityManager,
  { personId, name, role, hours, actor }: { personId: number; name: string; role: Role; hours: number; actor: string },
): Promise<string> {
  const now = new Date();
  const system: Actor = { kind: 'system', id: actor, origin: actor };
  for (const earlier of await em.find(ApiToken, { person: personId, name, revokedAt: null })) {
    await revokeToken(em.fork(), system, earlier.id, 'replaced by a new short-lived token', now);
  }
  const token = newApiToken();
  const expiresAt = new Date(now.getTime() + hours * 3_600_000);
  await em.fork().transactional(async (tx) => {
    const id = await createApiToken(tx, { personId, name, role, expiresAt }, token);
    await appendAudit(tx, {
      actor: system,
      action: 'token.created',
      subjectType: 'api_token',
      subjectId: String(id),
      after: { personId, name, role, expiresAt: expiresAt.toISOString() },
      occurredAt: now,
    });
  });
  return token;
}
