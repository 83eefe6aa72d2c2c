/**
 * Title votes (bỏ phiếu danh hiệu thi đua): the council votes each nominee (a unit for a title)
 * under that title's rule in the campaign's policy — a threshold counted on all members or on
 * those taking part, "at least" or "more than" it, a quorum of all members, secret or open
 * ballots, whether written opinions of absent members count, and what a tie means. Pure.
 */
import { EMULATION_TITLES, type EmulationTitle } from './emulation-titles';
import type { Fraction } from './policy';

export const TITLE_VOTE_BASES = ['all_members', 'present'] as const;
export type TitleVoteBase = (typeof TITLE_VOTE_BASES)[number];
export const TITLE_VOTE_COMPARISONS = ['at_least', 'more_than'] as const;
export type TitleVoteComparison = (typeof TITLE_VOTE_COMPARISONS)[number];
export const TIE_OUTCOMES = ['fails', 'chair_decides'] as const;
export type TieOutcome = (typeof TIE_OUTCOMES)[number];
export const TITLE_CHOICES = ['agree', 'disagree', 'abstain'] as const;
export type TitleChoice = (typeof TITLE_CHOICES)[number];

/** How the council decides one title. */
export interface TitleVoteRule {
  /** Share of the base that must agree. */
  readonly threshold: Fraction;
  /** `all_members`: the share is of every member on the roll; `present`: of those taking part. */
  readonly base: TitleVoteBase;
  readonly comparison: TitleVoteComparison;
  /** Share of all members who must take part (ballots, plus written opinions when they count). */
  readonly quorum: Fraction;
  /** When true, nothing ever shows who chose what: only who took part, and the counts. */
  readonly secretBallot: boolean;
  /** When true, a written opinion of an absent member counts as a ballot (and towards quorum). */
  readonly writtenOpinionsCount: boolean;
  /**
   * When as many agree as disagree: `fails`, or `chair_decides` (the nominee passes when the
   * chair's counted choice is to agree; open ballots only, since the outcome would tell the
   * chair's choice). A tie never passes a nominee below its threshold.
   */
  readonly tie: TieOutcome;
}

export type TitleVoteRules = Readonly<Record<EmulationTitle, TitleVoteRule>>;

const TWO_THIRDS: Fraction = { numerator: 2, denominator: 3 };

/**
 * Defaults, to be checked against Decree 98/2023/NĐ-CP and set per campaign: the flags need 90 %
 * of all members (the earlier Decree 91/2017 art. 45 figure for ministry-level titles), the
 * collective titles more than half of those taking part; a quorum of two thirds; secret ballots,
 * a tie failing.
 */
export const DEFAULT_TITLE_VOTE_RULES: TitleVoteRules = {
  co_thi_dua_chinh_phu: {
    threshold: { numerator: 9, denominator: 10 },
    base: 'all_members',
    comparison: 'at_least',
    quorum: TWO_THIRDS,
    secretBallot: true,
    writtenOpinionsCount: true,
    tie: 'fails',
  },
  co_thi_dua_bo: {
    threshold: { numerator: 9, denominator: 10 },
    base: 'all_members',
    comparison: 'at_least',
    quorum: TWO_THIRDS,
    secretBallot: true,
    writtenOpinionsCount: true,
    tie: 'fails',
  },
  tap_the_lao_dong_xuat_sac: {
    threshold: { numerator: 1, denominator: 2 },
    base: 'present',
    comparison: 'more_than',
    quorum: TWO_THIRDS,
    secretBallot: true,
    writtenOpinionsCount: false,
    tie: 'fails',
  },
  tap_the_lao_dong_tien_tien: {
    threshold: { numerator: 1, denominator: 2 },
    base: 'present',
    comparison: 'more_than',
    quorum: TWO_THIRDS,
    secretBallot: true,
    writtenOpinionsCount: false,
    tie: 'fails',
  },
};

/** Every title's rule: the policy's where it sets one, the default otherwise. */
export const titleVoteRules = (set: Partial<Record<EmulationTitle, TitleVoteRule>> | undefined): TitleVoteRules =>
  Object.fromEntries(EMULATION_TITLES.map((t) => [t, set?.[t] ?? DEFAULT_TITLE_VOTE_RULES[t]])) as TitleVoteRules;

export interface ChoiceCounts {
  readonly agree: number;
  readonly disagree: number;
  readonly abstain: number;
}

/** What one nominee's count starts from. */
export interface NomineeCount {
  /** Members on the roll when the vote opened. */
  readonly members: number;
  /** Ballots cast by members. */
  readonly ballots: ChoiceCounts;
  /** Written opinions of absent members recorded by the secretary. */
  readonly writtenOpinions: ChoiceCounts;
  /** The chair's counted choice (ballot, or written opinion when those count); null when the chair took no counted part. */
  readonly chairChoice: TitleChoice | null;
}

export const TITLE_OUTCOMES = ['passed', 'failed', 'no_quorum'] as const;
export type TitleOutcome = (typeof TITLE_OUTCOMES)[number];

export interface TitleResult {
  readonly outcome: TitleOutcome;
  /** Ballots plus, when the rule says so, written opinions. */
  readonly counted: ChoiceCounts;
  /** Members whose choice counted. */
  readonly participants: number;
  readonly members: number;
  /** What the threshold is a share of: all members or the participants. */
  readonly base: number;
  readonly quorumReached: boolean;
  readonly thresholdReached: boolean;
  /** As many agreed as disagreed (at least one each way). */
  readonly tie: boolean;
  /** How a tie at or above the threshold was settled; null without one. */
  readonly tieSettledBy: 'rule' | 'chair' | null;
}

const total = (c: ChoiceCounts): number => c.agree + c.disagree + c.abstain;

/** part / whole against `share` in exact integer arithmetic: ≥ for `at_least`, > for `more_than`. */
export function reaches(part: number, whole: number, share: Fraction, comparison: TitleVoteComparison): boolean {
  if (whole <= 0) return false;
  const left = part * share.denominator;
  const right = share.numerator * whole;
  return comparison === 'at_least' ? left >= right : left > right;
}

/** One nominee's outcome under `rule`. */
export function decideTitle(rule: TitleVoteRule, count: NomineeCount): TitleResult {
  const w = rule.writtenOpinionsCount ? count.writtenOpinions : { agree: 0, disagree: 0, abstain: 0 };
  const counted = {
    agree: count.ballots.agree + w.agree,
    disagree: count.ballots.disagree + w.disagree,
    abstain: count.ballots.abstain + w.abstain,
  };
  const participants = total(counted);
  const base = rule.base === 'all_members' ? count.members : participants;
  const quorumReached = reaches(participants, count.members, rule.quorum, 'at_least');
  const thresholdReached = reaches(counted.agree, base, rule.threshold, rule.comparison);
  const tie = counted.agree > 0 && counted.agree === counted.disagree;
  const result = { counted, participants, members: count.members, base, quorumReached, thresholdReached, tie };
  if (!quorumReached) return { ...result, outcome: 'no_quorum', tieSettledBy: null };
  if (!thresholdReached) return { ...result, outcome: 'failed', tieSettledBy: null };
  if (!tie) return { ...result, outcome: 'passed', tieSettledBy: null };
  if (rule.tie === 'fails') return { ...result, outcome: 'failed', tieSettledBy: 'rule' };
  return { ...result, outcome: count.chairChoice === 'agree' ? 'passed' : 'failed', tieSettledBy: 'chair' };
}
