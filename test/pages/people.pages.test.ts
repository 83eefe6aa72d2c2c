/**
 * People in real Chromium: a council member asks for a sign-in link on the sign-in page, follows
 * the link from the email, and votes on the report; an administrator adds a person and creates an
 * API token for them, shown once; the set-up pages work in the same browser. No CSP violation or
 * script error on the way.
 */
import { Ballot } from '../../db/entities';
import {
  expectText,
  openBrowser,
  pageProblems,
  screenshotViews,
  signIn,
  type BrowserSession,
} from '../support/browser';
import {
  api,
  createCampaign,
  createUnits,
  currentPeriod,
  eventually,
  linkIn,
  submitByLink,
  validAnswers,
} from '../support/fixtures';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let browser: BrowserSession;
let campaign = '';
let admin = '';
let member: { id: number; email: string };
const period = currentPeriod();

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), openBrowser()]);
  admin = await stack.token('admin', 'Văn phòng Hội đồng');
  // The council, before the vote opens: two members, so one vote is not quorum.
  member = await stack.person('council', 'Nguyễn Thị Hội Đồng');
  await stack.person('council', 'Trần Văn Ủy Viên');
  const [unit] = await createUnits(stack.orm, 1);
  campaign = await createCampaign(stack.orm, {
    deadlineAfterSeconds: 600,
    reminderSecondsBefore: [],
    escalationSecondsAfter: [700, 800],
    hardCloseSecondsAfter: 900,
    reviewWindowSeconds: 3600,
    revisionWindowSeconds: 3600,
  });
  expect(
    (
      await api(stack.baseUrl, 'POST', '/api/v1/cycles', {
        token: admin,
        body: { campaign, period, units: [unit!.code] },
      })
    ).status,
  ).toBe(201);
  await stack.sink.waitFor(() => stack.sink.to(unit!.headEmail).length === 1);
  const link = linkIn(stack.sink.to(unit!.headEmail)[0]!.text, stack.baseUrl);
  expect((await submitByLink(stack.baseUrl, link, validAnswers())).status).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

test('a council member signs in with the link from their email and votes', async () => {
  await eventually(
    async () =>
      (
        await api<{ stage: string }>(stack.baseUrl, 'GET', `/api/v1/cycles/${campaign}/${period}/review`, {
          token: admin,
        })
      ).body.stage === 'review'
        ? true
        : undefined,
    { what: 'the review to open' },
  );
  const page = browser.page;
  await page.goto(`${stack.baseUrl}/console/sign-in`);
  await screenshotViews(page, `${stack.baseUrl}/console/sign-in`, 'console-sign-in-email');
  await page.getByLabel('Địa chỉ thư điện tử của bạn').fill(member.email);
  await page.getByRole('button', { name: 'Gửi đường liên kết' }).click();
  await expectText(page.locator('.notice.ok'), 'Nếu địa chỉ này thuộc một người dùng của hệ thống');

  await stack.sink.waitFor(() => stack.sink.to(member.email).length === 1);
  const link = /(http:\/\/\S+\/console\/sign-in\/link\/[A-Za-z0-9_-]{43})/.exec(
    stack.sink.to(member.email)[0]!.text,
  )![1]!;
  await page.goto(link);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((u) => u.pathname === '/console/council');
  await expectText(page.locator('header .who'), 'Nguyễn Thị Hội Đồng');

  await page.getByRole('link', { name: 'Xem báo cáo' }).first().click();
  await page.locator('input[name="choice"][value="approve"]').check();
  await page.getByRole('button', { name: 'Gửi phiếu' }).click();
  await expectText(page.locator('.notice.ok'), 'Đã ghi nhận phiếu của bạn');
  await expectText(page.locator('#voters'), 'Nguyễn Thị Hội Đồng');
  expect(await stack.orm.em.fork().count(Ballot, { voter: member.id, subjectKey: 'report' })).toBe(1);

  // The link was used: opening it again (e.g. from another device) signs nobody in.
  await page.goto(link);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expectText(page.locator('.notice.error'), 'Đường liên kết này không dùng được');
  expect(pageProblems(browser)).toEqual([]);
});

test('an administrator adds a person and creates their API token, which is shown once', async () => {
  const page = browser.page;
  await signIn(page, stack.baseUrl, admin);
  await page.goto(`${stack.baseUrl}/console/access`);
  await page.locator('#add-person summary').click();
  await page.fill('#person-name', 'Lê Thị Kiểm Tra');
  await page.fill('#person-email', 'Le.Thi.Kiem.Tra@Bo.Gov.Vn');
  await page.selectOption('#person-role', 'auditor');
  await page.getByRole('button', { name: 'Thêm', exact: true }).click();
  await expectText(page.locator('.notice.ok'), 'Đã lưu người dùng');
  await expectText(page.locator('#people ~ .table-wrap'), 'le.thi.kiem.tra@bo.gov.vn');

  await page.selectOption('#token-person', { label: 'Lê Thị Kiểm Tra <le.thi.kiem.tra@bo.gov.vn>' });
  await page.selectOption('#token-role', 'auditor');
  await page.fill('#token-name', 'Xuất nhật ký hằng tháng');
  await page.getByRole('button', { name: 'Tạo mã' }).click();
  const token = await expectText(page.locator('#created-token'), /^bc_/);
  expect((await api(stack.baseUrl, 'GET', '/api/v1/audit/verify', { token })).status).toBe(200);
  await page.goto(`${stack.baseUrl}/console/access`);
  expect(await page.content()).not.toContain(token);
  await screenshotViews(page, `${stack.baseUrl}/console/access`, 'console-people-access');
  await screenshotViews(page, `${stack.baseUrl}/console/setup/policies`, 'console-setup-policies');
  expect(pageProblems(browser)).toEqual([]);
});
