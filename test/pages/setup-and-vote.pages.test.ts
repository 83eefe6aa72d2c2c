/**
 * People in the console, in real Chromium, signing in by the link the sign-in page emails them:
 * an administrator sets up a policy (with its preview), a campaign on it and a new version of the
 * report template (a key task and an indicator added, one removed, one moved) by clicking and
 * typing, then starts a cycle that units receive on that version; a council member, seated on
 * the campaign's council with a role over that campaign only, finds the cycle under review and
 * votes, the ballot stored and on the audit record.
 */
import type { Page } from 'playwright-core';
import { assignRole, createPerson, setCouncilSeat } from '../../api/services/people.service';
import { AuditEvent, Ballot, Cycle, Person, Policy, ReportTemplate, Unit, UnitTask } from '../../db/entities';
import { DEFAULT_TEMPLATE_CODE } from '../../db/seed-data/default-template';
import { expectText, pageProblems, screenshot } from '../support/browser';
import {
  createCampaign,
  createUnits,
  eventually,
  linkIn,
  openCycleUnderReview,
  signInLinkIn,
  timing,
} from '../support/fixtures';
import { useBrowser, useStack } from '../support/hooks';

const stack = useStack();
const browser = useBrowser();
const SYSTEM = { kind: 'system' as const, id: 'test', origin: 'test' };

/** The highest audit sequence number now: events after it are the test's. */
const lastSeq = async (): Promise<number> =>
  (await stack.orm.em.fork().findOne(AuditEvent, { seq: { $gte: 0 } }, { orderBy: { seq: 'desc' } }))?.seq ?? 0;

/** Asks for a sign-in link on the sign-in page, opens the link that arrives by email, and signs in with it. */
async function signInByEmail(page: Page, email: string): Promise<void> {
  const before = stack.sink.to(email).length;
  await page.goto(`${stack.baseUrl}/console/sign-in`);
  await page.getByLabel('Địa chỉ thư điện tử của bạn').fill(email);
  await page.getByRole('button', { name: 'Gửi đường liên kết' }).click();
  await expectText(page.locator('.notice.ok'), 'một đường liên kết đăng nhập vừa được gửi tới');
  await stack.sink.waitFor(() => stack.sink.to(email).length > before);
  const link = signInLinkIn(stack.sink.to(email).at(-1)!.text);
  expect(link.startsWith(`${stack.baseUrl}/console/sign-in/link/`)).toBe(true);
  await page.goto(link);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/console/sign-in'));
}

test('when a council member asks for a sign-in link, then the email lets them in and their vote on the cycle under review is stored and audited', async () => {
  const page = browser.page;
  const admin = await stack.token('admin');
  const campaign = await createCampaign(
    stack.orm,
    timing({ deadline: 600, escalations: [700, 800], hardClose: 900, review: 3600, revision: 3600 }),
  );
  // A member of this campaign's council, with the council role over this campaign only.
  const email = `uy-vien-${Date.now()}@hdtdkt.example.org`;
  const member = await createPerson(stack.orm.em.fork(), SYSTEM, { name: 'Ủy viên Nguyễn Thị Hoa', email }, new Date());
  await assignRole(
    stack.orm.em.fork(),
    SYSTEM,
    member.id,
    { role: 'council', scope: 'campaign', target: campaign },
    new Date(),
  );
  await setCouncilSeat(stack.orm.em.fork(), SYSTEM, { campaign, personId: member.id, position: 'member' }, new Date());
  const { period, workflowId } = await openCycleUnderReview(stack, admin, { campaign, units: 1 });
  const since = await lastSeq();

  await signInByEmail(page, email);
  expect(new URL(page.url()).pathname).toBe('/console/council');
  await page.getByRole('link', { name: 'Xem báo cáo' }).first().click();
  expect(page.url()).toBe(`${stack.baseUrl}/console/council/${campaign}/${period}`);
  await page.getByRole('radio', { name: 'Tán thành, thông qua báo cáo' }).check();
  await page.getByRole('button', { name: 'Gửi phiếu' }).click();
  await expectText(page.locator('.notice.ok'), 'Đã ghi nhận phiếu của bạn');
  await expectText(page.locator('#my-ballot'), 'Tán thành');
  await screenshot(page, 'council-member-voted');

  const ballots = await stack.orm.em
    .fork()
    .find(Ballot, { cycle: { workflowId }, subjectKey: 'report' }, { populate: ['voter'] });
  expect(ballots.map((b) => [(b.voter as { id: number }).id, b.choice, b.reportVersion])).toEqual([
    [member.id, 'approve', 1],
  ]);
  const events = await stack.orm.em
    .fork()
    .find(AuditEvent, { seq: { $gt: since }, action: { $in: ['ballot.cast', 'session.started'] } });
  expect(events.map((e) => e.action).sort()).toEqual(['ballot.cast', 'session.started']);
  const cast = events.find((e) => e.action === 'ballot.cast');
  expect(cast).toMatchObject({ actorKind: 'user', actorId: 'Ủy viên Nguyễn Thị Hoa' });
  expect((cast!.after as { ballotId: number }).ballotId).toBe(ballots[0]!.id);
  expect(await stack.orm.em.fork().count(Person, { id: member.id, status: 'active' })).toBe(1);
  expect(pageProblems(browser)).toEqual([]);
});

test('when an administrator sets up a policy, a campaign and a new template version in the console and starts a cycle there, then the units receive that version', async () => {
  const page = browser.page;
  await page.context().clearCookies(); // out of the council member's session
  const since = await lastSeq();
  const admin = await stack.person('admin', 'Văn phòng Hội đồng');
  // The units taking part: the two offices below the council's root unit.
  const [root, ...offices] = await createUnits(stack.orm, 3);
  const em = stack.orm.em.fork();
  const rootRow = await em.findOneOrFail(Unit, { code: root!.code });
  await em.nativeUpdate(Unit, { code: { $in: offices.map((o) => o.code) } }, { parent: rootRow.id });

  await signInByEmail(page, admin.email);
  expect(new URL(page.url()).pathname).toBe('/console/cycles');

  // A policy, previewed first, then saved.
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Thiết lập' }).click();
  await page.getByRole('link', { name: 'Chính sách kỳ báo cáo' }).click();
  const policy = page.locator('#policy');
  await policy.getByLabel('Mã', { exact: true }).fill('thu-nghiem-1-gio');
  await policy.getByRole('radio', { name: 'Tương đối, tính bằng giây (thử nghiệm)' }).check();
  await policy.getByLabel('Hạn nộp sau khi bắt đầu (giây)').fill('3600');
  await policy.getByLabel('Nhắc trước hạn (giây, cách nhau bằng dấu phẩy)').fill('1800, 600');
  await policy.getByLabel('Báo cấp trên sau hạn (giây)').fill('600');
  await policy.getByLabel('Báo Thường trực sau hạn (giây)').fill('1200');
  await policy.getByLabel('Khoá nhận sau hạn (giây)').fill('1800');
  await policy.getByLabel('Thời gian xem xét (giây)').fill('3600');
  await policy.getByLabel('Thời gian sửa (giây)').fill('3600');
  await policy.getByLabel('Số lần nhắc tối đa').fill('2');
  await policy.getByLabel('Túc số: tử số').fill('1');
  await policy.getByLabel('Túc số: mẫu số').fill('2');
  await policy.getByLabel('Tỷ lệ tán thành: tử số', { exact: true }).fill('1');
  await policy.getByLabel('Tỷ lệ tán thành: mẫu số', { exact: true }).fill('2');
  await policy.getByRole('button', { name: 'Xem trước lịch kỳ tới' }).click();
  await expectText(page.locator('#preview'), 'Lịch dự kiến của kỳ');
  await expectText(page.locator('#preview'), 'Hạn nộp');
  expect(await stack.orm.em.fork().count(Policy, { code: 'thu-nghiem-1-gio' })).toBe(0);
  // What was typed is still there after the preview; saving keeps it.
  expect(await page.locator('#policy').getByLabel('Hạn nộp sau khi bắt đầu (giây)').inputValue()).toBe('3600');
  await page.locator('#policy').getByRole('button', { name: 'Lưu', exact: true }).click();
  await expectText(page.locator('.notice.ok'), 'Đã lưu');
  await screenshot(page, 'setup-policy-saved');

  // A campaign on that policy over the root's tree.
  await page.getByRole('link', { name: 'Chiến dịch', exact: true }).click();
  const form = page.locator('#campaign-new');
  await form.getByLabel('Mã', { exact: true }).fill('thi-dua-xa');
  await form.getByLabel('Tên', { exact: true }).fill('Thi đua chuyển đổi số cấp xã');
  await form.getByLabel('Mẫu báo cáo').selectOption(DEFAULT_TEMPLATE_CODE);
  await form.getByLabel('Chính sách').selectOption('thu-nghiem-1-gio');
  await form.getByLabel('Mã đơn vị gốc của cây tham gia').fill(root!.code);
  await form.getByRole('button', { name: 'Tạo' }).click();
  await expectText(page.locator('.notice.ok'), 'Đã lưu');
  await expectText(page.locator('main'), 'Thi đua chuyển đổi số cấp xã (thi-dua-xa)');

  // A new version of the template, from the templates' page.
  const before = await stack.orm.em
    .fork()
    .findOneOrFail(ReportTemplate, { code: DEFAULT_TEMPLATE_CODE }, { orderBy: { version: 'desc' } });
  const tasks = before.definition.keyTasks;
  const indicators = before.definition.indicators;
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Biểu mẫu' }).click();
  await page.getByRole('link', { name: `Tạo phiên bản mới: ${DEFAULT_TEMPLATE_CODE}` }).click();
  expect(new URL(page.url()).pathname).toBe(`/console/setup/templates/${DEFAULT_TEMPLATE_CODE}`);
  const editor = page.locator('#template-editor');
  const row = (n: number, label: string) => editor.getByLabel(`Nhiệm vụ trọng tâm ${n}: ${label}`, { exact: true });
  await row(1, 'Bỏ').check(); // the first key task goes
  await row(2, 'Thứ tự').fill('99'); // the second moves to the end
  const blank = tasks.length + 1;
  await row(blank, 'Thứ tự').fill('1'); // a new one comes first
  await row(blank, 'Mã').fill('KT-XA');
  await row(blank, 'Tiếng Việt').fill('Chuyển đổi số cấp xã');
  await row(blank, 'Tiếng Anh').fill('Digital transformation of communes');
  const indicator = editor.locator('fieldset', {
    has: page.locator('legend', { hasText: `Chỉ tiêu ${indicators.length + 1}: mới` }),
  });
  await indicator.getByLabel('Mã', { exact: true }).fill('IND-XA');
  await indicator.getByLabel('Tiếng Việt', { exact: true }).fill('Tỷ lệ xã có điểm phục vụ số');
  await indicator.getByLabel('Tiếng Anh', { exact: true }).fill('Share of communes with a digital service point');
  await indicator.getByLabel('Đơn vị tính (vi)').fill('%');
  await indicator.getByLabel('Đơn vị tính (en)').fill('%');
  await indicator.getByLabel('Chỉ tiêu phải đạt').selectOption('at_least');
  await indicator.getByLabel('Giá trị', { exact: true }).fill('80');
  await indicator.getByLabel('Cách tổng hợp').selectOption({ label: 'Trung bình' });
  await indicator.getByLabel('Câu trả lời nhỏ nhất').fill('0');
  await indicator.getByLabel('Câu trả lời lớn nhất').fill('100');
  await editor.getByRole('button', { name: 'Xem trước' }).click();
  await expectText(page.locator('#template-preview'), 'Chuyển đổi số cấp xã');
  await expectText(page.locator('#template-preview'), 'Tỷ lệ xã có điểm phục vụ số');
  expect(await page.locator('#template-preview').innerText()).not.toContain(tasks[0]!.title.vi);
  await screenshot(page, 'setup-template-preview');
  await page.locator('#template-editor').getByRole('button', { name: 'Lưu thành phiên bản mới' }).click();
  await expectText(page.locator('.notice.ok'), `Đã lưu phiên bản ${before.version + 1}`);
  const saved = await stack.orm.em
    .fork()
    .findOneOrFail(ReportTemplate, { code: DEFAULT_TEMPLATE_CODE, version: before.version + 1 });
  const codes = saved.definition.keyTasks.map((k) => k.code);
  expect(codes[0]).toBe('KT-XA');
  expect(codes.at(-1)).toBe(tasks[1]!.code);
  expect(codes).not.toContain(tasks[0]!.code);
  expect(codes).toHaveLength(tasks.length);
  expect(saved.definition.indicators.at(-1)).toMatchObject({
    code: 'IND-XA',
    measure: { vi: '%', en: '%' },
    target: { kind: 'at_least', value: 80 },
    aggregation: 'average',
    min: 0,
    max: 100,
  });

  // The cycle, started from the console on the new campaign.
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Kỳ báo cáo' }).click();
  await page.getByLabel('Chiến dịch', { exact: true }).selectOption('thi-dua-xa');
  await page.getByRole('button', { name: 'Bắt đầu kỳ báo cáo' }).click();
  await expectText(page.locator('.notice.ok'), 'Đã bắt đầu kỳ báo cáo');
  const cycle = await eventually(
    async () =>
      (await stack.orm.em.fork().findOne(Cycle, { campaign: { code: 'thi-dua-xa' } }, { populate: ['template'] })) ??
      undefined,
    { what: 'the cycle of the new campaign' },
  );
  expect([cycle.template.code, cycle.template.version]).toEqual([DEFAULT_TEMPLATE_CODE, before.version + 1]);
  expect(cycle.policy.timing).toMatchObject({ kind: 'relative', deadlineAfterSeconds: 3600 });

  // Every unit below the root is emailed; the head's form asks what the new version asks.
  await stack.sink.waitFor(() => offices.every((o) => stack.sink.to(o.headEmail).length > 0));
  expect(await stack.orm.em.fork().count(UnitTask, { cycle: cycle.id })).toBe(offices.length);
  await page.goto(linkIn(stack.sink.to(offices[0]!.headEmail)[0]!.text, stack.baseUrl));
  const form2 = await page.locator('main').innerText();
  expect(form2).toContain('Chuyển đổi số cấp xã');
  expect(form2).toContain('Tỷ lệ xã có điểm phục vụ số');
  expect(form2).not.toContain(tasks[0]!.title.vi);

  const actions = (await stack.orm.em.fork().find(AuditEvent, { seq: { $gt: since } })).map((e) => e.action);
  for (const action of ['policy.created', 'campaign.created', 'template.version_created'])
    expect(actions).toContain(action);
  expect(pageProblems(browser)).toEqual([]);
});
