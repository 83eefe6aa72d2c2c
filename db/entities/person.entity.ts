import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { BaseSchema } from './base';
import { Campaign } from './campaign.entity';
import { Cycle } from './cycle.entity';
import { Unit } from './unit.entity';
import { ROLES } from './roles';

export const PERSON_STATUSES = ['active', 'disabled'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

/**
 * Someone who signs in to the console or calls the API: an administrator, a council member or an
 * auditor. The email is stored lower-cased, so it is unique whatever its case. A disabled person
 * opens nothing: their sessions and tokens stop working on the next request.
 */
export const Person = defineEntity({
  name: 'Person',
  extends: BaseSchema,
  properties: {
    name: p.string().length(200),
    email: p.string().length(320).unique(),
    status: p.enum([...PERSON_STATUSES]).default('active'),
  },
});
export type IPerson = InferEntity<typeof Person>;

export const SCOPE_KINDS = ['installation', 'campaign', 'unit'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

/**
 * A role a person holds, over a scope: the whole installation, one campaign, or one unit and every
 * unit below it (`Unit.parent`).
 */
export const RoleAssignment = defineEntity({
  name: 'RoleAssignment',
  extends: BaseSchema,
  properties: {
    person: () => p.manyToOne(Person).index(),
    role: p.enum([...ROLES]),
    scopeKind: p.enum([...SCOPE_KINDS]),
    campaign: () => p.manyToOne(Campaign).nullable(),
    unit: () => p.manyToOne(Unit).nullable(),
  },
});
export type IRoleAssignment = InferEntity<typeof RoleAssignment>;

export const COUNCIL_POSITIONS = ['chair', 'vice_chair', 'member', 'secretary'] as const;
export type CouncilPosition = (typeof COUNCIL_POSITIONS)[number];

/** A person's seat on one campaign's council: what quorum and thresholds count. */
export const CouncilMember = defineEntity({
  name: 'CouncilMember',
  extends: BaseSchema,
  uniques: [{ properties: ['campaign', 'person'] }],
  properties: {
    campaign: () => p.manyToOne(Campaign).index(),
    person: () => p.manyToOne(Person),
    position: p.enum([...COUNCIL_POSITIONS]),
  },
});
export type ICouncilMember = InferEntity<typeof CouncilMember>;

/**
 * The council of a cycle's review of one consolidated version, recorded when the review opens:
 * quorum and thresholds of that vote count these people, whatever the council becomes later.
 */
export const ReviewRoll = defineEntity({
  name: 'ReviewRoll',
  extends: BaseSchema,
  uniques: [{ properties: ['cycle', 'reportVersion'] }],
  properties: {
    cycle: () => p.manyToOne(Cycle),
    reportVersion: p.integer(),
    /** Person ids of the members, ascending. */
    memberIds: p.json<number[]>(),
    members: p.integer(),
  },
});
export type IReviewRoll = InferEntity<typeof ReviewRoll>;

/**
 * An emailed one-time sign-in link: its token is an HMAC of this row's id under the server secret
 * (derived again when the email is sent, so the outbox holds no secret); only its SHA-256 is kept.
 * Works once, until `expiresAt`, for `person` only.
 */
export const SignInLink = defineEntity({
  name: 'SignInLink',
  extends: BaseSchema,
  properties: {
    person: () => p.manyToOne(Person).index(),
    tokenHash: p.string().length(64).unique().nullable(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
  },
});
export type ISignInLink = InferEntity<typeof SignInLink>;
