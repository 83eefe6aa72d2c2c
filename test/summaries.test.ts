/**
 * Periodic summaries over real monthly cycles: the twelve months of 2027 of one campaign driven
 * through collection, consolidation and the council's approval (short relative timings), a
 * template change in July, a unit late in February and one missing in March, and January 2028
 * left unapproved. Every figure of the API's quarter, half-year, annual and custom-range summaries
 * is computed again here, directly from the stored reports (Submission rows), and compared.
 */
import { randomBytes } from 'node:crypto';
import {
  Campaign,
  Cycle,
  Policy,
  ReportTemplate,
  Submission,
  UnitTask,
  AuditEvent,
  FrozenSummary,
} from '../db/entities';
import type { ActivityDeps } from '../activities';
import { createSummaryActivities } from '../activities/summary.activities';
import { defaultTemplate } from '../db/seed-data/default-template';
import type { ReportAnswers } from '../domain/answers';
import { DEFAULT_POLICY, type CyclePolicy } from '../domain/policy';
import type { ConsolidatedReportContent } from '../domain/consolidation';
import type { PeriodSummary, UnitSummary } from '../domain/summary';
import type { Frozen } from '../api/services/summary.service';
import type { Aggregation, TemplateDefinition } from '../domain/template';
import { signInConsole } from './support/console';
import {
  api,
  createUnits,
  eventually,
  expectStatus,
  linkIn,
  sleep,
  startCycle,
  submitByLink,
  timing,
  waitForStage,
  type CampaignTiming,
  type TestUnit,
} from './support/fixtures';
import { useBrowser, useStack } from './support/hooks';
import { PHONE, pageProblems, screenshotViews, signIn } from './support/browser';
import { councilTokens } from './support/stack';
import { recordHistories } from './support/histories';
import { setCouncilSeat } from '../api/services/people.service';

const SYSTEM = { kind: 'system' as const, id: 'test', origin: 'test' };

const stack = useStack();
const browser = useBrowser({ javaScript: false });
let admin: string;
let council: string[];
let units: TestUnit[];
const campaign = `sum-${randomBytes(3).toString('hex')}`;
const templateCode = `tpl-${campaign}`;

const NORMAL = timing({ deadline: 120, escalations: [60, 120], hardClose: 180 });
/** February: a deadline a few seconds after the start, so that a report held back comes late. */
const SHORT = timing({ deadline: 10, escalations: [60, 120], hardClose: 180 });

/** July on: KT10 dropped, KT11 and IND04 (a sum) added, IND01's target raised. */
const TEMPLATE_V2: TemplateDefinition = {
  ...defaultTemplate,
  keyTasks: [
    ...defaultTemplate.keyTasks.filter((k) => k.code !== 'KT10'),
    {
      code: 'KT11',
      title: { vi: 'Chuyển đổi số trong công tác thi đua', en: 'Digital transformation of emulation work' },
    },
  ],
  indicators: [
    ...defaultTemplate.indicators.map((i) =>
      i.code === 'IND01' ? { ...i, target: { kind: 'at_least' as const, value: 0.8 } } : i,
    ),
    {
      code: 'IND04',
      title: { vi: 'Số sáng kiến được công nhận', en: 'Initiatives recognised' },
      measure: { vi: 'sáng kiến', en: 'initiatives' },
      target: { kind: 'at_least', value: 5 },
      aggregation: 'sum',
      min: 0,
      max: 1000,
      required: true,
    },
  ],
};

const round2 = (x: number): number => Math.round(x * 100) / 100;
const STATUSES = ['done', 'in_progress', 'not_started'] as const;

/** Unit `u`'s report for month `m` (1-based) against `template`: every figure differs by unit and month. */
function answersFor(template: TemplateDefinition, u: number, m: number): ReportAnswers {
  const figure: Record<string, number> = {
    IND01: round2(0.5 + 0.1 * u + 0.05 * m),
    IND02: 8 + 3 * u + m,
    IND03: 90 - 5 * u - 3 * m,
    IND04: u + m,
  };
  return {
    keyTasks: Object.fromEntries(
      template.keyTasks.map((k, i) => [
        k.code,
        { status: STATUSES[(u + m + i) % 3]!, text: `Đơn vị ${u} tháng ${m}: ${k.code}` },
      ]),
    ),
    indicators: Object.fromEntries(template.indicators.map((i) => [i.code, figure[i.code]!])),
    sections: { SEC01: `Đơn vị ${u} tháng ${m}: bưu chính` },
    examples: [{ name: `Điển hình ${u}-${m}`, kind: 'collective', description: 'Số hoá hồ sơ' }],
    proposals: [],
    recommendations: `Đơn vị ${u} tháng ${m}: đề nghị hỗ trợ`,
  };
}

async function setTiming(t: CampaignTiming): Promise<void> {
  const definition: CyclePolicy = { ...DEFAULT_POLICY, timing: { kind: 'relative', ...t } };
  await stack.orm.em.fork().nativeUpdate(Policy, { code: `p-${campaign}` }, { definition });
}

async function addTemplateVersion(version: number, definition: TemplateDefinition): Promise<void> {
  const em = stack.orm.em.fork();
  em.create(ReportTemplate, { code: templateCode, version, definition });
  await em.flush();
}

/** Month `m` counted from January 2027 (13 is January 2028). */
const periodOfMonth = (m: number): string =>
  `${2027 + Math.floor((m - 1) / 12)}-${String(((m - 1) % 12) + 1).padStart(2, '0')}`;

/**
 * Runs month `m` (see periodOfMonth) to the council's approval: every unit of `reporting`
 * reports (those in `late` after the deadline), collection is closed for the silent ones, two of
 * three members approve.
 */
async function runMonth(
  m: number,
  template: TemplateDefinition,
  { reporting = units, late = [] as TestUnit[], approve = true } = {},
): Promise<void> {
  const started = await startCycle(stack, admin, { units, campaign, period: periodOfMonth(m) });
  const startedAt = Date.now();
  const sentBefore = new Map(units.map((u) => [u.code, stack.sink.to(u.headEmail).length]));
  // The month's dispatch email: the first new one with a personal link (the last month's publication may come in between).
  const LINK = /\/r\/[A-Za-z0-9_-]{43}/;
  const dispatched = (u: TestUnit) =>
    stack.sink
      .to(u.headEmail)
      .slice(sentBefore.get(u.code)!)
      .find((mail) => LINK.test(mail.text));
  await stack.sink.waitFor(() => units.every((u) => dispatched(u)));
  const links = new Map(units.map((u) => [u.code, linkIn(dispatched(u)!.text, stack.baseUrl)]));
  const submit = async (u: TestUnit) =>
    expectStatus(submitByLink(stack.baseUrl, links.get(u.code)!, answersFor(template, units.indexOf(u) + 1, m)), 201);
  for (const u of reporting.filter((x) => !late.includes(x))) await submit(u);
  if (late.length) {
    await sleep(Math.max(0, startedAt + 11_000 - Date.now()));
    for (const u of late) expect((await submit(u)).body.late).toBe(true);
  }
  if (!approve) return;
  if (reporting.length < units.length)
    await expectStatus(
      api(stack.baseUrl, 'POST', `${started.base}/close-collection`, {
        token: admin,
        body: { reason: 'Hết thời gian thu nhận (kiểm thử)' },
      }),
      202,
    );
  await waitForStage(stack, admin, started.base, 'review');
  for (const member of council.slice(0, 2))
    await expectStatus(
      api(stack.baseUrl, 'POST', `${started.base}/ballots`, { token: member, body: { version: 1, choice: 'approve' } }),
      201,
    );
  await waitForStage(stack, admin, started.base, 'closed');
}

beforeAll(async () => {
  admin = await stack.token('admin');
  council = await councilTokens(stack);
  units = await createUnits(stack.orm, 4);
  const em = stack.orm.em.fork();
  em.create(ReportTemplate, { code: templateCode, version: 1, definition: defaultTemplate });
  const policy = em.create(Policy, {
    code: `p-${campaign}`,
    definition: { ...DEFAULT_POLICY, timing: { kind: 'relative', ...NORMAL } },
  });
  em.create(Campaign, { code: campaign, name: `Chiến dịch tổng kết ${campaign}`, templateCode, policy });
  await em.flush();

  const [, , c, d] = units;
  await runMonth(1, defaultTemplate);
  await setTiming(SHORT);
  await runMonth(2, defaultTemplate, { late: [c!] });
  await setTiming(NORMAL);
  await runMonth(3, defaultTemplate, { reporting: units.filter((u) => u !== d) });
  for (let m = 4; m <= 6; m++) await runMonth(m, defaultTemplate);
  await addTemplateVersion(2, TEMPLATE_V2);
  for (let m = 7; m <= 12; m++) await runMonth(m, TEMPLATE_V2);
  // January 2028 stays under collection: its reports are in, but no council has approved them.
  await runMonth(13, TEMPLATE_V2, { approve: false });
}, 900_000);

// ---------------------------------------------------------------- the same figures, from the stored reports

interface StoredMonth {
  period: string;
  accepted: boolean;
  template: TemplateDefinition;
  /** Per unit code: its counted submission (latest version) and whether its first came late; null: none. */
  reports: Map<string, { answers: ReportAnswers; submittedAt: Date; late: boolean } | null>;
}

async function storedMonths(periods: readonly string[]): Promise<StoredMonth[]> {
  const em = stack.orm.em.fork();
  const months: StoredMonth[] = [];
  for (const period of periods) {
    const cycle = await em.findOne(Cycle, { campaign: { code: campaign }, period }, { populate: ['template'] });
    if (!cycle) continue;
    const tasks = await em.find(UnitTask, { cycle }, { populate: ['unit'] });
    const reports = new Map<string, { answers: ReportAnswers; submittedAt: Date; late: boolean } | null>();
    for (const task of tasks) {
      const subs = await em.find(Submission, { task }, { orderBy: { version: 'asc' } });
      const latest = subs.at(-1);
      reports.set(
        task.unit.code,
        latest ? { answers: latest.answers, submittedAt: latest.submittedAt, late: subs[0]!.late } : null,
      );
    }
    months.push({ period, accepted: cycle.stage === 'closed', template: cycle.template.definition, reports });
  }
  return months;
}

function aggregateOf(kind: Aggregation, values: readonly { value: number; at: number | string }[]): number | null {
  if (values.length === 0) return null;
  const xs = values.map((v) => v.value);
  if (kind === 'sum') return xs.reduce((a, b) => a + b, 0);
  if (kind === 'average') return xs.reduce((a, b) => a + b, 0) / xs.length;
  if (kind === 'min') return Math.min(...xs);
  if (kind === 'max') return Math.max(...xs);
  return [...values].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).at(-1)!.value;
}

const six = (x: number | null): number | null => (x === null ? null : Math.round(x * 1e6) / 1e6);

/** Every figure of a summary, computed directly from `stored` (accepted months only). */
function expectedSummary(periods: readonly string[], stored: readonly StoredMonth[]) {
  const acc = stored.filter((m) => m.accepted);
  const byPeriod = new Map(acc.map((m) => [m.period, m]));
  const months = periods.map((p) => {
    const m = byPeriod.get(p);
    const rs = m ? [...m.reports.values()] : [];
    return {
      period: p,
      expected: rs.length,
      submitted: rs.filter((r) => r).length,
      onTime: rs.filter((r) => r && !r.late).length,
    };
  });
  const indicatorCodes = [...new Set(acc.flatMap((m) => m.template.indicators.map((i) => i.code)))];
  const lastDef = (code: string) =>
    acc
      .flatMap((m) => m.template.indicators)
      .filter((i) => i.code === code)
      .at(-1)!;
  const indicators = indicatorCodes.map((code) => {
    const kind = lastDef(code).aggregation;
    const monthly = periods.map((p) => {
      const m = byPeriod.get(p);
      if (!m || !m.template.indicators.some((i) => i.code === code)) return null;
      const values = [...m.reports.values()].flatMap((r) =>
        r && typeof r.answers.indicators[code] === 'number'
          ? [{ value: r.answers.indicators[code], at: r.submittedAt.toISOString() }]
          : [],
      );
      return six(aggregateOf(kind, values));
    });
    const window = six(
      aggregateOf(
        kind,
        monthly.flatMap((v, i) => (v === null ? [] : [{ value: v, at: periods[i]! }])),
      ),
    );
    return {
      code,
      monthly,
      window,
      periods: acc.filter((m) => m.template.indicators.some((i) => i.code === code)).map((m) => m.period),
    };
  });
  const keyTaskCodes = [...new Set(acc.flatMap((m) => m.template.keyTasks.map((k) => k.code)))];
  const keyTasks = keyTaskCodes.map((code) => ({
    code,
    periods: acc.filter((m) => m.template.keyTasks.some((k) => k.code === code)).map((m) => m.period),
    months: periods.map((p) => {
      const m = byPeriod.get(p);
      if (!m || !m.template.keyTasks.some((k) => k.code === code)) return null;
      const counts = { done: 0, in_progress: 0, not_started: 0 };
      for (const r of m.reports.values()) if (r?.answers.keyTasks[code]) counts[r.answers.keyTasks[code].status] += 1;
      return counts;
    }),
  }));
  const unitCodes = [...new Set(acc.flatMap((m) => [...m.reports.keys()]))].sort();
  const unitRows = unitCodes.map((code) => {
    const history = periods.map((p) => {
      const m = byPeriod.get(p);
      if (!m) return null;
      if (!m.reports.has(code)) return 'not_expected';
      const r = m.reports.get(code);
      return !r ? 'missing' : r.late ? 'late' : 'on_time';
    });
    let run = 0;
    let longest = 0;
    for (const h of history) {
      if (h === null || h === 'not_expected') continue;
      run = h === 'on_time' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return {
      unitCode: code,
      months: history,
      streak: run,
      longestStreak: longest,
      indicators: indicatorCodes.map((ind) =>
        six(
          aggregateOf(
            lastDef(ind).aggregation,
            periods.flatMap((p) => {
              const v = byPeriod.get(p)?.reports.get(code)?.answers.indicators[ind];
              return typeof v === 'number' ? [{ value: v, at: p }] : [];
            }),
          ),
        ),
      ),
    };
  });
  return { months, indicators, keyTasks, units: unitRows };
}

/** The same figures, as the API gave them. */
function figuresOf(s: PeriodSummary) {
  return {
    months: s.months.map((m) => ({ period: m.period, expected: m.expected, submitted: m.submitted, onTime: m.onTime })),
    indicators: s.indicators.map((i) => ({
      code: i.code,
      monthly: i.months.map((m) => six(m.value)),
      window: six(i.value),
      periods: i.periods,
    })),
    keyTasks: s.keyTasks.map((k) => ({ code: k.code, periods: k.periods, months: k.months.map((m) => m.counts) })),
    units: s.units.map((u) => ({
      unitCode: u.unitCode,
      months: u.months.map((m) => m.status),
      streak: u.streak,
      longestStreak: u.longestStreak,
      indicators: u.indicators.map((i) => six(i.value)),
    })),
  };
}

const summaryOf = async (window: string, query = '') =>
  (
    await expectStatus(
      api<PeriodSummary & { frozen?: Frozen }>(
        stack.baseUrl,
        'GET',
        `/api/v1/summaries/${campaign}/${window}${query}`,
        { token: admin },
      ),
      200,
    )
  ).body;

test("when each month is published, then its quarter, half and year are stored with the months' states and approved versions they were computed from, before anyone reads them", async () => {
  const rows = await stack.orm.em
    .fork()
    .execute<{ window_code: string; node: string; basis: string; content: PeriodSummary }[]>(
      `SELECT s.window_code, s.node, s.basis, s.content FROM stored_summary s JOIN campaign k ON k.id = s.campaign_id
       WHERE k.code = ? ORDER BY s.window_code`,
      [campaign],
    );
  expect(rows.map((r) => [r.window_code, r.node])).toEqual(
    ['2027', '2027-H1', '2027-H2', '2027-Q1', '2027-Q2', '2027-Q3', '2027-Q4'].map((w) => [w, '']),
  );
  const year = rows.find((r) => r.window_code === '2027')!;
  const cycles = await stack.orm.em.fork().find(Cycle, { campaign: { code: campaign } });
  expect(year.basis).toBe(
    cycles
      .filter((c) => c.period.startsWith('2027-'))
      .map((c) => `${c.period}:accepted:${c.reviewVersion}`)
      .sort()
      .join(','),
  );
  const periods = [...year.content.window.periods];
  expect(figuresOf(year.content)).toEqual(expectedSummary(periods, await storedMonths(periods)));
});

test('when the first quarter is summarised, then every figure equals the one computed from the stored reports, and the unit missing in March shows as missing', async () => {
  const s = await summaryOf('2027-Q1');
  expect([s.window.dataFrom, s.window.dataTo]).toEqual(['2026-12-15', '2027-03-14']);
  const periods = ['2027-01', '2027-02', '2027-03'];
  expect(figuresOf(s)).toEqual(expectedSummary(periods, await storedMonths(periods)));

  // Each month is the monthly report the council approved.
  for (const m of s.months) {
    const approved = (
      await expectStatus(
        api<{ content: ConsolidatedReportContent }>(
          stack.baseUrl,
          'GET',
          `/api/v1/cycles/${campaign}/${m.period}/consolidated-reports/${m.version}`,
          { token: admin },
        ),
        200,
      )
    ).body.content;
    expect([m.period, m.expected, m.submitted, m.onTime]).toEqual([
      m.period,
      approved.expected,
      approved.submitted,
      approved.onTime,
    ]);
    expect(
      s.indicators.flatMap((i) =>
        i.months.filter((x) => x.period === m.period && x.target).map((x) => [i.code, x.value]),
      ),
    ).toEqual(approved.indicators.map((i) => [i.code, i.value]));
    expect(
      s.keyTasks.flatMap((k) =>
        k.months.filter((x) => x.period === m.period && x.counts).map((x) => [k.code, x.counts]),
      ),
    ).toEqual(approved.keyTasks.map((k) => [k.code, k.counts]));
  }

  const [, , c, d] = units;
  const rowOf = (code: string) => s.units.find((u) => u.unitCode === code)!;
  expect(rowOf(d!.code).months.map((m) => m.status)).toEqual(['on_time', 'on_time', 'missing']);
  expect([rowOf(d!.code).missing, rowOf(d!.code).streak]).toEqual([1, 0]);
  expect(rowOf(c!.code).months.map((m) => m.status)).toEqual(['on_time', 'late', 'on_time']);
  expect(s.months.map((m) => [m.state, m.expected, m.submitted])).toEqual([
    ['accepted', 4, 4],
    ['accepted', 4, 4],
    ['accepted', 4, 3],
  ]);
  // The quarter is all on the first template: the key task and indicator added in July are not in it.
  expect(s.keyTasks.find((k) => k.code === 'KT10')!.periods).toEqual(periods);
  expect(s.keyTasks.some((k) => k.code === 'KT11') || s.indicators.some((i) => i.code === 'IND04')).toBe(false);
  expect(s.months.map((m) => m.templateVersion)).toEqual([1, 1, 1]);
});

test('when the half-years and the year are summarised, then every figure equals the one computed from the stored reports, the template change in July shows which key task and indicator existed when, and the unit missing in March is missing in the year', async () => {
  const windows = [
    ['2027-H1', '2026-12-15', '2027-06-14', 6],
    ['2027-H2', '2027-06-15', '2027-12-14', 6],
    ['2027', '2026-12-15', '2027-12-14', 12],
  ] as const;
  for (const [window, dataFrom, dataTo, months] of windows) {
    const s = await summaryOf(window);
    expect([window, s.window.dataFrom, s.window.dataTo, s.window.periods.length]).toEqual([
      window,
      dataFrom,
      dataTo,
      months,
    ]);
    const periods = [...s.window.periods];
    expect(figuresOf(s)).toEqual(expectedSummary(periods, await storedMonths(periods)));
  }

  const year = await summaryOf('2027');
  const first = year.window.periods.slice(0, 6);
  const second = year.window.periods.slice(6);
  expect(year.months.map((m) => [m.state, m.templateVersion])).toEqual(
    year.window.periods.map((_, i) => ['accepted', i < 6 ? 1 : 2]),
  );
  expect(year.keyTasks.find((k) => k.code === 'KT10')!.periods).toEqual(first);
  expect(year.keyTasks.find((k) => k.code === 'KT11')!.periods).toEqual(second);
  // IND04 (a sum) exists from July: each month is the sum of the four units' u + m.
  expect(year.indicators.find((i) => i.code === 'IND04')!.months.map((m) => m.value)).toEqual(
    year.window.periods.map((_, i) => (i < 6 ? null : 1 + 2 + 3 + 4 + 4 * (i + 1))),
  );
  const [, , c, d] = units;
  const rowOf = (code: string) => year.units.find((u) => u.unitCode === code)!;
  expect(rowOf(d!.code).months.map((m) => m.status)).toEqual(
    year.window.periods.map((p) => (p === '2027-03' ? 'missing' : 'on_time')),
  );
  expect([rowOf(d!.code).missing, rowOf(d!.code).streak, rowOf(d!.code).longestStreak]).toEqual([1, 9, 9]);
  expect([rowOf(c!.code).late, rowOf(c!.code).streak, rowOf(c!.code).longestStreak]).toEqual([1, 10, 10]);
  expect(year.months.map((m) => m.submitted)).toEqual(year.window.periods.map((p) => (p === '2027-03' ? 3 : 4)));
});

test('when a custom range spans an unapproved month, then that month is listed as not approved and its reports count for nothing', async () => {
  const s = await summaryOf('2027-10..2028-01');
  expect(s.window.periods).toEqual(['2027-10', '2027-11', '2027-12', '2028-01']);
  const periods = [...s.window.periods];
  const stored = await storedMonths(periods);
  expect(stored.find((m) => m.period === '2028-01')!.reports.size).toBe(4); // January's reports are stored …
  expect(s.months.at(-1)).toMatchObject({ state: 'in_progress', expected: 0, submitted: 0, version: null }); // … not counted
  expect(figuresOf(s)).toEqual(expectedSummary(periods, stored));
  // IND01's target in the window is December's (the last approved month it existed in), raised by the new template.
  expect(s.indicators.find((i) => i.code === 'IND01')!.target).toEqual({ kind: 'at_least', value: 0.8 });
});

test("when one unit's summary is read, then its history, key tasks month by month and every text it reported are there, by month", async () => {
  const [, , c, d] = units;
  const res = await expectStatus(
    api<UnitSummary>(stack.baseUrl, 'GET', `/api/v1/summaries/${campaign}/2027-Q1/units/${d!.code}`, {
      token: council[2],
    }),
    200,
  );
  const s = res.body;
  expect(s.months.map((m) => m.status)).toEqual(['on_time', 'on_time', 'missing']);
  expect(s.months.map((m) => m.recommendations)).toEqual([
    'Đơn vị 4 tháng 1: đề nghị hỗ trợ',
    'Đơn vị 4 tháng 2: đề nghị hỗ trợ',
    '',
  ]);
  expect(s.keyTasks.find((k) => k.code === 'KT01')!.months.map((m) => m.text)).toEqual([
    'Đơn vị 4 tháng 1: KT01',
    'Đơn vị 4 tháng 2: KT01',
    null,
  ]);
  const cs = (
    await expectStatus(
      api<UnitSummary>(stack.baseUrl, 'GET', `/api/v1/summaries/${campaign}/2027-Q1/units/${c!.code}`, {
        token: admin,
      }),
      200,
    )
  ).body;
  const stored = await storedMonths(['2027-01', '2027-02', '2027-03']);
  expect(cs.keyTasks.find((k) => k.code === 'KT10')!.months.map((m) => m.status)).toEqual(
    stored.map((m) => m.reports.get(c!.code)!.answers.keyTasks.KT10!.status),
  );
  expect(cs.months.map((m) => m.sections.map((x) => x.text))).toEqual(
    stored.map((m) => [m.reports.get(c!.code)!.answers.sections.SEC01]),
  );
  expect([cs.late, cs.streak, cs.longestStreak]).toEqual([1, 1, 1]);
});

test('when a window is not one, or a unit is in none of its approved months, then the answer is 4xx naming the field; both routes are in OpenAPI', async () => {
  const bad = await api<{ field?: string }>(stack.baseUrl, 'GET', `/api/v1/summaries/${campaign}/2027-05..2027-01`, {
    token: admin,
  });
  expect([bad.status, bad.body.field]).toEqual([400, 'window']);
  const absent = await api<{ field?: string }>(
    stack.baseUrl,
    'GET',
    `/api/v1/summaries/${campaign}/2026/units/${units[0]!.code}`,
    { token: admin },
  );
  expect([absent.status, absent.body.field]).toEqual([404, 'unit']);
  const unknown = await api<{ field?: string }>(stack.baseUrl, 'GET', `/api/v1/summaries/no-such/2027`, {
    token: admin,
  });
  expect([unknown.status, unknown.body.field]).toEqual([404, 'campaign']);
  const doc = (
    await api<{ paths: Record<string, { get?: { summary?: string; responses?: Record<string, unknown> } }> }>(
      stack.baseUrl,
      'GET',
      '/openapi.json',
    )
  ).body;
  for (const path of ['/api/v1/summaries/{campaign}/{window}', '/api/v1/summaries/{campaign}/{window}/units/{unit}'])
    expect([path, Boolean(doc.paths[path]?.get?.summary), Boolean(doc.paths[path]?.get?.responses?.['200'])]).toEqual([
      path,
      true,
      true,
    ]);
});

test('when an auditor opens the summary pages, then they show the trends as SVG in Vietnamese (English on request), and each table downloads as CSV or XLSX, audited', async () => {
  const session = await signInConsole(stack.baseUrl, await stack.token('auditor'));
  const get = (path: string) => fetch(`${stack.baseUrl}${path}`, { headers: { cookie: session.cookie } });
  const page = await get(`/console/summaries/${campaign}/2027-Q1`);
  expect(page.status).toBe(200);
  const text = await page.text();
  expect(text).toContain('Quý I/2027');
  expect(text).toContain('Số liệu từ 15/12/2026 đến 14/03/2027');
  expect(text.match(/<svg class="chart"/g)!.length).toBeGreaterThanOrEqual(1 + 3); // completeness + the first template's 3 indicators
  expect(text).not.toMatch(/<script(?! src="\/assets\/)/);
  const en = await (await get(`/console/summaries/${campaign}/2027-Q1/units/${units[3]!.code}?lang=en`)).text();
  expect(en).toContain('Q1 2027');
  expect(en).toContain('missing');

  const before = await stack.orm.em.fork().count(AuditEvent, { action: 'summary.downloaded' });
  const csvRes = await get(`/console/summaries/${campaign}/2027-Q1/tables/units.csv`);
  expect(csvRes.status).toBe(200);
  expect(csvRes.headers.get('content-disposition')).toContain(`tong-hop-${campaign}-2027-Q1-units.csv`);
  const csvText = await csvRes.text();
  for (const u of units) expect(csvText).toContain(u.code);
  const xlsxRes = await get(`/console/summaries/${campaign}/2027-Q1/units/${units[2]!.code}/tables/summary.xlsx`);
  expect([
    xlsxRes.status,
    Buffer.from(await xlsxRes.arrayBuffer())
      .subarray(0, 2)
      .toString(),
  ]).toEqual([200, 'PK']);
  await eventually(
    async () =>
      (await stack.orm.em.fork().count(AuditEvent, { action: 'summary.downloaded' })) === before + 2 ? true : undefined,
    { what: 'two downloads on the record' },
  );
  // A chooser with a custom range redirects to the window's page.
  const chosen = await fetch(`${stack.baseUrl}/console/summaries?campaign=${campaign}&from=2027-02&to=2027-04`, {
    headers: { cookie: session.cookie },
    redirect: 'manual',
  });
  expect([chosen.status, chosen.headers.get('location')]).toEqual([
    303,
    `/console/summaries/${campaign}/2027-02..2027-04`,
  ]);
});

test('when the summary is opened on a phone without JavaScript, then the page fits its width, the charts are drawn and nothing breaks the CSP', async () => {
  const { page } = browser;
  await signIn(page, stack.baseUrl, await stack.token('council'));
  for (const path of [
    `/console/summaries/${campaign}/2027-Q1`,
    `/console/summaries/${campaign}/2027-Q1/units/${units[3]!.code}`,
  ]) {
    await screenshotViews(page, `${stack.baseUrl}${path}`, path.includes('/units/') ? 'summary-unit' : 'summary');
    await page.setViewportSize(PHONE);
    await page.goto(`${stack.baseUrl}${path}`);
    const width = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
          .scrollWidth,
    );
    expect([path, width]).toEqual([path, PHONE.width]);
    expect(await page.locator('svg.chart').count()).toBeGreaterThan(0);
  }
  expect(pageProblems(browser)).toEqual([]);
});

test('when an administrator freezes the first quarter, then its workflow stores it once, audited with its hash, and the summary reads the frozen one', async () => {
  const before = await summaryOf('2027-Q1');
  const path = `/api/v1/summaries/${campaign}/2027-Q1/freeze`;
  expect((await api(stack.baseUrl, 'POST', path, { token: council[0], body: {} })).status).toBe(403);
  const first = await expectStatus(
    api<{ workflowId: string; frozenAt: string; sha256: string; accepted: number; started: boolean }>(
      stack.baseUrl,
      'POST',
      path,
      { token: admin, body: {} },
    ),
    200,
  );
  expect(first.body).toMatchObject({ workflowId: `summary-${campaign}-2027-Q1`, accepted: 3, started: true });
  const again = await expectStatus(
    api<typeof first.body>(stack.baseUrl, 'POST', path, { token: admin, body: {} }),
    200,
  );
  expect(again.body).toEqual({ ...first.body, started: false });
  await recordHistories(stack.client, 'summary-frozen', [first.body.workflowId]);
  const frozen = await summaryOf('2027-Q1');
  expect(frozen.frozen).toEqual({
    frozenAt: first.body.frozenAt,
    workflowId: first.body.workflowId,
    sha256: first.body.sha256,
  });
  expect(figuresOf(frozen)).toEqual(figuresOf(before));
  // The activity retried (as Temporal would after a worker died) answers the first freeze and writes nothing.
  const retried = await createSummaryActivities({
    orm: stack.orm,
    now: () => new Date(),
  } as ActivityDeps).freezeSummary({
    campaign,
    window: '2027-Q1',
    workflowId: first.body.workflowId,
  });
  expect(retried).toEqual({ frozenAt: first.body.frozenAt, sha256: first.body.sha256, accepted: 3 });
  const em = stack.orm.em.fork();
  expect(await em.count(FrozenSummary, {})).toBe(1);
  const events = await em.find(
    AuditEvent,
    { action: { $in: ['summary.freeze_requested', 'summary.frozen'] } },
    { orderBy: { seq: 'asc' } },
  );
  expect(events.map((e) => [e.action, e.subjectId])).toEqual([
    ['summary.freeze_requested', campaign],
    ['summary.frozen', campaign],
  ]);
  expect((events[1]!.after as { sha256: string }).sha256).toBe(first.body.sha256);
});

test("when the summary schedule is set, then it fires on the 15th of each quarter's last month at 08:00 in Vietnam; the December cut-off freezes the fourth quarter, the second half and the year (not the quarter frozen by hand), each announced to the secretariat once", async () => {
  const path = `/api/v1/summaries/${campaign}/schedule`;
  expect(
    (await api(stack.baseUrl, 'PUT', path, { token: council[0], body: { paused: false, reason: 'x' } })).status,
  ).toBe(403);
  expect(
    (await api<{ schedule: unknown }>(stack.baseUrl, 'GET', path, { token: council[0] })).body.schedule,
  ).toBeNull();
  const set = await expectStatus(
    api<{ paused: boolean; nextRuns: string[] }>(stack.baseUrl, 'PUT', path, {
      token: admin,
      body: { paused: false, reason: 'Chốt số liệu theo quý' },
    }),
    200,
  );
  // 08:00 in Vietnam is 01:00 UTC; the next four quarterly cut-offs from now.
  const year = new Date().getUTCFullYear();
  const expected = [year, year + 1, year + 2]
    .flatMap((y) => ['03', '06', '09', '12'].map((m) => `${y}-${m}-15T01:00:00.000Z`))
    .filter((t) => t > new Date().toISOString())
    .slice(0, 4);
  expect([set.body.paused, set.body.nextRuns.slice(0, 4)]).toEqual([false, expected]);
  const paused = await expectStatus(
    api<{ paused: boolean; note: string }>(stack.baseUrl, 'PUT', path, {
      token: admin,
      body: { paused: true, reason: 'Tạm dừng để kiểm tra' },
    }),
    200,
  );
  expect([paused.body.paused, paused.body.note]).toEqual([true, expect.stringContaining('Tạm dừng để kiểm tra')]);

  // A month that ends no quarter is no cut-off.
  expect(
    (await api(stack.baseUrl, 'POST', `/api/v1/summaries/${campaign}/cut-offs/2027-05`, { token: admin, body: {} }))
      .status,
  ).toBe(400);

  const secretariat = 'thuongtruc@hdtdkt.example.org';
  const noticesBefore = stack.sink.to(secretariat).filter((m) => m.subject.includes('Đã chốt số liệu tổng hợp')).length;
  const december = await expectStatus(
    api<{ cutOff: string; windows: { window: string; workflowId: string; started: boolean }[] }>(
      stack.baseUrl,
      'POST',
      `/api/v1/summaries/${campaign}/cut-offs/2027-12`,
      { token: admin, body: {} },
    ),
    200,
  );
  expect(december.body.windows.map((w) => [w.window, w.started])).toEqual([
    ['2027-Q4', true],
    ['2027-H2', true],
    ['2027', true],
  ]);
  // Every month of those windows has closed: each freezes at once, with what the summary says now.
  for (const w of december.body.windows) {
    await stack.client.workflow.getHandle(w.workflowId).result();
    const frozen = await summaryOf(w.window);
    expect([w.window, frozen.frozen?.workflowId]).toEqual([w.window, w.workflowId]);
    const periods = [...frozen.window.periods];
    expect(figuresOf(frozen)).toEqual(expectedSummary(periods, await storedMonths(periods)));
  }
  const notices = await eventually(async () => {
    const all = stack.sink.to(secretariat).filter((m) => m.subject.includes('Đã chốt số liệu tổng hợp'));
    return all.length >= noticesBefore + 3 ? all.slice(noticesBefore) : undefined;
  });
  expect(notices.map((m) => m.subject).sort()).toEqual(
    ['Năm 2027', 'Quý IV/2027', '6 tháng cuối năm 2027']
      .map((w) => `[Chiến dịch tổng kết ${campaign}] Đã chốt số liệu tổng hợp ${w}`)
      .sort(),
  );
  expect(notices.find((m) => m.subject.endsWith('Năm 2027'))!.text).toContain('12/12 tháng');
  const firstQuarter = await expectStatus(
    api<{ windows: { window: string; started: boolean }[] }>(
      stack.baseUrl,
      'POST',
      `/api/v1/summaries/${campaign}/cut-offs/2027-03`,
      {
        token: admin,
        body: {},
      },
    ),
    200,
  );
  expect(firstQuarter.body.windows).toEqual([expect.objectContaining({ window: '2027-Q1', started: false })]);
  await recordHistories(stack.client, 'summary-cut-off', [
    `cut-off-${campaign}-2027-12`,
    ...december.body.windows.map((w) => w.workflowId),
  ]);

  // Once closed, each of these workflows is archived in PostgreSQL for the auditors, replayable.
  const auditor = await stack.token('auditor');
  const expectedIds = [`cut-off-${campaign}-2027-12`, ...december.body.windows.map((w) => w.workflowId)];
  await eventually(
    async () => {
      const list = (
        await api<{ workflowId: string }[]>(stack.baseUrl, 'GET', `/api/v1/audit/campaigns/${campaign}/histories`, {
          token: auditor,
        })
      ).body;
      return expectedIds.every((id) => list.some((h) => h.workflowId === id)) ? true : undefined;
    },
    { what: "the cut-off's workflows archived" },
  );
  const archivedYear = await expectStatus(
    api<{ history: { events: { eventType?: string }[] } }>(
      stack.baseUrl,
      'GET',
      `/api/v1/audit/campaigns/${campaign}/histories/${encodeURIComponent(`summary-${campaign}-2027`)}`,
      { token: auditor },
    ),
    200,
  );
  expect(archivedYear.body.history.events.at(-1)!.eventType).toMatch(/WORKFLOW_EXECUTION_COMPLETED/);

  // January 2028 is still collecting: the first quarter of 2028 waits for it, unfrozen.
  const waiting = await expectStatus(
    api<{ windows: { workflowId: string; started: boolean }[] }>(
      stack.baseUrl,
      'POST',
      `/api/v1/summaries/${campaign}/cut-offs/2028-03`,
      {
        token: admin,
        body: {},
      },
    ),
    200,
  );
  await sleep(2000);
  const q1 = await stack.client.workflow.getHandle(waiting.body.windows[0]!.workflowId).describe();
  expect([q1.status.name, (await summaryOf('2028-Q1')).frozen]).toEqual(['RUNNING', undefined]);
  await stack.client.workflow.getHandle(waiting.body.windows[0]!.workflowId).terminate('test over');
  const em = stack.orm.em.fork();
  expect(
    await em.count(AuditEvent, { action: { $in: ['campaign.summary_schedule_set', 'summary.cut_off_requested'] } }),
  ).toBe(5);
});

test('when the annual review is walked in the browser, then the year shows its trends, the bloc its ranking with each breakdown, the titles proposed from it are voted by the council, and the minutes count the ballots', async () => {
  // The units registered for 2027: targets and the titles they aim for.
  await expectStatus(
    api(stack.baseUrl, 'POST', `/api/v1/registrations/${campaign}/2027`, {
      token: admin,
      body: { deadline: new Date(Date.now() + 600_000).toISOString() },
    }),
    201,
  );
  const [a, b] = units;
  const DK = /\/dk\/([A-Za-z0-9_-]{43})/;
  for (const [u, titles] of [
    [a!, ['co_thi_dua_bo']],
    [b!, ['tap_the_lao_dong_xuat_sac']],
  ] as const) {
    const mail = await eventually(async () => stack.sink.to(u.headEmail).find((m) => DK.test(m.text)), {
      what: `the registration email to ${u.code}`,
    });
    await expectStatus(
      api(stack.baseUrl, 'PUT', `/api/v1/registration-link/${DK.exec(mail.text)![1]}`, {
        body: { targets: { IND01: 0.8, IND02: 12, IND03: 70, IND04: 20 }, titles },
      }),
      200,
    );
  }
  // The bloc of the four units with its scoring table; the council scores its criterion.
  const blocCode = 'KHOI-A';
  await expectStatus(
    api(stack.baseUrl, 'POST', `/api/v1/blocs/${campaign}`, {
      token: admin,
      body: { code: blocCode, name: 'Khối A', year: 2027, unitCodes: units.map((u) => u.code) },
    }),
    201,
  );
  await expectStatus(
    api(stack.baseUrl, 'PUT', `/api/v1/blocs/${campaign}/${blocCode}/scoring-table`, {
      token: admin,
      body: {
        criteria: [
          { code: 'DAYDU', label: { vi: 'Báo cáo đầy đủ', en: 'Complete' }, weight: 40, kind: 'completeness' },
          { code: 'DUNGHAN', label: { vi: 'Đúng hạn', en: 'On time' }, weight: 30, kind: 'timeliness' },
          { code: 'CHITIEU', label: { vi: 'Đạt chỉ tiêu', en: 'Targets' }, weight: 20, kind: 'indicator_attainment' },
          { code: 'CHAMTAY', label: { vi: 'Hội đồng chấm', en: 'Council' }, weight: 10, kind: 'hand' },
        ],
      },
    }),
    200,
  );
  for (const [i, u] of units.entries())
    await expectStatus(
      api(stack.baseUrl, 'PUT', `/api/v1/blocs/${campaign}/${blocCode}/rankings/2027/hand-scores`, {
        token: admin,
        body: { unitCode: u.code, criterionCode: 'CHAMTAY', points: 9 - i, reason: `Nhận xét cả năm ${i + 1}` },
      }),
      200,
    );
  // The campaign's council: a chair, a secretary and a member, seated as the vote opens.
  const seats = [];
  for (const position of ['chair', 'secretary', 'member'] as const) {
    const name = `Hội đồng ${position} ${campaign}`;
    const { id } = await stack.person('council', name);
    await setCouncilSeat(stack.orm.em.fork(), SYSTEM, { campaign, personId: id, position }, new Date());
    seats.push({ position, name, token: await stack.token('council', name, { personId: id }) });
  }

  const { page } = browser;
  await signIn(page, stack.baseUrl, admin);
  // The year's summary with its trends.
  await page.goto(`${stack.baseUrl}/console/summaries/${campaign}/2027`);
  expect(await page.locator('h1').textContent()).toContain('Năm 2027');
  expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(1 + 4);
  // The bloc's ranking over the year, in the API's order, a unit's breakdown opened.
  const ranking = (
    await expectStatus(
      api<{ rows: { unitCode: string; rank: number }[] }>(
        stack.baseUrl,
        'GET',
        `/api/v1/blocs/${campaign}/${blocCode}/rankings/2027`,
        { token: admin },
      ),
      200,
    )
  ).body;
  await page.goto(`${stack.baseUrl}/console/blocs/${campaign}/${blocCode}/rankings/2027`);
  expect(
    await page.locator('#ranking tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit'))),
  ).toEqual(ranking.rows.map((r) => r.unitCode));
  const top = page.locator(`details#u-${ranking.rows[0]!.unitCode}`);
  await top.locator('summary').click();
  expect(await top.locator('table').isVisible()).toBe(true);
  expect(await top.textContent()).toContain('2027-12');
  // Titles proposed from the ranking: the form opens with the registered titles, in rank order.
  await page.getByRole('link', { name: 'Đề nghị danh hiệu từ bảng xếp hạng này' }).click();
  const proposed = await page.locator('#tv-nominees').inputValue();
  const order = ranking.rows.map((r) => r.unitCode).filter((c) => c === a!.code || c === b!.code);
  expect(proposed.split('\n').map((line) => line.split('; ').slice(0, 2))).toEqual(
    order.map((c) => [c, c === a!.code ? 'co_thi_dua_bo' : 'tap_the_lao_dong_xuat_sac']),
  );
  const inVietnam = (ms: number) => new Date(ms + 7 * 3600_000).toISOString().slice(0, 16);
  await page.locator('#tv-closes').fill(inVietnam(Date.now() + 3600_000));
  await page.getByRole('button', { name: 'Mở cuộc bỏ phiếu' }).click();
  await page.waitForURL((u) => u.pathname === `/console/title-votes/${campaign}/2027`);
  // Each member votes in the browser: the flag gets 2 of 3 (below 90 % of all members), the collective title 3 of 3.
  const flag = order.indexOf(a!.code) + 1;
  const collective = order.indexOf(b!.code) + 1;
  for (const [i, seat] of seats.entries()) {
    await page.context().clearCookies();
    await signIn(page, stack.baseUrl, seat.token);
    await page.goto(`${stack.baseUrl}/console/title-votes/${campaign}/2027`);
    await page.locator(`#ballot input[name="choice.${flag}"][value="${i < 2 ? 'agree' : 'disagree'}"]`).check();
    await page.locator(`#ballot input[name="choice.${collective}"][value="agree"]`).check();
    await page.getByRole('button', { name: 'Gửi phiếu' }).click();
    await page.waitForURL((u) => u.searchParams.get('ok') === '1');
  }
  // The secretary closes the vote and counts; the minutes give the counts (the ballot is secret).
  await page.context().clearCookies();
  await signIn(page, stack.baseUrl, seats[1]!.token);
  await page.goto(`${stack.baseUrl}/console/title-votes/${campaign}/2027`);
  await page.getByRole('button', { name: 'Kết thúc bỏ phiếu và kiểm phiếu ngay' }).click();
  const results = await eventually(
    async () => {
      const v = (
        await api<{ status: string; nominees: { unitCode: string; result: { outcome: string } | null }[] }>(
          stack.baseUrl,
          'GET',
          `/api/v1/title-votes/${campaign}/2027`,
          { token: admin },
        )
      ).body;
      return v.status === 'closed' ? v.nominees : undefined;
    },
    { what: 'the title vote closed' },
  );
  expect(results.map((n) => [n.unitCode, n.result?.outcome])).toEqual(
    order.map((c) => [c, c === a!.code ? 'failed' : 'passed']),
  );
  await page.goto(`${stack.baseUrl}/console/title-votes/${campaign}/2027/minutes`);
  expect(await page.locator('h1').first().textContent()).toBe('BIÊN BẢN');
  const minutes = (await page.locator('main').textContent()) ?? '';
  for (const seat of seats) expect(minutes).toContain(seat.name);
  expect(pageProblems(browser)).toEqual([]);
});
