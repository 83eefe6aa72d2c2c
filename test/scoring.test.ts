/**
 * Bloc scoring over real monthly cycles: three months of a six-unit campaign driven through
 * collection, consolidation and the council (short relative timings). In January the council
 * sends one unit back for revision before approving; in February one unit reports late; in
 * March one unit reports nothing. A bloc of the six units gets a scoring table with every kind of
 * criterion, and the council scores one by hand through the API. The ranking and every unit's
 * score are computed again here, directly from the stored rows (cycles, tasks, submissions,
 * hand scores), with the test's own arithmetic, and compared.
 */
import { randomBytes } from 'node:crypto';
import {
  AuditEvent,
  Campaign,
  Cycle,
  EmulationRegistration,
  HandScoreEntry,
  Policy,
  ReportTemplate,
  Submission,
  UnitTask,
} from '../db/entities';
import { defaultTemplate } from '../db/seed-data/default-template';
import type { ReportAnswers } from '../domain/answers';
import { DEFAULT_POLICY, type CyclePolicy } from '../domain/policy';
import type { BlocRanking, BlocView } from '../api/services/scoring.service';
import type { Aggregation, IndicatorDefinition, IndicatorTarget, TemplateDefinition } from '../domain/template';
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
import { signInConsole } from './support/console';

const stack = useStack();
const browser = useBrowser({ javaScript: false });
let admin: string;
let auditor: string;
let council: string[];
let units: TestUnit[];
const campaign = `sco-${randomBytes(3).toString('hex')}`;
const templateCode = `tpl-${campaign}`;
const bloc = 'KHOI-1';
const PERIODS = ['2027-01', '2027-02', '2027-03'];

const NORMAL = timing({ deadline: 120, escalations: [60, 120], hardClose: 180 });
const SHORT = timing({ deadline: 10, escalations: [60, 120], hardClose: 180 });
const STATUSES = ['done', 'in_progress', 'not_started'] as const;

/** Unit `u`'s report (1-based) for month `m`: figures and key-task statuses differ by unit and month. */
function answersFor(template: TemplateDefinition, u: number, m: number, note = ''): ReportAnswers {
  const figure: Record<string, number> = {
    IND01: [0.9, 0.5, 0.8, 0.6, 0.75, 0.3][u - 1]! + 0.01 * m,
    IND02: [12, 25, 15, 8, 18, 30][u - 1]! + m,
    IND03: [50, 95, 70, 85, 60, 40][u - 1]! - m,
  };
  return {
    keyTasks: Object.fromEntries(
      template.keyTasks.map((k, i) => [
        k.code,
        { status: STATUSES[(u * m + i + (note ? 1 : 0)) % 3]!, text: `Đơn vị ${u} tháng ${m}${note}: ${k.code}` },
      ]),
    ),
    indicators: Object.fromEntries(template.indicators.map((i) => [i.code, figure[i.code]!])),
    sections: { SEC01: `Đơn vị ${u} tháng ${m}` },
    examples: [],
    proposals: [],
    recommendations: '',
  };
}

async function setTiming(t: CampaignTiming): Promise<void> {
  const definition: CyclePolicy = { ...DEFAULT_POLICY, timing: { kind: 'relative', ...t } };
  await stack.orm.em.fork().nativeUpdate(Policy, { code: `p-${campaign}` }, { definition });
}

/**
 * Runs month `m` to the council's approval: the units of `reporting` report (those in `late`
 * after the deadline); with `sendBack`, the council first sends that unit back and it resubmits.
 */
async function runMonth(
  m: number,
  {
    reporting = units,
    late = [] as TestUnit[],
    sendBack,
  }: { reporting?: TestUnit[]; late?: TestUnit[]; sendBack?: TestUnit } = {},
): Promise<void> {
  const started = await startCycle(stack, admin, { units, campaign, period: PERIODS[m - 1]! });
  const startedAt = Date.now();
  const sentBefore = new Map(units.map((u) => [u.code, stack.sink.to(u.headEmail).length]));
  const LINK = /\/r\/[A-Za-z0-9_-]{43}/;
  const dispatched = (u: TestUnit) =>
    stack.sink
      .to(u.headEmail)
      .slice(sentBefore.get(u.code)!)
      .find((mail) => LINK.test(mail.text));
  await stack.sink.waitFor(() => units.every((u) => dispatched(u)));
  const links = new Map(units.map((u) => [u.code, linkIn(dispatched(u)!.text, stack.baseUrl)]));
  const submit = async (u: TestUnit, note = '') =>
    expectStatus(
      submitByLink(stack.baseUrl, links.get(u.code)!, answersFor(defaultTemplate, units.indexOf(u) + 1, m, note)),
      201,
    );
  for (const u of reporting.filter((x) => !late.includes(x))) await submit(u);
  if (late.length) {
    await sleep(Math.max(0, startedAt + 11_000 - Date.now()));
    for (const u of late) expect((await submit(u)).body.late).toBe(true);
  }
  if (reporting.length < units.length)
    await expectStatus(
      api(stack.baseUrl, 'POST', `${started.base}/close-collection`, {
        token: admin,
        body: { reason: 'Hết thời gian thu nhận (kiểm thử)' },
      }),
      202,
    );
  await waitForStage(stack, admin, started.base, 'review');
  let version = 1;
  if (sendBack) {
    const revise = { version: 1, choice: 'request_revision', unitCodes: [sendBack.code], comment: 'Bổ sung số liệu' };
    for (const member of council.slice(0, 2))
      await expectStatus(api(stack.baseUrl, 'POST', `${started.base}/ballots`, { token: member, body: revise }), 201);
    await stack.sink.waitFor(() =>
      stack.sink
        .to(sendBack.headEmail)
        .slice(sentBefore.get(sendBack.code)!)
        .some((mail) => mail.subject.includes('Đề nghị chỉnh sửa')),
    );
    expect((await submit(sendBack, ' (bổ sung)')).body).toMatchObject({ version: 2 });
    version = 2;
    await eventually(
      async () =>
        (await api<{ version: number }>(stack.baseUrl, 'GET', `${started.base}/review`, { token: admin })).body
          .version === 2
          ? true
          : undefined,
      { what: 'the review of version 2' },
    );
  }
  for (const member of council.slice(0, 2))
    await expectStatus(
      api(stack.baseUrl, 'POST', `${started.base}/ballots`, { token: member, body: { version, choice: 'approve' } }),
      201,
    );
  await waitForStage(stack, admin, started.base, 'closed');
}

const CRITERIA = [
  { code: 'DAYDU', label: { vi: 'Báo cáo đầy đủ', en: 'Complete reporting' }, weight: 25, kind: 'completeness' },
  { code: 'DUNGHAN', label: { vi: 'Báo cáo đúng hạn', en: 'On-time reporting' }, weight: 20, kind: 'timeliness' },
  {
    code: 'CHITIEU',
    label: { vi: 'Đạt chỉ tiêu', en: 'Targets met' },
    weight: 20,
    kind: 'indicator_attainment',
  },
  { code: 'NHIEMVU', label: { vi: 'Nhiệm vụ hoàn thành', en: 'Key tasks done' }, weight: 15, kind: 'key_tasks_done' },
  {
    code: 'HOIDONG',
    label: { vi: 'Được Hội đồng chấp nhận ngay', en: 'Approved without revision' },
    weight: 10,
    kind: 'council_decisions',
  },
  { code: 'CHAMTAY', label: { vi: 'Hội đồng chấm', en: 'Scored by the council' }, weight: 10, kind: 'hand' },
] as const;
/** Registered figures: the first unit's above what it reached (none met), the fourth's below (all met). */
const REGISTERED = {
  first: { IND01: 0.95, IND02: 20, IND03: 40 },
  fourth: { IND01: 0.5, IND02: 5, IND03: 90 },
} as const;
const DK_TOKEN = /\/dk\/([A-Za-z0-9_-]{43})/;

/** The council's points on CHAMTAY, unit by unit. */
const HAND = [7.5, 10, 3.25, 0, 8.8, 6];

beforeAll(async () => {
  admin = await stack.token('admin');
  auditor = await stack.token('auditor');
  council = await councilTokens(stack);
  units = await createUnits(stack.orm, 6);
  const em = stack.orm.em.fork();
  em.create(ReportTemplate, { code: templateCode, version: 1, definition: defaultTemplate });
  const policy = em.create(Policy, {
    code: `p-${campaign}`,
    definition: { ...DEFAULT_POLICY, timing: { kind: 'relative', ...NORMAL } },
  });
  em.create(Campaign, { code: campaign, name: `Chiến dịch chấm điểm ${campaign}`, templateCode, policy });
  await em.flush();

  const [, b, c, d] = units;
  await runMonth(1, { sendBack: b! });
  await setTiming(SHORT);
  await runMonth(2, { late: [c!] });
  await setTiming(NORMAL);
  await runMonth(3, { reporting: units.filter((u) => u !== d) });

  // Two units registered targets for 2027 (đăng ký thi đua): the first harder than the template's,
  // the fourth easier. Attainment compares with those.
  await expectStatus(
    api(stack.baseUrl, 'POST', `/api/v1/registrations/${campaign}/2027`, {
      token: admin,
      body: { deadline: new Date(Date.now() + 600_000).toISOString() },
    }),
    201,
  );
  for (const [u, targets, titles] of [
    [units[0]!, REGISTERED.first, ['co_thi_dua_bo', 'tap_the_lao_dong_xuat_sac']],
    [d!, REGISTERED.fourth, ['tap_the_lao_dong_tien_tien']],
  ] as const) {
    const mail = await eventually(async () => stack.sink.to(u.headEmail).find((m) => DK_TOKEN.test(m.text)), {
      what: `the registration email to ${u.code}`,
    });
    const token = DK_TOKEN.exec(mail.text)![1]!;
    await expectStatus(
      api(stack.baseUrl, 'PUT', `/api/v1/registration-link/${token}`, { body: { targets, titles } }),
      200,
    );
  }

  await expectStatus(
    api(stack.baseUrl, 'POST', `/api/v1/blocs/${campaign}`, {
      token: admin,
      body: { code: bloc, name: 'Khối các đơn vị kiểm thử', year: 2027, unitCodes: units.map((u) => u.code) },
    }),
    201,
  );
  await expectStatus(
    api(stack.baseUrl, 'PUT', `/api/v1/blocs/${campaign}/${bloc}/scoring-table`, {
      token: admin,
      body: { criteria: CRITERIA },
    }),
    200,
  );
  for (const [i, u] of units.entries())
    await expectStatus(
      api(stack.baseUrl, 'PUT', `/api/v1/blocs/${campaign}/${bloc}/rankings/2027-Q1/hand-scores`, {
        token: i % 2 ? council[0] : admin,
        body: { unitCode: u.code, criterionCode: 'CHAMTAY', points: HAND[i], reason: `Nhận xét của Hội đồng ${i}` },
      }),
      200,
    );
}, 420_000);

// ---------------------------------------------------------------- the same scores, from the stored rows

/** A non-negative rational as [numerator, denominator] in bigints (the test's own arithmetic). */
type Q = [bigint, bigint];
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
const q = (n: number | bigint, d: number | bigint = 1): Q => {
  const [x, y] = [BigInt(n), BigInt(d)];
  const g = gcd(x, y);
  return [x / g, y / g];
};
const plus = (a: Q, b: Q): Q => q(a[0] * b[1] + b[0] * a[1], a[1] * b[1]);
const cmp = (a: Q, b: Q): number => Number(a[0] * b[1] - b[0] * a[1]);
const twoDecimals = ([n, d]: Q): string => {
  const cents = (n * 200n + d) / (2n * d);
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
};

function aggregateOf(kind: Aggregation, values: readonly number[]): number | null {
  if (!values.length) return null;
  if (kind === 'sum') return values.reduce((a, b) => a + b, 0);
  if (kind === 'average') return values.reduce((a, b) => a + b, 0) / values.length;
  if (kind === 'min') return Math.min(...values);
  if (kind === 'max') return Math.max(...values);
  return values.at(-1)!;
}
const meets = (t: IndicatorTarget, v: number | null): boolean =>
  v !== null && (t.kind === 'at_least' ? v >= t.value : t.kind === 'at_most' ? v <= t.value : v >= t.min && v <= t.max);

interface StoredReport {
  answers: ReportAnswers;
  firstLate: boolean;
  versions: number;
}

async function expectedRanking({ withRegistrations = true } = {}) {
  const em = stack.orm.em.fork();
  const months: { period: string; template: TemplateDefinition; reports: Map<string, StoredReport | null> }[] = [];
  for (const period of PERIODS) {
    const cycle = await em.findOneOrFail(Cycle, { campaign: { code: campaign }, period }, { populate: ['template'] });
    expect(cycle.stage).toBe('closed');
    const reports = new Map<string, StoredReport | null>();
    for (const task of await em.find(UnitTask, { cycle }, { populate: ['unit'] })) {
      const subs = await em.find(Submission, { task }, { orderBy: { version: 'asc' } });
      reports.set(
        task.unit.code,
        subs.length ? { answers: subs.at(-1)!.answers, firstLate: subs[0]!.late, versions: subs.length } : null,
      );
    }
    months.push({ period, template: cycle.template.definition, reports });
  }
  const hand = await em.find(HandScoreEntry, {
    bloc: { code: bloc, campaign: { code: campaign } },
    windowCode: '2027-Q1',
  });
  const lastTemplate = months.at(-1)!.template;
  // A registered figure keeps the kind of the template's target when that is a ceiling, and is a floor otherwise.
  const registered = new Map(
    (
      await em.find(
        EmulationRegistration,
        { round: { campaign: { code: campaign }, year: 2027 } },
        { populate: ['unit'] },
      )
    )
      .filter((r) => r.targets)
      .map((r) => [r.unit.code, r.targets!]),
  );
  const targetFor = (unitCode: string, ind: IndicatorDefinition): IndicatorTarget => {
    const figure = withRegistrations ? registered.get(unitCode)?.[ind.code] : undefined;
    if (figure === undefined) return ind.target;
    return ind.target.kind === 'at_most' ? { kind: 'at_most', value: figure } : { kind: 'at_least', value: figure };
  };
  const rows = units.map((u) => {
    const own = months.filter((m) => m.reports.has(u.code));
    const handedIn = own.filter((m) => m.reports.get(u.code));
    const last = handedIn.at(-1);
    const indicators = lastTemplate.indicators.map((ind) =>
      meets(
        targetFor(u.code, ind),
        aggregateOf(
          ind.aggregation,
          handedIn.map((m) => m.reports.get(u.code)!.answers.indicators[ind.code] as number),
        ),
      ),
    );
    const shares: [number, number][] = [
      [handedIn.length, own.length],
      [handedIn.filter((m) => !m.reports.get(u.code)!.firstLate).length, own.length],
      [indicators.filter(Boolean).length, indicators.length],
      [
        last
          ? last.template.keyTasks.filter((k) => last.reports.get(u.code)!.answers.keyTasks[k.code]?.status === 'done')
              .length
          : 0,
        last ? last.template.keyTasks.length : 0,
      ],
      [handedIn.filter((m) => m.reports.get(u.code)!.versions === 1).length, handedIn.length],
      [hand.find((h) => h.unitCode === u.code)?.hundredths ?? 0, 100 * 10],
    ];
    const points = shares.map(([n, d], i) => (d === 0 ? q(0) : q(BigInt(CRITERIA[i]!.weight) * BigInt(n), d)));
    return { unitCode: u.code, shares, points, score: points.reduce(plus, q(0)) };
  });
  const order = (a: (typeof rows)[number], b: (typeof rows)[number]) => {
    const byScore = cmp(b.score, a.score);
    if (byScore) return byScore;
    for (let i = 0; i < a.points.length; i += 1)
      if (cmp(b.points[i]!, a.points[i]!)) return cmp(b.points[i]!, a.points[i]!);
    return 0;
  };
  const sorted = [...rows].sort((a, b) => order(a, b) || a.unitCode.localeCompare(b.unitCode));
  return sorted.map((r) => ({
    unitCode: r.unitCode,
    rank: 1 + sorted.filter((o) => order(o, r) < 0).length,
    score: twoDecimals(r.score),
    shares: r.shares,
  }));
}

const rankingOf = async (window = '2027-Q1', token = admin) =>
  (
    await expectStatus(
      api<BlocRanking>(stack.baseUrl, 'GET', `/api/v1/blocs/${campaign}/${bloc}/rankings/${window}`, { token }),
      200,
    )
  ).body;

test("when the bloc is ranked over the quarter, then every unit's score, share and rank equal those computed from the stored rows", async () => {
  const ranking = await rankingOf('2027-Q1', auditor);
  const expected = await expectedRanking();
  // The months were built so that units differ: a ranking of equal scores would prove little.
  expect(new Set(expected.map((r) => r.score)).size).toBeGreaterThanOrEqual(5);
  expect(
    ranking.rows.map((r) => ({
      unitCode: r.unitCode,
      rank: r.rank,
      score: r.scoreDisplay,
      shares: r.criteria.map((c) => [c.numerator, c.denominator]),
    })),
  ).toEqual(expected);
  // The registered targets changed what the first and the fourth unit attained.
  const [, b, c, d] = units;
  const attainment = (rows: Awaited<ReturnType<typeof expectedRanking>>, u: TestUnit) =>
    rows.find((r) => r.unitCode === u.code)!.shares[2];
  const templateOnly = await expectedRanking({ withRegistrations: false });
  expect([attainment(expected, units[0]!), attainment(templateOnly, units[0]!)]).toEqual([
    [0, 3],
    [3, 3],
  ]);
  expect([attainment(expected, d!), attainment(templateOnly, d!)]).toEqual([
    [3, 3],
    [0, 3],
  ]);
  // The situations the months were built for show in the shares.
  const row = (u: TestUnit) => ranking.rows.find((r) => r.unitCode === u.code)!;
  const share = (u: TestUnit, code: string) => {
    const s = row(u).criteria.find((x) => x.code === code)!;
    return [s.numerator, s.denominator];
  };
  expect(share(d!, 'DAYDU')).toEqual([2, 3]);
  expect(share(c!, 'DUNGHAN')).toEqual([2, 3]);
  expect(share(b!, 'HOIDONG')).toEqual([2, 3]);
  expect(share(units[0]!, 'CHAMTAY')).toEqual([750, 1000]);
  // The year's window reads the same months (April onwards have no cycle); its hand scores are its own (none yet).
  const computedShares = (r: BlocRanking) =>
    Object.fromEntries(
      r.rows.map((x) => [
        x.unitCode,
        x.criteria.filter((c) => c.kind !== 'hand').map((c) => [c.numerator, c.denominator]),
      ]),
    );
  const year = await rankingOf('2027');
  expect(computedShares(year)).toEqual(computedShares(ranking));
  expect(year.rows.flatMap((r) => r.criteria.filter((c) => c.kind === 'hand').map((c) => c.numerator))).toEqual(
    Array(6).fill(0),
  );
});

test('when an auditor traces a share, then it lists the approved monthly reports it was read from, with their versions', async () => {
  const ranking = await rankingOf();
  const [, b, , d] = units;
  const em = stack.orm.em.fork();
  const bReports = ranking.rows
    .find((r) => r.unitCode === b!.code)!
    .criteria.find((c) => c.code === 'HOIDONG')!.reports;
  const january = await em.findOneOrFail(Cycle, { campaign: { code: campaign }, period: '2027-01' });
  expect(bReports.map((r) => [r.period, r.consolidatedVersion, r.submissionVersion, r.sentBack, r.counts])).toEqual([
    ['2027-01', january.reviewVersion, 2, true, false],
    ['2027-02', 1, 1, false, true],
    ['2027-03', 1, 1, false, true],
  ]);
  const dReports = ranking.rows.find((r) => r.unitCode === d!.code)!.criteria.find((c) => c.code === 'DAYDU')!.reports;
  expect(dReports.map((r) => [r.period, r.status, r.submissionVersion, r.counts])).toEqual([
    ['2027-01', 'on_time', 1, true],
    ['2027-02', 'on_time', 1, true],
    ['2027-03', 'missing', null, false],
  ]);
  const hand = ranking.rows.find((r) => r.unitCode === units[1]!.code)!.criteria.find((c) => c.kind === 'hand')!;
  expect(hand).toMatchObject({ hand: { hundredths: 1000, reason: 'Nhận xét của Hội đồng 1' }, pointsDisplay: '10.00' });
});

test('when a hand score comes without a reason, out of range or on a computed criterion, then it is refused naming the field', async () => {
  const path = `/api/v1/blocs/${campaign}/${bloc}/rankings/2027-Q1/hand-scores`;
  const put = (body: unknown) => api<{ field?: string }>(stack.baseUrl, 'PUT', path, { token: admin, body });
  const unitCode = units[0]!.code;
  const noReason = await put({ unitCode, criterionCode: 'CHAMTAY', points: 5 });
  expect(noReason.status).toBe(400);
  expect(JSON.stringify(noReason.body)).toContain('reason');
  const blank = await put({ unitCode, criterionCode: 'CHAMTAY', points: 5, reason: '   ' });
  expect([blank.status, blank.body.field]).toEqual([400, 'reason']);
  const tooMany = await put({ unitCode, criterionCode: 'CHAMTAY', points: 10.5, reason: 'Quá điểm' });
  expect([tooMany.status, tooMany.body.field]).toEqual([400, 'points']);
  const thirds = await put({ unitCode, criterionCode: 'CHAMTAY', points: 3.333, reason: 'Ba chữ số' });
  expect([thirds.status, thirds.body.field]).toEqual([400, 'points']);
  const computed = await put({ unitCode, criterionCode: 'DUNGHAN', points: 5, reason: 'Tiêu chí tự tính' });
  expect([computed.status, computed.body.field]).toEqual([400, 'criterionCode']);
  const outsider = await put({ unitCode: 'NO-SUCH-UNIT', criterionCode: 'CHAMTAY', points: 5, reason: 'Ngoài khối' });
  expect([outsider.status, outsider.body.field]).toEqual([404, 'unitCode']);
  const nextYear = await api<{ field?: string }>(
    stack.baseUrl,
    'PUT',
    `/api/v1/blocs/${campaign}/${bloc}/rankings/2028-Q1/hand-scores`,
    { token: admin, body: { unitCode, criterionCode: 'CHAMTAY', points: 5, reason: 'Năm sau' } },
  );
  expect([nextYear.status, nextYear.body.field]).toEqual([400, 'window']);
  const badTable = await api<{ field?: string }>(
    stack.baseUrl,
    'PUT',
    `/api/v1/blocs/${campaign}/${bloc}/scoring-table`,
    {
      token: admin,
      body: { criteria: [CRITERIA[0], { ...CRITERIA[1], code: CRITERIA[0].code }] },
    },
  );
  expect([badTable.status, badTable.body.field]).toEqual([400, 'criteria[1].code']);
  const blocs = `/api/v1/blocs/${campaign}`;
  const create = (body: unknown) => api<{ field?: string }>(stack.baseUrl, 'POST', blocs, { token: admin, body });
  const unknownUnit = await create({ code: 'KHOI-X', name: 'Khối X', year: 2027, unitCodes: ['NO-SUCH-UNIT'] });
  expect([unknownUnit.status, unknownUnit.body.field]).toEqual([404, 'unitCodes']);
  const duplicate = await create({ code: bloc, name: 'Khối trùng mã', year: 2027, unitCodes: [unitCode] });
  expect([duplicate.status, duplicate.body.field]).toEqual([409, 'code']);
  const blankName = await create({ code: 'KHOI-Y', name: ' ', year: 2027, unitCodes: [unitCode] });
  expect([blankName.status, blankName.body.field]).toEqual([400, 'name']);
  const unknownKey = await create({ code: 'KHOI-Z', name: 'Khối Z', year: 2027, unitCodes: [unitCode], extra: 1 });
  expect(unknownKey.status).toBe(400);
  // Nothing refused was stored.
  expect((await rankingOf()).rows.find((r) => r.unitCode === unitCode)!.criteria.at(-1)).toMatchObject({
    numerator: 750,
  });
});

test('when the council opens the ranking page, then it shows every unit in rank order with its score and the reports behind each share, and the downloads carry the same figures', async () => {
  const session = await signInConsole(stack.baseUrl, council[0]!);
  const base = `/console/blocs/${campaign}/${bloc}/rankings/2027-Q1`;
  const res = await fetch(`${stack.baseUrl}${base}`, { headers: { cookie: session.cookie } });
  expect(res.status).toBe(200);
  const page = await res.text();
  const ranking = await rankingOf();
  const shown = [
    ...page.matchAll(/<tr data-unit="([^"]+)"><td class="num">(\d+)[^]*?<td class="num"><strong>([\d,]+)<\/strong>/g),
  ].map((m) => [m[1], Number(m[2]), m[3]]);
  expect(shown).toEqual(ranking.rows.map((r) => [r.unitCode, r.rank, r.scoreDisplay.replace('.', ',')]));
  // The sent-back unit's January report links to the version the council approved.
  const january = await stack.orm.em.fork().findOneOrFail(Cycle, { campaign: { code: campaign }, period: '2027-01' });
  expect(page).toContain(`href="/console/council/${campaign}/2027-01?v=${january.reviewVersion}"`);
  expect(page).toContain('Hội đồng chấm điểm');

  const csvText = await (
    await fetch(`${stack.baseUrl}${base}/tables/ranking.csv`, { headers: { cookie: session.cookie } })
  ).text();
  const lines = csvText
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/)
    .slice(1);
  const cells = (line: string) => line.split(',').map((c) => c.replace(/^"(.*)"$/, '$1'));
  expect(lines.map((l) => cells(l)[1])).toEqual(ranking.rows.map((r) => r.unitCode));
  expect(lines.map((l) => cells(l)[4])).toEqual(ranking.rows.map((r) => r.score));
  const workbook = await fetch(`${stack.baseUrl}${base}/tables/ranking.xlsx`, { headers: { cookie: session.cookie } });
  expect([workbook.status, workbook.headers.get('content-type')]).toEqual([
    200,
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ]);
  const downloads = await stack.orm.em
    .fork()
    .count(AuditEvent, { action: 'ranking.downloaded', subjectId: `${campaign}/${bloc}` });
  expect(downloads).toBe(2);
});

test('when a council member scores by hand through the console form, then a missing reason is refused on the page and a given one is recorded', async () => {
  const session = await signInConsole(stack.baseUrl, council[2]!);
  const base = `/console/blocs/${campaign}/${bloc}/rankings/2027-H1`;
  const post = (form: Record<string, string>) =>
    fetch(`${stack.baseUrl}${base}/hand-scores`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: session.csrf, ...form }).toString(),
    });
  const unitCode = units[5]!.code;
  const refused = await post({ unitCode, criterionCode: 'CHAMTAY', points: '6,5', reason: '' });
  expect(refused.status).toBe(400);
  expect(await refused.text()).toContain('reason: không được để trống');
  const recorded = await post({ unitCode, criterionCode: 'CHAMTAY', points: '6,5', reason: 'Có nhiều sáng kiến' });
  expect(recorded.status).toBe(303);
  const hand = (await rankingOf('2027-H1')).rows.find((r) => r.unitCode === unitCode)!.criteria.at(-1)!;
  expect([hand.numerator, hand.pointsDisplay]).toEqual([650, '6.50']);
});

test('when an administrator edits a scoring table in the console, then rows are added, reordered and removed, and a refused save keeps what was typed', async () => {
  const session = await signInConsole(stack.baseUrl, admin);
  const code = 'KHOI-2';
  const post = (path: string, form: [string, string][]) =>
    fetch(`${stack.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([['_csrf', session.csrf], ...form]).toString(),
    });
  const created = await post(`/console/blocs/${campaign}`, [
    ['code', code],
    ['name', 'Khối hai'],
    ['year', '2027'],
    ['unitCodes', units[0]!.code],
    ['unitCodes', units[1]!.code],
  ]);
  expect(created.status).toBe(303);
  const row = (
    i: number,
    c: { code: string; vi: string; en: string; weight: string; kind: string },
  ): [string, string][] => Object.entries(c).map(([k, v]) => [`c${i}.${k}`, v]);
  const a = { code: 'A', vi: 'Đầy đủ', en: 'Complete', weight: '60', kind: 'completeness' };
  const b = { code: 'B', vi: 'Hội đồng chấm', en: 'By hand', weight: '40', kind: 'hand' };
  const table = `/console/blocs/${campaign}/${code}/scoring-table`;
  const criteria = async () =>
    (
      await expectStatus(
        api<BlocView>(stack.baseUrl, 'GET', `/api/v1/blocs/${campaign}/${code}`, { token: admin }),
        200,
      )
    ).body.criteria.map((c) => [c.code, c.weight]);
  expect((await post(table, [...row(0, a), ...row(1, b), ['action', 'save']])).status).toBe(303);
  expect(await criteria()).toEqual([
    ['A', 60],
    ['B', 40],
  ]);
  expect((await post(table, [...row(0, a), ...row(1, b), ['action', 'up:1']])).status).toBe(303);
  expect(await criteria()).toEqual([
    ['B', 40],
    ['A', 60],
  ]);
  const refused = await post(table, [...row(0, b), ...row(1, { ...a, weight: '1,5' }), ['action', 'save']]);
  expect(refused.status).toBe(400);
  const refusedPage = await refused.text();
  expect(refusedPage).toContain('criteria[1].weight');
  expect(refusedPage).toContain('value="1,5"');
  expect((await post(table, [...row(0, b), ...row(1, a), ['action', 'remove:0']])).status).toBe(303);
  expect(await criteria()).toEqual([['A', 60]]);
  // Both units reported every month: the same score on the only criterion, so they share the first rank.
  const tied = (
    await expectStatus(
      api<BlocRanking>(stack.baseUrl, 'GET', `/api/v1/blocs/${campaign}/${code}/rankings/2027-Q1`, { token: admin }),
      200,
    )
  ).body.rows;
  expect(tied.map((r) => [r.unitCode, r.rank, r.shared, r.score])).toEqual([
    [units[0]!.code, 1, true, '60'],
    [units[1]!.code, 1, true, '60'],
  ]);
  const events = await stack.orm.em
    .fork()
    .find(AuditEvent, { action: 'scoring_table.updated', subjectId: `${campaign}/${code}` });
  expect(events).toHaveLength(3);
});

test('when a hand score changes, then the audit log keeps it before and after; once the ranking is frozen, it no longer changes', async () => {
  const path = `/api/v1/blocs/${campaign}/${bloc}/rankings/2027-Q1/hand-scores`;
  const unitCode = units[3]!.code;
  await expectStatus(
    api(stack.baseUrl, 'PUT', path, {
      token: council[1],
      body: { unitCode, criterionCode: 'CHAMTAY', points: 4.25, reason: 'Đã xem lại hồ sơ' },
    }),
    200,
  );
  const events = await stack.orm.em
    .fork()
    .find(AuditEvent, { action: 'hand_score.set', subjectId: `${campaign}/${bloc}` }, { orderBy: { seq: 'asc' } });
  const last = events.at(-1)!;
  expect([last.before, last.after]).toMatchObject([
    { unitCode, points: 0, reason: 'Nhận xét của Hội đồng 3' },
    { unitCode, points: 4.25, reason: 'Đã xem lại hồ sơ' },
  ]);

  const before = await rankingOf();
  expect(before.rows.map((r) => [r.unitCode, r.rank, r.scoreDisplay])).toEqual(
    (await expectedRanking()).map((r) => [r.unitCode, r.rank, r.score]),
  );
  const frozen = await expectStatus(
    api<{ sha256: string }>(stack.baseUrl, 'POST', `/api/v1/blocs/${campaign}/${bloc}/rankings/2027-Q1/freeze`, {
      token: admin,
      body: {},
    }),
    201,
  );
  const again = await expectStatus(
    api<{ sha256: string; started: boolean }>(
      stack.baseUrl,
      'POST',
      `/api/v1/blocs/${campaign}/${bloc}/rankings/2027-Q1/freeze`,
      { token: admin, body: {} },
    ),
    200,
  );
  expect(again.body).toMatchObject({ sha256: frozen.body.sha256, started: false });
  const frozenEvents = await stack.orm.em
    .fork()
    .find(AuditEvent, { action: 'ranking.frozen', subjectId: `${campaign}/${bloc}` });
  expect(frozenEvents.map((e) => (e.after as { sha256: string }).sha256)).toEqual([frozen.body.sha256]);
  const refused = await api<{ code: string }>(stack.baseUrl, 'PUT', path, {
    token: admin,
    body: { unitCode, criterionCode: 'CHAMTAY', points: 9, reason: 'Sau khi chốt' },
  });
  expect([refused.status, refused.body.code]).toEqual([409, 'ranking_frozen']);
  const tableRefused = await api(stack.baseUrl, 'PUT', `/api/v1/blocs/${campaign}/${bloc}/scoring-table`, {
    token: admin,
    body: { criteria: CRITERIA.slice(0, 3) },
  });
  expect(tableRefused.status).toBe(409);
  const after = await rankingOf();
  expect(after.frozen?.sha256).toBe(frozen.body.sha256);
  expect(after.rows).toEqual(before.rows);
  const view = (
    await expectStatus(api<BlocView>(stack.baseUrl, 'GET', `/api/v1/blocs/${campaign}/${bloc}`, { token: admin }), 200)
  ).body;
  expect(view.frozenWindows).toEqual(['2027-Q1']);
});

test("when the ranking is opened on a phone without JavaScript, then it fits the width, a unit's breakdown opens, and nothing breaks the CSP", async () => {
  const { page } = browser;
  await signIn(page, stack.baseUrl, auditor);
  for (const path of [
    `/console/blocs/${campaign}`,
    `/console/blocs/${campaign}/${bloc}`,
    `/console/blocs/${campaign}/${bloc}/rankings/2027-Q1`,
  ]) {
    await page.setViewportSize(PHONE);
    await page.goto(`${stack.baseUrl}${path}`);
    const width = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
          .scrollWidth,
    );
    expect([path, width]).toEqual([path, PHONE.width]);
  }
  await screenshotViews(page, `${stack.baseUrl}/console/blocs/${campaign}/${bloc}`, 'bloc');
  await screenshotViews(page, `${stack.baseUrl}/console/blocs/${campaign}/${bloc}/rankings/2027-Q1`, 'bloc-ranking');
  const first = (await rankingOf()).rows[0]!;
  await page.locator(`#u-${first.unitCode} > summary`).click();
  await expect(page.locator(`#u-${first.unitCode} table`).isVisible()).resolves.toBe(true);
  expect(pageProblems(browser)).toEqual([]);
});

test('when the OpenAPI document is read, then every bloc route is described with its responses', async () => {
  const doc = (
    await api<{ paths: Record<string, Record<string, { summary?: string; responses?: Record<string, unknown> }>> }>(
      stack.baseUrl,
      'GET',
      '/openapi.json',
    )
  ).body;
  const routes: [string, string][] = [
    ['/api/v1/blocs/{campaign}', 'get'],
    ['/api/v1/blocs/{campaign}', 'post'],
    ['/api/v1/blocs/{campaign}/{bloc}', 'get'],
    ['/api/v1/blocs/{campaign}/{bloc}', 'patch'],
    ['/api/v1/blocs/{campaign}/{bloc}/scoring-table', 'put'],
    ['/api/v1/blocs/{campaign}/{bloc}/rankings/{window}', 'get'],
    ['/api/v1/blocs/{campaign}/{bloc}/rankings/{window}/hand-scores', 'put'],
    ['/api/v1/blocs/{campaign}/{bloc}/rankings/{window}/freeze', 'post'],
  ];
  for (const [path, method] of routes) {
    const op = doc.paths[path]?.[method];
    expect([path, method, Boolean(op?.summary), Object.keys(op?.responses ?? {}).length > 0]).toEqual([
      path,
      method,
      true,
      true,
    ]);
  }
});

test('when the secretariat proposes titles from the ranking, then each unit is nominated for the titles it registered for, in rank order, and the title-vote form opens with that list', async () => {
  const ranking = await rankingOf('2027-Q1');
  const proposed = await expectStatus(
    api<{ year: number; nominees: { unitCode: string; title: string; reason: string }[] }>(
      stack.baseUrl,
      'GET',
      `/api/v1/blocs/${campaign}/${bloc}/rankings/2027-Q1/nominations`,
      { token: admin },
    ),
    200,
  );
  const em = stack.orm.em.fork();
  const registered = new Map(
    (
      await em.find(
        EmulationRegistration,
        { round: { campaign: { code: campaign }, year: 2027 } },
        { populate: ['unit'] },
      )
    ).map((r) => [r.unit.code, r.titles ?? []]),
  );
  expect(proposed.body.year).toBe(2027);
  expect(proposed.body.nominees.map((n) => [n.unitCode, n.title])).toEqual(
    ranking.rows.flatMap((r) => (registered.get(r.unitCode) ?? []).map((title) => [r.unitCode, title])),
  );
  expect(proposed.body.nominees).toHaveLength(3);
  const first = ranking.rows.find((r) => r.unitCode === units[0]!.code)!;
  expect(
    proposed.body.nominees[proposed.body.nominees.findIndex((n) => n.unitCode === units[0]!.code)]!.reason,
  ).toContain(`Hạng ${first.rank}/6`);
  // The console's title-vote form, opened from the ranking page's link, holds the same list.
  const session = await signInConsole(stack.baseUrl, admin);
  const rankingPage = await (
    await fetch(`${stack.baseUrl}/console/blocs/${campaign}/${bloc}/rankings/2027-Q1`, {
      headers: { cookie: session.cookie },
    })
  ).text();
  const link = /href="(\/console\/title-votes\/[^"#]+)#open"/.exec(rankingPage)![1]!.replace(/&amp;/g, '&');
  const form = await (await fetch(`${stack.baseUrl}${link}`, { headers: { cookie: session.cookie } })).text();
  const textarea = /<textarea id="tv-nominees"[^>]*>([^<]*)<\/textarea>/.exec(form)![1]!;
  expect(textarea.split('\n').map((line) => line.split('; ').slice(0, 2))).toEqual(
    proposed.body.nominees.map((n) => [n.unitCode, n.title]),
  );
  expect(form).toContain('value="2027"');
});
