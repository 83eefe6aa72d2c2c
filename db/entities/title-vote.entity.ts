import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { EMULATION_TITLES } from '../../domain/emulation-titles';
import { TITLE_CHOICES, type TitleResult, type TitleVoteRules } from '../../domain/title-vote';
import { BaseSchema } from './base';
import { Campaign } from './campaign.entity';
import { Person, type CouncilPosition } from './person.entity';

/** A member on a title vote's roll, as the council was when the vote opened. */
export interface RollMember {
  readonly personId: number;
  readonly name: string;
  readonly position: CouncilPosition;
}

export const TITLE_VOTE_STATUSES = ['open', 'closed'] as const;
export type TitleVoteStatus = (typeof TITLE_VOTE_STATUSES)[number];

/**
 * A round of title votes of a campaign's council for one year: its roll and every title's rule
 * are recorded when it opens, so a later change of the council or the policy does not change it.
 */
export const TitleVote = defineEntity({
  name: 'TitleVote',
  extends: BaseSchema,
  uniques: [{ properties: ['campaign', 'year'] }],
  properties: {
    campaign: () => p.manyToOne(Campaign),
    year: p.integer(),
    status: p.enum([...TITLE_VOTE_STATUSES]),
    roll: p.json<RollMember[]>(),
    rules: p.json<TitleVoteRules>(),
    openedBy: p.string().length(200),
    openedAt: p.datetime(),
    closesAt: p.datetime(),
    /** Seconds before `closesAt` at which members who have not voted are reminded. */
    remindBeforeSeconds: p.integer(),
    closedAt: p.datetime().nullable(),
    /** Who closed it: the secretary's name, or `deadline`. */
    closedBy: p.string().length(200).nullable(),
    workflowId: p.string().length(250),
  },
});
export type ITitleVote = InferEntity<typeof TitleVote>;

/** One unit proposed for one title in a round; its result once the round closes. */
export const TitleNominee = defineEntity({
  name: 'TitleNominee',
  extends: BaseSchema,
  uniques: [{ properties: ['vote', 'unitCode', 'title'] }],
  properties: {
    vote: () => p.manyToOne(TitleVote).index(),
    /** Order of the nominee in the round, from 1. */
    position: p.integer(),
    unitCode: p.string().length(64),
    unitName: p.string().length(300),
    title: p.enum([...EMULATION_TITLES]),
    reason: p.text().nullable(),
    result: p.json<TitleResult>().nullable(),
  },
});
export type ITitleNominee = InferEntity<typeof TitleNominee>;

export const TITLE_BALLOT_KINDS = ['ballot', 'written_opinion'] as const;
export type TitleBallotKind = (typeof TITLE_BALLOT_KINDS)[number];

/**
 * A member's choice on one nominee: cast by the member, or their written opinion recorded by the
 * secretary while they are absent. One per member and nominee.
 */
export const TitleBallot = defineEntity({
  name: 'TitleBallot',
  extends: BaseSchema,
  uniques: [{ properties: ['nominee', 'voter'] }],
  properties: {
    vote: () => p.manyToOne(TitleVote).index(),
    nominee: () => p.manyToOne(TitleNominee),
    voter: () => p.manyToOne(Person),
    kind: p.enum([...TITLE_BALLOT_KINDS]),
    choice: p.enum([...TITLE_CHOICES]),
    /** Who recorded a written opinion. */
    recordedBy: p.string().length(200).nullable(),
  },
});
export type ITitleBallot = InferEntity<typeof TitleBallot>;
