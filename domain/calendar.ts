/**
 * Turns a policy into the instants of a cycle: deadline, reminders, escalations, hard close,
 * review window. Calendar timing works in the policy's time zone and moves deadlines off
 * weekends and holidays; relative timing counts seconds from a start instant.
 */
import { DateTime } from 'luxon';
import type { CalendarTiming, Timing } from './policy';
import { periodParts, type Period } from './period';

/** Instants are ISO-8601 strings in UTC so they travel through workflow payloads unchanged. */
export type Instant = string;

export interface UnitSchedule {
  readonly deadline: Instant;
  readonly reminders: readonly Instant[];
  /** Level 1 goes to the unit's supervisor, level 2 to the council secretariat. */
  readonly escalations: readonly [Instant, Instant];
  readonly hardClose: Instant;
}

export interface CyclePlan {
  /** First and last day of the data the report covers (local dates). */
  readonly dataFrom: string;
  readonly dataTo: string;
  /** The schedule of the units that report directly (the leaves of a campaign's tree). */
  readonly schedule: UnitSchedule;
  /**
   * In a campaign of several levels, the schedule of each level above the leaves: `levels[0]` for
   * the units the leaves report to, `levels[1]` for theirs, and so on up to (not including) the root.
   */
  readonly levels?: readonly UnitSchedule[];
}

/** The schedule of a unit at `level` (0 for a leaf; 1 for a unit leaves report to; …). */
export function scheduleAtLevel(plan: CyclePlan, level: number): UnitSchedule {
  return level === 0 ? plan.schedule : (plan.levels?.[level - 1] ?? plan.schedule);
}

/** Holidays as local `YYYY-MM-DD` dates. */
export type HolidaySet = ReadonlySet<string>;

const iso = (dt: DateTime): Instant => dt.toUTC().toISO({ suppressMilliseconds: false })!;

function at(date: DateTime, time: string): DateTime {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return date.set({ hour, minute, second: 0, millisecond: 0 });
}

export function isWorkingDay(date: DateTime, holidays: HolidaySet): boolean {
  return date.weekday <= 5 && !holidays.has(date.toISODate()!);
}

function nextWorkingDay(date: DateTime, holidays: HolidaySet): DateTime {
  let d = date;
  while (!isWorkingDay(d, holidays)) d = d.plus({ days: 1 });
  return d;
}

function previousWorkingDay(date: DateTime, holidays: HolidaySet): DateTime {
  let d = date;
  while (!isWorkingDay(d, holidays)) d = d.minus({ days: 1 });
  return d;
}

export function addWorkingDays(date: DateTime, days: number, holidays: HolidaySet): DateTime {
  let d = date;
  for (let added = 0; added < days;) {
    d = d.plus({ days: 1 });
    if (isWorkingDay(d, holidays)) added += 1;
  }
  return d;
}

/** Schedule around a deadline already placed on a working day. */
function calendarSchedule(
  timing: CalendarTiming,
  deadline: DateTime,
  holidays: HolidaySet,
  notBefore: DateTime,
): UnitSchedule {
  const reminders = [
    ...new Set(
      timing.reminderDaysBefore
        .map((days) => previousWorkingDay(at(deadline.minus({ days }), timing.reminderTime), holidays))
        .filter((r) => r < deadline && r > notBefore)
        .map(iso),
    ),
  ].sort();
  const [first, second] = timing.escalationWorkingDaysAfter;
  return {
    deadline: iso(deadline),
    reminders,
    escalations: [iso(addWorkingDays(deadline, first, holidays)), iso(addWorkingDays(deadline, second, holidays))],
    hardClose: iso(addWorkingDays(deadline, timing.hardCloseWorkingDaysAfter, holidays)),
  };
}

function relativeSchedule(
  timing: Extract<Timing, { kind: 'relative' }>,
  deadline: DateTime,
  notBefore: DateTime,
): UnitSchedule {
  const reminders = [
    ...new Set(
      timing.reminderSecondsBefore
        .map((s) => deadline.minus({ seconds: s }))
        .filter((r) => r < deadline && r > notBefore)
        .map(iso),
    ),
  ].sort();
  const [first, second] = timing.escalationSecondsAfter;
  return {
    deadline: iso(deadline),
    reminders,
    escalations: [iso(deadline.plus({ seconds: first })), iso(deadline.plus({ seconds: second }))],
    hardClose: iso(deadline.plus({ seconds: timing.hardCloseSecondsAfter })),
  };
}

/** The plan of a cycle for `period`, started at `startedAt`. */
export function planCycle(timing: Timing, period: Period, startedAt: Instant, holidays: HolidaySet): CyclePlan {
  const start = DateTime.fromISO(startedAt, { zone: 'utc' });
  if (timing.kind === 'relative') {
    const local = start.setZone('Asia/Ho_Chi_Minh');
    return {
      dataFrom: local.minus({ months: 1 }).toISODate()!,
      dataTo: local.toISODate()!,
      schedule: relativeSchedule(timing, start.plus({ seconds: timing.deadlineAfterSeconds }), start),
    };
  }
  const { year, month } = periodParts(period);
  const monthStart = DateTime.fromObject({ year, month, day: 1 }, { zone: timing.timeZone });
  const deadline = nextWorkingDay(at(monthStart.set({ day: timing.deadlineDay }), timing.deadlineTime), holidays);
  return {
    dataFrom: monthStart.minus({ months: 1 }).set({ day: timing.dispatchDay }).toISODate()!,
    dataTo: monthStart.set({ day: timing.dispatchDay - 1 }).toISODate()!,
    schedule: calendarSchedule(timing, deadline, holidays, start.setZone(timing.timeZone)),
  };
}

/**
 * The plan of a cycle whose reporting units form a tree `height` levels above its leaves: each
 * level's deadline comes the policy's gap after the one below it (one working day by default),
 * and its reminders, escalations and hard close follow from that deadline as a leaf's do.
 */
export function planLevels(
  timing: Timing,
  plan: CyclePlan,
  height: number,
  startedAt: Instant,
  holidays: HolidaySet,
): CyclePlan {
  if (height <= 0) return plan;
  const start = DateTime.fromISO(startedAt, { zone: 'utc' });
  const gaps = (timing.kind === 'calendar' ? timing.levelWorkingDaysAfter : timing.levelSecondsAfter) ?? [];
  const gap = (level: number): number =>
    gaps[Math.min(level, gaps.length - 1)] ?? (timing.kind === 'calendar' ? 1 : 60);
  const levels: UnitSchedule[] = [];
  let deadline = plan.schedule.deadline;
  for (let level = 0; level < height; level += 1) {
    if (timing.kind === 'relative') {
      const next = DateTime.fromISO(deadline, { zone: 'utc' }).plus({ seconds: gap(level) });
      levels.push(relativeSchedule(timing, next, start));
    } else {
      const below = DateTime.fromISO(deadline, { zone: timing.timeZone });
      const next = addWorkingDays(below, gap(level), holidays);
      levels.push(calendarSchedule(timing, next, holidays, start.setZone(timing.timeZone)));
    }
    deadline = levels[level]!.deadline;
  }
  return { ...plan, levels };
}

/** A unit's schedule after its deadline is extended to `newDeadline` at `now`. */
export function rescheduleUnit(timing: Timing, newDeadline: Instant, now: Instant, holidays: HolidaySet): UnitSchedule {
  const nowDt = DateTime.fromISO(now, { zone: 'utc' });
  if (timing.kind === 'relative')
    return relativeSchedule(timing, DateTime.fromISO(newDeadline, { zone: 'utc' }), nowDt);
  const deadline = DateTime.fromISO(newDeadline, { zone: timing.timeZone });
  return calendarSchedule(timing, deadline, holidays, nowDt.setZone(timing.timeZone));
}

/** End of a window that opens at `openedAt`: working days (calendar timing) or seconds. */
export function windowEnd(
  timing: Timing,
  openedAt: Instant,
  which: 'review' | 'revision',
  holidays: HolidaySet,
): Instant {
  const opened = DateTime.fromISO(openedAt, { zone: 'utc' });
  if (timing.kind === 'relative') {
    return iso(
      opened.plus({ seconds: which === 'review' ? timing.reviewWindowSeconds : timing.revisionWindowSeconds }),
    );
  }
  const days = which === 'review' ? timing.reviewWorkingDays : timing.revisionWorkingDays;
  return iso(addWorkingDays(opened.setZone(timing.timeZone), days, holidays));
}
