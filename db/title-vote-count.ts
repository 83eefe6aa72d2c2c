/**
 * The count of a title vote round from its stored ballots: per nominee, the ballots and written
 * opinions of the members on its roll, the chair's counted choice, and the outcome under the
 * title's rule recorded when the round opened (domain/title-vote.ts).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { TitleBallot, TitleNominee } from './entities';
import type { ITitleNominee, ITitleVote } from './entities/title-vote.entity';
import {
  decideTitle,
  type ChoiceCounts,
  type NomineeCount,
  type TitleChoice,
  type TitleResult,
} from '../domain/title-vote';

export interface StoredChoice {
  readonly nomineeId: number;
  readonly personId: number;
  readonly kind: 'ballot' | 'written_opinion';
  readonly choice: TitleChoice;
  readonly recordedBy: string | null;
  readonly at: Date;
}

export interface NomineeTally {
  readonly nominee: ITitleNominee;
  readonly count: NomineeCount;
  readonly result: TitleResult;
}

const counts = (choices: readonly StoredChoice[]): ChoiceCounts => ({
  agree: choices.filter((c) => c.choice === 'agree').length,
  disagree: choices.filter((c) => c.choice === 'disagree').length,
  abstain: choices.filter((c) => c.choice === 'abstain').length,
});

/** Every choice stored in the round by a member on its roll, oldest first. */
export async function storedChoices(em: EntityManager, vote: ITitleVote): Promise<StoredChoice[]> {
  const onRoll = new Set(vote.roll.map((m) => m.personId));
  const rows = await em.find(TitleBallot, { vote: vote.id }, { orderBy: { id: 'asc' } });
  return rows
    .filter((b) => onRoll.has(b.voter.id))
    .map((b) => ({
      nomineeId: b.nominee.id,
      personId: b.voter.id,
      kind: b.kind,
      choice: b.choice,
      recordedBy: b.recordedBy ?? null,
      at: b.createdAt,
    }));
}

/** Each nominee of the round, in order, with its count and outcome as the stored ballots give them now. */
export async function tallyTitleVote(em: EntityManager, vote: ITitleVote): Promise<NomineeTally[]> {
  const nominees = await em.find(TitleNominee, { vote: vote.id }, { orderBy: { position: 'asc' } });
  const choices = await storedChoices(em, vote);
  const chair = vote.roll.find((m) => m.position === 'chair')?.personId;
  return nominees.map((nominee) => {
    const rule = vote.rules[nominee.title];
    const mine = choices.filter((c) => c.nomineeId === nominee.id);
    const chairs = mine.find((c) => c.personId === chair && (c.kind === 'ballot' || rule.writtenOpinionsCount));
    const count: NomineeCount = {
      members: vote.roll.length,
      ballots: counts(mine.filter((c) => c.kind === 'ballot')),
      writtenOpinions: counts(mine.filter((c) => c.kind === 'written_opinion')),
      chairChoice: chairs?.choice ?? null,
    };
    return { nominee, count, result: decideTitle(rule, count) };
  });
}
