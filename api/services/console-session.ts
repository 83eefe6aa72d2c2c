/**
 * Sessions of the console without a session table: a cookie holding who signed in (token id, a
 * prefix of the token's hash, role, expiry, a random session id), signed with HMAC-SHA256 under a
 * key derived from LINK_SECRET. Every request checks the signature, the expiry and that the
 * token still exists unrevoked with the same hash and role, so revoking a token ends its
 * sessions at once. CSRF tokens are an HMAC of the session id under a second derived key: a
 * form is accepted only with the token of the session that rendered it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { safeEqual, sha256 } from '../../auth/tokens';
import { ApiToken, type Role } from '../../db/entities/api-token.entity';

export const SESSION_COOKIE = 'bc_session';
export const SIGN_IN_COOKIE = 'bc_signin';
export const LANG_COOKIE = 'bc_lang';
/** A working day, and then some. */
export const SESSION_SECONDS = 10 * 60 * 60;

export interface ConsoleUser {
  readonly tokenId: number;
  readonly name: string;
  readonly role: Role;
  /** The random id of this session; CSRF tokens are derived from it. */
  readonly sid: string;
  readonly expiresAt: number;
}

interface Payload {
  readonly v: 1;
  readonly sid: string;
  readonly tid: number;
  /** First 16 hex digits of the token's SHA-256, so a re-issued id cannot take the session over. */
  readonly th: string;
  readonly role: Role;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
}

export interface SessionKeys {
  readonly session: Buffer;
  readonly csrf: Buffer;
}

/** Keys of their own for sessions and CSRF, derived from the server secret (never the secret itself). */
export function deriveKeys(secret: string): SessionKeys {
  const derive = (label: string): Buffer => createHmac('sha256', secret).update(`baocao console ${label} v1`).digest();
  return { session: derive('session'), csrf: derive('csrf') };
}

const mac = (key: Buffer, data: string): string => createHmac('sha256', key).update(data).digest('base64url');

/** Checks a personal token typed on the sign-in page; answers the session cookie's value. */
export async function signIn(em: EntityManager, keys: SessionKeys, token: string, now: Date): Promise<{ cookie: string; user: ConsoleUser } | null> {
  const trimmed = token.trim();
  if (!/^[A-Za-z0-9_-]{10,200}$/.test(trimmed)) return null;
  const hash = sha256(trimmed);
  const found = await em.findOne(ApiToken, { tokenHash: hash, revokedAt: null });
  if (!found) return null;
  const payload: Payload = { v: 1, sid: randomBytes(16).toString('base64url'), tid: found.id, th: hash.slice(0, 16), role: found.role, exp: Math.floor(now.getTime() / 1000) + SESSION_SECONDS };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return { cookie: `${body}.${mac(keys.session, body)}`, user: { tokenId: found.id, name: found.name, role: found.role, sid: payload.sid, expiresAt: payload.exp } };
}

/** The user of a session cookie, or null when it is missing, forged, expired or its token revoked. */
export async function readSession(em: EntityManager, keys: SessionKeys, cookie: string | undefined, now: Date): Promise<ConsoleUser | null> {
  if (!cookie || cookie.length > 1000) return null;
  const dot = cookie.indexOf('.');
  if (dot <= 0) return null;
  const body = cookie.slice(0, dot);
  if (!safeEqual(mac(keys.session, body), cookie.slice(dot + 1))) return null;
  let payload: Payload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
  } catch {
    return null;
  }
  if (payload.v !== 1 || typeof payload.tid !== 'number' || payload.exp * 1000 <= now.getTime()) return null;
  const token = await em.findOne(ApiToken, { id: payload.tid, revokedAt: null });
  if (!token || !token.tokenHash.startsWith(payload.th) || token.role !== payload.role) return null;
  return { tokenId: token.id, name: token.name, role: token.role, sid: payload.sid, expiresAt: payload.exp };
}

/** The CSRF token of a session (or of a sign-in nonce before there is a session). */
export const csrfToken = (keys: SessionKeys, sid: string): string => mac(keys.csrf, `csrf:${sid}`);

export const csrfValid = (keys: SessionKeys, sid: string, sent: unknown): boolean =>
  typeof sent === 'string' && sent.length < 200 && safeEqual(csrfToken(keys, sid), sent);

export const newNonce = (): string => randomBytes(16).toString('base64url');
