/**
 * Cycle policies: when things happen in a cycle and how the council decides. Pure types; the
 * instants themselves are computed by `domain/calendar.ts` in an activity.
 */
import type { EmulationTitle } from './emulation-titles';
import type { TitleVoteRule } from './title-vote';

/** The real monthly calendar (DOMAIN.md defaults), in a time zone, off weekends and holidays. */
export interface CalendarTiming {
  readonly kind: 'calendar';
  readonly timeZone: string;
  /** Day of the reporting month and local time at which the schedule dispatches the cycle. */
  readonly dispatchDay: number;
  readonly dispatchTime: string;
  readonly deadlineDay: number;
  readonly deadlineTime: string;
  /** Calendar days before the deadline; 0 is the deadline's morning. */
  readonly reminderDaysBefore: readonly number[];
  readonly reminderTime: string;
  /** Working days after the deadline: first the supervisor, then the secretariat. */
  readonly escalationWorkingDaysAfter: readonly [number, number];
  readonly hardCloseWorkingDaysAfter: number;
  readonly reviewWorkingDays: number;
  readonly revisionWorkingDays: number;
  /**
   * Working days between the deadline of one level and that of the level above it, first the
   * units' parents, then theirs (the last figure repeats for deeper trees). Decree 09/2019 art.
   * 8(5): each level of a report consolidated through several levels has its own deadline.
   * Defaults to one working day.
   */
  readonly levelWorkingDaysAfter?: readonly number[];
}

/** Offsets in seconds from the moment the cycle starts: demos and tests run in minutes or seconds. */
export interface RelativeTiming {
  readonly kind: 'relative';
  readonly deadlineAfterSeconds: number;
  readonly reminderSecondsBefore: readonly number[];
  readonly escalationSecondsAfter: readonly [number, number];
  readonly hardCloseSecondsAfter: number;
  readonly reviewWindowSeconds: number;
  readonly revisionWindowSeconds: number;
  /** Seconds between the deadline of one level and that of the level above it (as `levelWorkingDaysAfter`). */
  readonly levelSecondsAfter?: readonly number[];
}

export type Timing = CalendarTiming | RelativeTiming;

/** A share of a whole, kept exact: 2/3 stays 2/3. */
export interface Fraction {
  readonly numerator: number;
  readonly denominator: number;
}

export interface CyclePolicy {
  readonly timing: Timing;
  readonly maxReminders: number;
  /** Share of council members who must vote for a decision to count. */
  readonly quorum: Fraction;
  /** Share of the members present (voting) that must approve; strictly more than this share. */
  readonly approvalThreshold: Fraction;
  /** When true, pages show who voted but never how. */
  readonly secretBallots: boolean;
  /** How the council votes each emulation title; a title not set here follows `DEFAULT_TITLE_VOTE_RULES`. */
  readonly titleVotes?: Partial<Record<EmulationTitle, TitleVoteRule>>;
}

export const DEFAULT_POLICY: CyclePolicy = {
  timing: {
    kind: 'calendar',
    timeZone: 'Asia/Ho_Chi_Minh',
    dispatchDay: 15,
    dispatchTime: '08:00',
    deadlineDay: 20,
    deadlineTime: '17:00',
    reminderDaysBefore: [3, 1, 0],
    reminderTime: '08:00',
    escalationWorkingDaysAfter: [1, 3],
    hardCloseWorkingDaysAfter: 5,
    reviewWorkingDays: 5,
    revisionWorkingDays: 3,
  },
  maxReminders: 3,
  quorum: { numerator: 2, denominator: 3 },
  approvalThreshold: { numerator: 1, denominator: 2 },
  secretBallots: true,
};
