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

/**
 * A campaign's summary over a window (of the whole campaign, `node` '', or of what reports to a
 * unit), stored once computed with the basis it was computed from: each month's state and
 * approved version (`summaryKey`). Approved versions never change, so a row whose basis is the
 * current one is the summary; another basis means months moved on and it is computed again.
 */
export const StoredSummary = defineEntity({
  name: 'StoredSummary',
  extends: BaseSchema,
  uniques: [{ properties: ['campaign', 'windowCode', 'node'] }],
  properties: {
    campaign: () => p.manyToOne(Campaign),
    windowCode: p.string().length(30),
    node: p.string().length(64),
    basis: p.text(),
    content: p.json<PeriodSummary>().lazy(),
  },
});
export type IStoredSummary = InferEntity<typeof StoredSummary>;
