/**
 * The cut-off windows of the periodic summaries (Decree 09/2019/NĐ-CP art. 12) and the monthly
 * cycles each one covers. Pure.
 *
 * A monthly cycle's period `YYYY-MM` names the month whose cut-off ends its data: period 2027-03
 * covers 15 Feb 2027 → 14 Mar 2027 (`planCycle` with the default calendar: data from the 15th of
 * the previous month to the 14th). Every window of the decree runs from a 15th to a 14th, so it is
 * exactly a run of consecutive periods, and a period belongs to a window when its month is one of
 * the window's months:
 * - quarter Q: 15th of the month before the quarter → 14th of its last month (Q1 2027: 15 Dec 2026
 *   → 14 Mar 2027 = periods 2027-01 … 2027-03);
 * - first half: 15 Dec → 14 Jun (periods 01 … 06); second half: 15 Jun → 14 Dec (07 … 12);
 * - year: 15 Dec of the previous year → 14 Dec (periods 01 … 12);
 * - a custom range of months `A..B`: 15th of the month before A → 14th of B (periods A … B).
 * Membership goes by the period, never by dates, so a campaign on another calendar (or on
 * relative timing, in tests and demos) is summarised by the months its cycles were started for.
 */
import { parsePeriod, periodParts, type Period } from './period';

export type WindowKind = 'quarter' | 'half' | 'year' | 'months';

export interface SummaryWindow {
  readonly kind: WindowKind;
  /** How the window is written in URLs: `2027-Q1`, `2027-H2`, `2027`, `2027-01..2027-05`. */
  readonly code: string;
  readonly from: Period;
  readonly to: Period;
  /** The monthly periods it covers, in order. */
  readonly periods: readonly Period[];
  /** First and last day of the data it covers (local dates, the decree's 15th → 14th). */
  readonly dataFrom: string;
  readonly dataTo: string;
}

/** Longest custom range, in months. */
export const MAX_WINDOW_MONTHS = 36;

/** What a window's URL form looks like (for request schemas). */
export const WINDOW_PATTERN = '^\\d{4}(-(Q[1-4]|H[12]|(0[1-9]|1[0-2])\\.\\.\\d{4}-(0[1-9]|1[0-2])))?$';

const pad = (n: number): string => String(n).padStart(2, '0');
const periodOf = (year: number, month: number): Period => `${year}-${pad(month)}` as Period;

/** The period `months` after `period` (negative: before). */
export function shiftPeriod(period: Period, months: number): Period {
  const { year, month } = periodParts(period);
  const index = year * 12 + (month - 1) + months;
  return periodOf(Math.floor(index / 12), (index % 12) + 1);
}

function windowOf(kind: WindowKind, code: string, from: Period, to: Period): SummaryWindow {
  const periods: Period[] = [];
  for (let p = from; p <= to; p = shiftPeriod(p, 1)) periods.push(p);
  return { kind, code, from, to, periods, dataFrom: `${shiftPeriod(from, -1)}-15`, dataTo: `${to}-14` };
}

export const quarterWindow = (year: number, quarter: 1 | 2 | 3 | 4): SummaryWindow =>
  windowOf('quarter', `${year}-Q${quarter}`, periodOf(year, quarter * 3 - 2), periodOf(year, quarter * 3));

export const halfWindow = (year: number, half: 1 | 2): SummaryWindow =>
  windowOf('half', `${year}-H${half}`, periodOf(year, half === 1 ? 1 : 7), periodOf(year, half === 1 ? 6 : 12));

export const yearWindow = (year: number): SummaryWindow =>
  windowOf('year', String(year), periodOf(year, 1), periodOf(year, 12));

/** The custom window of the periods `from` … `to`; undefined when `to` is before `from` or the range is too long. */
export function monthsWindow(from: Period, to: Period): SummaryWindow | undefined {
  if (to < from) return undefined;
  const a = periodParts(from);
  const b = periodParts(to);
  if ((b.year - a.year) * 12 + (b.month - a.month) + 1 > MAX_WINDOW_MONTHS) return undefined;
  return windowOf('months', `${from}..${to}`, from, to);
}

/** The window written `code` (see `SummaryWindow.code`); undefined when it is not one. */
export function parseWindow(code: string): SummaryWindow | undefined {
  if (!new RegExp(WINDOW_PATTERN).test(code)) return undefined;
  const year = Number(code.slice(0, 4));
  if (year < 2000 || year > 2999) return undefined;
  const rest = code.slice(5);
  if (code.length === 4) return yearWindow(year);
  if (rest.startsWith('Q')) return quarterWindow(year, Number(rest.slice(1)) as 1 | 2 | 3 | 4);
  if (rest.startsWith('H')) return halfWindow(year, Number(rest.slice(1)) as 1 | 2);
  const [from, to] = code.split('..') as [string, string];
  const a = parsePeriod(from);
  const b = parsePeriod(to);
  return a && b ? monthsWindow(a, b) : undefined;
}

/** The quarter, the half and the year a period belongs to (the windows a summary page offers from it). */
export function windowsAround(period: Period): SummaryWindow[] {
  const { year, month } = periodParts(period);
  return [
    quarterWindow(year, Math.ceil(month / 3) as 1 | 2 | 3 | 4),
    halfWindow(year, month <= 6 ? 1 : 2),
    yearWindow(year),
  ];
}
