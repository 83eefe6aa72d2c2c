/**
 * Council decisions: quorum and approval thresholds from the policy (DOMAIN.md defaults:
 * quorum two thirds of members, approval more than half of the members present). Pure.
 */
import type { Fraction } from './policy';

export interface ReportBallotInput {
  readonly choice: 'approve' | 'request_revision';
  readonly unitCodes: readonly string[];
  readonly comment: string | null;
}

export type ReportDecision =
  | { readonly decision: 'pending' }
  | { readonly decision: 'approved' }
  | { readonly decision: 'revision'; readonly unitCodes: readonly string[]; readonly comment: string };

export interface Tally {
  readonly members: number;
  readonly voted: number;
  readonly quorumReached: boolean;
}

/** voted / members ≥ quorum, in exact integer arithmetic. */
export const quorumReached = (voted: number, members: number, quorum: Fraction): boolean =>
  members > 0 && voted * quorum.denominator >= quorum.numerator * members;

/** yes / present > threshold, in exact integer arithmetic. */
export const exceeds = (yes: number, present: number, threshold: Fraction): boolean =>
  present > 0 && yes * threshold.denominator > threshold.numerator * present;

export function decideReport(
  members: number,
  ballots: readonly ReportBallotInput[],
  quorum: Fraction,
  threshold: Fraction,
): Tally & ReportDecision {
  const voted = ballots.length;
  const base = { members, voted, quorumReached: quorumReached(voted, members, quorum) };
  if (!base.quorumReached) return { ...base, decision: 'pending' };
  const approvals = ballots.filter((b) => b.choice === 'approve').length;
  const revisions = ballots.filter((b) => b.choice === 'request_revision');
  if (exceeds(approvals, voted, threshold)) return { ...base, decision: 'approved' };
  if (exceeds(revisions.length, voted, threshold)) {
    const unitCodes = [...new Set(revisions.flatMap((b) => b.unitCodes))].sort();
    const comment = revisions
      .map((b) => b.comment)
      .filter((c): c is string => !!c)
      .join('\n');
    return { ...base, decision: 'revision', unitCodes, comment };
  }
  return { ...base, decision: 'pending' };
}

export interface ProposalDecision {
  readonly approved: boolean;
  readonly approvals: number;
  readonly rejections: number;
}

/** A proposal is approved when its own ballots reach quorum and more than the threshold approve. */
export function decideProposal(
  members: number,
  choices: readonly ('approve' | 'reject')[],
  quorum: Fraction,
  threshold: Fraction,
): ProposalDecision {
  const approvals = choices.filter((c) => c === 'approve').length;
  const rejections = choices.length - approvals;
  return {
    approved: quorumReached(choices.length, members, quorum) && exceeds(approvals, choices.length, threshold),
    approvals,
    rejections,
  };
}
