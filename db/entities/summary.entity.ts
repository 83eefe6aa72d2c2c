import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { PeriodSummary } from '../../domain/summary';
import { BaseSchema } from './base';
import { Campaign } from './campaign.entity';

/**
 * A campaign's summary over a window, frozen by the summary workflow: what the summary said when
 * it was frozen, kept as it was (later approvals of the window's months do not change it).
 */
export const FrozenSummary = defineEntity({
  name: 'FrozenSummary',
  extends: BaseSchema,
  uniques: [{ properties: ['campaign', 'windowCode'] }],
  properties: {
    campaign: () => p.manyToOne(Campaign),
    windowCode: p.string().length(30),
    content: p.json<PeriodSummary>().lazy(),
    /** SHA-256 of the content's canonical JSON, also in the audit event that froze it. */
    sha256: p.string().length(64),
    frozenAt: p.datetime(),
    workflowId: p.string().length(250),
  },
});
export type IFrozenSummary = InferEntity<typeof FrozenSummary>;
