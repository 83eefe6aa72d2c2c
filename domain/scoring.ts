/**
 * Scoring and ranking of an emulation bloc (khối thi đua) over a summary window, from the same
 * months a periodic summary reads (domain/summary.ts): the approved consolidated version of each
 * accepted month. Pure.
 *
 * Every criterion gives a share `numerator / denominator` and earns `weight × share` points,
 * computed exactly (domain/fraction.ts); a unit's score is the exact sum, rounded once, to 2
 * decimals, for display. A share with a zero denominator earns 0. Over the window, a unit's
 * *months* are the accepted months whose approved version has it among its units.
 * - `completeness`: its months in which it handed a report in / its months.
 * - `timeliness`: its months whose obligation was met by the deadline in force / its months.
 * - `indicator_attainment`: the indicators of the window (every indicator of an accepted month's
 *   template) whose figure for the unit over the window (summary.ts: the indicator's own
 *   aggregation over its monthly answers) meets the target / those indicators. The target is
 *   `targetOf(unit, indicator)` (a registered target), else the indicator's latest template target.
 *   An indicator the unit never answered does not meet it.
 * - `key_tasks_done`: in its last month with a report, the key tasks of that month's template it
 *   reported done / that template's key tasks.
 * - `council_decisions`: its months with a report that the council approved without sending the
 *   unit back for revision (no revision round in the approved version) / its months with a report.
 * - `hand`: points given by the council, 0..weight in hundredths, with a reason; numerator the
 *   hundredths, denominator 100 × weight, so the same `weight × share` holds. Not yet given: 0.
 *
 * Ranking: by score, highest first; tied scores are ordered by the points of the table's
 * criteria in the table's order (the first criterion that differs decides); units still tied
 * share a rank (1, 2, 2, 4) and are listed by unit code.
 */
import type { KeyTaskStatus } from './answers';
import { meetsTarget } from './consolidation';
import { add, compare, display, exact, fraction, times, ZERO, type Fraction } from './fraction';
import type { Period } from './period';
import { summarise, timelinessOf, type MonthInput, type Timeliness } from './summary';
import type { SummaryWindow } from './summary-window';
import type { IndicatorTarget, LocalizedText } from './template';

export const CRITERION_KINDS = [
  'completeness',
  'timeliness',
  'indicator_attainment',
  'key_tasks_done',
  'council_decisions',
  'hand',
] as const;
export type CriterionKind = (typeof CRITERION_KINDS)[number];

/** Points a criterion may weigh, whole points. */
export const MAX_WEIGHT = 1000;
/** Criteria in one scoring table. */
export const MAX_CRITERIA = 30;

export interface Criterion {
  readonly code: string;
  readonly label: LocalizedText;
  /** Whole points, 1..MAX_WEIGHT. */
  readonly weight: number;
  readonly kind: CriterionKind;
}

/** The council's points for one unit on one hand-scored criterion. */
export interface HandScore {
  readonly unitCode: string;
  readonly criterionCode: string;
  /** Hundredths of a point, 0..100 × weight. */
  readonly hundredths: number;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

/**
 * A registered target of a unit for an indicator; null: the template's (`templateTarget`, the
 * indicator's latest, given so that a registered figure can take its kind).
 */
export type TargetOf = (
  unitCode: string,
  indicatorCode: string,
  templateTarget: IndicatorTarget,
) => IndicatorTarget | null;

/** A monthly report a share was read from. */
export interface EvidenceReport {
  readonly period: Period;
  /** The consolidated version the council approved. */
  readonly consolidatedVersion: number;
  /** The unit's submission that version counted (2 and more: a revision); null: none. */
  readonly submissionVersion: number | null;
  readonly status: Exclude<Timeliness, 'not_expected'>;
  /** The council sent the unit back for revision before approving. */
  readonly sentBack: boolean;
  /** Whether this month adds to the numerator. */
  readonly counts: boolean;
}

export interface IndicatorAttainment {
  readonly code: string;
  readonly value: number | null;
  readonly target: IndicatorTarget;
  /** The target is the unit's registered one (not the template's). */
  readonly registered: boolean;
  readonly met: boolean;
}

interface ScoreBase {
  readonly code: string;
  readonly label: LocalizedText;
  readonly weight: number;
  readonly numerator: number;
  readonly denominator: number;
  /** weight × numerator / denominator, exact (`a/b`), and rounded to 2 decimals. */
  readonly points: string;
  readonly pointsDisplay: string;
  readonly reports: readonly EvidenceReport[];
}

export type CriterionScore = ScoreBase &
  (
    | { readonly kind: 'completeness' | 'timeliness' | 'council_decisions' }
    | { readonly kind: 'indicator_attainment'; readonly indicators: readonly IndicatorAttainment[] }
    | {
        readonly kind: 'key_tasks_done';
        /** The month read: the unit's last with a report (null: none). */
        readonly period: Period | null;
        readonly keyTasks: readonly { readonly code: string; readonly status: KeyTaskStatus | null }[];
      }
    | { readonly kind: 'hand'; readonly hand: HandScore | null }
  );

export interface RankedUnit {
  readonly unitCode: string;
  readonly unitName: string;
  /** Exact score (`a/b`) and its display to 2 decimals. */
  readonly score: string;
  readonly scoreDisplay: string;
  readonly rank: number;
  /** Another unit holds the same rank. */
  readonly shared: boolean;
  readonly criteria: readonly CriterionScore[];
}

export interface BlocScoringInput {
  readonly window: SummaryWindow;
  /** Every month of the window, as the summary reads them (db/summary-reading.ts). */
  readonly months: readonly MonthInput[];
  readonly units: readonly { readonly code: string; readonly name: string }[];
  readonly criteria: readonly Criterion[];
  readonly hand: readonly HandScore[];
  readonly targetOf: TargetOf;
}

const pointsOf = (weight: number, numerator: number, denominator: number): Fraction =>
  denominator === 0 ? ZERO : times(fraction(weight), fraction(numerator, denominator));

/** Ranks units by score then by each criterion's points in table order; ties share a rank. */
export function rankOrder<T extends { readonly unitCode: string }>(
  rows: readonly T[],
  scoreOf: (row: T) => Fraction,
  criterionPoints: (row: T) => readonly Fraction[],
): (T & { rank: number; shared: boolean })[] {
  const decisive = (a: T, b: T): number => {
    const byScore = compare(scoreOf(b), scoreOf(a));
    if (byScore !== 0) return byScore;
    const pa = criterionPoints(a);
    const pb = criterionPoints(b);
    for (let i = 0; i < pa.length; i += 1) {
      const c = compare(pb[i]!, pa[i]!);
      if (c !== 0) return c;
    }
    return 0;
  };
  const sorted = [...rows].sort((a, b) => decisive(a, b) || a.unitCode.localeCompare(b.unitCode));
  const ranks: number[] = [];
  sorted.forEach((row, i) => ranks.push(i > 0 && decisive(sorted[i - 1]!, row) === 0 ? ranks[i - 1]! : i + 1));
  return sorted.map((row, i) => ({
    ...row,
    rank: ranks[i]!,
    shared: ranks.filter((r) => r === ranks[i]).length > 1,
  }));
}

/** The bloc's units scored on `criteria` over the window and ranked. */
export function scoreBloc(input: BlocScoringInput): RankedUnit[] {
  const members = new Set(input.units.map((u) => u.code));
  const months = input.months.map((m) => ({ ...m, units: m.units.filter((u) => members.has(u.unitCode)) }));
  const summary = summarise(input.window, months);
  const accepted = months.filter((m) => m.state === 'accepted' && m.template && m.version !== null);

  const scored = input.units.map((unit) => {
    const own = accepted.flatMap((m) => {
      const u = m.units.find((x) => x.unitCode === unit.code);
      return u ? [{ month: m, u }] : [];
    });
    const evidence = (counts: (x: (typeof own)[number]) => boolean, only = (_: (typeof own)[number]) => true) =>
      own.filter(only).map((x): EvidenceReport => ({
        period: x.month.period,
        consolidatedVersion: x.month.version!,
        submissionVersion: x.u.submission?.version ?? null,
        status: timelinessOf(x.u),
        sentBack: x.u.revisionDeadline !== undefined,
        counts: counts(x),
      }));
    const share = (reports: readonly EvidenceReport[]) => ({
      numerator: reports.filter((r) => r.counts).length,
      denominator: reports.length,
    });
    const row = summary.units.find((r) => r.unitCode === unit.code);

    const criteria = input.criteria.map((c): CriterionScore => {
      const base = (numerator: number, denominator: number, reports: readonly EvidenceReport[]) => {
        const points = pointsOf(c.weight, numerator, denominator);
        return {
          code: c.code,
          label: c.label,
          weight: c.weight,
          numerator,
          denominator,
          points: exact(points),
          pointsDisplay: display(points),
          reports,
        };
      };
      switch (c.kind) {
        case 'completeness': {
          const reports = evidence((x) => x.u.submission !== undefined);
          const s = share(reports);
          return { ...base(s.numerator, s.denominator, reports), kind: c.kind };
        }
        case 'timeliness': {
          const reports = evidence((x) => timelinessOf(x.u) === 'on_time');
          const s = share(reports);
          return { ...base(s.numerator, s.denominator, reports), kind: c.kind };
        }
        case 'council_decisions': {
          const reports = evidence(
            (x) => x.u.revisionDeadline === undefined,
            (x) => x.u.submission !== undefined,
          );
          const s = share(reports);
          return { ...base(s.numerator, s.denominator, reports), kind: c.kind };
        }
        case 'indicator_attainment': {
          const indicators = summary.indicators.map((ind): IndicatorAttainment => {
            const registered = input.targetOf(unit.code, ind.code, ind.target);
            const target = registered ?? ind.target;
            const value = row?.indicators.find((i) => i.code === ind.code)?.value ?? null;
            return {
              code: ind.code,
              value,
              target,
              registered: registered !== null,
              met: !!meetsTarget(target, value),
            };
          });
          const reports = evidence(
            () => true,
            (x) => x.u.submission !== undefined,
          );
          return {
            ...base(indicators.filter((i) => i.met).length, indicators.length, reports),
            kind: c.kind,
            indicators,
          };
        }
        case 'key_tasks_done': {
          const last = own.filter((x) => x.u.submission !== undefined).at(-1);
          const keyTasks = (last?.month.template?.keyTasks ?? []).map((k) => ({
            code: k.code,
            status: last?.u.submission?.answers.keyTasks[k.code]?.status ?? null,
          }));
          const reports = evidence(
            () => true,
            (x) => x === last,
          );
          return {
            ...base(keyTasks.filter((k) => k.status === 'done').length, keyTasks.length, reports),
            kind: c.kind,
            period: last?.month.period ?? null,
            keyTasks,
          };
        }
        case 'hand': {
          const hand = input.hand.find((h) => h.unitCode === unit.code && h.criterionCode === c.code) ?? null;
          return { ...base(hand?.hundredths ?? 0, 100 * c.weight, []), kind: c.kind, hand };
        }
      }
    });
    const points = criteria.map((c) => pointsOf(c.weight, c.numerator, c.denominator));
    return { unitCode: unit.code, unitName: unit.name, criteria, points, total: points.reduce(add, ZERO) };
  });

  return rankOrder(
    scored,
    (r) => r.total,
    (r) => r.points,
  ).map((r) => ({
    unitCode: r.unitCode,
    unitName: r.unitName,
    score: exact(r.total),
    scoreDisplay: display(r.total),
    rank: r.rank,
    shared: r.shared,
    criteria: r.criteria,
  }));
}
