import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { CyclePolicy } from '../../domain/policy';
import type { DocumentSettings } from '../../documents/settings';
import { BaseSchema } from './base';
import { Unit } from './unit.entity';

/** When things happen in a cycle and how the council decides. */
export const Policy = defineEntity({
  name: 'Policy',
  tableName: 'cycle_policy',
  extends: BaseSchema,
  properties: {
    code: p.string().length(64).unique(),
    definition: p.json<CyclePolicy>(),
  },
});
export type IPolicy = InferEntity<typeof Policy>;

/** An emulation campaign: the recurring monthly obligation, its template and its policy. */
export const Campaign = defineEntity({
  name: 'Campaign',
  extends: BaseSchema,
  properties: {
    code: p.string().length(64).unique(),
    name: p.string().length(300),
    /** Cycles pin the latest version of this template when they start. */
    templateCode: p.string().length(64),
    policy: () => p.manyToOne(Policy),
    active: p.boolean().default(true),
    /**
     * The unit at the top of the campaign's tree (the ministry, or a provincial Department):
     * every active unit below it reports, each to its parent, level by level. Null: every active
     * unit reports straight to the council, as one level.
     */
    rootUnit: () => p.manyToOne(Unit).nullable(),
    /** Issuing body, signer, place, number pattern and recipients of its documents; defaults when null. */
    documentSettings: p.json<Partial<DocumentSettings>>().nullable(),
  },
});
export type ICampaign = InferEntity<typeof Campaign>;

/** A public holiday: deadlines and escalations skip it. */
export const Holiday = defineEntity({
  name: 'Holiday',
  extends: BaseSchema,
  properties: {
    /** Local date `YYYY-MM-DD`. */
    date: p.string().length(10).unique(),
    name: p.string().length(200),
  },
});
export type IHoliday = InferEntity<typeof Holiday>;
