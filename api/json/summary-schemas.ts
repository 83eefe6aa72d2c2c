/** Response schemas of the periodic summaries (domain/summary.ts), published in OpenAPI. */
import { Type, type TSchema } from 'typebox';
import { LocalizedText } from './schemas';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Num = Nullable(Type.Number());
const Periods = Type.Array(Type.String({ description: 'YYYY-MM' }));
const Target = Type.Unknown({
  description: 'the target: {kind: at_least|at_most, value} or {kind: between, min, max}',
});
const Counts = Type.Object({ done: Type.Integer(), in_progress: Type.Integer(), not_started: Type.Integer() });
const Timeliness = Nullable(
  Type.Union([Type.Literal('on_time'), Type.Literal('late'), Type.Literal('missing'), Type.Literal('not_expected')], {
    description: 'null when the month is not approved',
  }),
);
const MonthState = Type.Union([
  Type.Literal('accepted'),
  Type.Literal('in_progress'),
  Type.Literal('cancelled'),
  Type.Literal('none'),
]);
const Rate = {
  expected: Type.Integer(),
  submitted: Type.Integer(),
  onTime: Type.Integer(),
  completeness: Type.Number(),
  onTimeRate: Type.Number(),
};

export const SummaryWindowSchema = Type.Object({
  kind: Type.Union([Type.Literal('quarter'), Type.Literal('half'), Type.Literal('year'), Type.Literal('months')]),
  code: Type.String(),
  from: Type.String(),
  to: Type.String(),
  periods: Periods,
  dataFrom: Type.String({ description: 'first day of the data covered (Decree 09/2019 art. 12)' }),
  dataTo: Type.String({ description: 'last day of the data covered' }),
});

const CampaignRef = Type.Object({ code: Type.String(), name: Type.String() });

const IndicatorBase = {
  code: Type.String(),
  title: LocalizedText,
  measure: LocalizedText,
  aggregation: Type.String(),
  target: Target,
  periods: Periods,
  value: Num,
  met: Nullable(Type.Boolean()),
};

export const PeriodSummaryResponse = Type.Object({
  campaign: CampaignRef,
  window: SummaryWindowSchema,
  node: Type.Optional(Type.Object({ unitCode: Type.String(), unitName: Type.String() })),
  frozen: Type.Optional(
    Type.Object(
      { frozenAt: Type.String(), workflowId: Type.String(), sha256: Type.String() },
      { description: 'present when the summary was frozen: what it said then' },
    ),
  ),
  months: Type.Array(
    Type.Object({
      period: Type.String(),
      state: MonthState,
      version: Nullable(Type.Integer()),
      templateVersion: Nullable(Type.Integer()),
      ...Rate,
    }),
  ),
  reporting: Type.Object(Rate),
  keyTasks: Type.Array(
    Type.Object({
      code: Type.String(),
      title: LocalizedText,
      periods: Periods,
      months: Type.Array(Type.Object({ period: Type.String(), counts: Nullable(Counts) })),
    }),
  ),
  indicators: Type.Array(
    Type.Object({
      ...IndicatorBase,
      months: Type.Array(
        Type.Object({
          period: Type.String(),
          value: Num,
          reported: Type.Integer(),
          target: Target,
          met: Nullable(Type.Boolean()),
        }),
      ),
    }),
  ),
  sections: Type.Array(Type.Object({ code: Type.String(), title: LocalizedText, periods: Periods })),
  units: Type.Array(
    Type.Object({
      unitCode: Type.String(),
      unitName: Type.String(),
      months: Type.Array(Type.Object({ period: Type.String(), status: Timeliness })),
      expected: Type.Integer(),
      onTime: Type.Integer(),
      late: Type.Integer(),
      missing: Type.Integer(),
      streak: Type.Integer(),
      longestStreak: Type.Integer(),
      indicators: Type.Array(Type.Object({ code: Type.String(), value: Num })),
    }),
  ),
});

export const UnitSummaryResponse = Type.Object({
  campaign: CampaignRef,
  window: SummaryWindowSchema,
  unitCode: Type.String(),
  unitName: Type.String(),
  months: Type.Array(
    Type.Object({
      period: Type.String(),
      state: MonthState,
      templateVersion: Nullable(Type.Integer()),
      status: Timeliness,
      submittedAt: Nullable(Type.String()),
      deadline: Nullable(Type.String()),
      version: Nullable(Type.Integer()),
      sections: Type.Array(Type.Object({ code: Type.String(), title: LocalizedText, text: Type.String() })),
      examples: Type.Array(Type.Object({ name: Type.String(), kind: Type.String(), description: Type.String() })),
      proposals: Type.Array(
        Type.Object({
          nominee: Type.String(),
          nomineeKind: Type.String(),
          commendationKind: Type.String(),
          requestedForm: Type.String(),
          summary: Type.String(),
        }),
      ),
      recommendations: Type.String(),
    }),
  ),
  expected: Type.Integer(),
  onTime: Type.Integer(),
  late: Type.Integer(),
  missing: Type.Integer(),
  streak: Type.Integer(),
  longestStreak: Type.Integer(),
  keyTasks: Type.Array(
    Type.Object({
      code: Type.String(),
      title: LocalizedText,
      periods: Periods,
      months: Type.Array(
        Type.Object({
          period: Type.String(),
          status: Nullable(Type.String()),
          text: Nullable(Type.String()),
          evidenceUrl: Nullable(Type.String()),
        }),
      ),
    }),
  ),
  indicators: Type.Array(
    Type.Object({
      ...IndicatorBase,
      months: Type.Array(
        Type.Object({ period: Type.String(), value: Num, target: Target, met: Nullable(Type.Boolean()) }),
      ),
      registered: Nullable(
        Type.Object(
          { target: Target, met: Nullable(Type.Boolean()) },
          {
            description:
              "what the unit registered for this indicator in the registration year, as a target (at_most for an indicator whose template target is a ceiling, at_least otherwise), and whether the window's figure meets it; null when it registered none",
          },
        ),
      ),
    }),
  ),
  registrationYear: Type.Integer({
    description: "the year whose registration the indicators are compared with: the window's last month's",
  }),
});

export const SummaryScheduleResponse = Type.Object({
  scheduleId: Type.String(),
  paused: Type.Boolean(),
  note: Type.Union([Type.String(), Type.Null()]),
  nextRuns: Type.Array(Type.String({ description: 'ISO instant' })),
  recentRuns: Type.Array(Type.Object({ scheduledAt: Type.String(), workflowId: Type.String() })),
});
