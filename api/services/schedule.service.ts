/**
 * A campaign's Temporal Schedule, one implementation for the JSON API and the console: set it
 * from the policy's dispatch day and time (or given ones), describe it, pause, unpause or trigger
 * it with a reason. Every change is audited on the campaign.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
} from '@temporalio/client';
import { appendAudit } from '../../db/audit';
import { Campaign } from '../../db/entities';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { scheduleId } from '../../domain/period';
import { scheduledCycleWorkflow } from '../../workflows/scheduled-cycle.workflow';
import { CAMPAIGN } from '../../workflows/search-attributes';

export const SCHEDULE_TIMEZONE = 'Asia/Ho_Chi_Minh';

export interface ScheduleView {
  readonly scheduleId: string;
  readonly paused: boolean;
  readonly note: string | null;
  readonly timezone: string | null;
  /** Each calendar entry as day(s) of the month and HH:MM in `timezone`. */
  readonly calendars: readonly { dayOfMonth: string; time: string }[];
  readonly nextRuns: readonly string[];
  readonly recentRuns: readonly { scheduledAt: string; workflowId: string }[];
}

export interface ScheduleDeps {
  readonly em: EntityManager;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly now: Date;
  readonly actor: string;
  readonly origin: string;
}

export type ScheduleVerb = 'pause' | 'unpause' | 'trigger';

const VERB_ACTIONS: Readonly<Record<ScheduleVerb, string>> = {
  pause: 'campaign.schedule_paused',
  unpause: 'campaign.schedule_unpaused',
  trigger: 'campaign.schedule_triggered',
};

const range = (v: unknown): string => {
  if (Array.isArray(v)) return v.map(range).join(', ');
  if (v && typeof v === 'object' && 'start' in v) {
    const r = v as { start: number; end?: number };
    return r.end && r.end !== r.start ? `${r.start}–${r.end}` : String(r.start);
  }
  return v === undefined || v === null ? '*' : String(v);
};
const two = (v: unknown): string => range(v).padStart(2, '0');

async function campaignOf(em: EntityManager, code: string) {
  const campaign = await em.findOne(Campaign, { code }, { populate: ['policy'] });
  if (!campaign) throw new NotFoundError({ code: 'campaign_unknown', params: { campaign: code } }, 'code');
  return campaign;
}

const noSchedule = (code: string) =>
  new NotFoundError({ code: 'campaign_no_schedule', params: { campaign: code } }, 'code');

/** A Temporal Schedule's next runs and its recent ones (each with the workflow it started). */
export const runsOf = (d: ScheduleDescription) => ({
  nextRuns: d.info.nextActionTimes.map((t) => t.toISOString()),
  recentRuns: d.info.recentActions.map((a) => ({
    scheduledAt: a.scheduledAt.toISOString(),
    workflowId: a.action.workflow.workflowId,
  })),
});

/** The campaign's schedule, or null when it has none. Throws when Temporal cannot be reached. */
export async function findSchedule(temporal: Client, code: string): Promise<ScheduleView | null> {
  try {
    const d = await temporal.schedule.getHandle(scheduleId(code)).describe();
    return {
      scheduleId: scheduleId(code),
      paused: d.state.paused,
      note: d.state.note ?? null,
      timezone: d.spec.timezone ?? null,
      calendars: (d.spec.calendars ?? []).map((c) => ({
        dayOfMonth: range(c.dayOfMonth),
        time: `${two(c.hour)}:${two(c.minute)}`,
      })),
      ...runsOf(d),
    };
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return null;
    throw error;
  }
}

/** The schedule of a known campaign; 404 naming `code` when the campaign or its schedule is missing. */
export async function readSchedule(em: EntityManager, temporal: Client, code: string): Promise<ScheduleView> {
  await campaignOf(em, code);
  const schedule = await findSchedule(temporal, code);
  if (!schedule) throw noSchedule(code);
  return schedule;
}

const audit = (deps: ScheduleDeps, action: string, code: string, after: unknown) =>
  deps.em.transactional((tx) =>
    appendAudit(tx, {
      actor: { kind: 'user', id: deps.actor, origin: deps.origin },
      action,
      subjectType: 'campaign',
      subjectId: code,
      after,
      occurredAt: deps.now,
    }),
  );

export interface ScheduleSetting {
  /** Defaults to the policy's dispatch day (calendar timing). */
  readonly dayOfMonth?: number | undefined;
  /** HH:MM in Vietnam; defaults to the policy's dispatch time (calendar timing). */
  readonly time?: string | undefined;
  readonly paused?: boolean | undefined;
}

/** Creates or replaces the campaign's monthly schedule. */
export async function setSchedule(deps: ScheduleDeps, code: string, setting: ScheduleSetting): Promise<ScheduleView> {
  const campaign = await campaignOf(deps.em, code);
  const timing = campaign.policy.definition.timing;
  const dayOfMonth = setting.dayOfMonth ?? (timing.kind === 'calendar' ? timing.dispatchDay : undefined);
  const time = setting.time ?? (timing.kind === 'calendar' ? timing.dispatchTime : undefined);
  if (dayOfMonth === undefined) throw new ValidationError({ code: 'no_dispatch_day', params: {} }, 'dayOfMonth');
  if (time === undefined) throw new ValidationError({ code: 'no_dispatch_time', params: {} }, 'time');
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const spec = {
    calendars: [{ dayOfMonth, hour, minute, comment: `day ${dayOfMonth} at ${time}` }],
    timezone: SCHEDULE_TIMEZONE,
  };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: scheduledCycleWorkflow,
    workflowId: `scheduled-${campaign.code}`,
    taskQueue: deps.taskQueue,
    args: [{ campaignCode: campaign.code }] as [{ campaignCode: string }],
    typedSearchAttributes: [{ key: CAMPAIGN, value: campaign.code }],
  };
  const handle = deps.temporal.schedule.getHandle(scheduleId(campaign.code));
  try {
    await handle.update((previous) => ({
      ...previous,
      spec,
      action,
      state: { ...previous.state, paused: setting.paused ?? previous.state.paused },
    }));
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    await deps.temporal.schedule.create({
      scheduleId: scheduleId(campaign.code),
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      state: { paused: setting.paused ?? false, note: `created by ${deps.actor}` },
    });
  }
  await audit(deps, 'campaign.schedule_set', campaign.code, {
    dayOfMonth,
    time,
    timezone: spec.timezone,
    paused: setting.paused ?? null,
  });
  return readSchedule(deps.em, deps.temporal, campaign.code);
}

/** Pauses, unpauses or triggers the campaign's schedule; the reason goes to the note and the audit log. */
export async function steerSchedule(
  deps: ScheduleDeps,
  code: string,
  verb: ScheduleVerb,
  reason: string,
): Promise<ScheduleView> {
  await readSchedule(deps.em, deps.temporal, code);
  const handle = deps.temporal.schedule.getHandle(scheduleId(code));
  const note = `${deps.actor}: ${reason}`;
  if (verb === 'pause') await handle.pause(note);
  else if (verb === 'unpause') await handle.unpause(note);
  else await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
  await audit(deps, VERB_ACTIONS[verb], code, { reason });
  return readSchedule(deps.em, deps.temporal, code);
}
