import type { UnitReportInput } from '../domain/consolidation';
import { add, display, exact, fraction, times, ZERO } from '../domain/fraction';
import type { Period } from '../domain/period';
import { rankOrder, scoreBloc, type Criterion } from '../domain/scoring';
import type { MonthInput } from '../domain/summary';
import { monthsWindow } from '../domain/summary-window';
import type { TemplateDefinition } from '../domain/template';

describe('exact score arithmetic', () => {
  test('when thirds are added three times, then the sum is exactly one (floating point gives 0.9999…)', () => {
    const third = fraction(1, 3);
    expect(exact(add(add(third, third), third))).toBe('1');
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(exact(add(fraction(1, 10), fraction(2, 10)))).toBe('3/10');
  });

  test('when a score is displayed, then it is rounded once to 2 decimals, half away from zero', () => {
    expect(display(fraction(87125, 1000))).toBe('87.13');
    expect(display(fraction(87124, 1000))).toBe('87.12');
    expect(display(fraction(2, 3))).toBe('0.67');
    expect(display(fraction(1, 200))).toBe('0.01');
    expect(display(ZERO)).toBe('0.00');
    expect(display(times(fraction(30), fraction(2, 3)))).toBe('20.00');
    expect(display(fraction(-1, 3))).toBe('-0.33');
  });

  test('when an exact value is written, then it is the reduced fraction, or the integer', () => {
    expect(exact(add(times(fraction(40), fraction(5, 6)), fraction(1234, 100)))).toBe('6851/150');
    expect(exact(fraction(6, 3))).toBe('2');
    expect(() => fraction(1, 0)).toThrow(RangeError);
  });
});

describe('ranking tie-breaks', () => {
  const row = (unitCode: string, score: [number, number], points: [number, number][]) => ({
    unitCode,
    score: fraction(...score),
    points: points.map(([n, d]) => fraction(n, d)),
  });

  test('when scores tie, then the first criterion of the table whose points differ decides, and units still tied share a rank', () => {
    const ranked = rankOrder(
      [
        row(
          'D',
          [50, 1],
          [
            [20, 1],
            [30, 1],
          ],
        ),
        row(
          'A',
          [50, 1],
          [
            [25, 1],
            [25, 1],
          ],
        ),
        row(
          'C',
          [50, 1],
          [
            [20, 1],
            [30, 1],
          ],
        ),
        row(
          'B',
          [70, 1],
          [
            [35, 1],
            [35, 1],
          ],
        ),
        row(
          'E',
          [10, 3],
          [
            [10, 3],
            [0, 1],
          ],
        ),
      ],
      (r) => r.score,
      (r) => r.points,
    );
    expect(ranked.map((r) => [r.unitCode, r.rank, r.shared])).toEqual([
      ['B', 1, false],
      ['A', 2, false],
      ['C', 3, true],
      ['D', 3, true],
      ['E', 5, false],
    ]);
  });
});

describe('the criteria of a scoring table', () => {
  const template: TemplateDefinition = {
    keyTasks: [
      { code: 'K1', title: { vi: 'K1', en: 'K1' } },
      { code: 'K2', title: { vi: 'K2', en: 'K2' } },
      { code: 'K3', title: { vi: 'K3', en: 'K3' } },
    ],
    indicators: [
      {
        code: 'I1',
        title: { vi: 'I1', en: 'I1' },
        measure: { vi: '', en: '' },
        target: { kind: 'at_least', value: 10 },
        aggregation: 'sum',
        min: 0,
        max: 100,
        required: true,
      },
    ],
    sections: [],
  } as unknown as TemplateDefinition;
  const unit = (
    code: string,
    m: number,
    opts: { late?: boolean; none?: boolean; revised?: boolean; i1?: number; done?: number },
  ) => {
    const at = `2027-0${m}-18T00:00:00.000Z`;
    const base = { unitCode: code, unitName: code, deadline: `2027-0${m}-20T10:00:00.000Z` };
    if (opts.none) return base as UnitReportInput;
    return {
      ...base,
      obligation: { submittedAt: at, late: !!opts.late },
      submission: {
        submittedAt: at,
        version: opts.revised ? 2 : 1,
        deadline: base.deadline,
        late: !!opts.late,
        answers: {
          keyTasks: Object.fromEntries(
            ['K1', 'K2', 'K3'].map((k, i) => [k, { status: i < (opts.done ?? 0) ? 'done' : 'in_progress', text: '' }]),
          ),
          indicators: { I1: opts.i1 ?? 0 },
          sections: {},
          examples: [],
          proposals: [],
          recommendations: '',
        },
      },
      ...(opts.revised ? { revisionDeadline: `2027-0${m}-25T10:00:00.000Z` } : {}),
    } as UnitReportInput;
  };
  const month = (m: number, units: UnitReportInput[]): MonthInput => ({
    period: `2027-0${m}` as Period,
    state: 'accepted',
    version: m === 2 ? 2 : 1,
    templateVersion: 1,
    template,
    units,
  });
  const criteria: Criterion[] = [
    { code: 'C', label: { vi: 'Đầy đủ', en: 'Complete' }, weight: 30, kind: 'completeness' },
    { code: 'T', label: { vi: 'Đúng hạn', en: 'On time' }, weight: 20, kind: 'timeliness' },
    { code: 'I', label: { vi: 'Chỉ tiêu', en: 'Targets' }, weight: 10, kind: 'indicator_attainment' },
    { code: 'K', label: { vi: 'Nhiệm vụ', en: 'Tasks' }, weight: 15, kind: 'key_tasks_done' },
    { code: 'D', label: { vi: 'Hội đồng', en: 'Council' }, weight: 10, kind: 'council_decisions' },
    { code: 'H', label: { vi: 'Chấm tay', en: 'By hand' }, weight: 15, kind: 'hand' },
  ];
  const months = [
    month(1, [unit('A', 1, { i1: 4, done: 1 }), unit('B', 1, { late: true, i1: 2, done: 3 })]),
    month(2, [unit('A', 2, { revised: true, i1: 7, done: 2 }), unit('B', 2, { none: true })]),
    month(3, [unit('A', 3, { none: true }), unit('B', 3, { i1: 1, done: 0 })]),
  ];

  test('when two units are scored, then each criterion is its share times its weight and the score their exact sum', () => {
    const ranked = scoreBloc({
      window: monthsWindow('2027-01' as Period, '2027-03' as Period)!,
      months,
      units: [
        { code: 'A', name: 'A' },
        { code: 'B', name: 'B' },
      ],
      criteria,
      hand: [{ unitCode: 'B', criterionCode: 'H', hundredths: 1234, reason: 'r', by: 'x', at: '2027-04-01' }],
      targetOf: (u) => (u === 'B' ? { kind: 'at_least', value: 3 } : null),
    });
    const a = ranked.find((r) => r.unitCode === 'A')!;
    const b = ranked.find((r) => r.unitCode === 'B')!;
    // A: 2 of 3 months, both on time, I1 = 11 ≥ 10, last report (Feb) 2 of 3 done, 1 of 2 reports without revision.
    expect(a.criteria.map((c) => [c.code, c.numerator, c.denominator])).toEqual([
      ['C', 2, 3],
      ['T', 2, 3],
      ['I', 1, 1],
      ['K', 2, 3],
      ['D', 1, 2],
      ['H', 0, 1500],
    ]);
    // 20 + 40/3 + 10 + 10 + 5 = 175/3 = 58.33…
    expect([a.score, a.scoreDisplay]).toEqual(['175/3', '58.33']);
    // B: 2 of 3, 1 on time, I1 = 3 ≥ registered 3, last report (Mar) 0 done, 2 of 2, 12.34 by hand.
    expect(b.criteria.map((c) => [c.code, c.numerator, c.denominator])).toEqual([
      ['C', 2, 3],
      ['T', 1, 3],
      ['I', 1, 1],
      ['K', 0, 3],
      ['D', 2, 2],
      ['H', 1234, 1500],
    ]);
    // 20 + 20/3 + 10 + 0 + 10 + 12.34 = 5234/100 + 20/3 = 7851/150 + 1000/150 = 8851/150
    expect([b.score, b.scoreDisplay]).toEqual(['8851/150', '59.01']);
    expect(ranked.map((r) => [r.unitCode, r.rank])).toEqual([
      ['B', 1],
      ['A', 2],
    ]);
    const kt = a.criteria.find((c) => c.kind === 'key_tasks_done')!;
    expect(kt.reports.filter((r) => r.counts).map((r) => r.period)).toEqual(['2027-02']);
    expect(
      a.criteria.find((c) => c.code === 'D')!.reports.map((r) => [r.period, r.submissionVersion, r.sentBack]),
    ).toEqual([
      ['2027-01', 1, false],
      ['2027-02', 2, true],
    ]);
  });

  test('when a unit is in no accepted month, then every computed share is 0 of 0 and earns nothing', () => {
    const [z] = scoreBloc({
      window: monthsWindow('2027-01' as Period, '2027-03' as Period)!,
      months,
      units: [{ code: 'Z', name: 'Z' }],
      criteria: criteria.filter((c) => c.kind !== 'indicator_attainment' && c.kind !== 'hand'),
      hand: [],
      targetOf: () => null,
    });
    expect(z!.criteria.map((c) => [c.numerator, c.denominator, c.pointsDisplay])).toEqual(
      Array(4).fill([0, 0, '0.00']),
    );
    expect(z!.score).toBe('0');
  });
});
