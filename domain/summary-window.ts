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
import type { Locale } from './template';

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

/**
 * The decree's windows whose cut-off is `period`'s (the 14th of its month): at a quarter's last
 * month its quarter, in June the first half too, in December the second half and the year.
 * Empty for any other month.
 */
export function windowsEndingWith(period: Period): SummaryWindow[] {
  const { year, month } = periodParts(period);
  if (month % 3 !== 0) return [];
  return [
    quarterWindow(year, (month / 3) as 1 | 2 | 3 | 4),
    ...(month % 6 === 0 ? [halfWindow(year, month === 6 ? 1 : 2)] : []),
    ...(month === 12 ? [yearWindow(year)] : []),
  ];
}

/** The day after a cut-off: windows are frozen from the 15th of a quarter's last month. */
export const CUT_OFF_FREEZE_DAY = 15;

/**
 * The period of the latest quarterly cut-off passed on local date `date` (YYYY-MM-DD, Vietnam):
 * from the 15th of March, June, September and December that month, before it the previous one.
 */
export function latestCutOff(date: string): Period {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const index = year * 12 + (month - 1);
  const passed = month % 3 === 0 && day >= CUT_OFF_FREEZE_DAY ? index : index - (month % 3 === 0 ? 3 : month % 3);
  return periodOf(Math.floor(passed / 12), (passed % 12) + 1);
}

/** "Quý I/2027", "6 tháng đầu năm 2027", "Năm 2027", "Từ tháng 01/2027 đến tháng 05/2027" (and English). */
export function windowLabel(w: SummaryWindow, lang: Locale): string {
  const year = w.from.slice(0, 4);
  const roman = ['I', 'II', 'III', 'IV'];
  const mmYyyy = (p: string): string => `${p.slice(5)}/${p.slice(0, 4)}`;
  switch (w.kind) {
    case 'quarter': {
      const q = Number(w.code.slice(6));
      return lang === 'vi' ? `Quý ${roman[q - 1]}/${year}` : `Q${q} ${year}`;
    }
    case 'half':
      return w.code.endsWith('H1')
        ? lang === 'vi'
          ? `6 tháng đầu năm ${year}`
          : `First half of ${year}`
        : lang === 'vi'
          ? `6 tháng cuối năm ${year}`
          : `Second half of ${year}`;
    case 'year':
      return lang === 'vi' ? `Năm ${year}` : `Year ${year}`;
    case 'months':
      return lang === 'vi'
        ? `Từ tháng ${mmYyyy(w.from)} đến tháng ${mmYyyy(w.to)}`
        : `${mmYyyy(w.from)} to ${mmYyyy(w.to)}`;
  }
}
