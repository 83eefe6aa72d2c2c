import { planCycle } from '../domain/calendar';
import type { UnitReportInput } from '../domain/consolidation';
import { parsePeriod, type Period } from '../domain/period';
import { DEFAULT_POLICY } from '../domain/policy';
import { streaks, summarise, type MonthInput } from '../domain/summary';
import {
  halfWindow,
  latestCutOff,
  monthsWindow,
  parseWindow,
  quarterWindow,
  shiftPeriod,
  windowsAround,
  windowsEndingWith,
  yearWindow,
} from '../domain/summary-window';
import type { TemplateDefinition } from '../domain/template';

const P = (p: string): Period => parsePeriod(p)!;

describe('the cut-off windows of Decree 09/2019 art. 12', () => {
  test('when the window is the first quarter, then it runs from 15 December to 14 March and covers the January to March cycles', () => {
    const q1 = quarterWindow(2027, 1);
    expect([q1.dataFrom, q1.dataTo]).toEqual(['2026-12-15', '2027-03-14']);
    expect(q1.periods).toEqual(['2027-01', '2027-02', '2027-03']);
    const q4 = quarterWindow(2027, 4);
    expect([q4.dataFrom, q4.dataTo, q4.periods.join()]).toEqual([
      '2027-09-15',
      '2027-12-14',
      '2027-10,2027-11,2027-12',
    ]);
  });

  test('when the window is a half or the year, then it runs 15 Dec → 14 Jun, 15 Jun → 14 Dec, 15 Dec → 14 Dec', () => {
    expect([halfWindow(2027, 1).dataFrom, halfWindow(2027, 1).dataTo]).toEqual(['2026-12-15', '2027-06-14']);
    expect(halfWindow(2027, 1).periods).toHaveLength(6);
    expect([halfWindow(2027, 2).dataFrom, halfWindow(2027, 2).dataTo]).toEqual(['2027-06-15', '2027-12-14']);
    expect(halfWindow(2027, 2).periods[0]).toBe('2027-07');
    const year = yearWindow(2027);
    expect([year.dataFrom, year.dataTo, year.periods.length]).toEqual(['2026-12-15', '2027-12-14', 12]);
  });

  test("when a window's months are read, then their monthly cycles' data periods tile the window exactly (default calendar)", () => {
    for (const w of [
      quarterWindow(2027, 1),
      halfWindow(2027, 2),
      yearWindow(2028),
      monthsWindow(P('2027-11'), P('2028-02'))!,
    ]) {
      const plans = w.periods.map((p) => planCycle(DEFAULT_POLICY.timing, p, `${p}-15T01:00:00Z`, new Set()));
      expect(plans[0]!.dataFrom).toBe(w.dataFrom);
      expect(plans.at(-1)!.dataTo).toBe(w.dataTo);
      for (let i = 1; i < plans.length; i += 1)
        expect(plans[i]!.dataFrom > plans[i - 1]!.dataTo && plans[i]!.dataFrom.slice(8) === '15').toBe(true);
    }
  });

  test('when a window is written in a URL, then it parses back to the same window, and nonsense does not', () => {
    for (const code of ['2027', '2027-Q1', '2027-Q4', '2027-H1', '2027-H2', '2027-11..2028-02'])
      expect(parseWindow(code)?.code).toBe(code);
    expect(parseWindow('2027-11..2028-02')!.periods).toEqual(['2027-11', '2027-12', '2028-01', '2028-02']);
    for (const bad of ['2027-Q5', '2027-H3', '27', '2027-05..2027-01', '2027-01..2030-01', '2027-13..2027-14', '1999'])
      expect(parseWindow(bad)).toBeUndefined();
    expect(shiftPeriod(P('2027-01'), -1)).toBe('2026-12');
    expect(windowsAround(P('2027-08')).map((w) => w.code)).toEqual(['2027-Q3', '2027-H2', '2027']);
  });
});

const template = (version: 'a' | 'b'): TemplateDefinition => ({
  title: { vi: 'Mẫu', en: 'Template' },
  keyTasks: [
    { code: 'KT1', title: { vi: 'NV1', en: 'KT1' } },
    ...(version === 'b' ? [{ code: 'KT2', title: { vi: 'NV2', en: 'KT2' } }] : []),
  ],
  indicators: [
    {
      code: 'SUM',
      title: { vi: 'Tổng', en: 'Sum' },
      measure: { vi: 'DN', en: 'firms' },
      target: { kind: 'at_least', value: 10 },
      aggregation: 'sum',
      min: 0,
      max: 1000,
      required: true,
    },
    {
      code: 'AVG',
      title: { vi: 'TB', en: 'Avg' },
      measure: { vi: '%', en: '%' },
      target: { kind: 'at_least', value: version === 'a' ? 50 : 60 },
      aggregation: 'average',
      min: 0,
      max: 100,
      required: true,
    },
  ],
  sections: [],
  limits: { textMaxLength: 1000, maxRows: 10 },
});

const unit = (code: string, report?: { sum: number; avg: number; late?: boolean; at?: string }): UnitReportInput => ({
  unitCode: code,
  unitName: `Unit ${code}`,
  deadline: '2027-01-20T10:00:00.000Z',
  ...(report
    ? {
        obligation: { submittedAt: report.at ?? '2027-01-19T10:00:00.000Z', late: report.late ?? false },
        submission: {
          submittedAt: report.at ?? '2027-01-19T10:00:00.000Z',
          version: 1,
          deadline: '2027-01-20T10:00:00.000Z',
          late: report.late ?? false,
          answers: {
            keyTasks: { KT1: { status: 'done', text: '' }, KT2: { status: 'in_progress', text: '' } },
            indicators: { SUM: report.sum, AVG: report.avg },
            sections: {},
            examples: [],
            proposals: [],
            recommendations: '',
          },
        },
      }
    : {}),
});

describe('a summary over monthly cycles', () => {
  const w = quarterWindow(2027, 1);
  const months: MonthInput[] = [
    {
      period: P('2027-01'),
      state: 'accepted',
      version: 1,
      templateVersion: 1,
      template: template('a'),
      units: [unit('A', { sum: 3, avg: 40 }), unit('B', { sum: 4, avg: 60, late: true })],
    },
    {
      period: P('2027-02'),
      state: 'accepted',
      version: 2,
      templateVersion: 2,
      template: template('b'),
      units: [unit('A', { sum: 5, avg: 70 }), unit('B')],
    },
    { period: P('2027-03'), state: 'in_progress', version: null, templateVersion: 2, template: null, units: [] },
  ];
  const s = summarise(w, months);

  test('when months are accepted, then indicators aggregate each month over units and the window over months by their own aggregation', () => {
    const sum = s.indicators.find((i) => i.code === 'SUM')!;
    expect(sum.months.map((m) => m.value)).toEqual([7, 5, null]);
    expect([sum.value, sum.met]).toEqual([12, true]);
    const avg = s.indicators.find((i) => i.code === 'AVG')!;
    expect(avg.months.map((m) => m.value)).toEqual([50, 70, null]);
    expect(avg.value).toBe(60);
    // The target of the last month the indicator existed in.
    expect(avg.target).toEqual({ kind: 'at_least', value: 60 });
    expect(avg.months.map((m) => m.target?.kind === 'at_least' && m.target.value)).toEqual([50, 60, false]);
  });

  test('when the template changes, then each key task says the months it existed in', () => {
    expect(s.keyTasks.map((k) => [k.code, k.periods])).toEqual([
      ['KT1', ['2027-01', '2027-02']],
      ['KT2', ['2027-02']],
    ]);
    expect(s.keyTasks[1]!.months.map((m) => m.counts?.in_progress ?? null)).toEqual([null, 1, null]);
  });

  test('when a unit is late, then missing, then its history, counts and streaks say so; a month not approved says nothing', () => {
    const b = s.units.find((u) => u.unitCode === 'B')!;
    expect(b.months.map((m) => m.status)).toEqual(['late', 'missing', null]);
    expect([b.expected, b.onTime, b.late, b.missing, b.streak]).toEqual([2, 0, 1, 1, 0]);
    const a = s.units.find((u) => u.unitCode === 'A')!;
    expect([a.streak, a.longestStreak, a.indicators.map((i) => i.value)]).toEqual([2, 2, [8, 55]]);
    expect(s.months.map((m) => [m.state, m.expected, m.submitted, m.onTime])).toEqual([
      ['accepted', 2, 2, 1],
      ['accepted', 2, 1, 1],
      ['in_progress', 0, 0, 0],
    ]);
    expect(s.reporting).toMatchObject({ expected: 4, submitted: 3, onTime: 2, completeness: 0.75, onTimeRate: 0.5 });
  });

  test('when months are skipped or broken, then the streak counts back from the last month expected', () => {
    expect(streaks(['on_time', 'late', 'on_time', 'not_expected', null, 'on_time'])).toEqual({
      streak: 2,
      longestStreak: 2,
    });
    expect(streaks(['on_time', 'on_time', 'on_time', 'missing'])).toEqual({ streak: 0, longestStreak: 3 });
  });

  test('when a node of the tree is summarised, then only what reports to it counts, its indicators from the leaves below it', () => {
    const leaf = (code: string, to: string, sum: number) => ({
      ...unit(code, { sum, avg: 50 }),
      reportsTo: to,
      level: 0,
    });
    const tree: MonthInput = {
      period: P('2027-01'),
      state: 'accepted',
      version: 1,
      templateVersion: 1,
      template: template('a'),
      units: [
        { ...unit('ROOT', { sum: 100, avg: 0 }), level: 2 },
        { ...unit('D1', { sum: 50, avg: 0 }), reportsTo: 'ROOT', level: 1 },
        { ...unit('D2', { sum: 60, avg: 0 }), reportsTo: 'ROOT', level: 1 },
        leaf('L1', 'D1', 1),
        leaf('L2', 'D1', 2),
        leaf('L3', 'D2', 4),
      ],
    };
    const d1 = summarise(w, [tree], 'D1');
    expect(d1.node).toEqual({ unitCode: 'D1', unitName: 'Unit D1' });
    expect(d1.units.map((u) => u.unitCode)).toEqual(['L1', 'L2']);
    expect(d1.indicators.find((i) => i.code === 'SUM')!.value).toBe(3);
    const all = summarise(w, [tree]);
    expect(all.indicators.find((i) => i.code === 'SUM')!.value).toBe(7); // leaves only, never a restated subtree
    expect(all.months[0]!.expected).toBe(6);
    expect(summarise(w, [tree], 'NOPE').node).toBeUndefined();
  });
});

describe('the cut-offs a schedule freezes at', () => {
  test("when a quarter's last month is cut off, then its quarter ends there, in June the first half too, in December the second half and the year; other months end none", () => {
    const codes = (p: string) => windowsEndingWith(P(p)).map((w) => w.code);
    expect(codes('2027-03')).toEqual(['2027-Q1']);
    expect(codes('2027-06')).toEqual(['2027-Q2', '2027-H1']);
    expect(codes('2027-09')).toEqual(['2027-Q3']);
    expect(codes('2027-12')).toEqual(['2027-Q4', '2027-H2', '2027']);
    for (const p of ['2027-01', '2027-02', '2027-04', '2027-05', '2027-07', '2027-08', '2027-10', '2027-11'])
      expect([p, codes(p)]).toEqual([p, []]);
    for (const p of ['2027-03', '2027-06', '2027-12'])
      for (const w of windowsEndingWith(P(p))) expect([w.code, w.to]).toEqual([w.code, p]);
  });

  test('when the latest cut-off passed is asked on a date, then it is the quarter-end month from its 15th, else the one before', () => {
    expect(latestCutOff('2027-03-14')).toBe('2026-12');
    expect(latestCutOff('2027-03-15')).toBe('2027-03');
    expect(latestCutOff('2027-05-31')).toBe('2027-03');
    expect(latestCutOff('2027-06-15')).toBe('2027-06');
    expect(latestCutOff('2027-12-14')).toBe('2027-09');
    expect(latestCutOff('2027-12-15')).toBe('2027-12');
    expect(latestCutOff('2028-01-01')).toBe('2027-12');
  });
});
