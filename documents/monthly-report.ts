/**
 * The consolidated monthly report of a cycle (one version) as an administrative report ("BÁO CÁO"):
 * how the reporting went, the indicators against their targets, the key tasks, each sector's
 * notes, advanced examples, proposals, recommendations, the late and missing units, and an
 * appendix with every unit's indicator values. Vietnamese, or English on request. Pure.
 */
import type { ConsolidatedReportContent } from '../domain/consolidation';
import type { Block, OfficialDocumentSpec } from './spec';
import { numberOf, placeAndDate, type DocumentSettings } from './settings';

export interface MonthlyReportInput {
  readonly campaignName: string;
  /** `YYYY-MM`. */
  readonly period: string;
  readonly version: number;
  readonly content: ConsolidatedReportContent;
  readonly settings: DocumentSettings;
  readonly lang: 'vi' | 'en';
  readonly now: Date;
  /** In a cycle of several levels, the unit whose subtree the report consolidates (absent: the whole cycle). */
  readonly unitName?: string;
}

const T = {
  vi: {
    type: 'BÁO CÁO',
    summary: (month: string, campaign: string, unit?: string) =>
      `Tổng hợp kết quả thực hiện tháng ${month} - ${campaign}${unit ? ` - các đơn vị thuộc ${unit}` : ''}`,
    version: (v: number) => `(Bản tổng hợp số ${v})`,
    intro: (month: string) =>
      `Thực hiện chế độ báo cáo định kỳ, Hội đồng tổng hợp kết quả thực hiện nhiệm vụ tháng ${month} của các đơn vị như sau:`,
    parts: [
      'I. TÌNH HÌNH THỰC HIỆN CHẾ ĐỘ BÁO CÁO',
      'II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU',
      'III. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ TRỌNG TÂM',
      'IV. KẾT QUẢ THEO LĨNH VỰC',
      'V. ĐIỂN HÌNH TIÊN TIẾN',
      'VI. ĐỀ NGHỊ KHEN THƯỞNG',
      'VII. KIẾN NGHỊ, ĐỀ XUẤT',
      'VIII. CÁC ĐƠN VỊ NỘP MUỘN, CHƯA NỘP BÁO CÁO',
    ],
    reporting: (c: ConsolidatedReportContent, pct: (x: number) => string) =>
      `Tổng số đơn vị phải báo cáo: ${c.expected}; số đơn vị đã nộp: ${c.submitted} (đạt ${pct(c.completeness)}); số đơn vị nộp đúng hạn: ${c.onTime} (đạt ${pct(c.onTimeRate)}).`,
    lateMissing: (late: number, missing: number) => `Số đơn vị nộp muộn: ${late}; số đơn vị chưa nộp: ${missing}.`,
    indicatorsSummary: (met: number, all: number, noData: number) =>
      `Có ${met}/${all} chỉ tiêu đạt${noData ? `, ${noData} chỉ tiêu chưa có số liệu` : ''} (chi tiết tại Phụ lục I):`,
    keyTasksSummary: 'Số đơn vị theo tình trạng thực hiện từng nhiệm vụ (chi tiết tại Phụ lục II):',
    seeAppendix3: 'Danh sách tại Phụ lục III.',
    appendix1: 'PHỤ LỤC I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU',
    appendix2: 'PHỤ LỤC II. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ TRỌNG TÂM (SỐ ĐƠN VỊ)',
    appendix3: 'PHỤ LỤC III. CÁC ĐƠN VỊ NỘP MUỘN, CHƯA NỘP BÁO CÁO',
    appendix4: 'PHỤ LỤC IV. SỐ LIỆU CHỈ TIÊU CỦA TỪNG ĐƠN VỊ',
    no: 'STT',
    code: 'Mã',
    indicator: 'Chỉ tiêu',
    measure: 'Đơn vị tính',
    target: 'Chỉ tiêu đề ra',
    result: 'Kết quả',
    reported: 'Số đơn vị báo cáo',
    assessment: 'Đánh giá',
    met: 'Đạt',
    notMet: 'Chưa đạt',
    noData: 'Chưa có số liệu',
    keyTask: 'Nhiệm vụ',
    done: 'Đã hoàn thành',
    inProgress: 'Đang thực hiện',
    notStarted: 'Chưa triển khai',
    unitCode: 'Mã đơn vị',
    unit: 'Đơn vị',
    status: 'Tình trạng',
    deadline: 'Hạn nộp',
    submittedAt: 'Thời gian nộp',
    late: 'Nộp muộn',
    missing: 'Chưa nộp',
    none: 'Không có.',
    collective: 'tập thể',
    individual: 'cá nhân',
    atLeast: 'Tối thiểu',
    atMost: 'Tối đa',
    between: 'Từ',
    and: 'đến',
    requested: 'đề nghị',
  },
  en: {
    type: 'REPORT',
    summary: (month: string, campaign: string, unit?: string) =>
      `Consolidated results for ${month} - ${campaign}${unit ? ` - the units of ${unit}` : ''}`,
    version: (v: number) => `(Consolidated version ${v})`,
    intro: (month: string) =>
      `Under the periodic reporting regime, the Council consolidates the units' results for ${month} as follows:`,
    parts: [
      'I. REPORTING',
      'II. INDICATORS',
      'III. KEY TASKS',
      'IV. RESULTS BY SECTOR',
      'V. ADVANCED EXAMPLES',
      'VI. COMMENDATION PROPOSALS',
      'VII. RECOMMENDATIONS',
      'VIII. LATE AND MISSING UNITS',
    ],
    reporting: (c: ConsolidatedReportContent, pct: (x: number) => string) =>
      `Units expected to report: ${c.expected}; units that reported: ${c.submitted} (${pct(c.completeness)}); units on time: ${c.onTime} (${pct(c.onTimeRate)}).`,
    lateMissing: (late: number, missing: number) => `Late units: ${late}; missing units: ${missing}.`,
    indicatorsSummary: (met: number, all: number, noData: number) =>
      `${met} of ${all} indicators met${noData ? `, ${noData} without data` : ''} (details in Appendix I):`,
    keyTasksSummary: 'Units by the state of each key task (details in Appendix II):',
    seeAppendix3: 'The list is in Appendix III.',
    appendix1: 'APPENDIX I. INDICATORS AGAINST TARGETS',
    appendix2: 'APPENDIX II. KEY TASKS (NUMBER OF UNITS)',
    appendix3: 'APPENDIX III. LATE AND MISSING UNITS',
    appendix4: 'APPENDIX IV. INDICATOR VALUES BY UNIT',
    no: 'No.',
    code: 'Code',
    indicator: 'Indicator',
    measure: 'Measure',
    target: 'Target',
    result: 'Result',
    reported: 'Units reporting',
    assessment: 'Assessment',
    met: 'Met',
    notMet: 'Not met',
    noData: 'No data',
    keyTask: 'Task',
    done: 'Done',
    inProgress: 'In progress',
    notStarted: 'Not started',
    unitCode: 'Unit code',
    unit: 'Unit',
    status: 'Status',
    deadline: 'Deadline',
    submittedAt: 'Submitted at',
    late: 'Late',
    missing: 'Missing',
    none: 'None.',
    collective: 'collective',
    individual: 'individual',
    atLeast: 'At least',
    atMost: 'At most',
    between: 'Between',
    and: 'and',
    requested: 'requested',
  },
} as const;

/** Numbers the way each language writes them (Vietnamese: 1.234,5). */
export const numberText = (x: number | null | undefined, lang: 'vi' | 'en'): string =>
  x === null || x === undefined
    ? ''
    : x.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2 });

/** A local time (Vietnam) as `HH:mm dd/MM/yyyy`. */
export function localTime(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())} ${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

export const monthText = (period: string): string => `${period.slice(5, 7)}/${period.slice(0, 4)}`;

export function monthlyReportSpec(input: MonthlyReportInput): OfficialDocumentSpec {
  const { content: c, lang, settings } = input;
  const t = T[lang];
  const month = monthText(input.period);
  const num = (x: number | null | undefined) => numberText(x, lang);
  const pct = (x: number) => `${numberText(Math.round(x * 1000) / 10, lang)}%`;
  const target = (ind: ConsolidatedReportContent['indicators'][number]) =>
    ind.target.kind === 'at_least'
      ? `${t.atLeast} ${num(ind.target.value)}`
      : ind.target.kind === 'at_most'
        ? `${t.atMost} ${num(ind.target.value)}`
        : `${t.between} ${num(ind.target.min)} ${t.and} ${num(ind.target.max)}`;
  const none: Block = { kind: 'paragraph', text: t.none };
  const assessment = (met: boolean | null) => (met === null ? t.noData : met ? t.met : t.notMet);
  const body: Block[] = [
    { kind: 'paragraph', text: t.version(input.version), align: 'center', italic: true, indent: false },
    { kind: 'paragraph', text: t.intro(month) },
    { kind: 'heading', text: t.parts[0] },
    { kind: 'paragraph', text: t.reporting(c, pct) },
    { kind: 'paragraph', text: t.lateMissing(c.lateUnits.length, c.missingUnits.length) },
    { kind: 'heading', text: t.parts[1] },
    {
      kind: 'paragraph',
      text: t.indicatorsSummary(
        c.indicators.filter((i) => i.met === true).length,
        c.indicators.length,
        c.indicators.filter((i) => i.met === null).length,
      ),
    },
    ...c.indicators.map((ind): Block => ({
      kind: 'item',
      text: `${ind.title[lang]}: ${ind.value === null ? t.noData : `${num(ind.value)} ${ind.measure[lang]}`} (${t.target.toLowerCase()}: ${target(ind).toLowerCase()}) - ${assessment(ind.met)}.`,
    })),
    { kind: 'heading', text: t.parts[2] },
    { kind: 'paragraph', text: t.keyTasksSummary },
    ...c.keyTasks.map((k): Block => ({
      kind: 'item',
      text: `${k.title[lang]}: ${k.counts.done} ${t.done.toLowerCase()}, ${k.counts.in_progress} ${t.inProgress.toLowerCase()}, ${k.counts.not_started} ${t.notStarted.toLowerCase()}.`,
    })),
    { kind: 'heading', text: t.parts[3] },
  ];
  const sections = c.sections.filter((s) => s.entries.length);
  if (!sections.length) body.push(none);
  sections.forEach((s, i) => {
    body.push({ kind: 'paragraph', text: `${i + 1}. ${s.title[lang]}`, bold: true });
    for (const e of s.entries) body.push({ kind: 'item', text: `${e.unitName}: ${e.text}` });
  });
  body.push({ kind: 'heading', text: t.parts[4] });
  if (!c.examples.length) body.push(none);
  for (const e of c.examples)
    body.push({
      kind: 'item',
      text: `${e.name} (${e.kind === 'collective' ? t.collective : t.individual}, ${e.unitName}): ${e.description}`,
    });
  body.push({ kind: 'heading', text: t.parts[5] });
  if (!c.proposals.length) body.push(none);
  for (const p of c.proposals)
    body.push({
      kind: 'item',
      text: `${p.nominee} (${p.nomineeKind === 'collective' ? t.collective : t.individual}, ${p.unitName}) - ${t.requested}: ${p.requestedForm}. ${p.summary}`,
    });
  body.push({ kind: 'heading', text: t.parts[6] });
  if (!c.recommendations.length) body.push(none);
  for (const r of c.recommendations) body.push({ kind: 'item', text: `${r.unitName}: ${r.text}` });
  body.push({ kind: 'heading', text: t.parts[7] });
  body.push({
    kind: 'paragraph',
    text: `${t.lateMissing(c.lateUnits.length, c.missingUnits.length)} ${t.seeAppendix3}`,
  });

  const appendix: Block[] = [
    { kind: 'heading', text: t.appendix1, centered: true },
    {
      kind: 'table',
      landscape: true,
      columns: [
        { title: t.no, width: 5, align: 'center' },
        { title: t.code, width: 8 },
        { title: t.indicator, width: 36 },
        { title: t.measure, width: 10, align: 'center' },
        { title: t.target, width: 14, align: 'center' },
        { title: t.result, width: 11, align: 'right' },
        { title: t.reported, width: 9, align: 'right' },
        { title: t.assessment, width: 10, align: 'center' },
      ],
      rows: c.indicators.map((ind, i) => [
        i + 1,
        ind.code,
        ind.title[lang],
        ind.measure[lang],
        target(ind),
        num(ind.value),
        ind.reported,
        assessment(ind.met),
      ]),
    },
    { kind: 'heading', text: t.appendix2, centered: true },
    {
      kind: 'table',
      landscape: true,
      columns: [
        { title: t.no, width: 5, align: 'center' },
        { title: t.code, width: 8 },
        { title: t.keyTask, width: 51 },
        { title: t.done, width: 12, align: 'right' },
        { title: t.inProgress, width: 12, align: 'right' },
        { title: t.notStarted, width: 12, align: 'right' },
      ],
      rows: c.keyTasks.map((k, i) => [
        i + 1,
        k.code,
        k.title[lang],
        k.counts.done,
        k.counts.in_progress,
        k.counts.not_started,
      ]),
    },
    { kind: 'heading', text: t.appendix3, centered: true },
    {
      kind: 'table',
      landscape: true,
      columns: [
        { title: t.no, width: 5, align: 'center' },
        { title: t.unitCode, width: 14 },
        { title: t.unit, width: 41 },
        { title: t.status, width: 12, align: 'center' },
        { title: t.deadline, width: 14, align: 'center' },
        { title: t.submittedAt, width: 14, align: 'center' },
      ],
      rows: [
        ...c.lateUnits.map((u) => [u.unitCode, u.unitName, t.late, localTime(u.deadline), localTime(u.submittedAt)]),
        ...c.missingUnits.map((u) => [u.unitCode, u.unitName, t.missing, localTime(u.deadline), '']),
      ].map((row, i) => [i + 1, ...row]),
    },
  ];
  const byUnit = new Map<string, { name: string; values: Map<string, number> }>();
  for (const ind of c.indicators)
    for (const v of ind.values) {
      const entry = byUnit.get(v.unitCode) ?? { name: v.unitName, values: new Map<string, number>() };
      entry.values.set(ind.code, v.value);
      byUnit.set(v.unitCode, entry);
    }
  if (c.indicators.length) {
    const share = Math.max(6, Math.floor(55 / c.indicators.length));
    appendix.push(
      { kind: 'heading', text: t.appendix4, centered: true },
      {
        kind: 'table',
        landscape: true,
        columns: [
          { title: t.no, width: 5, align: 'center' },
          { title: t.unitCode, width: 12 },
          { title: t.unit, width: 28 },
          ...c.indicators.map((ind) => ({
            title: `${ind.code} (${ind.measure[lang]})`,
            width: share,
            align: 'right' as const,
          })),
        ],
        rows: [...byUnit.entries()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([code, u], i) => [i + 1, code, u.name, ...c.indicators.map((ind) => num(u.values.get(ind.code)))]),
      },
    );
  }
  return {
    lang,
    title: `${t.type} ${t.summary(month, input.campaignName, input.unitName)}`,
    parentBody: settings.parentBody,
    issuingBody: settings.issuingBody,
    number: numberOf(settings, 'BC', Number(input.period.slice(0, 4)), lang),
    placeAndDate: placeAndDate(settings.place, input.now, lang),
    type: t.type,
    summary: t.summary(month, input.campaignName, input.unitName),
    body,
    appendix,
    signerAuthority: settings.signerAuthority,
    signerPosition: settings.signerPosition,
    signerName: settings.signerName,
    recipients: settings.recipients,
  };
}
