/** Request and response schemas of the title votes API (TypeBox → JSON Schema → OpenAPI). */
import { Type } from 'typebox';
import { EMULATION_TITLES } from '../../domain/emulation-titles';
import { TITLE_CHOICES, TITLE_OUTCOMES } from '../../domain/title-vote';
import { COUNCIL_POSITIONS } from '../../db/entities/person.entity';
import { TITLE_BALLOT_KINDS, TITLE_VOTE_STATUSES } from '../../db/entities/title-vote.entity';
import { Code } from '../http/request-schemas';
import { TitleVoteRuleSchema } from './schemas';

const Timestamp = Type.String({ format: 'date-time' });

export const Year = Type.Integer({ minimum: 2000, maximum: 2100, description: 'the year the titles are for' });
export const TitleVoteParams = Type.Object({ campaign: Code, year: Year });
export const Title = Type.Enum(EMULATION_TITLES, { description: 'an emulation title (domain/emulation-titles.ts)' });

export const OpenTitleVoteBody = Type.Object(
  {
    closesAt: Type.String({ format: 'date-time', description: 'when voting closes (the workflow counts then)' }),
    remindBeforeSeconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 30 * 86_400,
        description: 'members who have not voted are reminded this long before the closing time (default: one day)',
      }),
    ),
    nominees: Type.Array(
      Type.Object(
        {
          unitCode: Code,
          title: Title,
          reason: Type.Optional(Type.String({ maxLength: 5000 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);

export const Choices = Type.Array(
  Type.Object(
    {
      nominee: Type.Integer({ minimum: 1, maximum: 1000, description: 'the nominee’s number in the round' }),
      choice: Type.Enum(TITLE_CHOICES),
    },
    { additionalProperties: false },
  ),
  { minItems: 1, maxItems: 1000 },
);

export const BallotsBody = Type.Object({ ballots: Choices }, { additionalProperties: false });
export const WrittenOpinionBody = Type.Object(
  {
    personId: Type.Integer({ minimum: 1, description: 'the absent member (their id on the roll)' }),
    ballots: Choices,
  },
  { additionalProperties: false },
);

const Counts = Type.Object({ agree: Type.Integer(), disagree: Type.Integer(), abstain: Type.Integer() });

const Result = Type.Object({
  outcome: Type.Enum(TITLE_OUTCOMES),
  counted: Counts,
  participants: Type.Integer(),
  members: Type.Integer(),
  base: Type.Integer({ description: 'what the threshold is a share of' }),
  quorumReached: Type.Boolean(),
  thresholdReached: Type.Boolean(),
  tie: Type.Boolean(),
  tieSettledBy: Type.Union([Type.Literal('rule'), Type.Literal('chair'), Type.Null()]),
});

export const TitleVoteResponse = Type.Object({
  campaign: Type.Object({ code: Type.String(), name: Type.String() }),
  year: Type.Integer(),
  status: Type.Enum(TITLE_VOTE_STATUSES),
  openedBy: Type.String(),
  openedAt: Timestamp,
  closesAt: Timestamp,
  closedAt: Type.Union([Timestamp, Type.Null()]),
  closedBy: Type.Union([Type.String(), Type.Null()]),
  workflowId: Type.String(),
  roll: Type.Array(
    Type.Object({ personId: Type.Integer(), name: Type.String(), position: Type.Enum(COUNCIL_POSITIONS) }),
    { description: 'the council as it was when the round opened' },
  ),
  tookPart: Type.Array(Type.String()),
  nominees: Type.Array(
    Type.Object({
      nominee: Type.Integer(),
      unitCode: Type.String(),
      unitName: Type.String(),
      title: Title,
      reason: Type.Union([Type.String(), Type.Null()]),
      rule: TitleVoteRuleSchema,
      voted: Type.Array(Type.String()),
      writtenOpinions: Type.Array(Type.String()),
      ballots: Type.Union([Counts, Type.Null()], { description: 'once closed, and not under a secret ballot' }),
      writtenOpinionCounts: Type.Union([Counts, Type.Null()], {
        description: 'once closed, and not under a secret ballot',
      }),
      result: Type.Union([Result, Type.Null()], { description: 'once closed' }),
      choices: Type.Optional(
        Type.Array(
          Type.Object({ member: Type.String(), kind: Type.Enum(TITLE_BALLOT_KINDS), choice: Type.Enum(TITLE_CHOICES) }),
          { description: 'who chose what: only under an open ballot, once closed' },
        ),
      ),
    }),
  ),
});

export const TitleVoteListResponse = Type.Object({
  campaign: Type.Object({ code: Type.String(), name: Type.String() }),
  rounds: Type.Array(
    Type.Object({
      year: Type.Integer(),
      status: Type.Enum(TITLE_VOTE_STATUSES),
      closesAt: Timestamp,
      closedAt: Type.Union([Timestamp, Type.Null()]),
      members: Type.Integer(),
    }),
  ),
});

export const TitleVoteClosedResponse = Type.Object({
  closedAt: Timestamp,
  closedBy: Type.String(),
  outcomes: Type.Array(Type.Object({ nomineeId: Type.Integer(), outcome: Type.String() })),
});
