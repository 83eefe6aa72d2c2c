/**
 * Sessions of the console, held on the server (`session` table) so that they can end: signing
 * out ends the session, an administrator can list and end sessions, and revoking or expiry of
 * the token that opened one ends it too. The cookie holds a random session id; the table keeps
 * only its SHA-256. CSRF tokens are an HMAC of the session id under a key derived from
 * LINK_SECRET: a form is accepted only with the token of the session that rendered it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { safeEqual, sha256 } from '../../auth/tokens';
import { appendAudit } from '../../db/audit';
import type { Role } from '../../db/entities/api-token.entity';
import { ConsoleSession } from '../../db/entities/session.entity';
import { usableToken } from '../http/auth';

export const SESSION_COOKIE = 'bc_session';
export const SIGN_IN_COOKIE = 'bc_signin';
export const LANG_COOKIE = 'bc_lang';
/** A working day, and then some. */
export const SESSION_SECONDS = 10 * 60 * 60;

export interface ConsoleUser {
  readonly tokenId: number;
  readonly name: string;
  readonly role: Role;
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

/**
 * Checks a personal token typed on the sign-in page and opens a session for it (on the record);
 * answers the session cookie's value, or null for a token that does not work.
 */
export async function signIn(
  em: EntityManager,
  token: string,
  origin: string,
  now: Date,
): Promise<{ cookie: string; user: ConsoleUser } | null> {
  const trimmed = token.trim();
  if (!/^[A-Za-z0-9_-]{10,200}$/.test(trimmed)) return null;
  const found = await usableToken(em, sha256(trimmed), now);
  if (!found) return null;
  const sid = randomBytes(32).toString('base64url');
  // Never past the token's own expiry.
  const expiresAt = new Date(Math.min(now.getTime() + SESSION_SECONDS * 1000, found.expiresAt.getTime()));
  const session = await em.transactional(async (tx) => {
    const row = tx.create(ConsoleSession, {
      idHash: sha256(sid),
      token: found.id,
      name: found.name,
      role: found.role,
      origin,
      expiresAt,
    });
    await tx.flush();
    await appendAudit(tx, {
      actor: { kind: 'user', id: found.name, origin },
      action: 'session.started',
      subjectType: 'session',
      subjectId: String(row.id),
      after: { tokenId: found.id, role: found.role, expiresAt: expiresAt.toISOString() },
      occurredAt: now,
    });
    return row;
  });
  return {
    cookie: sid,
    user: {
      tokenId: found.id,
      name: found.name,
      role: found.role,
      sid,
      sessionId: session.id,
      expiresAt: Math.floor(expiresAt.getTime() / 1000),
    },
  };
}

/** The user of a session cookie, or null when it is missing, unknown, ended or expired, or its token no longer works. */
export async function readSession(
  em: EntityManager,
  cookie: string | undefined,
  now: Date,
): Promise<ConsoleUser | null> {
  if (!cookie || !SID_PATTERN.test(cookie)) return null;
  const session = await em.findOne(
    ConsoleSession,
    { idHash: sha256(cookie), endedAt: null, expiresAt: { $gt: now } },
    { populate: ['token'] },
  );
  if (!session) return null;
  const token = session.token;
  if (token.revokedAt || token.expiresAt.getTime() <= now.getTime() || token.role !== session.role) return null;
  return {
    tokenId: token.id,
    name: session.name,
    role: session.role,
    sid: cookie,
    sessionId: session.id,
    expiresAt: Math.floor(session.expiresAt.getTime() / 1000),
  };
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
