/**
 * A campaign's Temporal Schedule as the console shows and steers it: paused or not, the next
 * and recent runs; pause, unpause and trigger with a reason, audited as the JSON routes in
 * `schedules.routes.ts` do (same schedule id, same audit actions).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { appendAudit } from '../../../db/audit';
import { Campaign } from '../../../db/entities';
import { NotFoundError } from '../../../domain/errors';
import { scheduleId } from '../../../domain/period';

export interface ScheduleView {
  readonly scheduleId: string;
  readonly paused: boolean;
  readonly note: string | null;
  readonly timezone: string | null;
  readonly calendars: readonly { dayOfMonth: string; time: string }[];
  readonly nextRuns: readonly string[];
  readonly recentRuns: readonly { scheduledAt: string; workflowId: string }[];
}

const spec = (v: unknown): string => {
  if (Array.isArray(v)) return v.map(spec).join(', ');
  if (v && typeof v === 'object' && 'start' in v) {
    const r = v as { start: number; end?: number };
    return r.end && r.end !== r.start ? `${r.start}–${r.end}` : String(r.start);
  }
  return v === undefined || v === null ? '*' : String(v);
};
const two = (v: unknown): string => spec(v).padStart(2, '0');

/** The schedule of a campaign, or null when it has none (or Temporal cannot be reached: `error`). */
export async function describeSchedule(
  temporal: Client,
  code: string,
): Promise<{ schedule: ScheduleView | null; error?: string }> {
  try {
    const d = await temporal.schedule.getHandle(scheduleId(code)).describe();
    return {
      schedule: {
        scheduleId: scheduleId(code),
        paused: d.state.paused,
        note: d.state.note ?? null,
        timezone: d.spec.timezone ?? null,
        calendars: (d.spec.calendars ?? []).map((c) => ({
          dayOfMonth: spec(c.dayOfMonth),
          time: `${two(c.hour)}:${two(c.minute)}`,
        })),
        nextRuns: d.info.nextActionTimes.map((t) => t.toISOString()),
        recentRuns: d.info.recentActions.map((a) => ({
          scheduledAt: a.scheduledAt.toISOString(),
          workflowId: a.action.workflow.workflowId,
        })),
      },
    };
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return { schedule: null };
    return { schedule: null, error: error instanceof Error ? error.message : String(error) };
  }
}

export type ScheduleVerb = 'pause' | 'unpause' | 'trigger';

export async function steerSchedule(
  deps: { em: EntityManager; temporal: Client; now: Date; actor: string; origin: string },
  code: string,
  verb: ScheduleVerb,
  reason: string,
): Promise<void> {
  if (!(await deps.em.count(Campaign, { code })))
    throw new NotFoundError({ code: 'campaign_unknown', params: { campaign: code } }, 'code');
  const handle = deps.temporal.schedule.getHandle(scheduleId(code));
  const note = `${deps.actor}: ${reason}`;
  try {
    if (verb === 'pause') await handle.pause(note);
    else if (verb === 'unpause') await handle.unpause(note);
    else await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
  } catch (error) {
    if (error instanceof ScheduleNotFoundError)
      throw new NotFoundError({ code: 'campaign_no_schedule', params: { campaign: code } }, 'code');
    throw error;
  }
  const action = {
    pause: 'campaign.schedule_paused',
    unpause: 'campaign.schedule_unpaused',
    trigger: 'campaign.schedule_triggered',
  }[verb];
  await deps.em.transactional((tx) =>
    appendAudit(tx, {
      actor: { kind: 'user', id: deps.actor, origin: deps.origin },
      action,
      subjectType: 'campaign',
      subjectId: code,
      after: { reason },
      occurredAt: deps.now,
    }),
  );
}
