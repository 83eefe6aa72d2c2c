/**
 * Sessions of the console, held on the server (`session` table) so that they can end: signing
 * out ends the session, an administrator can list and end sessions, disabling its person ends
 * it, and revoking or expiry of the token that opened one ends it too. A session belongs to a
 * person acting in one role; it stops working when they no longer hold that role. The cookie holds a random session id; the table keeps
 * only its SHA-256. CSRF tokens are an HMAC of the session id under a key derived from
 * LINK_SECRET: a form is accepted only with the token of the session that rendered it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { safeEqual, sha256 } from '../../auth/tokens';
import { appendAudit } from '../../db/audit';
import type { Role } from '../../db/entities/api-token.entity';
import type { IPerson } from '../../db/entities/person.entity';
import { ConsoleSession, type SignInMethod } from '../../db/entities/session.entity';
import { usableToken } from '../http/auth';
import { rolesOf, scopesOf, type Scope } from '../services/people.service';

export const SESSION_COOKIE = 'bc_session';
export const SIGN_IN_COOKIE = 'bc_signin';
export const LANG_COOKIE = 'bc_lang';
/** A working day, and then some. */
export const SESSION_SECONDS = 10 * 60 * 60;

export interface ConsoleUser {
  /** The token the session was opened with, if it was. */
  readonly tokenId: number | null;
  readonly personId: number;
  readonly name: string;
  readonly role: Role;
  /** Every role the person holds (they act in `role`, and may switch to another). */
  readonly roles: readonly Role[];
  readonly scopes: readonly Scope[];
  /** The random id of this session (the cookie's value); CSRF tokens are derived from it. */
  readonly sid: string;
  /** The session's row. */
  readonly sessionId: number;
  /** Expiry, seconds since the epoch. */
  readonly expiresAt: number;
}

export interface SessionKeys {
  readonly csrf: Buffer;
}

/** A key of its own for CSRF, derived from the server secret (never the secret itself). */
export function deriveKeys(secret: string): SessionKeys {
  return { csrf: createHmac('sha256', secret).update('baocao console csrf v1').digest() };
}

const mac = (key: Buffer, data: string): string => createHmac('sha256', key).update(data).digest('base64url');

/** A session id looks like this; anything else is not looked up. */
const SID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Audits a refused sign-in (no session): what was tried, never the secret. */
export async function auditSignInFailure(
  em: EntityManager,
  method: SignInMethod,
  origin: string,
  reason: string,
  now: Date,
  subject = 'console',
): Promise<void> {
  await em.fork().transactional((tx) =>
    appendAudit(tx, {
      actor: { kind: 'user', id: 'anonymous', origin },
      action: 'session.sign_in_failed',
      subjectType: 'session',
      subjectId: subject,
      after: { method, reason },
      occurredAt: now,
    }),
  );
}

/**
 * Opens a session for a person acting in `role` (on the record); answers the cookie's value.
 * The caller has checked who they are (a token, an emailed link, an identity provider).
 */
export async function openSession(
  em: EntityManager,
  input: {
    person: Pick<IPerson, 'id' | 'name'>;
    role: Role;
    scopes: readonly Scope[];
    method: SignInMethod;
    tokenId?: number;
    notAfter?: Date;
  },
  origin: string,
  now: Date,
): Promise<{ cookie: string; user: ConsoleUser }> {
  const sid = randomBytes(32).toString('base64url');
  const expiresAt = new Date(
    Math.min(now.getTime() + SESSION_SECONDS * 1000, input.notAfter?.getTime() ?? Number.POSITIVE_INFINITY),
  );
  const session = await em.transactional(async (tx) => {
    const row = tx.create(ConsoleSession, {
      idHash: sha256(sid),
      person: input.person.id,
      token: input.tokenId ?? null,
      method: input.method,
      name: input.person.name,
      role: input.role,
      origin,
      expiresAt,
    });
    await tx.flush();
    await appendAudit(tx, {
      actor: { kind: 'user', id: input.person.name, origin },
      action: 'session.started',
      subjectType: 'session',
      subjectId: String(row.id),
      after: {
        personId: input.person.id,
        method: input.method,
        tokenId: input.tokenId ?? null,
        role: input.role,
        expiresAt: expiresAt.toISOString(),
      },
      occurredAt: now,
    });
    return row;
  });
  return {
    cookie: sid,
    user: {
      roles: await rolesOf(em, input.person.id),
      tokenId: input.tokenId ?? null,
      personId: input.person.id,
      name: input.person.name,
      role: input.role,
      scopes: input.scopes,
      sid,
      sessionId: session.id,
      expiresAt: Math.floor(expiresAt.getTime() / 1000),
    },
  };
}

/**
 * Checks an API token typed on the sign-in page and opens a session for its person in its role;
 * null (and a failure on the record) for a token that does not work.
 */
export async function signIn(
  em: EntityManager,
  token: string,
  origin: string,
  now: Date,
): Promise<{ cookie: string; user: ConsoleUser } | null> {
  const trimmed = token.trim();
  const found = /^[A-Za-z0-9_-]{10,200}$/.test(trimmed) ? await usableToken(em, sha256(trimmed), now) : null;
  if (!found) {
    await auditSignInFailure(em, 'token', origin, 'token wrong, revoked or expired', now);
    return null;
  }
  return openSession(
    em,
    {
      person: found.token.person,
      role: found.token.role,
      scopes: found.scopes,
      method: 'token',
      tokenId: found.token.id,
      notAfter: found.token.expiresAt,
    },
    origin,
    now,
  );
}

/**
 * The user of a session cookie, or null when it is missing, unknown, ended or expired, its person
 * is disabled or no longer holds its role, or its token no longer works.
 */
export async function readSession(
  em: EntityManager,
  cookie: string | undefined,
  now: Date,
): Promise<ConsoleUser | null> {
  if (!cookie || !SID_PATTERN.test(cookie)) return null;
  const session = await em.findOne(
    ConsoleSession,
    { idHash: sha256(cookie), endedAt: null, expiresAt: { $gt: now }, person: { status: 'active' } },
    { populate: ['token', 'person'] },
  );
  if (!session) return null;
  const token = session.token;
  // A session opened with a token ends with it (its role may since have been switched to another the person holds).
  if (token && (token.revokedAt || token.expiresAt.getTime() <= now.getTime())) return null;
  const scopes = await scopesOf(em, session.person.id, session.role);
  if (!scopes.length) return null;
  return {
    roles: await rolesOf(em, session.person.id),
    tokenId: token?.id ?? null,
    personId: session.person.id,
    scopes,
    name: session.person.name,
    role: session.role,
    sid: cookie,
    sessionId: session.id,
    expiresAt: Math.floor(session.expiresAt.getTime() / 1000),
  };
}

/**
 * Makes an open session act in another role its person holds (on the record); false when they do
 * not hold it.
 */
export async function switchRole(
  em: EntityManager,
  user: Pick<ConsoleUser, 'sessionId' | 'personId' | 'name' | 'role'>,
  role: Role,
  origin: string,
  now: Date,
): Promise<boolean> {
  if (!(await scopesOf(em, user.personId, role)).length) return false;
  await em.transactional(async (tx) => {
    const session = await tx.findOneOrFail(ConsoleSession, { id: user.sessionId, endedAt: null });
    session.role = role;
    await tx.flush();
    await appendAudit(tx, {
      actor: { kind: 'user', id: user.name, origin },
      action: 'session.role_changed',
      subjectType: 'session',
      subjectId: String(user.sessionId),
      before: { role: user.role },
      after: { role },
      occurredAt: now,
    });
  });
  return true;
}

/** Ends the session of a cookie (signing out); answers whether one was open. */
export async function endSessionByCookie(
  em: EntityManager,
  cookie: string | undefined,
  origin: string,
  now: Date,
): Promise<boolean> {
  if (!cookie || !SID_PATTERN.test(cookie)) return false;
  return em.transactional(async (tx) => {
    const session = await tx.findOne(ConsoleSession, { idHash: sha256(cookie), endedAt: null });
    if (!session) return false;
    session.endedAt = now;
    session.endReason = 'signed out';
    await tx.flush();
    await appendAudit(tx, {
      actor: { kind: 'user', id: session.name, origin },
      action: 'session.ended',
      subjectType: 'session',
      subjectId: String(session.id),
      after: { reason: 'signed out' },
      occurredAt: now,
    });
    return true;
  });
}

/** The CSRF token of a session (or of a sign-in nonce before there is a session). */
export const csrfToken = (keys: SessionKeys, sid: string): string => mac(keys.csrf, `csrf:${sid}`);

export const csrfValid = (keys: SessionKeys, sid: string, sent: unknown): boolean =>
  typeof sent === 'string' && sent.length < 200 && safeEqual(csrfToken(keys, sid), sent);

export const newNonce = (): string => randomBytes(16).toString('base64url');
