import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ApiToken, ROLES } from './api-token.entity';
import { BaseSchema } from './base';
import { Person } from './person.entity';

export const SIGN_IN_METHODS = ['token', 'email', 'oidc'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/**
 * A console session, held on the server so it can end: at sign-out, when an administrator ends
 * it, when its token is revoked or expires, or at `expiresAt`. The cookie holds a random session
 * id; only its SHA-256 is kept here. Who signed in is `person` (name and role copied at sign-in;
 * the session stops working when the person is disabled or no longer holds the role).
 */
export const ConsoleSession = defineEntity({
  name: 'ConsoleSession',
  tableName: 'session',
  extends: BaseSchema,
  properties: {
    idHash: p.string().length(64).unique(),
    person: () => p.manyToOne(Person).index(),
    /** The token it was opened with, when it was (its revocation or expiry ends the session). */
    token: () => p.manyToOne(ApiToken).index().nullable(),
    method: p.enum([...SIGN_IN_METHODS]),
    name: p.string().length(200),
    role: p.enum([...ROLES]),
    /** The address the session was opened from. */
    origin: p.string().length(300).nullable(),
    expiresAt: p.datetime(),
    endedAt: p.datetime().nullable(),
    /** Why it ended: signed out, ended by an administrator, token revoked. */
    endReason: p.string().length(300).nullable(),
  },
});
export type IConsoleSession = InferEntity<typeof ConsoleSession>;
