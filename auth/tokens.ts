import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** SHA-256 hex digest: what the database keeps instead of any token. */
export const sha256 = (value: string | Buffer): string => createHash('sha256').update(value).digest('hex');

/**
 * A unit head's personal link token, derived from the task and its link version with a server
 * secret. Deriving (instead of drawing at random) lets a retried email activity render the same
 * link it may already have sent; bumping the version replaces the link.
 */
export function linkToken(secret: string, taskId: number, version: number): string {
  return createHmac('sha256', secret).update(`unit-task:${taskId}:${version}`).digest('base64url');
}

/** A unit's emulation-registration link token, derived from its registration row id with the server secret. */
export function registrationToken(secret: string, registrationId: number): string {
  return createHmac('sha256', secret).update(`registration:${registrationId}`).digest('base64url');
}

/** An emailed console sign-in link's token, derived from its row id (`SignInLink`) with the server secret. */
export function signInToken(secret: string, signInId: number): string {
  return createHmac('sha256', secret).update(`sign-in:${signInId}`).digest('base64url');
}

/** Link tokens are 43 base64url characters; anything else is refused before a lookup. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A personal API token for a person with a role: random, shown once, stored as a hash. */
export function newApiToken(): string {
  return `bc_${randomBytes(32).toString('base64url')}`;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
