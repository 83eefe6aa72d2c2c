/**
 * Title votes of a campaign's council for a year (domain/title-vote.ts): opening a round with its
 * nominees (the roll and the rules recorded then), members' ballots, written opinions of absent
 * members recorded by the secretary, closing, and what the round shows. Under a title's secret
 * ballot nothing answered here says who chose what: only who took part, and the counts.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { appendAudit, type Actor } from '../../db/audit';
import { councilOf } from '../../db/council-roll';
import { Campaign, CouncilMember, Person, TitleBallot, TitleNominee, TitleVote, Unit } from '../../db/entities';
import type { ITitleNominee, ITitleVote, RollMember, TitleBallotKind } from '../../db/entities/title-vote.entity';
import { lockRow } from '../../db/row-lock';
import { storedChoices, tallyTitleVote } from '../../db/title-vote-count';
import { unitsBelow } from '../../db/unit-tree';
import type { EmulationTitle } from '../../domain/emulation-titles';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors';
import {
  titleVoteRules,
  type ChoiceCounts,
  type TitleChoice,
  type TitleResult,
  type TitleVoteRule,
} from '../../domain/title-vote';
import {
  closeTitleVoteUpdate,
  titleVoteWorkflow,
  titleVoteWorkflowId,
  type TitleVoteClosed,
} from '../../workflows/title-vote.workflow';
import type { Principal } from '../http/auth';

export interface NomineeInput {
  readonly unitCode: string;
  readonly title: EmulationTitle;
  readonly reason?: string | undefined;
}

export interface OpenTitleVoteRequest {
  readonly closesAt: string;
  /** Seconds before the closing time at which members who have not voted are reminded (default: a day). */
  readonly remindBeforeSeconds?: number | undefined;
  readonly nominees: readonly NomineeInput[];
}

/** A choice on one nominee, named by its number in the round (from 1). */
export interface ChoiceInput {
  readonly nominee: number;
  readonly choice: TitleChoice;
}

export interface TitleVoteDeps {
  readonly em: EntityManager;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly now: Date;
}

type Caller = Pick<Principal, 'personId' | 'name' | 'role'>;

const DAY_SECONDS = 86_400;

/** The round of `campaign` for `year`; 404 naming the year when there is none. */
export async function findTitleVote(em: EntityManager, campaignCode: string, year: number) {
  const campaign = await em.findOne(Campaign, { code: campaignCode });
  if (!campaign) throw new NotFoundError({ code: 'campaign_unknown', params: { campaign: campaignCode } }, 'campaign');
  const vote = await em.findOne(TitleVote, { campaign, year });
  if (!vote) throw new NotFoundError({ code: 'title_vote_unknown', params: { campaign: campaignCode, year } }, 'year');
  return { campaign, vote };
}

/** The council of a campaign now, with names and seats (a campaign without seats: its members by role). */
async function currentRoll(em: EntityManager, campaignId: number): Promise<RollMember[]> {
  const ids = await councilOf(em, campaignId);
  const seats = await em.find(CouncilMember, { campaign: campaignId });
  const people = await em.find(Person, { id: { $in: ids } }, { orderBy: { id: 'asc' } });
  return people.map((p) => ({
    personId: p.id,
    name: p.name,
    position: seats.find((s) => s.person.id === p.id)?.position ?? 'member',
  }));
}

/** An administrator, or the council member seated as secretary on the campaign's council now. */
async function requireSecretary(em: EntityManager, caller: Caller, campaignId: number, year: number): Promise<void> {
  if (caller.role === 'admin') return;
  const seat = await em.findOne(CouncilMember, {
    campaign: campaignId,
    person: caller.personId,
    position: 'secretary',
  });
  if (!seat || caller.role !== 'council')
    throw new ForbiddenError({ code: 'not_title_vote_secretary', params: { year } });
}

/** Whether a stored round is the one these closing time and nominees would open. */
async function sameRound(
  em: EntityManager,
  vote: ITitleVote,
  closesAt: Date,
  nominees: readonly NomineeInput[],
): Promise<boolean> {
  const stored = await em.find(TitleNominee, { vote: vote.id }, { orderBy: { position: 'asc' } });
  return (
    vote.closesAt.getTime() === closesAt.getTime() &&
    stored.length === nominees.length &&
    stored.every(
      (n, i) =>
        n.unitCode === nominees[i]!.unitCode &&
        n.title === nominees[i]!.title &&
        (n.reason ?? null) === (nominees[i]!.reason?.trim() || null),
    )
  );
}

/**
 * Opens the round of `year` with its nominees: records the council as it is now and every title's
 * rule from the campaign's policy, audits, and starts its workflow (which emails the council).
 * Safe to retry: the same request again answers the round it opened (and starts its workflow if
 * the first attempt could not); a different one for the same year is refused.
 */
export async function openTitleVote(
  deps: TitleVoteDeps,
  caller: Caller,
  origin: string,
  campaignCode: string,
  year: number,
  request: OpenTitleVoteRequest,
): Promise<{ workflowId: string }> {
  const campaign = await deps.em.findOne(Campaign, { code: campaignCode }, { populate: ['policy'] });
  if (!campaign) throw new NotFoundError({ code: 'campaign_unknown', params: { campaign: campaignCode } }, 'campaign');
  await requireSecretary(deps.em, caller, campaign.id, year);
  const closesAt = new Date(request.closesAt);
  if (!(closesAt.getTime() > deps.now.getTime()))
    throw new ValidationError({ code: 'closing_time_past', params: { closesAt: request.closesAt } }, 'closesAt');
  const seen = new Set<string>();
  for (const n of request.nominees) {
    const key = `${n.unitCode}\u0000${n.title}`;
    if (seen.has(key))
      throw new ValidationError(
        { code: 'nominee_twice', params: { unitCode: n.unitCode, title: n.title } },
        'nominees',
      );
    seen.add(key);
  }
  const codes = [...new Set(request.nominees.map((n) => n.unitCode))];
  const units = await deps.em.find(Unit, { code: { $in: codes } });
  const missing = codes.find((c) => !units.some((u) => u.code === c));
  if (missing !== undefined)
    throw new ValidationError({ code: 'unit_unknown', params: { unit: missing } }, 'nominees.unitCode');
  if (campaign.rootUnit) {
    // A campaign over a tree nominates its root and the units below it.
    const inTree = new Set([
      campaign.rootUnit.id,
      ...(await unitsBelow(deps.em, campaign.rootUnit.id)).map((u) => u.id),
    ]);
    const outside = units.find((u) => !inTree.has(u.id));
    if (outside)
      throw new ValidationError(
        { code: 'unit_not_in_campaign', params: { unit: outside.code, campaign: campaign.code } },
        'nominees.unitCode',
      );
  }
  const workflowId = titleVoteWorkflowId(campaign.code, year);
  const remindBefore = request.remindBeforeSeconds ?? DAY_SECONDS;
  const remindAt = new Date(closesAt.getTime() - remindBefore * 1000);
  const input = {
    closesAt: closesAt.toISOString(),
    remindAt: remindAt.getTime() > deps.now.getTime() ? remindAt.toISOString() : null,
  };
  let voteId: number;
  try {
    voteId = await deps.em.transactional(async (tx) => {
      await tx.execute('SELECT id FROM campaign WHERE id = ? FOR UPDATE', [campaign.id]);
      const existing = await tx.findOne(TitleVote, { campaign, year });
      if (existing) {
        // The same request again (a retry): the round it opened; another one: refused.
        if (await sameRound(tx, existing, closesAt, request.nominees)) return existing.id;
        throw new ConflictError({ code: 'title_vote_exists', params: { campaign: campaign.code, year } }, 'year');
      }
      const roll = await currentRoll(tx, campaign.id);
      if (roll.length === 0)
        throw new ConflictError({ code: 'title_vote_council_empty', params: { campaign: campaign.code } });
      const rules = titleVoteRules(campaign.policy.definition.titleVotes);
      const vote = tx.create(TitleVote, {
        campaign,
        year,
        status: 'open',
        roll,
        rules,
        openedBy: caller.name,
        openedAt: deps.now,
        closesAt,
        remindBeforeSeconds: remindBefore,
        closedAt: null,
        closedBy: null,
        workflowId,
      });
      request.nominees.forEach((n, i) =>
        tx.create(TitleNominee, {
          vote,
          position: i + 1,
          unitCode: n.unitCode,
          unitName: units.find((u) => u.code === n.unitCode)!.name,
          title: n.title,
          reason: n.reason?.trim() || null,
          result: null,
        }),
      );
      await tx.flush();
      await appendAudit(tx, {
        actor: { kind: 'user', id: caller.name, origin },
        action: 'title_vote.opened',
        subjectType: 'title_vote',
        subjectId: String(vote.id),
        after: {
          campaign: campaign.code,
          year,
          closesAt: input.closesAt,
          roll,
          rules,
          nominees: request.nominees.map((n, i) => ({ nominee: i + 1, unitCode: n.unitCode, title: n.title })),
          workflowId,
        },
        occurredAt: deps.now,
      });
      return vote.id;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException)
      throw new ConflictError({ code: 'title_vote_exists', params: { campaign: campaign.code, year } }, 'year');
    throw error;
  }
  try {
    await deps.temporal.workflow.start(titleVoteWorkflow, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [{ voteId, campaign: campaign.code, ...input }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return { workflowId };
}

/** Locks an open round's row for a write; refuses a closed round or one past its closing time. */
async function lockOpen(tx: EntityManager, vote: ITitleVote, now: Date): Promise<ITitleVote> {
  await lockRow(tx, 'title_vote', vote.id);
  const locked = await tx.findOneOrFail(TitleVote, vote.id, { refresh: true });
  if (locked.status !== 'open' || now.getTime() >= locked.closesAt.getTime())
    throw new ConflictError({
      code: 'title_vote_closed',
      params: { year: locked.year, closedAt: (locked.closedAt ?? locked.closesAt).toISOString() },
    });
  return locked;
}

async function storeChoices(
  em: EntityManager,
  vote: ITitleVote,
  voterId: number,
  kind: TitleBallotKind,
  choices: readonly ChoiceInput[],
  actor: Actor,
  now: Date,
): Promise<void> {
  if (!vote.roll.some((m) => m.personId === voterId))
    throw new ForbiddenError({ code: 'not_on_title_roll', params: { year: vote.year } });
  try {
    await em.transactional(async (tx) => {
      const locked = await lockOpen(tx, vote, now);
      const member = locked.roll.find((m) => m.personId === voterId)!;
      // A written opinion stands for an absent member; a ballot makes the member present.
      if (
        kind === 'written_opinion' &&
        (await tx.count(TitleBallot, { vote: locked.id, voter: voterId, kind: 'ballot' }))
      )
        throw new ConflictError({ code: 'member_took_part', params: { member: member.name } }, 'personId');
      const nominees = await tx.find(TitleNominee, { vote: locked.id });
      const stored: { nominee: ITitleNominee; choice: TitleChoice }[] = [];
      for (const c of choices) {
        const nominee = nominees.find((n) => n.position === c.nominee);
        if (!nominee)
          throw new NotFoundError(
            { code: 'nominee_unknown', params: { nominee: c.nominee, year: locked.year } },
            'nominee',
          );
        if (await tx.count(TitleBallot, { nominee, voter: voterId }))
          throw new ConflictError({ code: 'title_already_voted', params: { nominee: c.nominee } }, 'nominee');
        stored.push({ nominee, choice: c.choice });
      }
      const ballots = stored.map((s) =>
        tx.create(TitleBallot, {
          vote: locked,
          nominee: s.nominee,
          voter: tx.getReference(Person, voterId),
          kind,
          choice: s.choice,
          recordedBy: kind === 'written_opinion' ? actor.id : null,
        }),
      );
      await tx.flush();
      await appendAudit(tx, {
        actor,
        action: kind === 'ballot' ? 'title_vote.ballot_cast' : 'title_vote.written_opinion_recorded',
        subjectType: 'title_vote',
        subjectId: String(locked.id),
        after: {
          member: member.name,
          // A choice under a secret ballot is never written down next to its member.
          ballots: ballots.map((b, i) => ({
            ballotId: b.id,
            nominee: stored[i]!.nominee.position,
            ...(locked.rules[stored[i]!.nominee.title].secretBallot ? { secret: true } : { choice: b.choice }),
          })),
        },
        occurredAt: now,
      });
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException)
      throw new ConflictError(
        { code: 'title_already_voted', params: { nominee: choices[0]?.nominee ?? 0 } },
        'nominee',
      );
    throw error;
  }
}

/** A member's ballots on nominees of the round (each once). */
export async function castTitleBallots(
  em: EntityManager,
  vote: ITitleVote,
  voter: Caller,
  choices: readonly ChoiceInput[],
  origin: string,
  now: Date,
): Promise<void> {
  await storeChoices(em, vote, voter.personId, 'ballot', choices, { kind: 'user', id: voter.name, origin }, now);
}

/** The secretary records the written opinion of `personId`, absent from the meeting. */
export async function recordWrittenOpinion(
  em: EntityManager,
  vote: ITitleVote,
  secretary: Caller,
  personId: number,
  choices: readonly ChoiceInput[],
  origin: string,
  now: Date,
): Promise<void> {
  await requireSecretary(em, secretary, vote.campaign.id, vote.year);
  await storeChoices(em, vote, personId, 'written_opinion', choices, { kind: 'user', id: secretary.name, origin }, now);
}

/** The secretary (or an administrator) closes the round now: its workflow counts and answers. */
export async function closeTitleVoteNow(
  deps: Pick<TitleVoteDeps, 'em' | 'temporal'>,
  vote: ITitleVote,
  caller: Caller,
): Promise<TitleVoteClosed> {
  await requireSecretary(deps.em, caller, vote.campaign.id, vote.year);
  if (vote.status === 'closed')
    throw new ConflictError({
      code: 'title_vote_closed',
      params: { year: vote.year, closedAt: vote.closedAt?.toISOString() ?? null },
    });
  try {
    return await deps.temporal.workflow
      .getHandle<typeof titleVoteWorkflow>(vote.workflowId)
      .executeUpdate(closeTitleVoteUpdate, { args: [{ actor: caller.name }] });
  } catch (error) {
    // Its workflow closed it meanwhile (its closing time came) and has ended.
    const now = await deps.em.fork().findOneOrFail(TitleVote, vote.id);
    if (now.status === 'closed')
      throw new ConflictError({
        code: 'title_vote_closed',
        params: { year: now.year, closedAt: now.closedAt?.toISOString() ?? null },
      });
    throw error;
  }
}

export interface NomineeView {
  readonly nominee: number;
  readonly unitCode: string;
  readonly unitName: string;
  readonly title: EmulationTitle;
  readonly reason: string | null;
  readonly rule: TitleVoteRule;
  /** Members who cast a ballot on it, in roll order. */
  readonly voted: readonly string[];
  /** Members whose written opinion the secretary recorded, in roll order. */
  readonly writtenOpinions: readonly string[];
  /** Ballots and written opinions apart: only once the round is closed, and not under a secret ballot. */
  readonly ballots: ChoiceCounts | null;
  readonly writtenOpinionCounts: ChoiceCounts | null;
  readonly result: TitleResult | null;
  /** Who chose what: only under an open ballot, once the round is closed. */
  readonly choices?: readonly { member: string; kind: TitleBallotKind; choice: TitleChoice }[];
}

export interface TitleVoteView {
  readonly campaign: { readonly code: string; readonly name: string };
  readonly year: number;
  readonly status: 'open' | 'closed';
  readonly openedBy: string;
  readonly openedAt: string;
  readonly closesAt: string;
  readonly closedAt: string | null;
  readonly closedBy: string | null;
  readonly workflowId: string;
  readonly roll: readonly RollMember[];
  /** Members who took part in the round (a ballot or a written opinion on any nominee), in roll order. */
  readonly tookPart: readonly string[];
  readonly nominees: readonly NomineeView[];
}

/**
 * The round as it stands: while open, who has voted on what but no count; once closed, each
 * nominee's counts and result, and who chose what only where the title's ballot is open.
 */
export async function titleVoteView(em: EntityManager, campaignCode: string, year: number): Promise<TitleVoteView> {
  const { campaign, vote } = await findTitleVote(em, campaignCode, year);
  const closed = vote.status === 'closed';
  const choices = await storedChoices(em, vote);
  const tallies = await tallyTitleVote(em, vote);
  const nameOf = new Map(vote.roll.map((m) => [m.personId, m.name]));
  const inRollOrder = (ids: ReadonlySet<number>) => vote.roll.filter((m) => ids.has(m.personId)).map((m) => m.name);
  return {
    campaign: { code: campaign.code, name: campaign.name },
    year: vote.year,
    status: vote.status,
    openedBy: vote.openedBy,
    openedAt: vote.openedAt.toISOString(),
    closesAt: vote.closesAt.toISOString(),
    closedAt: vote.closedAt?.toISOString() ?? null,
    closedBy: vote.closedBy ?? null,
    workflowId: vote.workflowId,
    roll: vote.roll,
    tookPart: inRollOrder(new Set(choices.map((c) => c.personId))),
    nominees: tallies.map(({ nominee, count }) => {
      const rule = vote.rules[nominee.title];
      const mine = choices.filter((c) => c.nomineeId === nominee.id);
      const reveal = closed && !rule.secretBallot;
      return {
        nominee: nominee.position,
        unitCode: nominee.unitCode,
        unitName: nominee.unitName,
        title: nominee.title,
        reason: nominee.reason ?? null,
        rule,
        voted: inRollOrder(new Set(mine.filter((c) => c.kind === 'ballot').map((c) => c.personId))),
        writtenOpinions: inRollOrder(new Set(mine.filter((c) => c.kind === 'written_opinion').map((c) => c.personId))),
        // Under a secret ballot only the counted totals: written opinions apart would tell their authors' choices.
        ballots: reveal ? count.ballots : null,
        writtenOpinionCounts: reveal ? count.writtenOpinions : null,
        result: closed ? (nominee.result ?? null) : null,
        ...(reveal
          ? { choices: mine.map((c) => ({ member: nameOf.get(c.personId)!, kind: c.kind, choice: c.choice })) }
          : {}),
      };
    }),
  };
}

/** The rounds of a campaign, newest year first. */
export async function listTitleVotes(em: EntityManager, campaignCode: string) {
  const campaign = await em.findOne(Campaign, { code: campaignCode });
  if (!campaign) throw new NotFoundError({ code: 'campaign_unknown', params: { campaign: campaignCode } }, 'campaign');
  const votes = await em.find(TitleVote, { campaign }, { orderBy: { year: 'desc' } });
  return {
    campaign: { code: campaign.code, name: campaign.name },
    rounds: votes.map((v) => ({
      year: v.year,
      status: v.status,
      closesAt: v.closesAt.toISOString(),
      closedAt: v.closedAt?.toISOString() ?? null,
      members: v.roll.length,
    })),
  };
}

/** The nominees (numbers) on which `personId` has a ballot or a written opinion: what is left to vote, never how. */
export async function nomineesDoneBy(em: EntityManager, campaignCode: string, year: number, personId: number) {
  const { vote } = await findTitleVote(em, campaignCode, year);
  const nominees = await em.find(TitleNominee, { vote: vote.id });
  const mine = (await storedChoices(em, vote)).filter((c) => c.personId === personId);
  return new Set(nominees.filter((n) => mine.some((c) => c.nomineeId === n.id)).map((n) => n.position));
}

/** Whether `caller` may open, close and record written opinions for the campaign's rounds. */
export async function isTitleVoteSecretary(em: EntityManager, caller: Caller, campaignCode: string): Promise<boolean> {
  if (caller.role === 'admin') return true;
  if (caller.role !== 'council') return false;
  return (
    (await em.count(CouncilMember, {
      campaign: { code: campaignCode },
      person: caller.personId,
      position: 'secretary',
    })) > 0
  );
}
