/**
 * Consolidation: from every unit's latest report to the council's reading. Pure and
 * deterministic, so the same inputs always give the same report.
 */
import type { AdvancedExample, CommendationProposal, KeyTaskStatus, ReportAnswers } from './answers';
import type { Aggregation, IndicatorTarget, LocalizedText, TemplateDefinition } from './template';

export interface UnitReportInput {
  readonly unitCode: string;
  readonly unitName: string;
  /** The obligation's deadline in force (the cycle's, or the unit's extended one). */
  readonly deadline: string;
  /** The report that met the obligation (submission version 1), when the unit handed one in. */
  readonly obligation?: { readonly submittedAt: string; readonly late: boolean };
  /** The report counted: the unit's latest (a revision's, once it resubmitted). */
  readonly submission?: {
    readonly submittedAt: string;
    readonly answers: ReportAnswers;
    readonly version: number;
    readonly deadline: string;
    readonly late: boolean;
  };
  /** The deadline of the unit's latest revision round, when the council sent it back. */
  readonly revisionDeadline?: string;
  /** In a cycle of several levels: the unit it reports to (absent at the top) and its level (0: a leaf). */
  readonly reportsTo?: string;
  readonly level?: number;
}

/** Reporting counts over a set of units: how many owe a report, handed one in, met the deadline. */
export interface ReportingRate {
  readonly expected: number;
  readonly submitted: number;
  readonly onTime: number;
  /** submitted / expected, 0..1 */
  readonly completeness: number;
  /** on time / expected, 0..1 */
  readonly onTimeRate: number;
}

/** A unit that others report to, in a cycle of several levels. */
export interface TreeNode extends UnitRef {
  readonly level: number;
  /** The unit it reports to; null at the top (it reports to the council). */
  readonly reportsTo: string | null;
  /** Its own report: handed in or not, and on time. */
  readonly submitted: boolean;
  readonly late: boolean | null;
  /** Over the units reporting directly to it. */
  readonly children: ReportingRate;
  /** Over the leaves of its subtree: what its figures are built from. */
  readonly leaves: ReportingRate;
  readonly missingChildren: readonly UnitRef[];
  readonly lateChildren: readonly UnitRef[];
}

export interface ReportingTree {
  /** Level 0 is the leaves; the highest level reports to the council. */
  readonly levels: readonly (ReportingRate & { readonly level: number })[];
  readonly nodes: readonly TreeNode[];
}

export interface UnitRef {
  readonly unitCode: string;
  readonly unitName: string;
}

export interface ConsolidatedReportContent {
  readonly expected: number;
  readonly submitted: number;
  readonly onTime: number;
  /** submitted / expected, 0..1 */
  readonly completeness: number;
  /** submitted by the deadline in force / expected, 0..1; revision rounds never change it */
  readonly onTimeRate: number;
  /** Units whose report met the obligation after its deadline: when it came, and the deadline. */
  readonly lateUnits: readonly (UnitRef & { submittedAt: string; deadline: string })[];
  /** Units sent back by the council (latest round each): whether and when the revision came, and whether by its deadline. */
  readonly revisions: readonly (UnitRef & { deadline: string; resubmittedAt: string | null; inTime: boolean | null })[];
  readonly missingUnits: readonly (UnitRef & { deadline: string })[];
  readonly keyTasks: readonly {
    code: string;
    title: LocalizedText;
    counts: Record<KeyTaskStatus, number>;
    entries: readonly (UnitRef & { status: KeyTaskStatus; text: string; evidenceUrl?: string })[];
  }[];
  readonly indicators: readonly {
    code: string;
    title: LocalizedText;
    measure: LocalizedText;
    aggregation: Aggregation;
    target: IndicatorTarget;
    reported: number;
    value: number | null;
    met: boolean | null;
    values: readonly (UnitRef & { value: number })[];
  }[];
  readonly sections: readonly {
    code: string;
    title: LocalizedText;
    entries: readonly (UnitRef & { text: string })[];
  }[];
  readonly examples: readonly (UnitRef & AdvancedExample)[];
  /** Each proposal has a stable id the council's ballots refer to. */
  readonly proposals: readonly (UnitRef & CommendationProposal & { id: string })[];
  readonly recommendations: readonly (UnitRef & { text: string })[];
  /**
   * In a cycle of several levels: rates per level and per unit that others report to. Indicators
   * are then aggregated over the leaves only (each figure once, never an aggregate of aggregates);
   * the texts of every level are kept.
   */
  readonly tree?: ReportingTree;
}

/** A unit's place in the tree and whether it has reported (and met its deadline). */
export interface TreeMember extends UnitRef {
  readonly reportsTo?: string | undefined;
  readonly level?: number | undefined;
  readonly submitted: boolean;
  /** Whether its first report came after its deadline; null until it reports. */
  readonly late: boolean | null;
}

function rateOf(units: readonly TreeMember[]): ReportingRate {
  const submitted = units.filter((u) => u.submitted).length;
  const onTime = units.filter((u) => u.late === false).length;
  const ratio = (n: number): number => (units.length === 0 ? 0 : round(n / units.length));
  return {
    expected: units.length,
    submitted,
    onTime,
    completeness: ratio(submitted),
    onTimeRate: ratio(onTime),
  };
}

/** The rates of a cycle's tree, from every unit's place in it; undefined when it has one level. */
export function reportingTree(units: readonly TreeMember[]): ReportingTree | undefined {
  if (!units.some((u) => (u.level ?? 0) > 0)) return undefined;
  const sorted = [...units].sort((a, b) => a.unitCode.localeCompare(b.unitCode));
  const childrenOf = new Map<string, TreeMember[]>();
  for (const u of sorted) if (u.reportsTo) childrenOf.set(u.reportsTo, [...(childrenOf.get(u.reportsTo) ?? []), u]);
  const leavesOf = (u: TreeMember): TreeMember[] => {
    const below = childrenOf.get(u.unitCode) ?? [];
    return below.length === 0 ? [u] : below.flatMap(leavesOf);
  };
  const ref = (u: TreeMember): UnitRef => ({ unitCode: u.unitCode, unitName: u.unitName });
  const height = Math.max(...sorted.map((u) => u.level ?? 0));
  return {
    levels: Array.from({ length: height + 1 }, (_, level) => ({
      level,
      ...rateOf(sorted.filter((u) => (u.level ?? 0) === level)),
    })),
    nodes: sorted
      .filter((u) => childrenOf.has(u.unitCode))
      .map((u) => {
        const children = childrenOf.get(u.unitCode)!;
        return {
          ...ref(u),
          level: u.level ?? 0,
          reportsTo: u.reportsTo ?? null,
          submitted: u.submitted,
          late: u.late,
          children: rateOf(children),
          leaves: rateOf(leavesOf(u)),
          missingChildren: children.filter((c) => !c.submitted).map(ref),
          lateChildren: children.filter((c) => c.late === true).map(ref),
        };
      }),
  };
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

export function aggregate(kind: Aggregation, values: readonly { value: number; at: string }[]): number | null {
  if (values.length === 0) return null;
  const xs = values.map((v) => v.value);
  switch (kind) {
    case 'sum':
      return round(xs.reduce((a, b) => a + b, 0));
    case 'average':
      return round(xs.reduce((a, b) => a + b, 0) / xs.length);
    case 'min':
      return Math.min(...xs);
    case 'max':
      return Math.max(...xs);
    case 'latest':
      return [...values].sort((a, b) => a.at.localeCompare(b.at)).at(-1)!.value;
  }
}

export function meetsTarget(target: IndicatorTarget, value: number | null): boolean | null {
  if (value === null) return null;
  switch (target.kind) {
    case 'at_least':
      return value >= target.value;
    case 'at_most':
      return value <= target.value;
    case 'between':
      return value >= target.min && value <= target.max;
  }
}

export function consolidate(
  template: TemplateDefinition,
  units: readonly UnitReportInput[],
): ConsolidatedReportContent {
  const sorted = [...units].sort((a, b) => a.unitCode.localeCompare(b.unitCode));
  const refOf = (u: UnitReportInput): UnitRef => ({ unitCode: u.unitCode, unitName: u.unitName });
  const reported = sorted.flatMap((u) => (u.submission ? [{ ref: refOf(u), ...u.submission }] : []));
  const met = sorted.flatMap((u) => (u.obligation ? [{ ref: refOf(u), deadline: u.deadline, ...u.obligation }] : []));
  const onTime = met.filter((r) => !r.late).length;
  const ratio = (n: number): number => (sorted.length === 0 ? 0 : round(n / sorted.length));
  const tree = reportingTree(
    sorted.map((u) => ({
      ...refOf(u),
      reportsTo: u.reportsTo,
      level: u.level,
      submitted: Boolean(u.submission),
      late: u.obligation ? u.obligation.late : null,
    })),
  );
  // Figures come from the leaves only when units report through levels: a level's own report
  // restates its subtree, so counting it too would count a figure twice.
  const aboveLeaves = new Set(sorted.filter((u) => (u.level ?? 0) > 0).map((u) => u.unitCode));
  const figures = tree ? reported.filter((r) => !aboveLeaves.has(r.ref.unitCode)) : reported;

  return {
    expected: sorted.length,
    submitted: reported.length,
    onTime,
    completeness: ratio(reported.length),
    onTimeRate: ratio(onTime),
    lateUnits: met.filter((r) => r.late).map((r) => ({ ...r.ref, submittedAt: r.submittedAt, deadline: r.deadline })),
    missingUnits: sorted.filter((u) => !u.submission).map((u) => ({ ...refOf(u), deadline: u.deadline })),
    revisions: sorted.flatMap((u) => {
      if (!u.revisionDeadline) return [];
      const revised =
        u.submission && Date.parse(u.submission.deadline) === Date.parse(u.revisionDeadline) ? u.submission : undefined;
      return [
        {
          ...refOf(u),
          deadline: u.revisionDeadline,
          resubmittedAt: revised?.submittedAt ?? null,
          inTime: revised ? !revised.late : null,
        },
      ];
    }),
    keyTasks: template.keyTasks.map((task) => {
      const entries = reported.flatMap((r) => {
        const a = r.answers.keyTasks[task.code];
        return a
          ? [{ ...r.ref, status: a.status, text: a.text, ...(a.evidenceUrl ? { evidenceUrl: a.evidenceUrl } : {}) }]
          : [];
      });
      const counts: Record<KeyTaskStatus, number> = { done: 0, in_progress: 0, not_started: 0 };
      for (const e of entries) counts[e.status] += 1;
      return { code: task.code, title: task.title, counts, entries };
    }),
    indicators: template.indicators.map((ind) => {
      const values = figures.flatMap((r) => {
        const v = r.answers.indicators[ind.code];
        return typeof v === 'number' ? [{ ...r.ref, value: v, at: r.submittedAt }] : [];
      });
      const value = aggregate(ind.aggregation, values);
      return {
        code: ind.code,
        title: ind.title,
        measure: ind.measure,
        aggregation: ind.aggregation,
        target: ind.target,
        reported: values.length,
        value,
        met: meetsTarget(ind.target, value),
        values: values.map(({ unitCode, unitName, value: v }) => ({ unitCode, unitName, value: v })),
      };
    }),
    sections: template.sections.map((section) => ({
      code: section.code,
      title: section.title,
      entries: reported.flatMap((r) => {
        const text = r.answers.sections[section.code];
        return text ? [{ ...r.ref, text }] : [];
      }),
    })),
    examples: reported.flatMap((r) => r.answers.examples.map((e) => ({ ...r.ref, ...e }))),
    proposals: reported.flatMap((r) =>
      r.answers.proposals.map((p, i) => ({ ...r.ref, ...p, id: `${r.ref.unitCode}-v${r.version}-${i + 1}` })),
    ),
    recommendations: reported.flatMap((r) =>
      r.answers.recommendations ? [{ ...r.ref, text: r.answers.recommendations }] : [],
    ),
    ...(tree ? { tree } : {}),
  };
}
