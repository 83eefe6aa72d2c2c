import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ApiToken, ROLES } from './api-token.entity';
import { BaseSchema } from './base';

/**
 * A console session, held on the server so it can end: at sign-out, when an administrator ends
 * it, when its token is revoked or expires, or at `expiresAt`. The cookie holds a random session
 * id; only its SHA-256 is kept here. Who signed in is the token's holder (its name and role are
 * copied at sign-in, so a changed role does not carry into an open session).
 */
export const ConsoleSession = defineEntity({
  name: 'ConsoleSession',
  tableName: 'session',
  extends: BaseSchema,
  properties: {
    idHash: p.string().length(64).unique(),
    token: () => p.manyToOne(ApiToken).index(),
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
