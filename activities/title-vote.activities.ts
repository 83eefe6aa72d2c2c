/** Activities of a title vote round: announcing it to the council, reminding, closing and counting. */
import { appendAudit, type Actor } from '../db/audit';
import { Campaign, Person, TitleNominee, TitleVote } from '../db/entities';
import type { ITitleVote } from '../db/entities/title-vote.entity';
import { lockRow } from '../db/row-lock';
import { storedChoices, tallyTitleVote } from '../db/title-vote-count';
import type { Locale } from '../domain/template';
import { deliverPending, enqueueEmails } from '../mail/outbox';
import type { TitleVoteClosed } from '../workflows/title-vote.workflow';
import { deliveryDeps, type ActivityDeps } from './deps';

const actorOf = (vote: ITitleVote): Actor => ({ kind: 'system', id: vote.workflowId, origin: vote.workflowId });

/** The console page of a round. */
export const titleVotePath = (campaign: string, year: number): string =>
  `/console/title-votes/${encodeURIComponent(campaign)}/${year}`;

export function createTitleVoteActivities(deps: ActivityDeps) {
  const locale = deps.config.DEFAULT_LOCALE as Locale;

  /** Emails `kind` to the members of the roll `who` picks, once each (keys name the round, the kind and the person). */
  async function emailMembers(
    voteId: number,
    kind: 'title_vote_opened' | 'title_vote_reminder',
    who: (vote: ITitleVote, em: Parameters<typeof storedChoices>[0]) => Promise<readonly number[]>,
  ): Promise<number> {
    const prefix = `title-vote-${voteId}:${kind}:`;
    const recipients = await deps.orm.em.fork().transactional(async (em) => {
      await lockRow(em, 'title_vote', voteId);
      // A retry after the messages were queued only finishes their delivery.
      const queued = await em.execute<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM email WHERE idempotency_key LIKE ?`,
        [`${prefix.replace(/[\\%_]/g, '\\$&')}%`],
      );
      if (queued[0]!.n > 0) return queued[0]!.n;
      const vote = await em.findOneOrFail(TitleVote, voteId);
      const campaign = await em.findOneOrFail(Campaign, vote.campaign.id);
      const nominees = await em.count(TitleNominee, { vote: voteId });
      const ids = await who(vote, em);
      const people = await em.find(Person, { id: { $in: [...ids] }, status: 'active' }, { orderBy: { id: 'asc' } });
      if (!people.length) return 0;
      const auditEventId = await appendAudit(em, {
        actor: actorOf(vote),
        action: kind === 'title_vote_opened' ? 'title_vote.announced' : 'title_vote.reminded',
        subjectType: 'title_vote',
        subjectId: String(vote.id),
        after: { campaign: campaign.code, year: vote.year, members: people.map((p) => p.name) },
        occurredAt: deps.now(),
      });
      await enqueueEmails(
        em,
        people.map((p) => ({
          key: `${prefix}${p.id}`,
          kind,
          recipient: p.email,
          locale,
          auditEventId,
          params: {
            personName: p.name,
            campaignName: campaign.name,
            year: vote.year,
            nominees,
            closesAt: vote.closesAt.toISOString(),
            url: `${deps.config.PUBLIC_URL}${titleVotePath(campaign.code, vote.year)}`,
          },
        })),
      );
      return people.length;
    });
    await deliverPending(deliveryDeps(deps), { keyPrefix: prefix });
    return recipients;
  }

  return {
    /** Emails every member on the round's roll that the vote is open. */
    async announceTitleVote({ voteId }: { voteId: number }): Promise<number> {
      return emailMembers(voteId, 'title_vote_opened', async (vote) => vote.roll.map((m) => m.personId));
    },

    /** Emails the members who have neither voted on every nominee nor sent a written opinion. */
    async remindTitleVoters({ voteId }: { voteId: number }): Promise<number> {
      return emailMembers(voteId, 'title_vote_reminder', async (vote, em) => {
        if (vote.status !== 'open') return [];
        const nominees = await em.count(TitleNominee, { vote: voteId });
        const choices = await storedChoices(em, vote);
        return vote.roll
          .map((m) => m.personId)
          .filter((id) => {
            const own = choices.filter((c) => c.personId === id);
            return !own.some((c) => c.kind === 'written_opinion') && own.length < nominees;
          });
      });
    },

    /**
     * Closes the round and stores each nominee's result, audited. Idempotent: a round already
     * closed answers what was stored when it closed.
     */
    async closeTitleVote({ voteId, closedBy }: { voteId: number; closedBy: string }): Promise<TitleVoteClosed> {
      return deps.orm.em.fork().transactional(async (em) => {
        await lockRow(em, 'title_vote', voteId);
        const vote = await em.findOneOrFail(TitleVote, voteId, { refresh: true });
        if (vote.status === 'closed') {
          const nominees = await em.find(TitleNominee, { vote: voteId }, { orderBy: { position: 'asc' } });
          return {
            closedAt: vote.closedAt!.toISOString(),
            closedBy: vote.closedBy!,
            outcomes: nominees.map((n) => ({ nomineeId: n.id, outcome: n.result!.outcome })),
          };
        }
        const tallies = await tallyTitleVote(em, vote);
        const now = deps.now();
        for (const t of tallies) t.nominee.result = t.result;
        vote.status = 'closed';
        vote.closedAt = now;
        vote.closedBy = closedBy;
        await em.flush();
        await appendAudit(em, {
          actor: actorOf(vote),
          action: 'title_vote.closed',
          subjectType: 'title_vote',
          subjectId: String(vote.id),
          before: { status: 'open' },
          after: {
            status: 'closed',
            closedBy,
            results: tallies.map((t) => ({
              nomineeId: t.nominee.id,
              unitCode: t.nominee.unitCode,
              title: t.nominee.title,
              ...t.result,
            })),
          },
          occurredAt: now,
        });
        return {
          closedAt: now.toISOString(),
          closedBy,
          outcomes: tallies.map((t) => ({ nomineeId: t.nominee.id, outcome: t.result.outcome })),
        };
      });
    },
  };
}
