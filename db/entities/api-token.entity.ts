import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { BaseSchema } from './base';

export const ROLES = ['admin', 'council', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/**
 * A personal API token for an administrator, council member or auditor (hash only). It works
 * until `expiresAt`, or until it is revoked (`npm run token:revoke`, or the API).
 */
export const ApiToken = defineEntity({
  name: 'ApiToken',
  extends: BaseSchema,
  properties: {
    name: p.string().length(200),
    email: p.string().length(320).nullable(),
    role: p.enum([...ROLES]),
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
  },
});
export type IApiToken = InferEntity<typeof ApiToken>;
