/**
 * Who can get in: personal API tokens (listed, revoked) and console sessions (listed, ended).
 * Revoking a token ends its open sessions at once. Every change is on the audit record. Shared
 * by the administrators' API and `npm run token:revoke`.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { appendAudit, type Actor } from '../../db/audit';
import { ApiToken, ConsoleSession } from '../../db/entities';
import type { IApiToken, Role } from '../../db/entities/api-token.entity';
import type { IConsoleSession } from '../../db/entities/session.entity';
import { NotFoundError } from '../../domain/errors';
import { newApiToken } from '../../auth/tokens';
import { createApiToken } from '../http/auth';

export interface TokenView {
  readonly id: number;
  readonly name: string;
  readonly role: Role;
  readonly email: string | null;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly state: 'active' | 'expired' | 'revoked';
}

export interface SessionView {
  readonly id: number;
  readonly tokenId: number;
  readonly name: string;
  readonly role: Role;
  readonly origin: string | null;
  readonly createdAt: string;
  readonly expiresAt: string;
}

const tokenView = (t: IApiToken, now: Date): TokenView => ({
  id: t.id,
  name: t.name,
  role: t.role,
  email: t.email ?? null,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt.toISOString(),
  revokedAt: t.revokedAt?.toISOString() ?? null,
  state: t.revokedAt ? 'revoked' : t.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active',
});

const sessionView = (s: IConsoleSession): SessionView => ({
  id: s.id,
  tokenId: s.token.id,
  name: s.name,
  role: s.role,
  origin: s.origin ?? null,
  createdAt: s.createdAt.toISOString(),
  expiresAt: s.expiresAt.toISOString(),
});

/** Every token, newest first (never its hash). */
export async function listTokens(em: EntityManager, now: Date): Promise<TokenView[]> {
  return (await em.find(ApiToken, {}, { orderBy: { id: 'desc' } })).map((t) => tokenView(t, now));
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
    const token = await tx.findOne(ApiToken, id);
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
      after: { name: token.name, role: token.role, reason, sessionsEnded: sessions.map((s) => s.id) },
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

/**
 * A token for `hours` under `name`, revoking the earlier ones of that name: what `npm start`
 * prints at each start, so a token shown in a terminal works for a short while only and tokens do
 * not pile up. Answers the new token.
 */
export async function replaceShortLivedToken(
  em: EntityManager,
  { name, role, hours, actor }: { name: string; role: Role; hours: number; actor: string },
): Promise<string> {
  const now = new Date();
  for (const earlier of await em.find(ApiToken, { name, revokedAt: null })) {
    await revokeToken(
      em.fork(),
      { kind: 'system', id: actor, origin: actor },
      earlier.id,
      'replaced by a new short-lived token',
      now,
    );
  }
  const token = newApiToken();
  await createApiToken(em.fork(), { name, role, expiresAt: new Date(now.getTime() + hours * 3_600_000) }, token);
  return token;
}
