/**
 * Title votes with the real stack (API, workflow, worker, PostgreSQL, SMTP sink): each nominee is
 * decided under its title's rule in the campaign's policy — threshold at least or more than a
 * share of all members or of those taking part, quorum, written opinions of absent members, ties
 * — the roll is the council as it was when the round opened, and the minutes list every ballot,
 * or only counts under a secret ballot. Expected outcomes are computed here from the ballots the
 * test cast, with the rule's own arithmetic written out again.
 */
import { setCouncilSeat, removeCouncilSeat } from '../api/services/people.service';
import type { EmulationTitle } from '../domain/emulation-titles';
import { DEFAULT_TITLE_VOTE_RULES, decideTitle, type TitleChoice, type TitleVoteRule } from '../domain/title-vote';
import type { CouncilPosition } from '../db/entities/person.entity';
import { Campaign, Unit } from '../db/entities';
import { recordHistories } from './support/histories';
import { signInConsole } from './support/console';
import { openBrowser, pageProblems, screenshot, screenshotViews, signIn } from './support/browser';
import { elements, openDocx, paragraphText } from './support/documents';
import { api, createCampaign, createUnits, eventually, expectStatus, QUIET, type TestUnit } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

const SYSTEM = { kind: 'system' as const, id: 'test', origin: 'test' };
let stack: Stack;
let admin = '';
let units: TestUnit[] = [];
beforeAll(async () => {
  stack = await startStack();
  admin = await stack.token('admin');
  units = await createUnits(stack.orm, 4);
});
afterAll(async () => {
  await stack?.stop();
});

interface Member {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly token: string;
  readonly position: CouncilPosition;
}

const POSITIONS: readonly CouncilPosition[] = ['chair', 'secretary', 'member', 'member', 'member'];

/** A campaign with these title rules (the others default) and a council of five seated on it. */
async function campaignWithCouncil(
  rules: Partial<Record<EmulationTitle, Partial<TitleVoteRule>>>,
): Promise<{ campaign: string; council: Member[] }> {
  const titleVotes = Object.fromEntries(
    Object.entries(rules).map(([t, r]) => [t, { ...DEFAULT_TITLE_VOTE_RULES[t as EmulationTitle], ...r }]),
  );
  const campaign = await createCampaign(stack.orm, QUIET, { titleVotes });
  const council: Member[] = [];
  for (const [i, position] of POSITIONS.entries()) {
    const name = `Thành viên ${i + 1} ${campaign}`;
    const { id, email } = await stack.person('council', name);
    await setCouncilSeat(stack.orm.em.fork(), SYSTEM, { campaign, personId: id, position }, new Date());
    council.push({ id, name, email, token: await stack.token('council', name, { personId: id }), position });
  }
  return { campaign, council };
}

const YEAR = 2027;
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

async function open(campaign: string, nominees: { unitCode: string; title: EmulationTitle }[], body = {}) {
  return expectStatus(
    api<{ workflowId: string }>(stack.baseUrl, 'POST', `/api/v1/title-votes/${campaign}/${YEAR}`, {
      token: admin,
      body: { closesAt: inAnHour(), nominees, ...body },
    }),
    201,
  );
}

const vote = (campaign: string, m: Member, ballots: { nominee: number; choice: TitleChoice }[]) =>
  expectStatus(
    api(stack.baseUrl, 'POST', `/api/v1/title-votes/${campaign}/${YEAR}/ballots`, {
      token: m.token,
      body: { ballots },
    }),
    200,
  );

const close = (campaign: string, secretary: Member) =>
  expectStatus(
    api(stack.baseUrl, 'POST', `/api/v1/title-votes/${campaign}/${YEAR}/close`, { token: secretary.token, body: {} }),
    200,
  );

interface View {
  status: string;
  closedBy: string | null;
  roll: { personId: number; name: string; position: string }[];
  tookPart: string[];
  nominees: {
    nominee: number;
    title: EmulationTitle;
    voted: string[];
    writtenOpinions: string[];
    result: {
      outcome: string;
      counted: { agree: number; disagree: number; abstain: number };
      tieSettledBy: string | null;
    } | null;
    choices?: { member: string; kind: string; choice: string }[];
    ballots: unknown;
    rule: TitleVoteRule;
  }[];
}

const view = async (campaign: string) =>
  (
    await expectStatus(
      api<View>(stack.baseUrl, 'GET', `/api/v1/title-votes/${campaign}/${YEAR}`, { token: admin }),
      200,
    )
  ).body;

/** The rule's arithmetic, written out again: agree against the share of the base, after quorum. */
function expected(
  rule: TitleVoteRule,
  members: number,
  ballots: readonly TitleChoice[],
  written: readonly TitleChoice[],
  chair: TitleChoice | null,
): string {
  const counted = rule.writtenOpinionsCount ? [...ballots, ...written] : [...ballots];
  if (counted.length * rule.quorum.denominator < rule.quorum.numerator * members) return 'no_quorum';
  const agree = counted.filter((c) => c === 'agree').length;
  const disagree = counted.filter((c) => c === 'disagree').length;
  const base = rule.base === 'all_members' ? members : counted.length;
  const lhs = agree * rule.threshold.denominator;
  const rhs = rule.threshold.numerator * base;
  if (!(rule.comparison === 'at_least' ? lhs >= rhs : lhs > rhs)) return 'failed';
  if (agree > 0 && agree === disagree) return rule.tie === 'chair_decides' && chair === 'agree' ? 'passed' : 'failed';
  return 'passed';
}

const rule = (over: Partial<TitleVoteRule>): TitleVoteRule => ({
  threshold: { numerator: 1, denominator: 2 },
  base: 'present',
  comparison: 'more_than',
  quorum: { numerator: 1, denominator: 2 },
  secretBallot: false,
  writtenOpinionsCount: false,
  tie: 'fails',
  ...over,
});

describe('the outcome of one nominee (pure)', () => {
  const none = { agree: 0, disagree: 0, abstain: 0 };
  test('when exactly the threshold agrees, then it passes under "at least" and fails under "more than"', () => {
    const count = {
      members: 5,
      ballots: { agree: 3, disagree: 2, abstain: 0 },
      writtenOpinions: none,
      chairChoice: null,
    };
    const share = { numerator: 3, denominator: 5 };
    expect(decideTitle(rule({ threshold: share, comparison: 'at_least', base: 'all_members' }), count).outcome).toBe(
      'passed',
    );
    expect(decideTitle(rule({ threshold: share, comparison: 'more_than', base: 'all_members' }), count).outcome).toBe(
      'failed',
    );
  });
  test('when 9 of 10 members must agree, then 8 of 10 present fail on all members and 9 of 9 present pass', () => {
    const ninety = rule({ threshold: { numerator: 9, denominator: 10 }, base: 'all_members', comparison: 'at_least' });
    expect(
      decideTitle(ninety, {
        members: 10,
        ballots: { agree: 8, disagree: 0, abstain: 0 },
        writtenOpinions: none,
        chairChoice: null,
      }).outcome,
    ).toBe('failed');
    expect(
      decideTitle(ninety, {
        members: 10,
        ballots: { agree: 9, disagree: 0, abstain: 0 },
        writtenOpinions: none,
        chairChoice: null,
      }).outcome,
    ).toBe('passed');
    expect(
      decideTitle(
        { ...ninety, base: 'present' },
        { members: 10, ballots: { agree: 8, disagree: 0, abstain: 0 }, writtenOpinions: none, chairChoice: null },
      ).outcome,
    ).toBe('passed');
  });
  test('when written opinions count, then they count towards quorum and the threshold; otherwise not', () => {
    const count = {
      members: 4,
      ballots: { agree: 2, disagree: 0, abstain: 0 },
      writtenOpinions: { agree: 1, disagree: 0, abstain: 0 },
      chairChoice: null,
    };
    const r = rule({
      threshold: { numerator: 3, denominator: 4 },
      base: 'all_members',
      comparison: 'at_least',
      quorum: { numerator: 3, denominator: 4 },
    });
    expect(decideTitle({ ...r, writtenOpinionsCount: true }, count)).toMatchObject({
      outcome: 'passed',
      participants: 3,
    });
    expect(decideTitle(r, count)).toMatchObject({ outcome: 'no_quorum', participants: 2 });
  });
  test('when as many agree as disagree at or above the threshold, then the tie rule decides, and never below it', () => {
    const tie = { members: 4, ballots: { agree: 2, disagree: 2, abstain: 0 }, writtenOpinions: none };
    const r = rule({ comparison: 'at_least' });
    expect(decideTitle(r, { ...tie, chairChoice: 'agree' })).toMatchObject({ outcome: 'failed', tieSettledBy: 'rule' });
    expect(decideTitle({ ...r, tie: 'chair_decides' }, { ...tie, chairChoice: 'agree' })).toMatchObject({
      outcome: 'passed',
      tieSettledBy: 'chair',
    });
    expect(decideTitle({ ...r, tie: 'chair_decides' }, { ...tie, chairChoice: 'disagree' }).outcome).toBe('failed');
    expect(
      decideTitle({ ...r, tie: 'chair_decides', comparison: 'more_than' }, { ...tie, chairChoice: 'agree' }),
    ).toMatchObject({ outcome: 'failed', tieSettledBy: null });
  });
  test('when nobody is on the roll, then there is no quorum', () => {
    expect(decideTitle(rule({}), { members: 0, ballots: none, writtenOpinions: none, chairChoice: null }).outcome).toBe(
      'no_quorum',
    );
  });
});

test('when a nominee gets exactly its threshold of all members, then it passes under "at least", fails under "more than", and one below fails', async () => {
  const share = { numerator: 3, denominator: 5 };
  const rules = {
    co_thi_dua_bo: { threshold: share, base: 'all_members', comparison: 'at_least', secretBallot: false },
    tap_the_lao_dong_xuat_sac: { threshold: share, base: 'all_members', comparison: 'more_than', secretBallot: false },
  } as const;
  const { campaign, council } = await campaignWithCouncil(rules);
  await open(campaign, [
    { unitCode: units[0]!.code, title: 'co_thi_dua_bo' },
    { unitCode: units[1]!.code, title: 'tap_the_lao_dong_xuat_sac' },
    { unitCode: units[2]!.code, title: 'co_thi_dua_bo' },
  ]);
  const choices: Record<number, TitleChoice[]> = {
    1: ['agree', 'agree', 'agree', 'disagree', 'disagree'],
    2: ['agree', 'agree', 'agree', 'disagree', 'disagree'],
    3: ['agree', 'agree', 'disagree', 'disagree', 'abstain'],
  };
  for (const [i, m] of council.entries())
    await vote(
      campaign,
      m,
      [1, 2, 3].map((n) => ({ nominee: n, choice: choices[n]![i]! })),
    );
  // A member votes once per nominee.
  const again = await api(stack.baseUrl, 'POST', `/api/v1/title-votes/${campaign}/${YEAR}/ballots`, {
    token: council[0]!.token,
    body: { ballots: [{ nominee: 1, choice: 'disagree' }] },
  });
  expect(again.status).toBe(409);
  await close(campaign, council[1]!);
  const v = await view(campaign);
  expect(v.status).toBe('closed');
  const ruleOf = (t: EmulationTitle) => ({
    ...DEFAULT_TITLE_VOTE_RULES[t],
    ...(rules as Record<string, Partial<TitleVoteRule>>)[t],
  });
  const outcomes = v.nominees.map((n) => n.result!.outcome);
  expect(outcomes).toEqual(
    v.nominees.map((n) => expected(ruleOf(n.title), council.length, choices[n.nominee]!, [], null)),
  );
  expect(outcomes).toEqual(['passed', 'failed', 'failed']);
  // Open ballots: who chose what is shown, every ballot.
  expect(v.nominees[0]!.choices).toEqual(
    council.map((m, i) => ({ member: m.name, kind: 'ballot', choice: choices[1]![i] })),
  );
});

test('when a member is absent, then all-members and present bases differ, and a written opinion counts only where the rule says', async () => {
  const rules = {
    co_thi_dua_bo: {
      threshold: { numerator: 2, denominator: 3 },
      base: 'all_members',
      comparison: 'at_least',
      writtenOpinionsCount: false,
    },
    tap_the_lao_dong_xuat_sac: {
      threshold: { numerator: 2, denominator: 3 },
      base: 'present',
      comparison: 'at_least',
      writtenOpinionsCount: false,
    },
    tap_the_lao_dong_tien_tien: {
      threshold: { numerator: 4, denominator: 5 },
      base: 'all_members',
      comparison: 'at_least',
      writtenOpinionsCount: true,
    },
    co_thi_dua_chinh_phu: {
      threshold: { numerator: 4, denominator: 5 },
      base: 'all_members',
      comparison: 'at_least',
      writtenOpinionsCount: false,
    },
  } as const;
  const { campaign, council } = await campaignWithCouncil(rules);
  const titles: EmulationTitle[] = [
    'co_thi_dua_bo',
    'tap_the_lao_dong_xuat_sac',
    'tap_the_lao_dong_tien_tien',
    'co_thi_dua_chinh_phu',
  ];
  await open(
    campaign,
    titles.map((title) => ({ unitCode: units[0]!.code, title })),
  );
  const present = council.slice(0, 4);
  const absent = council[4]!;
  const ballots: TitleChoice[] = ['agree', 'agree', 'agree', 'disagree'];
  for (const [i, m] of present.entries())
    await vote(
      campaign,
      m,
      titles.map((_, n) => ({ nominee: n + 1, choice: ballots[i]! })),
    );
  // The secretary records the absent member's written opinion; a member cannot record one.
  const body = { personId: absent.id, ballots: titles.map((_, n) => ({ nominee: n + 1, choice: 'agree' })) };
  const path = `/api/v1/title-votes/${campaign}/${YEAR}/written-opinions`;
  expect((await api(stack.baseUrl, 'POST', path, { token: council[2]!.token, body })).status).toBe(403);
  // A member who voted is present: no written opinion for them.
  const present0 = { ...body, personId: present[0]!.id };
  expect((await api(stack.baseUrl, 'POST', path, { token: council[1]!.token, body: present0 })).status).toBe(409);
  await expectStatus(api(stack.baseUrl, 'POST', path, { token: council[1]!.token, body }), 200);
  await close(campaign, council[1]!);
  const v = await view(campaign);
  const ruleOf = (t: EmulationTitle) => ({
    ...DEFAULT_TITLE_VOTE_RULES[t],
    ...(rules as Record<string, Partial<TitleVoteRule>>)[t],
  });
  const outcomes = v.nominees.map((n) => n.result!.outcome);
  expect(outcomes).toEqual(v.nominees.map((n) => expected(ruleOf(n.title), 5, ballots, ['agree'], 'agree')));
  expect(outcomes).toEqual(['failed', 'passed', 'passed', 'failed']);
  expect(v.nominees.every((n) => n.writtenOpinions.join() === absent.name)).toBe(true);
  expect(v.nominees[2]!.result!.counted.agree).toBe(4);
  expect(v.nominees[3]!.result!.counted.agree).toBe(3);
});

test('when too few members take part, then there is no quorum; when as many agree as disagree, then the tie rule decides', async () => {
  const half = { numerator: 1, denominator: 2 };
  const rules = {
    co_thi_dua_bo: {
      quorum: { numerator: 2, denominator: 3 },
      threshold: half,
      base: 'present',
      comparison: 'more_than',
    },
    tap_the_lao_dong_xuat_sac: { quorum: half, threshold: half, base: 'present', comparison: 'at_least', tie: 'fails' },
    tap_the_lao_dong_tien_tien: {
      quorum: half,
      threshold: half,
      base: 'present',
      comparison: 'at_least',
      tie: 'chair_decides',
      secretBallot: false,
    },
    co_thi_dua_chinh_phu: {
      quorum: half,
      threshold: half,
      base: 'present',
      comparison: 'at_least',
      tie: 'chair_decides',
      secretBallot: false,
    },
  } as const;
  const { campaign, council } = await campaignWithCouncil(rules);
  await open(campaign, [
    { unitCode: units[0]!.code, title: 'co_thi_dua_bo' },
    { unitCode: units[1]!.code, title: 'tap_the_lao_dong_xuat_sac' },
    { unitCode: units[2]!.code, title: 'tap_the_lao_dong_tien_tien' },
    { unitCode: units[3]!.code, title: 'co_thi_dua_chinh_phu' },
  ]);
  // Nominee 1: three of five vote (2/3 of five is 3⅓). Nominees 2–4: four vote, two each way;
  // the chair (council[0]) agrees on 2 and 3, disagrees on 4.
  const cast: Record<number, (TitleChoice | null)[]> = {
    1: ['agree', 'agree', 'agree', null, null],
    2: ['agree', 'agree', 'disagree', 'disagree', null],
    3: ['agree', 'agree', 'disagree', 'disagree', null],
    4: ['disagree', 'agree', 'agree', 'disagree', null],
  };
  for (const [i, m] of council.entries()) {
    const mine = [1, 2, 3, 4].flatMap((n) => (cast[n]![i] ? [{ nominee: n, choice: cast[n]![i]! }] : []));
    if (mine.length) await vote(campaign, m, mine);
  }
  await close(campaign, council[1]!);
  const v = await view(campaign);
  const ruleOf = (t: EmulationTitle) => ({
    ...DEFAULT_TITLE_VOTE_RULES[t],
    ...(rules as Record<string, Partial<TitleVoteRule>>)[t],
  });
  const outcomes = v.nominees.map((n) => n.result!.outcome);
  expect(outcomes).toEqual(
    v.nominees.map((n) => {
      const c = cast[n.nominee]!;
      return expected(
        ruleOf(n.title),
        5,
        c.filter((x): x is TitleChoice => x !== null),
        [],
        c[0] ?? null,
      );
    }),
  );
  expect(outcomes).toEqual(['no_quorum', 'failed', 'passed', 'failed']);
  expect(v.nominees.map((n) => n.result!.tieSettledBy)).toEqual([null, 'rule', 'chair', 'chair']);
});

test("when the council or the policy changes after a round opens, then that round's roll, rule, quorum and voters stay as they were", async () => {
  const { campaign, council } = await campaignWithCouncil({
    co_thi_dua_bo: {
      quorum: { numerator: 1, denominator: 1 },
      threshold: { numerator: 1, denominator: 1 },
      base: 'all_members',
      comparison: 'at_least',
    },
  });
  const nominees = [{ unitCode: units[0]!.code, title: 'co_thi_dua_bo' as const }];
  const closesAt = inAnHour();
  const first = await open(campaign, nominees, { closesAt });
  // Opening again with the same request (a retry) answers the same round; another request is refused.
  expect((await open(campaign, nominees, { closesAt })).body).toEqual(first.body);
  // A campaign over a tree nominates only its units.
  const em = stack.orm.em.fork();
  const [root, below, outside] = await createUnits(stack.orm, 3);
  await em.nativeUpdate(Unit, { code: below!.code }, { parent: await em.findOneOrFail(Unit, { code: root!.code }) });
  const treeCampaign = (await campaignWithCouncil({})).campaign;
  await em.nativeUpdate(
    Campaign,
    { code: treeCampaign },
    { rootUnit: await em.findOneOrFail(Unit, { code: root!.code }) },
  );
  const openTree = (unitCode: string) =>
    api<{ field: string }>(stack.baseUrl, 'POST', `/api/v1/title-votes/${treeCampaign}/${YEAR}`, {
      token: admin,
      body: { closesAt, nominees: [{ unitCode, title: 'co_thi_dua_bo' }] },
    });
  const refusedOutside = await openTree(outside!.code);
  expect([refusedOutside.status, refusedOutside.body.field]).toEqual([400, 'nominees.unitCode']);
  expect((await openTree(below!.code)).status).toBe(201);
  const other = await api(stack.baseUrl, 'POST', `/api/v1/title-votes/${campaign}/${YEAR}`, {
    token: admin,
    body: { closesAt, nominees: [{ unitCode: units[1]!.code, title: 'co_thi_dua_bo' }] },
  });
  expect(other.status).toBe(409);
  const before = await view(campaign);
  // A newcomer is seated and a member unseated after the round opened.
  const { id } = await stack.person('council', `Người mới ${campaign}`);
  await setCouncilSeat(stack.orm.em.fork(), SYSTEM, { campaign, personId: id, position: 'member' }, new Date());
  const newcomer = await stack.token('council', `Người mới ${campaign}`, { personId: id });
  await removeCouncilSeat(stack.orm.em.fork(), SYSTEM, { campaign, personId: council[4]!.id }, new Date());
  // … and the campaign's policy changes the title's rule: the round keeps the rule it opened with.
  const policy = await api<{ definition: Record<string, unknown> }>(
    stack.baseUrl,
    'GET',
    `/api/v1/policies/p-${campaign}`,
    {
      token: admin,
    },
  );
  await expectStatus(
    api(stack.baseUrl, 'PUT', `/api/v1/policies/p-${campaign}`, {
      token: admin,
      body: { definition: { ...policy.body.definition, titleVotes: { co_thi_dua_bo: rule({}) } } },
    }),
    200,
  );
  const refused = await api(stack.baseUrl, 'POST', `/api/v1/title-votes/${campaign}/${YEAR}/ballots`, {
    token: newcomer,
    body: { ballots: [{ nominee: 1, choice: 'agree' }] },
  });
  expect(refused.status).toBe(403);
  // The unseated member is still on this round's roll: all five agree, as the rule needs.
  for (const m of council) await vote(campaign, m, [{ nominee: 1, choice: 'agree' }]);
  await close(campaign, council[1]!);
  const after = await view(campaign);
  expect(after.roll).toEqual(before.roll);
  expect(after.nominees[0]!.rule).toEqual(before.nominees[0]!.rule);
  expect(after.nominees[0]!.rule.threshold).toEqual({ numerator: 1, denominator: 1 });
  expect(after.roll.map((m) => m.personId)).toEqual(council.map((m) => m.id).sort((a, b) => a - b));
  expect(after.nominees[0]!.result).toMatchObject({ outcome: 'passed', members: 5 });
});

test('when a round opens, then the council is emailed; before it closes the members who have not voted are reminded; at its closing time it closes by itself', async () => {
  const { campaign, council } = await campaignWithCouncil({});
  const closesAt = new Date(Date.now() + 8_000).toISOString();
  const opened = await open(campaign, [{ unitCode: units[0]!.code, title: 'tap_the_lao_dong_tien_tien' }], {
    closesAt,
    remindBeforeSeconds: 5,
  });
  const subjectHas = (m: Member, word: string) => stack.sink.to(m.email).filter((e) => e.subject.includes(word)).length;
  await stack.sink.waitFor(() => council.every((m) => subjectHas(m, String(YEAR)) >= 1));
  await vote(campaign, council[0]!, [{ nominee: 1, choice: 'agree' }]);
  await stack.sink.waitFor(() => council.slice(1).every((m) => subjectHas(m, 'Nhắc') === 1), 15_000);
  expect(subjectHas(council[0]!, 'Nhắc')).toBe(0);
  const closed = await eventually(
    async () => {
      const v = await view(campaign);
      return v.status === 'closed' ? v : undefined;
    },
    { what: 'the round to close at its closing time', timeoutMs: 20_000 },
  );
  expect(new Date().getTime()).toBeGreaterThanOrEqual(Date.parse(closesAt));
  expect(closed.closedBy).toBe('deadline');
  // One of five agreed: below the default rule's quorum of two thirds.
  expect(closed.nominees[0]!.result!.outcome).toBe(
    expected(DEFAULT_TITLE_VOTE_RULES.tap_the_lao_dong_tien_tien, 5, ['agree'], [], 'agree'),
  );
  const late = await api(stack.baseUrl, 'POST', `/api/v1/title-votes/${campaign}/${YEAR}/ballots`, {
    token: council[1]!.token,
    body: { ballots: [{ nominee: 1, choice: 'agree' }] },
  });
  expect(late.status).toBe(409);
  const closeAgain = await api(stack.baseUrl, 'POST', `/api/v1/title-votes/${campaign}/${YEAR}/close`, {
    token: council[1]!.token,
    body: {},
  });
  expect(closeAgain.status).toBe(409);
  await stack.client.workflow.getHandle(opened.body.workflowId).result();
  await recordHistories(stack.client, 'title-vote-deadline', [opened.body.workflowId]);
});

const CHOICE_WORDS = ['Tán thành', 'Không tán thành', 'Không biểu quyết', 'Agree', 'Disagree', 'Abstain'];

/** A round on one nominee per title given, everyone but the last member voting, the last one's written opinion recorded, closed. */
async function closedRound(secretBallot: boolean) {
  const titles = ['co_thi_dua_bo', 'tap_the_lao_dong_xuat_sac'] as const;
  const { campaign, council } = await campaignWithCouncil(
    Object.fromEntries(titles.map((t) => [t, { secretBallot, writtenOpinionsCount: true }])),
  );
  await open(
    campaign,
    titles.map((title, i) => ({ unitCode: units[i]!.code, title })),
  );
  const cast: TitleChoice[][] = [
    ['agree', 'agree'],
    ['agree', 'disagree'],
    ['disagree', 'agree'],
    ['abstain', 'agree'],
  ];
  for (const [i, m] of council.slice(0, 4).entries())
    await vote(
      campaign,
      m,
      cast[i]!.map((choice, n) => ({ nominee: n + 1, choice })),
    );
  const absent = council[4]!;
  await expectStatus(
    api(stack.baseUrl, 'POST', `/api/v1/title-votes/${campaign}/${YEAR}/written-opinions`, {
      token: council[1]!.token,
      body: {
        personId: absent.id,
        ballots: [
          { nominee: 1, choice: 'disagree' },
          { nominee: 2, choice: 'agree' },
        ],
      },
    }),
    200,
  );
  await close(campaign, council[1]!);
  const session = await signInConsole(stack.baseUrl, admin);
  const get = async (path: string) => {
    const res = await fetch(`${stack.baseUrl}${path}`, { headers: { cookie: session.cookie } });
    expect([path, res.status]).toEqual([path, 200]);
    return res;
  };
  const base = `/console/title-votes/${campaign}/${YEAR}`;
  return {
    campaign,
    council,
    cast,
    absent,
    page: await (await get(base)).text(),
    minutes: await (await get(`${base}/minutes`)).text(),
    docx: await openDocx(Buffer.from(await (await get(`${base}/download/minutes.docx`)).arrayBuffer())),
    csv: await (await get(`${base}/download/results.csv`)).text(),
  };
}

/** Every element of the page or document that names a member, as text. */
const linesNaming = (texts: readonly string[], names: readonly string[]) =>
  texts.filter((t) => names.some((n) => t.includes(n)));
const htmlElements = (page: string) =>
  [...page.matchAll(/<(li|tr|p|td|th)\b[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => m[2]!.replace(/<[^>]+>/g, ' '));

test('when ballots are open, then the minutes list every ballot and written opinion by member, with the chair and the secretary signing', async () => {
  const r = await closedRound(false);
  const v = await view(r.campaign);
  for (const [n, nominee] of v.nominees.entries()) {
    const expectedChoices = [
      ...r.council.slice(0, 4).map((m, i) => ({ member: m.name, kind: 'ballot', choice: r.cast[i]![n] })),
      { member: r.absent.name, kind: 'written_opinion', choice: n === 0 ? 'disagree' : 'agree' },
    ];
    expect(nominee.choices).toEqual(expectedChoices);
    const words = { agree: 'Tán thành', disagree: 'Không tán thành', abstain: 'Không biểu quyết' } as const;
    for (const c of expectedChoices) {
      expect(r.minutes).toContain(`${c.member}: ${words[c.choice as TitleChoice]}`);
      expect(r.docx.paragraphs).toContain(`- ${c.member}: ${words[c.choice as TitleChoice]}`);
    }
  }
  const chair = r.council.find((m) => m.position === 'chair')!;
  const secretary = r.council.find((m) => m.position === 'secretary')!;
  expect(r.docx.paragraphs).toEqual(
    expect.arrayContaining(['CHỦ TỊCH HỘI ĐỒNG', chair.name, 'THƯ KÝ HỘI ĐỒNG', secretary.name]),
  );
  expect(r.docx.paragraphs).toContain('BIÊN BẢN');
  // The results table: one row per nominee, the counts as the ballots and counted written opinions give them.
  const rows = r.csv.trim().split(/\r?\n/).slice(1);
  expect(rows).toHaveLength(2);
  for (const [n, row] of rows.entries()) {
    const all = [...r.cast.map((c) => c[n]!), n === 0 ? 'disagree' : 'agree'];
    const count = (c: TitleChoice) => String(all.filter((x) => x === c).length);
    expect(row.split(',').slice(4, 9)).toEqual([count('agree'), count('disagree'), count('abstain'), '5', '5']);
  }
});

test('when ballots are secret, then no page, JSON, document or audit record puts a member next to a choice, and the minutes give only the counts', async () => {
  const r = await closedRound(true);
  const v = await view(r.campaign);
  const names = r.council.map((m) => m.name);
  for (const nominee of v.nominees) {
    expect(nominee.choices).toBeUndefined();
    expect(nominee.ballots).toBeNull();
    expect(nominee.voted).toEqual(names.slice(0, 4));
    expect(nominee.writtenOpinions).toEqual([r.absent.name]);
  }
  const json = JSON.stringify(v);
  for (const c of ['"agree"', '"disagree"', '"abstain"']) expect(json).not.toMatch(new RegExp(`"choice":${c}`));
  const naming = [
    ...linesNaming(htmlElements(r.page), names),
    ...linesNaming(htmlElements(r.minutes), names),
    ...linesNaming(r.docx.paragraphs, names),
    ...linesNaming(
      elements(r.docx.document, 'tr').map((tr) => elements(tr, 'p').map(paragraphText).join(' | ')),
      names,
    ),
  ];
  // The roll (page, minutes, document) names every member, with whether they took part.
  expect(naming.length).toBeGreaterThanOrEqual(3 * names.length);
  for (const text of naming)
    for (const word of CHOICE_WORDS) expect({ text, has: text.includes(word) }).toEqual({ text, has: false });
  // Only the counts of nominee 1, as the test cast them with the written opinion.
  const all = [...r.cast.map((c) => c[0]!), 'disagree' as const];
  const n = (c: TitleChoice) => all.filter((x) => x === c).length;
  expect(r.minutes).toContain(
    `${n('agree')} tán thành, ${n('disagree')} không tán thành, ${n('abstain')} không biểu quyết`,
  );
  // The audit log keeps who cast a ballot, never how under a secret ballot.
  const events = await stack.orm.em
    .fork()
    .getConnection()
    .execute<{ after: unknown }[]>(
      `SELECT after FROM audit_event WHERE action IN ('title_vote.ballot_cast', 'title_vote.written_opinion_recorded') AND after::text LIKE ?`,
      [`%${r.campaign}%`],
    );
  expect(events.length).toBe(5);
  for (const e of events) expect(JSON.stringify(e.after)).not.toMatch(/"choice"/);
});

test('when the policy sets a title rule through JSON, then it is checked (naming the field) and stored, and every title vote route is in OpenAPI', async () => {
  const code = `p-tv-${Date.now()}`;
  const definition = {
    timing: { kind: 'relative', ...QUIET },
    maxReminders: 1,
    quorum: { numerator: 2, denominator: 3 },
    approvalThreshold: { numerator: 1, denominator: 2 },
    secretBallots: true,
    titleVotes: { co_thi_dua_bo: { ...rule({}), threshold: { numerator: 1, denominator: 1 } } },
  };
  const bad = await api<{ field: string }>(stack.baseUrl, 'POST', '/api/v1/policies', {
    token: admin,
    body: { code, definition },
  });
  expect([bad.status, bad.body.field]).toEqual([400, 'definition.titleVotes.co_thi_dua_bo.threshold']);
  const tellsChair = await api<{ field: string }>(stack.baseUrl, 'POST', '/api/v1/policies', {
    token: admin,
    body: {
      code,
      definition: { ...definition, titleVotes: { co_thi_dua_bo: rule({ secretBallot: true, tie: 'chair_decides' }) } },
    },
  });
  expect([tellsChair.status, tellsChair.body.field]).toEqual([400, 'definition.titleVotes.co_thi_dua_bo.tie']);
  const unknownKey = await api(stack.baseUrl, 'POST', '/api/v1/policies', {
    token: admin,
    body: { code, definition: { ...definition, titleVotes: { co_thi_dua_bo: { ...rule({}), extra: 1 } } } },
  });
  expect(unknownKey.status).toBe(400);
  const ninety = rule({ threshold: { numerator: 9, denominator: 10 }, base: 'all_members', comparison: 'at_least' });
  await expectStatus(
    api(stack.baseUrl, 'POST', '/api/v1/policies', {
      token: admin,
      body: { code, definition: { ...definition, titleVotes: { co_thi_dua_bo: ninety } } },
    }),
    201,
  );
  const doc = (await api<{ paths: Record<string, unknown> }>(stack.baseUrl, 'GET', '/openapi.json')).body;
  for (const path of [
    '/api/v1/title-votes/{campaign}/{year}',
    '/api/v1/title-votes/{campaign}/{year}/ballots',
    '/api/v1/title-votes/{campaign}/{year}/written-opinions',
    '/api/v1/title-votes/{campaign}/{year}/close',
    '/api/v1/title-votes/{campaign}/{year}/documents/{file}',
  ])
    expect([path, path in doc.paths]).toEqual([path, true]);
});

test('when the secretary opens a round in the console and members vote there, then the round counts their ballots and shows the results', async () => {
  const { campaign, council } = await campaignWithCouncil({
    co_thi_dua_bo: {
      secretBallot: true,
      base: 'present',
      comparison: 'more_than',
      threshold: { numerator: 1, denominator: 2 },
    },
  });
  const secretary = council.find((m) => m.position === 'secretary')!;
  const sessionOf = async (m: Member) => signInConsole(stack.baseUrl, m.token);
  const post = async (session: { cookie: string; csrf: string }, path: string, fields: Record<string, string>) =>
    fetch(`${stack.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
    });
  const s = await sessionOf(secretary);
  // Vietnam's local time, an hour from now, as a datetime-local field gives it.
  const local = new Date(Date.now() + 7 * 3_600_000 + 3_600_000).toISOString().slice(0, 16);
  const opened = await post(s, `/console/title-votes/${campaign}`, {
    year: String(YEAR),
    closesAt: local,
    remindHours: '1',
    nominees: `${units[0]!.code}; co_thi_dua_bo; Hoàn thành xuất sắc nhiệm vụ\n${units[1]!.code}; khong_co`,
  });
  expect(opened.status).toBe(400);
  const good = await post(s, `/console/title-votes/${campaign}`, {
    year: String(YEAR),
    closesAt: local,
    remindHours: '1',
    nominees: `${units[0]!.code}; co_thi_dua_bo; Hoàn thành xuất sắc nhiệm vụ`,
  });
  expect([good.status, good.headers.get('location')]).toEqual([303, `/console/title-votes/${campaign}/${YEAR}`]);
  const cast: TitleChoice[] = ['agree', 'agree', 'disagree', 'agree'];
  for (const [i, m] of council.slice(0, 4).entries()) {
    const session = await sessionOf(m);
    const page = await (
      await fetch(`${stack.baseUrl}/console/title-votes/${campaign}/${YEAR}`, { headers: { cookie: session.cookie } })
    ).text();
    expect(page).toContain('id="ballot"');
    const res = await post(session, `/console/title-votes/${campaign}/${YEAR}/ballots`, { 'choice.1': cast[i]! });
    expect(res.status).toBe(303);
  }
  const written = await post(s, `/console/title-votes/${campaign}/${YEAR}/written-opinions`, {
    personId: String(council[4]!.id),
    'choice.1': 'disagree',
  });
  expect(written.status).toBe(303);
  expect((await post(s, `/console/title-votes/${campaign}/${YEAR}/close`, {})).status).toBe(303);
  const v = await view(campaign);
  const ruleApplied = {
    ...DEFAULT_TITLE_VOTE_RULES.co_thi_dua_bo,
    secretBallot: true,
    base: 'present' as const,
    comparison: 'more_than' as const,
    threshold: { numerator: 1, denominator: 2 },
  };
  const outcome = expected(ruleApplied, 5, cast, ['disagree'], 'agree');
  expect(v.nominees[0]!.result!.outcome).toBe(outcome);
  const page = await (
    await fetch(`${stack.baseUrl}/console/title-votes/${campaign}/${YEAR}`, { headers: { cookie: s.cookie } })
  ).text();
  const counted = [...cast, 'disagree'];
  const n = (c: TitleChoice) => counted.filter((x) => x === c).length;
  expect(page).toContain(`${n('agree')} / ${n('disagree')} / ${n('abstain')} (5/5)`);
});

test('when a member votes in Chromium without JavaScript, then the page takes the ballot, and the results and the minutes show under the strict CSP', async () => {
  const { campaign, council } = await campaignWithCouncil({});
  await open(campaign, [
    { unitCode: units[0]!.code, title: 'co_thi_dua_bo' },
    { unitCode: units[1]!.code, title: 'tap_the_lao_dong_xuat_sac' },
  ]);
  const browser = await openBrowser({ javaScript: false });
  try {
    const { page } = browser;
    const base = `${stack.baseUrl}/console/title-votes/${campaign}/${YEAR}`;
    await signIn(page, stack.baseUrl, council[0]!.token);
    await page.goto(base);
    await screenshot(page, 'title-vote-ballot');
    await page.locator('input[name="choice.1"][value="agree"]').check();
    await page.locator('input[name="choice.2"][value="disagree"]').check();
    await page.getByRole('button', { name: 'Gửi phiếu' }).click();
    await page.waitForURL((u) => u.searchParams.get('ok') === '1');
    expect(await page.locator('#ballot').count()).toBe(0);
    for (const m of council.slice(1, 4))
      await vote(campaign, m, [
        { nominee: 1, choice: 'agree' },
        { nominee: 2, choice: 'agree' },
      ]);
    await close(campaign, council[1]!);
    await page.goto(base);
    await screenshotViews(page, base, 'title-vote-closed');
    await page.goto(`${base}/minutes`);
    await screenshot(page, 'title-vote-minutes');
    expect(await page.locator('h1').first().textContent()).toBe('BIÊN BẢN');
    expect(pageProblems(browser)).toEqual([]);
  } finally {
    await browser.close();
  }
});

test("when an administrator edits a title's rule in the console's policy form, then the policy stores it, and a wrong value is refused naming its field", async () => {
  const session = await signInConsole(stack.baseUrl, admin);
  const code = `p-form-${Date.now()}`;
  const form = {
    code,
    kind: 'relative',
    deadlineAfterSeconds: '600',
    reminderSecondsBefore: '300',
    escalationSecond1: '60',
    escalationSecond2: '120',
    hardCloseSecondsAfter: '180',
    reviewWindowSeconds: '600',
    revisionWindowSeconds: '600',
    maxReminders: '1',
    quorumNumerator: '2',
    quorumDenominator: '3',
    thresholdNumerator: '1',
    thresholdDenominator: '2',
    secretBallots: 'on',
    'titleVotes.co_thi_dua_bo.thresholdNumerator': '9',
    'titleVotes.co_thi_dua_bo.thresholdDenominator': '10',
    'titleVotes.co_thi_dua_bo.base': 'all_members',
    'titleVotes.co_thi_dua_bo.comparison': 'at_least',
    'titleVotes.co_thi_dua_bo.quorumNumerator': '3',
    'titleVotes.co_thi_dua_bo.quorumDenominator': '4',
    'titleVotes.co_thi_dua_bo.writtenOpinionsCount': 'on',
    'titleVotes.co_thi_dua_bo.tie': 'chair_decides',
    action: 'save',
  };
  const post = (fields: Record<string, string>) =>
    fetch(`${stack.baseUrl}/console/setup/policies`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
    });
  const bad = await post({ ...form, 'titleVotes.co_thi_dua_bo.base': 'everyone' });
  expect(bad.status).toBe(400);
  expect(await bad.text()).toContain('titleVotes.co_thi_dua_bo.base');
  expect((await post(form)).status).toBe(303);
  const stored = await expectStatus(
    api<{ definition: { titleVotes: Record<string, TitleVoteRule> } }>(
      stack.baseUrl,
      'GET',
      `/api/v1/policies/${code}`,
      {
        token: admin,
      },
    ),
    200,
  );
  expect(stored.body.definition.titleVotes).toEqual({
    co_thi_dua_bo: {
      threshold: { numerator: 9, denominator: 10 },
      base: 'all_members',
      comparison: 'at_least',
      quorum: { numerator: 3, denominator: 4 },
      secretBallot: false,
      writtenOpinionsCount: true,
      tie: 'chair_decides',
    },
  });
  // The form shows the stored rule back.
  const page = await (
    await fetch(`${stack.baseUrl}/console/setup/policies?code=${code}`, { headers: { cookie: session.cookie } })
  ).text();
  expect(page).toMatch(/name="titleVotes.co_thi_dua_bo.quorumNumerator" value="3"/);
});
