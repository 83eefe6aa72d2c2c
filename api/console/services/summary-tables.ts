/**
 * The tables of a periodic summary, as the page shows them and as CSV (one table a file) and
 * XLSX (every table, one sheet each) download them. Cells are numbers or text (api/console/services/xlsx.ts).
 */
import type { KeyTaskStatus } from '../../../domain/answers';
import type { IndicatorSummary, MonthState, PeriodSummary, Timeliness, UnitSummary } from '../../../domain/summary';
import type { Aggregation } from '../../../domain/template';
import { targetText } from '../../pages/charts';
import type { Locale } from '../../pages/i18n';
import type { Cell, Sheet } from './xlsx';

export const SUMMARY_LABELS = {
  vi: {
    month: 'Tháng',
    state: 'Tình trạng kỳ',
    version: 'Phiên bản được duyệt',
    templateVersion: 'Phiên bản biểu mẫu',
    expected: 'Phải nộp',
    submitted: 'Đã nộp',
    onTime: 'Đúng hạn',
    late: 'Muộn',
    missing: 'Không nộp',
    completeness: 'Tỷ lệ đã nộp',
    onTimeRate: 'Tỷ lệ đúng hạn',
    code: 'Mã',
    title: 'Tên',
    measure: 'Đơn vị tính',
    aggregation: 'Cách tổng hợp',
    target: 'Chỉ tiêu',
    window: 'Cả kỳ',
    met: 'Đạt',
    registered: (year: number) => `Đăng ký thi đua ${year}`,
    metRegistered: 'Đạt mức đăng ký',
    existed: 'Có trong các tháng',
    done: 'Hoàn thành',
    inProgress: 'Đang thực hiện',
    notStarted: 'Chưa thực hiện',
    unitCode: 'Mã đơn vị',
    unit: 'Đơn vị',
    streak: 'Chuỗi đúng hạn hiện tại',
    longest: 'Chuỗi đúng hạn dài nhất',
    status: 'Tình trạng',
    text: 'Nội dung',
    evidence: 'Minh chứng',
    submittedAt: 'Nộp lúc',
    deadline: 'Hạn nộp',
    submissionVersion: 'Lần nộp được tính',
    kind: 'Loại',
    section: 'Lĩnh vực',
    example: 'Điển hình tiên tiến',
    proposal: 'Đề nghị khen thưởng',
    recommendation: 'Khó khăn, kiến nghị',
    yes: 'có',
    no: 'không',
    monthState: {
      accepted: 'đã được Hội đồng duyệt',
      in_progress: 'chưa được duyệt',
      cancelled: 'đã hủy',
      none: 'không có kỳ báo cáo',
    } satisfies Record<MonthState, string>,
    timeliness: {
      on_time: 'đúng hạn',
      late: 'muộn',
      missing: 'không nộp',
      not_expected: 'không phải nộp',
    } satisfies Record<Timeliness, string>,
    keyTask: { done: 'hoàn thành', in_progress: 'đang thực hiện', not_started: 'chưa thực hiện' } satisfies Record<
      KeyTaskStatus,
      string
    >,
    agg: {
      sum: 'tổng',
      average: 'trung bình',
      min: 'nhỏ nhất',
      max: 'lớn nhất',
      latest: 'mới nhất',
    } satisfies Record<Aggregation, string>,
    sheets: {
      months: 'Theo tháng',
      indicators: 'Chỉ tiêu',
      keyTasks: 'Nhiệm vụ trọng tâm',
      units: 'Đơn vị',
      texts: 'Nội dung báo cáo',
    },
  },
  en: {
    month: 'Month',
    state: 'Cycle',
    version: 'Approved version',
    templateVersion: 'Template version',
    expected: 'Expected',
    submitted: 'Submitted',
    onTime: 'On time',
    late: 'Late',
    missing: 'Missing',
    completeness: 'Completeness',
    onTimeRate: 'On-time rate',
    code: 'Code',
    title: 'Title',
    measure: 'Measure',
    aggregation: 'Aggregation',
    target: 'Target',
    window: 'Whole window',
    met: 'Met',
    registered: (year: number) => `Registered for ${year}`,
    metRegistered: 'Meets registration',
    existed: 'In the months',
    done: 'Done',
    inProgress: 'In progress',
    notStarted: 'Not started',
    unitCode: 'Unit code',
    unit: 'Unit',
    streak: 'Current on-time streak',
    longest: 'Longest on-time streak',
    status: 'Status',
    text: 'Text',
    evidence: 'Evidence',
    submittedAt: 'Submitted at',
    deadline: 'Deadline',
    submissionVersion: 'Submission counted',
    kind: 'Kind',
    section: 'Sector field',
    example: 'Advanced example',
    proposal: 'Commendation proposal',
    recommendation: 'Difficulties and recommendations',
    yes: 'yes',
    no: 'no',
    monthState: {
      accepted: 'approved by the council',
      in_progress: 'not approved yet',
      cancelled: 'cancelled',
      none: 'no cycle',
    } satisfies Record<MonthState, string>,
    timeliness: {
      on_time: 'on time',
      late: 'late',
      missing: 'missing',
      not_expected: 'not expected',
    } satisfies Record<Timeliness, string>,
    keyTask: { done: 'done', in_progress: 'in progress', not_started: 'not started' } satisfies Record<
      KeyTaskStatus,
      string
    >,
    agg: {
      sum: 'sum',
      average: 'average',
      min: 'minimum',
      max: 'maximum',
      latest: 'latest',
    } satisfies Record<Aggregation, string>,
    sheets: {
      months: 'By month',
      indicators: 'Indicators',
      keyTasks: 'Key tasks',
      units: 'Units',
      texts: 'Report texts',
    },
  },
} as const;

/** The tables a summary of a campaign (or of a node) downloads, by file name stem. */
export const SUMMARY_TABLES = ['months', 'indicators', 'key-tasks', 'units'] as const;
/** The tables of one unit's summary. */
export const UNIT_SUMMARY_TABLES = ['months', 'indicators', 'key-tasks', 'texts'] as const;
export type SummaryTable = (typeof SUMMARY_TABLES)[number] | (typeof UNIT_SUMMARY_TABLES)[number];

/** The file names the download routes take. */
export const SUMMARY_FILE_PATTERN = '^((months|indicators|key-tasks|units|texts)\\.csv|summary\\.xlsx)$';

/** An indicator over the window, in the shape both the campaign's and a unit's summary give it. */
type IndicatorOverWindow = Pick<
  IndicatorSummary,
  'code' | 'title' | 'measure' | 'aggregation' | 'target' | 'value' | 'met' | 'periods'
> & { readonly months: readonly { readonly value: number | null }[] };

/** One row per indicator: its definition, its monthly values, the window's value and whether it met its target. */
/** The header of an indicators table: the indicator, each month, the window. */
const indicatorsHeader = (h: (typeof SUMMARY_LABELS)[Locale], periods: readonly string[]): Cell[] => [
  h.code,
  h.title,
  h.measure,
  h.aggregation,
  h.target,
  ...periods,
  h.window,
  h.met,
  h.existed,
];

function indicatorRows(indicators: readonly IndicatorOverWindow[], lang: Locale): Cell[][] {
  const h = SUMMARY_LABELS[lang];
  return indicators.map((i) => [
    i.code,
    i.title[lang],
    i.measure[lang],
    h.agg[i.aggregation],
    targetText(i.target, lang),
    ...i.months.map((m) => m.value),
    i.value,
    i.met === null ? '' : i.met ? h.yes : h.no,
    i.periods.join(', '),
  ]);
}

const percentColumns = (header: readonly Cell[], labels: readonly string[]): number[] =>
  header.flatMap((h, i) => (labels.includes(String(h)) ? [i] : []));

export function summarySheets(s: PeriodSummary, lang: Locale): Record<(typeof SUMMARY_TABLES)[number], Sheet> {
  const h = SUMMARY_LABELS[lang];
  const periods = s.months.map((m) => m.period);
  const monthsHeader = [
    h.month,
    h.state,
    h.version,
    h.templateVersion,
    h.expected,
    h.submitted,
    h.onTime,
    h.completeness,
    h.onTimeRate,
  ];
  const months: Cell[][] = [
    monthsHeader,
    ...s.months.map((m) => [
      m.period,
      h.monthState[m.state],
      m.version,
      m.templateVersion,
      m.expected,
      m.submitted,
      m.onTime,
      m.completeness,
      m.onTimeRate,
    ]),
    [
      h.window,
      '',
      '',
      '',
      s.reporting.expected,
      s.reporting.submitted,
      s.reporting.onTime,
      s.reporting.completeness,
      s.reporting.onTimeRate,
    ],
  ];
  const indicators: Cell[][] = [indicatorsHeader(h, periods), ...indicatorRows(s.indicators, lang)];
  const keyTasks: Cell[][] = [
    [h.code, h.title, h.month, h.done, h.inProgress, h.notStarted, h.existed],
    ...s.keyTasks.flatMap((k) =>
      k.months.flatMap((m) =>
        m.counts
          ? [
              [
                k.code,
                k.title[lang],
                m.period,
                m.counts.done,
                m.counts.in_progress,
                m.counts.not_started,
                k.periods.join(', '),
              ],
            ]
          : [],
      ),
    ),
  ];
  const units: Cell[][] = [
    [
      h.unitCode,
      h.unit,
      ...periods,
      h.expected,
      h.onTime,
      h.late,
      h.missing,
      h.streak,
      h.longest,
      ...s.indicators.map((i) => `${i.code} (${h.agg[i.aggregation]})`),
    ],
    ...s.units.map((u) => [
      u.unitCode,
      u.unitName,
      ...u.months.map((m) => (m.status ? h.timeliness[m.status] : '')),
      u.expected,
      u.onTime,
      u.late,
      u.missing,
      u.streak,
      u.longestStreak,
      ...u.indicators.map((i) => i.value),
    ]),
  ];
  return {
    months: {
      name: h.sheets.months,
      rows: months,
      widths: [10, 24, 10, 10, 10, 10, 10, 12, 12],
      percentColumns: percentColumns(monthsHeader, [h.completeness, h.onTimeRate]),
    },
    indicators: { name: h.sheets.indicators, rows: indicators, widths: [10, 40, 14, 12, 12] },
    'key-tasks': { name: h.sheets.keyTasks, rows: keyTasks, widths: [10, 50, 10, 12, 12, 12, 30] },
    units: { name: h.sheets.units, rows: units, widths: [14, 36] },
  };
}

export function unitSummarySheets(s: UnitSummary, lang: Locale): Record<(typeof UNIT_SUMMARY_TABLES)[number], Sheet> {
  const h = SUMMARY_LABELS[lang];
  const periods = s.months.map((m) => m.period);
  const months: Cell[][] = [
    [h.month, h.state, h.templateVersion, h.status, h.submittedAt, h.deadline, h.submissionVersion],
    ...s.months.map((m) => [
      m.period,
      h.monthState[m.state],
      m.templateVersion,
      m.status ? h.timeliness[m.status] : '',
      m.submittedAt,
      m.deadline,
      m.version,
    ]),
    [h.onTime, s.onTime, h.late, s.late, h.missing, s.missing, ''],
    [h.streak, s.streak, h.longest, s.longestStreak, '', '', ''],
  ];
  const indicators: Cell[][] = [
    [...indicatorsHeader(h, periods), h.registered(s.registrationYear), h.metRegistered],
    ...indicatorRows(s.indicators, lang).map((row, k) => {
      const registered = s.indicators[k]!.registered;
      return [
        ...row,
        registered ? targetText(registered.target, lang) : '',
        registered?.met == null ? '' : registered.met ? h.yes : h.no,
      ];
    }),
  ];
  const keyTasks: Cell[][] = [
    [h.code, h.title, h.month, h.status, h.text, h.evidence],
    ...s.keyTasks.flatMap((k) =>
      k.months.flatMap((m) =>
        m.status ? [[k.code, k.title[lang], m.period, h.keyTask[m.status], m.text, m.evidenceUrl]] : [],
      ),
    ),
  ];
  const texts: Cell[][] = [
    [h.month, h.kind, h.title, h.text],
    ...s.months.flatMap((m) => [
      ...m.sections.map((x) => [m.period, h.section, x.title[lang], x.text]),
      ...m.examples.map((x) => [m.period, h.example, x.name, x.description]),
      ...m.proposals.map((x) => [m.period, h.proposal, `${x.nominee} — ${x.requestedForm}`, x.summary]),
      ...(m.recommendations ? [[m.period, h.recommendation, '', m.recommendations]] : []),
    ]),
  ];
  return {
    months: { name: h.sheets.months, rows: months, widths: [10, 24, 10, 14, 26, 26, 10] },
    indicators: { name: h.sheets.indicators, rows: indicators, widths: [10, 40, 14, 12, 12] },
    'key-tasks': { name: h.sheets.keyTasks, rows: keyTasks, widths: [10, 40, 10, 16, 60, 30] },
    texts: { name: h.sheets.texts, rows: texts, widths: [10, 24, 36, 80] },
  };
}
