import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { Criterion, RankedUnit } from '../../domain/scoring';
import { BaseSchema } from './base';
import { Campaign } from './campaign.entity';

/** An emulation bloc (khối thi đua): a named set of a campaign's units, for one year. */
export const Bloc = defineEntity({
  name: 'Bloc',
  extends: BaseSchema,
  uniques: [{ properties: ['campaign', 'code'] }],
  properties: {
    campaign: () => p.manyToOne(Campaign),
    code: p.string().length(64),
    name: p.string().length(300),
    year: p.integer(),
    /** The member units' codes, sorted. */
    unitCodes: p.json<string[]>(),
  },
});
export type IBloc = InferEntity<typeof Bloc>;

/** A bloc's scoring table (bảng chấm điểm) for its year: its criteria, in the order that breaks ties. */
export const ScoringTable = defineEntity({
  name: 'ScoringTable',
  extends: BaseSchema,
  properties: {
    bloc: () => p.manyToOne(Bloc).unique(),
    criteria: p.json<Criterion[]>(),
  },
});

/** The council's points for a unit on a hand-scored criterion, over one window. */
export const HandScoreEntry = defineEntity({
  name: 'HandScoreEntry',
  tableName: 'hand_score',
  extends: BaseSchema,
  uniques: [{ properties: ['bloc', 'windowCode', 'criterionCode', 'unitCode'] }],
  properties: {
    bloc: () => p.manyToOne(Bloc),
    windowCode: p.string().length(30),
    criterionCode: p.string().length(64),
    unitCode: p.string().length(64),
    /** Hundredths of a point. */
    hundredths: p.integer(),
    reason: p.text(),
    setBy: p.string().length(200),
    setAt: p.datetime(),
  },
});

/** A bloc's ranking over a window, frozen: hand scores and the table no longer change it. */
export const FrozenRanking = defineEntity({
  name: 'FrozenRanking',
  extends: BaseSchema,
  uniques: [{ properties: ['bloc', 'windowCode'] }],
  properties: {
    bloc: () => p.manyToOne(Bloc),
    windowCode: p.string().length(30),
    content: p.json<RankedUnit[]>().lazy(),
    /** SHA-256 of the content's canonical JSON, also in the audit event that froze it. */
    sha256: p.string().length(64),
    frozenAt: p.datetime(),
    frozenBy: p.string().length(200),
  },
});
