/**
 * A campaign's summary Schedule: on the 15th of March, June, September and December (the day
 * after each quarterly cut-off of Decree 09/2019 art. 12) at 08:00 in Vietnam it starts the
 * cut-off workflow, which freezes every window ending there once the window's monthly cycles have
 * closed (workflows/summary.workflow.ts). Set it, read it, pause or resume it; or run one cut-off
 * now (a missed one, or ahead of the schedule). Every change is audited on the campaign.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  type Client,
} from '@temporalio/client';
import { appendAudit, type Actor } from '../../db/audit';
import { ValidationError } from '../../domain/errors';
import { parsePeriod } from '../../domain/period';
import { windowsEndingWith } from '../../domain/summary-window';
import { CAMPAIGN } from '../../workflows/search-attributes';
import { cutOffWorkflow, cutOffWorkflowId, type CutOffResult } from '../../workflows/summary.workflow';
import { SCHEDULE_TIMEZONE, runsOf } from './schedule.service';
import { campaignRef } from './summary.service';

export const summaryScheduleId = (campaignCode: string): string => `summaries-${campaignCode}`;

/** When the schedule fires: the day after each quarterly cut-off, 08:00 in Vietnam. */
const CUT_OFF_CALENDAR = {
  month: ['MARCH', 'JUNE', 'SEPTEMBER', 'DECEMBER'] as ('MARCH' | 'JUNE' | 'SEPTEMBER' | 'DECEMBER')[],
  dayOfMonth: 15,
  hour: 8,
  minute: 0,
  comment: 'the 15th of every quarter’s last month at 08:00',
};

export interface SummaryScheduleView {
  readonly scheduleId: string;
  readonly paused: boolean;
  readonly note: string | null;
  readonly nextRuns: string[];
  readonly recentRuns: { scheduledAt: string; workflowId: string }[];
}

export interface SummaryScheduleDeps {
  readonly em: EntityManager;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly actor: Actor;
  readonly now: Date;
}

const campaignCode = async (em: EntityManager, code: string): Promise<string> => (await campaignRef(em, code)).code;

const audit = (deps: SummaryScheduleDeps, action: string, code: string, after: unknown) =>
  deps.em.transactional((tx) =>
    appendAudit(tx, {
      actor: deps.actor,
      action,
      subjectType: 'campaign',
      subjectId: code,
      after,
      occurredAt: deps.now,
    }),
  );

/** The campaign's summary schedule, or null when it has none. */
export async function findSummarySchedule(
  em: EntityManager,
  temporal: Client,
  code: string,
): Promise<SummaryScheduleView | null> {
  const campaign = await campaignCode(em, code);
  try {
    const d = await temporal.schedule.getHandle(summaryScheduleId(campaign)).describe();
    return {
      scheduleId: summaryScheduleId(campaign),
      paused: d.state.paused,
      note: d.state.note ?? null,
      ...runsOf(d),
    };
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return null;
    throw error;
  }
}

/** Creates the campaign's summary schedule, or sets whether it is paused; `reason` goes to its note and the record. */
export async function setSummarySchedule(
  deps: SummaryScheduleDeps,
  code: string,
  { paused, reason }: { paused: boolean; reason: string },
): Promise<SummaryScheduleView> {
  const campaign = await campaignCode(deps.em, code);
  const note = `${deps.actor.id}: ${reason}`;
  const spec = { calendars: [CUT_OFF_CALENDAR], timezone: SCHEDULE_TIMEZONE };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: cutOffWorkflow,
    workflowId: `scheduled-cut-off-${campaign}`,
    taskQueue: deps.taskQueue,
    args: [{ campaign }] as [{ campaign: string }],
    typedSearchAttributes: [{ key: CAMPAIGN, value: campaign }],
  };
  const handle = deps.temporal.schedule.getHandle(summaryScheduleId(campaign));
  try {
    await handle.update((previous) => ({ ...previous, spec, action, state: { ...previous.state, paused, note } }));
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    await deps.temporal.schedule.create({
      scheduleId: summaryScheduleId(campaign),
      spec,
      action,
      // A cut-off missed while the server was down is run when it is back, within a week.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
      state: { paused, note },
    });
  }
  await audit(deps, 'campaign.summary_schedule_set', campaign, { paused, reason });
  return (await findSummarySchedule(deps.em, deps.temporal, campaign))!;
}

/**
 * Runs the cut-off of `period` (a quarter's last month) now: starts the summary workflow of each
 * window ending there that is not frozen yet; each freezes once the window's cycles have closed.
 */
export async function runCutOff(deps: SummaryScheduleDeps, code: string, periodText: string): Promise<CutOffResult> {
  const campaign = await campaignCode(deps.em, code);
  const period = parsePeriod(periodText);
  if (!period || windowsEndingWith(period).length === 0)
    throw new ValidationError({ code: 'cut_off_invalid', params: { period: periodText } }, 'period');
  const workflowId = cutOffWorkflowId(campaign, period);
  try {
    await deps.temporal.workflow.start(cutOffWorkflow, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [{ campaign, cutOff: period }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: [{ key: CAMPAIGN, value: campaign }],
    });
    await audit(deps, 'summary.cut_off_requested', campaign, { period, workflowId });
  } catch (error) {
    // Being run right now: its answer is this request's too.
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return deps.temporal.workflow.getHandle<typeof cutOffWorkflow>(workflowId).result();
}
