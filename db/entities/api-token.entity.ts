import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { BaseSchema } from './base';
import { Person } from './person.entity';

import { ROLES } from './roles';

export { ROLES, type Role } from './roles';

/**
 * A personal API token for scripts (hash only), owned by a person and acting in one of their
 * roles. It carries a name (what it is for) and works until `expiresAt`, until it is revoked (the
 * console, `npm run token:revoke`), or until its person is disabled or loses that role.
 */
export const ApiToken = defineEntity({
  name: 'ApiToken',
  extends: BaseSchema,
  properties: {
    person: () => p.manyToOne(Person).index(),
    name: p.string().length(200),
    role: p.enum([...ROLES]),
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
  },
});
export type IApiToken = InferEntity<typeof ApiToken>;
