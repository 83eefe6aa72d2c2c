/**
 * A registration round (đăng ký thi đua) of a campaign for a year: the units' heads are emailed
 * their personal links, the units that have not registered are reminded at the round's reminder
 * instants, and the round closes at its deadline (the API refuses submissions from the deadline
 * on, whether or not this workflow has closed the round yet). Its id names the campaign and the
 * year, so a round is run once.
 */
import { sleep } from '@temporalio/workflow';
import { cycleActivities } from './activity-proxies';
import { archiveWhenClosed } from './archive.workflow';

export const registrationWorkflowId = (campaign: string, year: number): string => `registration-${campaign}-${year}`;

export interface RegistrationRoundInput {
  readonly roundId: number;
  /** The campaign's code (its record keeps this workflow's history). */
  readonly campaign: string;
  /** ISO instants: the deadline, and the reminders before it in order. */
  readonly deadline: string;
  readonly reminders: readonly string[];
}

/** Sleeps until the absolute instant `at` (not at all when it has passed). */
async function until(at: string): Promise<void> {
  const wait = Date.parse(at) - Date.now();
  if (wait > 0) await sleep(wait);
}

export async function registrationWorkflow({
  roundId,
  campaign,
  deadline,
  reminders,
}: RegistrationRoundInput): Promise<{ registered: number; expected: number }> {
  await cycleActivities.dispatchRegistrations({ roundId });
  for (const dueAt of reminders) {
    await until(dueAt);
    await cycleActivities.remindRegistrations({ roundId, dueAt });
  }
  await until(deadline);
  const closed = await cycleActivities.closeRegistrationRound({ roundId });
  await archiveWhenClosed(campaign);
  return closed;
}
