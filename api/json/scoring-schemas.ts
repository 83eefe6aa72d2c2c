/** Request and response schemas of emulation blocs, scoring tables and rankings (domain/scoring.ts), published in OpenAPI. */
import { Type, type TSchema } from 'typebox';
import { MAX_CRITERIA, MAX_WEIGHT } from '../../domain/scoring';
import { Code, SummaryWindowParam } from '../http/request-schemas';
import { LocalizedText } from './schemas';
import { SummaryWindowSchema } from './summary-schemas';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const BlocParams = Type.Object({ campaign: Code, bloc: Code });
export const CampaignParams = Type.Object({ campaign: Code });
export const RankingParams = Type.Object({ ...BlocParams.properties, window: SummaryWindowParam });

const Name = Type.String({ minLength: 1, maxLength: 300 });
const UnitCodes = Type.Array(Code, { minItems: 1, maxItems: 500, description: 'the member units, by code' });

export const BlocBody = Type.Object(
  {
    code: Code,
    name: Name,
    year: Type.Integer({ minimum: 2000, maximum: 2999, description: 'the year its scoring table is for' }),
    unitCodes: UnitCodes,
  },
  { additionalProperties: false },
);

export const BlocPatchBody = Type.Object(
  { name: Type.Optional(Name), unitCodes: Type.Optional(UnitCodes) },
  { additionalProperties: false, minProperties: 1 },
);

const Kind = Type.Union(
  [
    Type.Literal('completeness'),
    Type.Literal('timeliness'),
    Type.Literal('indicator_attainment'),
    Type.Literal('key_tasks_done'),
    Type.Literal('council_decisions'),
    Type.Literal('hand'),
  ],
  {
    description:
      'completeness, timeliness, indicator_attainment, key_tasks_done, council_decisions (computed from the approved monthly reports), or hand (scored by the council)',
  },
);

const CriterionSchema = Type.Object(
  {
    code: Code,
    label: LocalizedText,
    weight: Type.Integer({ minimum: 1, maximum: MAX_WEIGHT, description: 'whole points' }),
    kind: Kind,
  },
  { additionalProperties: false },
);

export const ScoringTableBody = Type.Object(
  {
    criteria: Type.Array(CriterionSchema, {
      minItems: 1,
      maxItems: MAX_CRITERIA,
      description: 'every criterion, in the order that breaks ties; the list replaces the table',
    }),
  },
  { additionalProperties: false },
);

export const BlocReply = Type.Object({
  campaign: Type.String(),
  code: Type.String(),
  name: Type.String(),
  year: Type.Integer(),
  units: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  criteria: Type.Array(CriterionSchema),
  frozenWindows: Type.Array(Type.String()),
  updatedAt: Type.String(),
});

export const HandScoreBody = Type.Object(
  {
    unitCode: Code,
    criterionCode: Code,
    points: Type.Number({ minimum: 0, maximum: MAX_WEIGHT, description: '0 to the weight, at most 2 decimals' }),
    reason: Type.String({ minLength: 1, maxLength: 2000, description: 'why (required)' }),
  },
  { additionalProperties: false },
);

const HandScoreSchema = Type.Object({
  unitCode: Type.String(),
  criterionCode: Type.String(),
  hundredths: Type.Integer({ description: 'points × 100' }),
  reason: Type.String(),
  by: Type.String(),
  at: Type.String(),
});
export const HandScoreReply = HandScoreSchema;

const Evidence = Type.Object({
  period: Type.String(),
  consolidatedVersion: Type.Integer({ description: 'the consolidated version the council approved' }),
  submissionVersion: Nullable(Type.Integer({ description: "the unit's submission it counted" })),
  status: Type.Union([Type.Literal('on_time'), Type.Literal('late'), Type.Literal('missing')]),
  sentBack: Type.Boolean(),
  counts: Type.Boolean({ description: 'adds to the numerator' }),
});

const CriterionScoreSchema = Type.Object({
  code: Type.String(),
  label: LocalizedText,
  kind: Kind,
  weight: Type.Integer(),
  numerator: Type.Integer(),
  denominator: Type.Integer(),
  points: Type.String({ description: 'weight × numerator / denominator, exact ("a/b")' }),
  pointsDisplay: Type.String({ description: 'rounded to 2 decimals' }),
  reports: Type.Array(Evidence),
  indicators: Type.Optional(
    Type.Array(
      Type.Object({
        code: Type.String(),
        value: Nullable(Type.Number()),
        target: Type.Unknown(),
        registered: Type.Boolean(),
        met: Type.Boolean(),
      }),
    ),
  ),
  period: Type.Optional(Nullable(Type.String())),
  keyTasks: Type.Optional(Type.Array(Type.Object({ code: Type.String(), status: Nullable(Type.String()) }))),
  hand: Type.Optional(Nullable(HandScoreSchema)),
});

export const RankingReply = Type.Object({
  campaign: Type.Object({ code: Type.String(), name: Type.String() }),
  bloc: Type.Object({ code: Type.String(), name: Type.String(), year: Type.Integer() }),
  window: SummaryWindowSchema,
  criteria: Type.Array(CriterionSchema),
  frozen: Type.Optional(Type.Object({ frozenAt: Type.String(), frozenBy: Type.String(), sha256: Type.String() })),
  rows: Type.Array(
    Type.Object({
      unitCode: Type.String(),
      unitName: Type.String(),
      score: Type.String({ description: 'exact ("a/b")' }),
      scoreDisplay: Type.String({ description: 'rounded once, to 2 decimals, half away from zero' }),
      rank: Type.Integer(),
      shared: Type.Boolean(),
      criteria: Type.Array(CriterionScoreSchema),
    }),
  ),
});
