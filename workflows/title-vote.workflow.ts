/**
 * A round of title votes: emails the council when it opens, reminds the members who have not
 * voted on every nominee before it closes, closes at its closing time (or earlier, when the
 * secretary closes it) and counts each nominee under its title's rule. Its id names the campaign
 * and the year, so a year has one round.
 */
import { allHandlersFinished, condition, defineUpdate, setHandler } from '@temporalio/workflow';
import { activities } from './activity-proxies';
import { archiveWhenClosed } from './archive.workflow';

export const titleVoteWorkflowId = (campaign: string, year: number): string => `title-vote-${campaign}-${year}`;

export interface TitleVoteInput {
  readonly voteId: number;
  /** The campaign's code (its record keeps this workflow's history). */
  readonly campaign: string;
  readonly closesAt: string;
  /** When to remind the members who have not voted; null: no reminder (too close to the closing time). */
  readonly remindAt: string | null;
}

export interface TitleVoteClosed {
  readonly closedAt: string;
  readonly closedBy: string;
  readonly outcomes: readonly { readonly nomineeId: number; readonly outcome: string }[];
}

/** The secretary (or an administrator) → the round: close it now; answers the count. */
export const closeTitleVoteUpdate = defineUpdate<TitleVoteClosed, [{ actor: string }]>('closeTitleVote');

export async function titleVoteWorkflow({
  voteId,
  campaign,
  closesAt,
  remindAt,
}: TitleVoteInput): Promise<TitleVoteClosed> {
  let closeRequestedBy: string | null = null;
  let closed: TitleVoteClosed | undefined;
  setHandler(closeTitleVoteUpdate, async ({ actor }) => {
    closeRequestedBy ??= actor;
    await condition(() => closed !== undefined);
    return closed!;
  });
  /** Waits until `iso` or until the secretary closes the round; true when closed early. */
  const closedBefore = async (iso: string): Promise<boolean> => {
    const wait = Date.parse(iso) - Date.now();
    return wait > 0 ? condition(() => closeRequestedBy !== null, wait) : closeRequestedBy !== null;
  };

  await activities.announceTitleVote({ voteId });
  if (remindAt !== null && !(await closedBefore(remindAt))) await activities.remindTitleVoters({ voteId });
  await closedBefore(closesAt);
  closed = await activities.closeTitleVote({ voteId, closedBy: closeRequestedBy ?? 'deadline' });
  await condition(allHandlersFinished);
  await archiveWhenClosed(campaign);
  return closed;
}
