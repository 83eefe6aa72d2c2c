/**
 * Periodic summaries (sơ kết, tổng kết): a window of months (domain/summary-window.ts) read from
 * the monthly cycles the council approved, never by asking the units again. Pure.
 *
 * - A month counts when its cycle is **accepted**: published after the council approved a
 *   consolidated version. Its figures are that version's: the units of its basis and the
 *   submissions it counted, read as `consolidate()` reads them, so every month of a summary equals
 *   the monthly report the council approved. A month whose cycle is still running, was cancelled
 *   or never started is listed with its state and counts for nothing.
 * - Per month, over a set of units (the campaign, or what reports to one node of its tree), the
 *   month's reading: reporting rate, key-task status counts, each indicator's aggregate over the
 *   leaves (consolidation's rule) compared with the month's target.
 * - Over the window, an indicator's figure is its own aggregation applied to its monthly figures
 *   (sum: the total; average: the mean of the monthly figures; min, max; latest: the last month's),
 *   with the aggregation and target of the last month it existed in; a unit's figure is the same
 *   over its own monthly answers.
 * - Templates change between months: each key task, indicator and section says the months it
 *   existed in (in the month's pinned template version); its title is the latest one.
 * - Reporting history per unit and month: on time, late (the obligation met after its deadline),
 *   missing, or not expected (not a unit of that month's cycle). The current streak counts the
 *   unit's on-time months back from the last accepted month it was expected in; the longest is the
 *   longest such run in the window.
 */
import type { AdvancedExample, CommendationProposal, KeyTaskStatus } from './answers';
import { aggregate, consolidate, meetsTarget, type UnitReportInput } from './consolidation';
import { periodParts, type Period } from './period';
import { registeredTarget } from './registration';
import { membersBelow } from './reporting-tree';
import type { SummaryWindow } from './summary-window';
import type { Aggregation, IndicatorTarget, LocalizedText, TemplateDefinition } from './template';

/** A month's cycle as the summary sees it. */
export type MonthState = 'accepted' | 'in_progress' | 'cancelled' | 'none';

export interface MonthInput {
  readonly period: Period;
  readonly state: MonthState;
  /** The approved consolidated version (accepted months only). */
  readonly version: number | null;
  readonly templateVersion: number | null;
  readonly template: TemplateDefinition | null;
  /** The approved version's units and the submissions it counted (accepted months only). */
  readonly units: readonly UnitReportInput[];
}

export interface RateFigures {
  readonly expected: number;
  readonly submitted: number;
  readonly onTime: number;
  readonly completeness: number;
  readonly onTimeRate: number;
}

export interface MonthFigures extends RateFigures {
  readonly period: Period;
  readonly state: MonthState;
  readonly version: number | null;
  readonly templateVersion: number | null;
}

export type Timeliness = 'on_time' | 'late' | 'missing' | 'not_expected';

export interface UnitHistoryMonth {
  readonly period: Period;
  /** Null when the month is not accepted (nothing to say yet). */
  readonly status: Timeliness | null;
}

export interface UnitRow {
  readonly unitCode: string;
  readonly unitName: string;
  readonly months: readonly UnitHistoryMonth[];
  readonly expected: number;
  readonly onTime: number;
  readonly late: number;
  readonly missing: number;
  readonly streak: number;
  readonly longestStreak: number;
  /** The unit's own figure per indicator over the window (null: it gave none). */
  readonly indicators: readonly { readonly code: string; readonly value: number | null }[];
}

export interface KeyTaskSummary {
  readonly code: string;
  readonly title: LocalizedText;
  /** The months whose template had this key task. */
  readonly periods: readonly Period[];
  readonly months: readonly { readonly period: Period; readonly counts: Record<KeyTaskStatus, number> | null }[];
}

export interface IndicatorMonth {
  readonly period: Period;
  /** Null: not in that month's template, or the month is not accepted. */
  readonly value: number | null;
  readonly reported: number;
  readonly target: IndicatorTarget | null;
  readonly met: boolean | null;
}

export interface IndicatorSummary {
  readonly code: string;
  readonly title: LocalizedText;
  readonly measure: LocalizedText;
  readonly aggregation: Aggregation;
  readonly target: IndicatorTarget;
  readonly periods: readonly Period[];
  readonly months: readonly IndicatorMonth[];
  readonly value: number | null;
  readonly met: boolean | null;
}

export interface SectionSpan {
  readonly code: string;
  readonly title: LocalizedText;
  readonly periods: readonly Period[];
}

export interface PeriodSummary {
  readonly window: SummaryWindow;
  /** The node whose subtree is summarised; absent for the whole campaign. */
  readonly node?: { readonly unitCode: string; readonly unitName: string };
  readonly months: readonly MonthFigures[];
  /** Over the accepted months: unit-months expected, submitted, on time. */
  readonly reporting: RateFigures;
  readonly keyTasks: readonly KeyTaskSummary[];
  readonly indicators: readonly IndicatorSummary[];
  readonly sections: readonly SectionSpan[];
  readonly units: readonly UnitRow[];
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;
const rate = (expected: number, submitted: number, onTime: number): RateFigures => ({
  expected,
  submitted,
  onTime,
  completeness: expected === 0 ? 0 : round(submitted / expected),
  onTimeRate: expected === 0 ? 0 : round(onTime / expected),
});

/** How a unit of a month's basis met its obligation. */
export function timelinessOf(unit: UnitReportInput): Exclude<Timeliness, 'not_expected'> {
  if (!unit.submission) return 'missing';
  return unit.obligation?.late ? 'late' : 'on_time';
}

/** The on-time run ending at the last month counted, and the longest run; months not counted are skipped. */
export function streaks(history: readonly (Timeliness | null)[]): { streak: number; longestStreak: number } {
  let run = 0;
  let longest = 0;
  for (const status of history) {
    if (status === null || status === 'not_expected') continue;
    run = status === 'on_time' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return { streak: run, longestStreak: longest };
}

/** Each definition's months and latest form, over the months' templates in order. */
function spans<T extends { code: string }>(
  months: readonly MonthInput[],
  pick: (t: TemplateDefinition) => readonly T[],
): { latest: T; periods: Period[] }[] {
  const byCode = new Map<string, { latest: T; periods: Period[] }>();
  for (const m of months) {
    if (!m.template) continue;
    for (const item of pick(m.template)) {
      const known = byCode.get(item.code);
      if (known) {
        known.latest = item;
        known.periods.push(m.period);
      } else byCode.set(item.code, { latest: item, periods: [m.period] });
    }
  }
  return [...byCode.values()];
}

/** The units a month counts for the scope: all of them, or those below `node` (itself excluded). */
function scoped(units: readonly UnitReportInput[], node: string | undefined): UnitReportInput[] {
  if (node === undefined) return [...units];
  if (!units.some((u) => u.unitCode === node)) return [];
  return membersBelow(
    units,
    (u) => u.unitCode,
    (u) => u.reportsTo,
    node,
  );
}

/** A window's aggregate over monthly figures (each month's `at` is its period). */
const overMonths = (kind: Aggregation, figures: readonly { period: Period; value: number | null }[]): number | null =>
  aggregate(
    kind,
    figures.flatMap((f) => (f.value === null ? [] : [{ value: f.value, at: f.period }])),
  );

/** The summary of `months` (every period of `window`, in order) over the campaign or below `node`. */
export function summarise(window: SummaryWindow, months: readonly MonthInput[], node?: string): PeriodSummary {
  const accepted = months.filter((m) => m.state === 'accepted' && m.template);
  const readings = new Map(
    accepted.map((m) => {
      const units = scoped(m.units, node);
      return [m.period, { units, content: consolidate(m.template!, units) }] as const;
    }),
  );
  const nodeRef = node
    ? accepted
        .flatMap((m) => m.units)
        .filter((u) => u.unitCode === node)
        .at(-1)
    : undefined;

  const monthFigures: MonthFigures[] = months.map((m) => {
    const c = readings.get(m.period)?.content;
    return {
      period: m.period,
      state: m.state,
      version: m.version,
      templateVersion: m.templateVersion,
      ...(c ? rate(c.expected, c.submitted, c.onTime) : rate(0, 0, 0)),
    };
  });
  const totals = monthFigures.reduce((t, m) => ({ e: t.e + m.expected, s: t.s + m.submitted, o: t.o + m.onTime }), {
    e: 0,
    s: 0,
    o: 0,
  });

  const keyTasks: KeyTaskSummary[] = spans(accepted, (t) => t.keyTasks).map(({ latest, periods }) => ({
    code: latest.code,
    title: latest.title,
    periods,
    months: months.map((m) => ({
      period: m.period,
      counts: readings.get(m.period)?.content.keyTasks.find((k) => k.code === latest.code)?.counts ?? null,
    })),
  }));

  const indicatorSpans = spans(accepted, (t) => t.indicators);
  const indicators: IndicatorSummary[] = indicatorSpans.map(({ latest, periods }) => {
    const monthly: IndicatorMonth[] = months.map((m) => {
      const ind = readings.get(m.period)?.content.indicators.find((i) => i.code === latest.code);
      return ind
        ? { period: m.period, value: ind.value, reported: ind.reported, target: ind.target, met: ind.met }
        : { period: m.period, value: null, reported: 0, target: null, met: null };
    });
    const value = overMonths(latest.aggregation, monthly);
    return {
      code: latest.code,
      title: latest.title,
      measure: latest.measure,
      aggregation: latest.aggregation,
      target: latest.target,
      periods,
      months: monthly,
      value,
      met: meetsTarget(latest.target, value),
    };
  });

  const unitCodes = new Map<string, string>();
  for (const m of accepted) for (const u of readings.get(m.period)!.units) unitCodes.set(u.unitCode, u.unitName);
  const byMonth = new Map(
    [...readings].map(([period, r]) => [period, new Map(r.units.map((u) => [u.unitCode, u]))] as const),
  );
  const units: UnitRow[] = [...unitCodes]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([unitCode, unitName]) => {
      const history: UnitHistoryMonth[] = months.map((m) => {
        const month = byMonth.get(m.period);
        if (!month) return { period: m.period, status: null };
        const u = month.get(unitCode);
        return { period: m.period, status: u ? timelinessOf(u) : 'not_expected' };
      });
      const count = (s: Timeliness) => history.filter((h) => h.status === s).length;
      return {
        unitCode,
        unitName,
        months: history,
        expected: history.filter((h) => h.status !== null && h.status !== 'not_expected').length,
        onTime: count('on_time'),
        late: count('late'),
        missing: count('missing'),
        ...streaks(history.map((h) => h.status)),
        indicators: indicatorSpans.map(({ latest }) => ({
          code: latest.code,
          value: overMonths(
            latest.aggregation,
            months.map((m) => {
              const v = byMonth.get(m.period)?.get(unitCode)?.submission?.answers.indicators[latest.code];
              return { period: m.period, value: typeof v === 'number' ? v : null };
            }),
          ),
        })),
      };
    });

  return {
    window,
    ...(nodeRef ? { node: { unitCode: nodeRef.unitCode, unitName: nodeRef.unitName } } : {}),
    months: monthFigures,
    reporting: rate(totals.e, totals.s, totals.o),
    keyTasks,
    indicators,
    sections: spans(accepted, (t) => t.sections).map(({ latest, periods }) => ({
      code: latest.code,
      title: latest.title,
      periods,
    })),
    units,
  };
}

/** One month of one unit's summary: what it handed in, as the approved version counted it. */
export interface UnitMonth {
  readonly period: Period;
  readonly state: MonthState;
  readonly templateVersion: number | null;
  /** Null when the month is not accepted. */
  readonly status: Timeliness | null;
  readonly submittedAt: string | null;
  readonly deadline: string | null;
  /** The submission version counted (2 and more: a revision the council asked for). */
  readonly version: number | null;
  readonly sections: readonly { readonly code: string; readonly title: LocalizedText; readonly text: string }[];
  readonly examples: readonly AdvancedExample[];
  readonly proposals: readonly CommendationProposal[];
  readonly recommendations: string;
}

export interface UnitSummary {
  readonly window: SummaryWindow;
  readonly unitCode: string;
  readonly unitName: string;
  readonly months: readonly UnitMonth[];
  readonly expected: number;
  readonly onTime: number;
  readonly late: number;
  readonly missing: number;
  readonly streak: number;
  readonly longestStreak: number;
  /** Status and text of each key task, month by month (null: not reported, or not in that month's template). */
  readonly keyTasks: readonly {
    readonly code: string;
    readonly title: LocalizedText;
    readonly periods: readonly Period[];
    readonly months: readonly {
      readonly period: Period;
      readonly status: KeyTaskStatus | null;
      readonly text: string | null;
      readonly evidenceUrl: string | null;
    }[];
  }[];
  readonly indicators: readonly (Omit<IndicatorSummary, 'months'> & {
    readonly months: readonly {
      readonly period: Period;
      readonly value: number | null;
      readonly target: IndicatorTarget | null;
      readonly met: boolean | null;
    }[];
    /**
     * The figure the unit registered for this indicator in the registration year (đăng ký thi
     * đua), as a target, and whether the unit's figure over the window meets it; null when it
     * registered none.
     */
    readonly registered: { readonly target: IndicatorTarget; readonly met: boolean | null } | null;
  })[];
  /** The year whose registration the indicators are compared with: the year of the window's last month. */
  readonly registrationYear: number;
}

/** The year whose registered targets a window's figures are compared with: that of its last month. */
export const registrationYearOf = (window: SummaryWindow): number => periodParts(window.to).year;

/**
 * One unit's summary over `months` (each month's units may hold that unit only), its indicators
 * compared with `registered` (indicator code → the figure it registered for
 * `registrationYearOf(window)`). Null when it was in no accepted month.
 */
export function summariseUnit(
  window: SummaryWindow,
  months: readonly MonthInput[],
  unitCode: string,
  registered: ReadonlyMap<string, number> = new Map(),
): UnitSummary | null {
  const accepted = months.filter((m) => m.state === 'accepted' && m.template);
  const own = new Map(
    accepted.flatMap((m) => {
      const u = m.units.find((x) => x.unitCode === unitCode);
      return u ? [[m.period, u] as const] : [];
    }),
  );
  const latest = [...own.values()].at(-1);
  if (!latest) return null;
  const templateOf = new Map(accepted.map((m) => [m.period, m.template!]));
  const statusOf = (m: MonthInput): Timeliness | null => {
    if (!templateOf.has(m.period)) return null;
    const u = own.get(m.period);
    return u ? timelinessOf(u) : 'not_expected';
  };
  const history = months.map(statusOf);
  const count = (s: Timeliness) => history.filter((h) => h === s).length;
  const answersOf = (p: Period) => own.get(p)?.submission?.answers;

  return {
    window,
    unitCode,
    unitName: latest.unitName,
    months: months.map((m, i) => {
      const u = own.get(m.period);
      const a = u?.submission?.answers;
      const template = templateOf.get(m.period);
      return {
        period: m.period,
        state: m.state,
        templateVersion: m.templateVersion,
        status: history[i]!,
        submittedAt: u?.submission?.submittedAt ?? null,
        deadline: u?.deadline ?? null,
        version: u?.submission?.version ?? null,
        sections: (template?.sections ?? []).flatMap((s) => {
          const text = a?.sections[s.code];
          return text ? [{ code: s.code, title: s.title, text }] : [];
        }),
        examples: a?.examples ?? [],
        proposals: a?.proposals ?? [],
        recommendations: a?.recommendations ?? '',
      };
    }),
    expected: history.filter((h) => h !== null && h !== 'not_expected').length,
    onTime: count('on_time'),
    late: count('late'),
    missing: count('missing'),
    ...streaks(history),
    keyTasks: spans(accepted, (t) => t.keyTasks).map(({ latest: task, periods }) => ({
      code: task.code,
      title: task.title,
      periods,
      months: months.map((m) => {
        const a = templateOf.get(m.period)?.keyTasks.some((k) => k.code === task.code)
          ? answersOf(m.period)?.keyTasks[task.code]
          : undefined;
        return {
          period: m.period,
          status: a?.status ?? null,
          text: a?.text ?? null,
          evidenceUrl: a?.evidenceUrl ?? null,
        };
      }),
    })),
    indicators: spans(accepted, (t) => t.indicators).map(({ latest: ind, periods }) => {
      const monthly = months.map((m) => {
        const def = templateOf.get(m.period)?.indicators.find((i) => i.code === ind.code);
        const v = def ? answersOf(m.period)?.indicators[ind.code] : undefined;
        const value = typeof v === 'number' ? v : null;
        return {
          period: m.period,
          value,
          target: def?.target ?? null,
          met: def ? meetsTarget(def.target, value) : null,
        };
      });
      const value = overMonths(ind.aggregation, monthly);
      const figure = registered.get(ind.code);
      const target = figure === undefined ? null : registeredTarget(ind.target, figure);
      return {
        code: ind.code,
        title: ind.title,
        measure: ind.measure,
        aggregation: ind.aggregation,
        target: ind.target,
        periods,
        months: monthly,
        value,
        met: meetsTarget(ind.target, value),
        registered: target ? { target, met: meetsTarget(target, value) } : null,
      };
    }),
    registrationYear: registrationYearOf(window),
  };
}
