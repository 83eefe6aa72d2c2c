/**
 * Emulation registration (đăng ký thi đua) over the real stack: a round for three units, opened
 * by an administrator after a January cycle the council approved. The heads get their links by
 * email; one unit registers in the browser at phone width (and corrects once), one through JSON;
 * the reminder goes to the third only, once; after the deadline a registration is refused and
 * nothing stored changes. The unit summary's comparison with the registered targets, the round's
 * status and its downloads are checked against what this test reads from the stored rows.
 */
import { AuditEvent, Campaign, Cycle, EmulationRegistration, Submission, UnitTask } from '../db/entities';
import { registeredTargets, registeredTitles } from '../db/registration-reading';
import type { UnitSummary } from '../domain/summary';
import type { TemplateDefinition } from '../domain/template';
import type { RoundStatus, RegistrationView } from '../api/services/registration.service';
import { signInConsole } from './support/console';
import {
  QUIET,
  api,
  createCampaign,
  createUnits,
  eventually,
  expectStatus,
  linkIn,
  startCycle,
  submitByLink,
  validAnswers,
  waitForStage,
  type TestUnit,
} from './support/fixtures';
import { useBrowser, useStack } from './support/hooks';
import { PHONE, pageProblems, screenshot, signIn } from './support/browser';
import { councilTokens } from './support/stack';
import { recordHistories } from './support/histories';

const stack = useStack();
const browser = useBrowser({ javaScript: false });
let admin: string;
let units: TestUnit[];
let campaign: string;
let deadline: Date;
let reminderAt: Date;
/** Each unit's registration link, from its dispatch email. */
const links = new Map<string, string>();

const round2 = (x: number): number => Math.round(x * 100) / 100;
/** Unit i's January figures (1-based): different for every unit. */
const januaryFigures = (i: number) => ({ IND01: round2(0.6 + 0.1 * i), IND02: 11 + i, IND03: 70 + 5 * i });

const DK_LINK = /\/dk\/[A-Za-z0-9_-]{43}/;
const registrationLinkIn = (text: string): string => {
  const match = new RegExp(`${stack.baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${DK_LINK.source}`).exec(text);
  if (!match) throw new Error(`no registration link in:\n${text}`);
  return match[0];
};
const tokenIn = (link: string): string => link.slice(link.lastIndexOf('/') + 1);
const mailsTo = (u: TestUnit, subject: RegExp) => stack.sink.to(u.headEmail).filter((m) => subject.test(m.subject));
/** The dispatch (not the reminders, whose subject starts "[Nhắc lần n]"). */
const DISPATCH = /^(?!\[Nhắc).*Đăng ký thi đua năm 2027/;
const REMINDER = /\[Nhắc lần \d\] Đăng ký thi đua/;

beforeAll(async () => {
  admin = await stack.token('admin');
  const council = await councilTokens(stack);
  units = await createUnits(stack.orm, 3);
  campaign = await createCampaign(stack.orm, QUIET);
  // January 2027, approved by the council: what the summary compares with the registrations.
  const started = await startCycle(stack, admin, { units, campaign, period: '2027-01' });
  await stack.sink.waitFor(() => units.every((u) => stack.sink.to(u.headEmail).length > 0));
  for (const [i, u] of units.entries()) {
    const answers = validAnswers(`Đơn vị ${i + 1}`);
    await expectStatus(
      submitByLink(stack.baseUrl, linkIn(stack.sink.to(u.headEmail)[0]!.text, stack.baseUrl), {
        ...answers,
        indicators: januaryFigures(i + 1),
      }),
      201,
    );
  }
  await waitForStage(stack, admin, started.base, 'review');
  for (const member of council.slice(0, 2))
    await expectStatus(
      api(stack.baseUrl, 'POST', `${started.base}/ballots`, { token: member, body: { version: 1, choice: 'approve' } }),
      201,
    );
  await waitForStage(stack, admin, started.base, 'closed');
}, 180_000);

/** The round's registrations as stored, by unit code. */
async function storedRegistrations() {
  const rows = await stack.orm.em
    .fork()
    .find(EmulationRegistration, { round: { campaign: { code: campaign }, year: 2027 } }, { populate: ['unit'] });
  return new Map(
    rows.map((r) => [
      r.unit.code,
      {
        targets: r.targets,
        titles: r.titles,
        version: r.version,
        submittedAt: r.submittedAt?.toISOString() ?? null,
        updatedAt: r.updatedAt.toISOString(),
        remindersSent: r.remindersSent,
      },
    ]),
  );
}

test('when an administrator opens the 2027 round, then each unit head gets one email with a working personal link, and asking again starts nothing new', async () => {
  const now = Date.now();
  reminderAt = new Date(now + 30_000);
  deadline = new Date(now + 50_000);
  const path = `/api/v1/registrations/${campaign}/2027`;
  const body = { deadline: deadline.toISOString(), reminders: [reminderAt.toISOString()] };
  expect((await api(stack.baseUrl, 'POST', path, { token: await stack.token('council'), body })).status).toBe(403);
  const badReminder = await api<{ field?: string }>(stack.baseUrl, 'POST', path, {
    token: admin,
    body: { ...body, reminders: [new Date(now + 60_000).toISOString()] },
  });
  expect([badReminder.status, badReminder.body.field]).toEqual([400, 'reminders']);
  const opened = await expectStatus(
    api<RoundStatus & { started: boolean }>(stack.baseUrl, 'POST', path, { token: admin, body }),
    201,
  );
  expect(opened.body.started).toBe(true);
  expect(opened.body.units.map((u) => [u.unitCode, u.registered])).toEqual(units.map((u) => [u.code, false]));
  // Safe to retry: the same deadline answers the round; another one is refused.
  const again = await expectStatus(api<RoundStatus>(stack.baseUrl, 'POST', path, { token: admin, body }), 200);
  expect(again.body.workflowId).toBe(opened.body.workflowId);
  const other = await api<{ code: string }>(stack.baseUrl, 'POST', path, {
    token: admin,
    body: { deadline: new Date(now + 99_000).toISOString() },
  });
  expect([other.status, other.body.code]).toEqual([409, 'registration_round_differs']);

  await stack.sink.waitFor(() => units.every((u) => mailsTo(u, DISPATCH).length > 0));
  for (const u of units) {
    const [mail] = mailsTo(u, DISPATCH);
    links.set(u.code, registrationLinkIn(mail!.text));
    expect(mail!.html).toContain(links.get(u.code));
  }
  // Each link is personal: it opens its own unit's registration, and the database holds only its hash.
  for (const u of units) {
    const view = await expectStatus(
      api<RegistrationView>(stack.baseUrl, 'GET', `/api/v1/registration-link/${tokenIn(links.get(u.code)!)}`),
      200,
    );
    expect([view.body.unit.code, view.body.year, view.body.open, view.body.registration]).toEqual([
      u.code,
      2027,
      true,
      null,
    ]);
    expect(await stack.orm.em.fork().count(EmulationRegistration, { tokenHash: tokenIn(links.get(u.code)!) })).toBe(0);
  }
  const unknown = await api<{ code: string }>(stack.baseUrl, 'GET', `/api/v1/registration-link/${'Z'.repeat(43)}`);
  expect([unknown.status, unknown.body.code]).toEqual([404, 'link_unknown']);
});

test('when a unit head registers on a phone without JavaScript, then the template targets are offered, the registration is stored and a correction is audited', async () => {
  const [a] = units;
  const { page } = browser;
  await page.setViewportSize(PHONE);
  await page.goto(links.get(a!.code)!);
  expect(await page.locator('h1').textContent()).toContain('Đăng ký thi đua 2027');
  // The template's own targets stand until the unit types its own (a range's lower bound).
  expect(await Promise.all(['IND01', 'IND02', 'IND03'].map((c) => page.locator(`#t-${c}`).inputValue()))).toEqual([
    '0,7',
    '10',
    '80',
  ]);
  await page.fill('#t-IND01', '0,75');
  await page.fill('#t-IND02', '12,5');
  await page.fill('#t-IND03', '75');
  await page.check('input[name="title"][value="tap_the_lao_dong_xuat_sac"]');
  await screenshot(page, 'registration-phone-vi');
  await page.click('#registration-form button[type="submit"]');
  await page.locator('#notice').waitFor();
  const width = await page.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
        .scrollWidth,
  );
  expect(width).toBe(PHONE.width);
  let stored = (await storedRegistrations()).get(a!.code)!;
  expect([stored.targets, stored.titles, stored.version]).toEqual([
    { IND01: 0.75, IND02: 12.5, IND03: 75 },
    ['tap_the_lao_dong_xuat_sac'],
    1,
  ]);
  // A correction before the deadline: stored, with what it replaced on the audit record.
  await page.fill('#t-IND03', '74');
  await page.check('input[name="title"][value="co_thi_dua_bo"]');
  await page.click('#registration-form button[type="submit"]');
  await page.locator('#notice').waitFor();
  stored = (await storedRegistrations()).get(a!.code)!;
  expect([stored.targets, stored.titles, stored.version]).toEqual([
    { IND01: 0.75, IND02: 12.5, IND03: 74 },
    ['co_thi_dua_bo', 'tap_the_lao_dong_xuat_sac'],
    2,
  ]);
  const corrected = await stack.orm.em
    .fork()
    .find(AuditEvent, { action: 'registration.corrected', actorId: { $like: 'registration:%' } });
  const mine = corrected.filter((e) => (e.after as { unit?: string }).unit === a!.code);
  expect(
    mine.map((e) => [
      (e.before as { targets: Record<string, number> }).targets.IND03,
      (e.after as { version: number }).version,
    ]),
  ).toEqual([[75, 2]]);
  // English on request.
  await page.goto(`${links.get(a!.code)!}?lang=en`);
  expect(await page.locator('h1').textContent()).toContain('Emulation registration 2027');
  expect(pageProblems(browser)).toEqual([]);
});

test('when a unit registers through JSON, then a wrong figure or title is refused naming the field, and a valid one is stored', async () => {
  const [, b] = units;
  const path = `/api/v1/registration-link/${tokenIn(links.get(b!.code)!)}`;
  const valid = { targets: { IND01: 0.8, IND02: 12, IND03: 70 }, titles: ['co_thi_dua_chinh_phu'] };
  for (const [body, field] of [
    [{ ...valid, targets: { ...valid.targets, NOPE: 1 } }, 'targets.NOPE'],
    [{ ...valid, targets: { IND01: 0.8, IND02: 12 } }, 'targets.IND03'],
    [{ ...valid, targets: { ...valid.targets, IND03: 500 } }, 'targets.IND03'],
    [{ ...valid, titles: ['bang_khen'] }, 'titles'],
    [{ ...valid, titles: ['co_thi_dua_bo', 'co_thi_dua_bo'] }, 'titles'],
  ] as const) {
    const res = await api<{ field?: string }>(stack.baseUrl, 'PUT', path, { body });
    expect([field, res.status, res.body.field]).toEqual([field, 400, field]);
  }
  expect((await storedRegistrations()).get(b!.code)!.version).toBe(0);
  const res = await expectStatus(api<RegistrationView>(stack.baseUrl, 'PUT', path, { body: valid }), 200);
  expect(res.body.registration).toMatchObject({ targets: valid.targets, titles: valid.titles, version: 1 });
  expect((await storedRegistrations()).get(b!.code)!.targets).toEqual(valid.targets);
});

test('when the reminder falls due and then the deadline, then only the unit that has not registered is reminded, once, and the round closes', async () => {
  const [a, b, c] = units;
  await stack.sink.waitFor(() => mailsTo(c!, REMINDER).length > 0, 60_000);
  expect(registrationLinkIn(mailsTo(c!, REMINDER)[0]!.text)).toBe(links.get(c!.code));
  const workflowId = `registration-${campaign}-2027`;
  const result = await stack.client.workflow.getHandle(workflowId).result();
  expect(result).toEqual({ registered: 2, expected: 3 });
  expect([a, b, c].map((u) => [mailsTo(u!, DISPATCH).length, mailsTo(u!, REMINDER).length])).toEqual([
    [1, 0],
    [1, 0],
    [1, 1],
  ]);
  const stored = await storedRegistrations();
  expect([a, b, c].map((u) => stored.get(u!.code)!.remindersSent)).toEqual([0, 0, 1]);
  const status = await expectStatus(
    api<RoundStatus>(stack.baseUrl, 'GET', `/api/v1/registrations/${campaign}/2027`, { token: admin }),
    200,
  );
  expect([status.body.open, status.body.closedAt !== null, status.body.registered, status.body.expected]).toEqual([
    false,
    true,
    2,
    3,
  ]);
  await recordHistories(stack.client, 'registration-round', [workflowId]);
});

test('when a unit registers after the deadline, then it is refused with 410 in its language and nothing stored changes', async () => {
  const [a, b, c] = units;
  const before = await storedRegistrations();
  const auditsBefore = await stack.orm.em.fork().count(AuditEvent, { action: { $like: 'registration.%' } });
  const late = await api<{ code: string; message: string }>(
    stack.baseUrl,
    'PUT',
    `/api/v1/registration-link/${tokenIn(links.get(b!.code)!)}`,
    { body: { targets: { IND01: 1, IND02: 15, IND03: 60 }, titles: [] } },
  );
  expect([late.status, late.body.code]).toEqual([410, 'registration_closed']);
  expect(late.body.message).toContain('Registration closed on');
  const form = new URLSearchParams({ 't.IND01': '1', 't.IND02': '15', 't.IND03': '60', title: 'co_thi_dua_bo' });
  for (const [u, lang, sentence] of [
    [c!, '', 'Việc đăng ký thi đua đã kết thúc lúc'],
    [a!, '?lang=en', 'Registration closed on'],
  ] as const) {
    const res = await fetch(`${links.get(u.code)!}${lang}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(res.status).toBe(410);
    expect(await res.text()).toContain(sentence);
  }
  // The page itself still shows what the unit registered.
  const closedPage = await (await fetch(links.get(a!.code)!)).text();
  expect(closedPage).toContain('Đã hết hạn đăng ký thi đua');
  expect(closedPage).not.toContain('id="registration-form"');
  expect(await storedRegistrations()).toEqual(before);
  expect(await stack.orm.em.fork().count(AuditEvent, { action: { $like: 'registration.%' } })).toBe(auditsBefore);
});

test('when the unit summary is read, then each indicator shows the registered target for the year and whether the unit meets it, as computed here from the stored rows', async () => {
  const em = stack.orm.em.fork();
  const cycle = await em.findOneOrFail(
    Cycle,
    { campaign: { code: campaign }, period: '2027-01' },
    { populate: ['template'] },
  );
  const template: TemplateDefinition = cycle.template.definition;
  const stored = await storedRegistrations();
  const session = await signInConsole(stack.baseUrl, await stack.token('council'));
  for (const u of units) {
    const task = await em.findOneOrFail(UnitTask, { cycle, unit: { code: u.code } });
    const submission = (await em.find(Submission, { task }, { orderBy: { version: 'desc' }, limit: 1 }))[0]!;
    const registered = stored.get(u.code)!.targets;
    const summary = await expectStatus(
      api<UnitSummary>(stack.baseUrl, 'GET', `/api/v1/summaries/${campaign}/2027-Q1/units/${u.code}`, { token: admin }),
      200,
    );
    expect(summary.body.registrationYear).toBe(2027);
    // One approved month: the window's figure of every aggregation is that month's answer.
    const expected = template.indicators.map((ind) => {
      const value = submission.answers.indicators[ind.code] as number;
      const figure = registered?.[ind.code];
      if (figure === undefined) return { code: ind.code, value, registered: null };
      const ceiling = ind.target.kind === 'at_most';
      return {
        code: ind.code,
        value,
        registered: {
          target: { kind: ceiling ? 'at_most' : 'at_least', value: figure },
          met: ceiling ? value <= figure : value >= figure,
        },
      };
    });
    expect(summary.body.indicators.map((i) => ({ code: i.code, value: i.value, registered: i.registered }))).toEqual(
      expected,
    );
    const page = await (
      await fetch(`${stack.baseUrl}/console/summaries/${campaign}/2027-Q1/units/${u.code}`, {
        headers: { cookie: session.cookie },
      })
    ).text();
    expect(page).toContain(registered ? 'Mức đăng ký thi đua năm 2027' : 'Đơn vị chưa đăng ký thi đua năm 2027');
  }
  // Both outcomes occur among the units that registered.
  const all = await Promise.all(
    units.slice(0, 2).map(async (u) =>
      (
        await api<UnitSummary>(stack.baseUrl, 'GET', `/api/v1/summaries/${campaign}/2027-Q1/units/${u.code}`, {
          token: admin,
        })
      ).body.indicators.map((i) => i.registered?.met),
    ),
  );
  expect(new Set(all.flat())).toEqual(new Set([true, false]));
});

test('when the round is read by others, then registeredTargets and registeredTitles, the console page and its downloads say what is stored', async () => {
  const em = stack.orm.em.fork();
  const { id } = await em.findOneOrFail(Campaign, { code: campaign });
  const stored = await storedRegistrations();
  const registeredOnly = [...stored].filter(([, r]) => r.submittedAt !== null);
  expect(
    [...(await registeredTargets(em, id, 2027))].map(([code, targets]) => [code, Object.fromEntries(targets)]),
  ).toEqual(registeredOnly.map(([code, r]) => [code, r.targets]));
  expect([...(await registeredTitles(em, id, 2027))]).toEqual(registeredOnly.map(([code, r]) => [code, r.titles]));
  expect((await registeredTargets(em, id, 2026)).size).toBe(0);

  const session = await signInConsole(stack.baseUrl, await stack.token('auditor'));
  const get = (path: string) => fetch(`${stack.baseUrl}${path}`, { headers: { cookie: session.cookie } });
  const index = await get('/console/registrations');
  expect(index.status).toBe(200);
  const indexText = await index.text();
  expect(indexText).toContain(`/console/registrations/${campaign}/2027`);
  expect(indexText).not.toContain('name="deadline"'); // only administrators open rounds
  const pageText = await (await get(`/console/registrations/${campaign}/2027`)).text();
  expect(pageText).toContain('<strong id="registered-count">2/3</strong>');
  for (const u of units) expect(pageText).toContain(`data-unit="${u.code}"`);
  const before = await em.count(AuditEvent, { action: 'registration.downloaded' });
  const csvRes = await get(`/console/registrations/${campaign}/2027/tables/registrations.csv`);
  expect(csvRes.status).toBe(200);
  const lines = (await csvRes.text())
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/);
  expect(lines.length).toBe(1 + units.length);
  for (const u of units) {
    const line = lines.find((l) => l.startsWith(`"${u.code}"`))!;
    const targets = stored.get(u.code)!.targets;
    expect(line.split(',').slice(-3)).toEqual(
      ['IND01', 'IND02', 'IND03'].map((c) => (targets ? String(targets[c]) : '')),
    );
  }
  const xlsxRes = await get(`/console/registrations/${campaign}/2027/tables/registrations.xlsx`);
  expect([
    xlsxRes.status,
    Buffer.from(await xlsxRes.arrayBuffer())
      .subarray(0, 2)
      .toString(),
  ]).toEqual([200, 'PK']);
  const { page } = browser;
  await page.setViewportSize(PHONE);
  await signIn(page, stack.baseUrl, await stack.token('council'));
  await page.goto(`${stack.baseUrl}/console/registrations/${campaign}/2027`);
  await screenshot(page, 'registration-round-phone-vi');
  expect(await page.locator('#registrations tbody tr').count()).toBe(units.length);
  await eventually(
    async () =>
      (await em.fork().count(AuditEvent, { action: 'registration.downloaded' })) === before + 2 ? true : undefined,
    { what: 'two downloads on the audit record' },
  );
});

test('when an administrator opens a round from the console, then the form asks for the year and the deadline in Vietnam time, and the emails go out', async () => {
  const session = await signInConsole(stack.baseUrl, admin);
  const post = (fields: Record<string, string>) =>
    fetch(`${stack.baseUrl}/console/registrations/${campaign}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
    });
  const index = await (
    await fetch(`${stack.baseUrl}/console/registrations`, { headers: { cookie: session.cookie } })
  ).text();
  expect(index).toContain(`action="/console/registrations/${campaign}"`);
  const deadlineAt = new Date(Date.now() + 5 * 60_000);
  deadlineAt.setUTCSeconds(0, 0);
  // What a `datetime-local` input sends: the wall-clock time in Vietnam (UTC+7).
  const local = new Date(deadlineAt.getTime() + 7 * 3600_000).toISOString().slice(0, 16);
  const refused = await post({ year: '1999', deadline: local });
  expect(refused.status).toBe(400);
  expect(await refused.text()).toContain('year: phải nằm trong khoảng từ 2000 đến 2100');
  const opened = await post({ year: '2028', deadline: local });
  expect([opened.status, opened.headers.get('location')]).toEqual([
    303,
    `/console/registrations/${campaign}/2028?ok=opened`,
  ]);
  const status = await expectStatus(
    api<RoundStatus>(stack.baseUrl, 'GET', `/api/v1/registrations/${campaign}/2028`, { token: admin }),
    200,
  );
  expect([status.body.deadline, status.body.reminders, status.body.expected]).toEqual([
    deadlineAt.toISOString(),
    [],
    3,
  ]);
  await stack.sink.waitFor(() =>
    units.every((u) => stack.sink.to(u.headEmail).some((m) => /năm 2028/.test(m.subject))),
  );
});
