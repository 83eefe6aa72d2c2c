/**
 * Request and response schemas of the administration API (TypeBox → JSON Schema: validated by
 * Fastify, published in OpenAPI). Checks a schema cannot express (unique codes, bounds in order,
 * a real time zone) are made by the services and answer 400 naming the field as well.
 */
import { Type, type TObject, type TSchema, type TUnsafe } from 'typebox';
import type { Timing } from '../../domain/policy';
import { Code } from '../http/request-schemas';
import type { IndicatorTarget } from '../../domain/template';
import { EMULATION_TITLES } from '../../domain/emulation-titles';
import { TIE_OUTCOMES, TITLE_VOTE_BASES, TITLE_VOTE_COMPARISONS } from '../../domain/title-vote';

const Email = Type.String({ format: 'email', maxLength: 320 });
const Timestamp = Type.String({ format: 'date-time' });
/** `null` or an empty string clears an optional field. */
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * A union told apart by `key` (JSON Schema `if`/`then`): a body of one kind is checked against
 * that kind only, so a 400 names the real offending field, not one of another kind.
 */
export function Discriminated<T>(
  key: string,
  branches: Readonly<Record<string, TObject>>,
  description: string,
): TUnsafe<T> {
  const kinds = Object.keys(branches);
  return Type.Unsafe<T>({
    type: 'object',
    description,
    required: [key],
    properties: { [key]: { type: 'string', enum: kinds } },
    allOf: kinds.map((kind) => ({ if: { properties: { [key]: { const: kind } } }, then: branches[kind] })),
  });
}

export const ErrorBody = Type.Object({
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
});

// ---------------------------------------------------------------------------------------- units

const UnitName = Type.String({ minLength: 1, maxLength: 300 });
const PersonName = Type.String({ minLength: 1, maxLength: 200 });

export const UnitBody = Type.Object(
  {
    code: Code,
    name: UnitName,
    headName: PersonName,
    headEmail: Email,
    supervisorName: Type.Optional(Nullable(PersonName)),
    supervisorEmail: Type.Optional(Nullable(Email)),
    active: Type.Optional(Type.Boolean({ default: true })),
    parentCode: Type.Optional(Nullable(Code)),
  },
  { additionalProperties: false },
);

export const UnitPatchBody = Type.Object(
  {
    name: Type.Optional(UnitName),
    headName: Type.Optional(PersonName),
    headEmail: Type.Optional(Email),
    supervisorName: Type.Optional(Nullable(PersonName)),
    supervisorEmail: Type.Optional(Nullable(Email)),
    active: Type.Optional(Type.Boolean()),
    parentCode: Type.Optional(Nullable(Code)),
  },
  { additionalProperties: false, description: 'only the fields to change; the code never changes' },
);

export const UnitReply = Type.Object({
  code: Type.String(),
  name: Type.String(),
  headName: Type.String(),
  headEmail: Type.String(),
  supervisorName: Nullable(Type.String()),
  supervisorEmail: Nullable(Type.String()),
  active: Type.Boolean(),
  parentCode: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const ImportProblem = Type.Object({ line: Type.Integer(), field: Type.String(), message: Type.String() });

export const ImportReply = Type.Object({
  dryRun: Type.Boolean(),
  saved: Type.Boolean({ description: 'true only when the rows were stored' }),
  created: Type.Integer({ description: 'rows that create a unit (or would)' }),
  updated: Type.Integer({ description: 'rows that change a unit (or would)' }),
  unchanged: Type.Integer(),
  errors: Type.Array(ImportProblem, { description: 'every problem, by line; empty when the file was accepted' }),
});

/** 400: a refused file (the import reply with every problem), or a malformed request. */
export const ImportRefusedReply = Type.Object({
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
  dryRun: Type.Optional(Type.Boolean()),
  saved: Type.Optional(Type.Boolean()),
  created: Type.Optional(Type.Integer()),
  updated: Type.Optional(Type.Integer()),
  unchanged: Type.Optional(Type.Integer()),
  errors: Type.Optional(Type.Array(ImportProblem)),
});

// ------------------------------------------------------------------------------------ templates

const TemplateCode = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,64}$',
  description: 'code of a key task, indicator or section',
});

export const LocalizedText = Type.Object(
  {
    vi: Type.String({ minLength: 1, maxLength: 2000, description: 'Vietnamese' }),
    en: Type.String({ minLength: 1, maxLength: 2000, description: 'English' }),
  },
  { additionalProperties: false },
);

const Bound = Type.Number({ minimum: -1e12, maximum: 1e12 });

export const IndicatorTargetSchema = Discriminated<IndicatorTarget>(
  'kind',
  {
    at_least: Type.Object({ kind: Type.Literal('at_least'), value: Bound }, { additionalProperties: false }),
    at_most: Type.Object({ kind: Type.Literal('at_most'), value: Bound }, { additionalProperties: false }),
    between: Type.Object({ kind: Type.Literal('between'), min: Bound, max: Bound }, { additionalProperties: false }),
  },
  'how the aggregate is compared with the target: at_least | at_most (value) or between (min, max)',
);

export const TemplateDefinitionSchema = Type.Object(
  {
    title: LocalizedText,
    keyTasks: Type.Array(Type.Object({ code: TemplateCode, title: LocalizedText }, { additionalProperties: false }), {
      maxItems: 100,
    }),
    indicators: Type.Array(
      Type.Object(
        {
          code: TemplateCode,
          title: LocalizedText,
          measure: LocalizedText,
          target: IndicatorTargetSchema,
          aggregation: Type.Union([
            Type.Literal('sum'),
            Type.Literal('average'),
            Type.Literal('min'),
            Type.Literal('max'),
            Type.Literal('latest'),
          ]),
          min: Bound,
          max: Bound,
          required: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
    sections: Type.Array(Type.Object({ code: TemplateCode, title: LocalizedText }, { additionalProperties: false }), {
      maxItems: 100,
    }),
    limits: Type.Object(
      {
        textMaxLength: Type.Integer({
          minimum: 1,
          maximum: 100_000,
          description: 'longest free text accepted, in characters',
        }),
        maxRows: Type.Integer({
          minimum: 0,
          maximum: 1000,
          description: 'most rows in a repeatable list (examples, proposals)',
        }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, description: 'TemplateDefinition (domain/template.ts)' },
);

export const TemplateSummaryReply = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  title: LocalizedText,
  createdAt: Timestamp,
});

export const TemplateVersionReply = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  title: LocalizedText,
  createdAt: Timestamp,
  definition: Type.Unknown({ description: 'the TemplateDefinition of this version' }),
});

// ------------------------------------------------------------------------------------- policies

const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'local time HH:MM (00:00–23:59)' });
const Day = Type.Integer({ minimum: 1, maximum: 28, description: 'day of the month, 1–28 (every month has it)' });
const WorkingDays = Type.Integer({ minimum: 0, maximum: 60 });
const Seconds = Type.Integer({ minimum: 0, maximum: 366 * 24 * 3600, description: 'seconds, non-negative' });

export const CalendarTimingSchema = Type.Object(
  {
    kind: Type.Literal('calendar'),
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Asia/Ho_Chi_Minh' }),
    dispatchDay: Day,
    dispatchTime: Time,
    deadlineDay: Day,
    deadlineTime: Time,
    reminderDaysBefore: Type.Array(Type.Integer({ minimum: 0, maximum: 27 }), {
      maxItems: 10,
      description: 'calendar days before the deadline; 0 is its morning',
    }),
    reminderTime: Time,
    escalationWorkingDaysAfter: Type.Tuple([WorkingDays, WorkingDays], {
      description: 'working days after the deadline: supervisor, then secretariat (increasing)',
    }),
    hardCloseWorkingDaysAfter: Type.Integer({ minimum: 1, maximum: 60, description: 'after the second escalation' }),
    reviewWorkingDays: Type.Integer({ minimum: 1, maximum: 60 }),
    revisionWorkingDays: Type.Integer({ minimum: 1, maximum: 60 }),
    levelWorkingDaysAfter: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 30 }), {
        minItems: 1,
        maxItems: 10,
        description:
          "working days from one level's deadline to the next level's, from the leaves up (the last repeats; default 1)",
      }),
    ),
  },
  { additionalProperties: false },
);

export const RelativeTimingSchema = Type.Object(
  {
    kind: Type.Literal('relative'),
    deadlineAfterSeconds: Seconds,
    reminderSecondsBefore: Type.Array(Seconds, { maxItems: 10 }),
    escalationSecondsAfter: Type.Tuple([Seconds, Seconds], {
      description: 'seconds after the deadline: supervisor, then secretariat (increasing)',
    }),
    hardCloseSecondsAfter: Seconds,
    reviewWindowSeconds: Type.Integer({ minimum: 1, maximum: 366 * 24 * 3600 }),
    revisionWindowSeconds: Type.Integer({ minimum: 1, maximum: 366 * 24 * 3600 }),
    levelSecondsAfter: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 366 * 24 * 3600 }), {
        minItems: 1,
        maxItems: 10,
        description: "seconds from one level's deadline to the next level's, from the leaves up (the last repeats)",
      }),
    ),
  },
  { additionalProperties: false },
);

export const TimingSchema = Discriminated<Timing>(
  'kind',
  { calendar: CalendarTimingSchema, relative: RelativeTimingSchema },
  'calendar: the real monthly calendar in a time zone, off weekends and holidays; relative: offsets in seconds from the start (demos, tests)',
);

const FractionSchema = Type.Object(
  {
    numerator: Type.Integer({ minimum: 1, maximum: 1000 }),
    denominator: Type.Integer({ minimum: 1, maximum: 1000 }),
  },
  { additionalProperties: false, description: 'an exact share: 0 < numerator ≤ denominator' },
);

export const TitleVoteRuleSchema = Type.Object(
  {
    threshold: FractionSchema,
    base: Type.Enum(TITLE_VOTE_BASES, {
      description: 'all_members: a share of every member on the roll; present: of those taking part',
    }),
    comparison: Type.Enum(TITLE_VOTE_COMPARISONS, {
      description: 'at_least: agree ≥ threshold × base; more_than: agree > threshold × base',
    }),
    quorum: FractionSchema,
    secretBallot: Type.Boolean({ description: 'nothing ever shows who chose what, only counts' }),
    writtenOpinionsCount: Type.Boolean({ description: 'written opinions of absent members count as ballots' }),
    tie: Type.Enum(TIE_OUTCOMES, { description: 'when as many agree as disagree (never passes below the threshold)' }),
  },
  { additionalProperties: false, description: 'TitleVoteRule (domain/title-vote.ts)' },
);

export const CyclePolicySchema = Type.Object(
  {
    timing: TimingSchema,
    maxReminders: Type.Integer({ minimum: 0, maximum: 10 }),
    quorum: FractionSchema,
    approvalThreshold: FractionSchema,
    secretBallots: Type.Boolean(),
    titleVotes: Type.Optional(
      Type.Object(Object.fromEntries(EMULATION_TITLES.map((t) => [t, Type.Optional(TitleVoteRuleSchema)])), {
        additionalProperties: false,
        description: 'how the council votes each emulation title; a title left out follows the defaults',
      }),
    ),
  },
  { additionalProperties: false, description: 'CyclePolicy (domain/policy.ts)' },
);

export const PolicyReply = Type.Object({
  code: Type.String(),
  definition: Type.Unknown({ description: 'the CyclePolicy' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

// ------------------------------------------------------------------------------------ campaigns

const CampaignName = Type.String({ minLength: 1, maxLength: 300 });

export const CampaignBody = Type.Object(
  {
    code: Code,
    name: CampaignName,
    templateCode: Code,
    policyCode: Code,
    active: Type.Optional(Type.Boolean({ default: true })),
    rootCode: Type.Optional(
      Nullable({
        ...Code,
        description:
          "the unit at the top of the campaign's tree: every active unit below it reports to its parent, level by level; null: every active unit reports straight to the council",
      }),
    ),
  },
  { additionalProperties: false },
);

const settingText = (maxLength: number, description: string) => Type.String({ maxLength, description });

/** A campaign's document settings; in a change, only the keys given change. */
export const DocumentSettingsPatch = Type.Object(
  {
    parentBody: Type.Optional(settingText(200, 'the body above the issuing one (capitals; may be empty)')),
    issuingBody: Type.Optional(settingText(200, 'the issuing body, e.g. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG')),
    numberPattern: Type.Optional(
      settingText(60, 'after "Số:"; {type} becomes BC, BB or QĐ and {year} the year, e.g. "   /{type}-HĐTĐKT"'),
    ),
    signerAuthority: Type.Optional(settingText(100, 'e.g. TM. HỘI ĐỒNG (may be empty)')),
    signerPosition: Type.Optional(settingText(100, 'e.g. CHỦ TỊCH')),
    signerName: Type.Optional(settingText(100, "the signer's name (may be empty)")),
    place: Type.Optional(settingText(100, 'the place before the date, e.g. Hà Nội')),
    recipients: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 30, description: 'Nơi nhận' })),
  },
  { additionalProperties: false },
);

export const DocumentSettingsReply = Type.Object({
  parentBody: Type.String(),
  issuingBody: Type.String(),
  numberPattern: Type.String(),
  signerAuthority: Type.String(),
  signerPosition: Type.String(),
  signerName: Type.String(),
  place: Type.String(),
  recipients: Type.Array(Type.String()),
});

export const CampaignPatchBody = Type.Object(
  {
    name: Type.Optional(CampaignName),
    documentSettings: Type.Optional(DocumentSettingsPatch),
    templateCode: Type.Optional(Code),
    policyCode: Type.Optional(Code),
    active: Type.Optional(Type.Boolean()),
    rootCode: Type.Optional(Nullable(Code)),
  },
  { additionalProperties: false },
);

export const CampaignReply = Type.Object({
  code: Type.String(),
  name: Type.String(),
  templateCode: Type.String(),
  policyCode: Type.String(),
  active: Type.Boolean(),
  rootCode: Nullable(Type.String()),
  documentSettings: DocumentSettingsReply,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

// ------------------------------------------------------------------------------------- holidays

export const HolidayDate = Type.String({
  format: 'date',
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'local date YYYY-MM-DD',
});

export const HolidayBody = Type.Object(
  {
    date: HolidayDate,
    name: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const HolidayReply = Type.Object({ date: Type.String(), name: Type.String() });
