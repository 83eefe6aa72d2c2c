/**
 * The unit head's pages in real Chromium: the emailed link, the form, draft and resume, submit
 * with a confirmation, the printable receipt, and the page of a replaced link.
 */
import type { Page } from 'playwright-core';
import { defaultTemplate } from '../../db/seed-data/default-template';
import { UnitTask } from '../../db/entities';
import { expectText, pageProblems, screenshot, screenshotViews } from '../support/browser';
import {
  answersToForm,
  api,
  currentPeriod,
  eventually,
  linkIn,
  openCycle,
  timing,
  validAnswers,
  type TestUnit,
} from '../support/fixtures';
import { useBrowser, useStack } from '../support/hooks';

const stack = useStack();
const browser = useBrowser();
let admin: string;
let campaign: string;
let units: TestUnit[];
let closedUnit: TestUnit;
beforeAll(async () => {
  admin = await stack.token('admin');
  ({ units, campaign } = await openCycle(stack, admin, {
    units: 3,
    timing: timing({ deadline: 3 * 86_400, escalations: [4 * 86_400, 5 * 86_400], hardClose: 6 * 86_400 }),
  }));
  // A second campaign whose hard close passes within seconds, for the page of a closed link.
  const quick = timing({ deadline: 2, escalations: [3, 4], hardClose: 5 });
  closedUnit = (await openCycle(stack, admin, { timing: quick })).units[0]!;
});

const linkOf = (unit: TestUnit, n = 0): string => linkIn(stack.sink.to(unit.headEmail)[n]!.text, stack.baseUrl);

/** Fills every field of the default template the way a person would. */
async function fillReport(page: Page): Promise<void> {
  const answers = validAnswers('Đã thực hiện');
  for (const [code, a] of Object.entries(answers.keyTasks)) {
    await page.selectOption(`#kt-${code}-status`, a.status);
    await page.fill(`#kt-${code}-text`, a.text);
  }
  for (const ind of defaultTemplate.indicators)
    await page.fill(`#ind-${ind.code}`, String(answers.indicators[ind.code]).replace('.', ','));
  await page.fill('#ex-0-name', 'Tổ công nghệ số');
  await page.fill('#ex-0-description', 'Số hoá 100% hồ sơ một cửa');
  await page.fill('#pr-0-nominee', 'Nguyễn Văn B');
  await page.selectOption('#pr-0-nomineeKind', 'individual');
  await page.fill('#pr-0-requestedForm', 'Bằng khen của Bộ trưởng');
  await page.fill('#pr-0-summary', 'Hoàn thành xuất sắc nhiệm vụ chuyển đổi số');
  await page.fill('#recommendations', 'Đề nghị hỗ trợ kinh phí đào tạo');
}

test('a unit head opens the emailed link, saves a draft, reloads and finds it, submits with a confirmation and sees a printable receipt', async () => {
  const page = browser.page;
  const link = linkOf(units[0]!);
  await page.goto(link);
  await expectText(page.locator('h1'), 'Báo cáo định kỳ hàng tháng');
  await expectText(page.locator('#deadline'), 'Thời gian còn lại');
  await expectText(page.locator('#deadline'), /2 ngày 2\d giờ/);
  // Keyboard first: the first Tab reaches the skip link, which moves focus to the main content.
  await page.keyboard.press('Tab');
  const focused = () =>
    page.evaluate(() => {
      const active = (
        globalThis as unknown as { document: { activeElement: { className: string; id: string } | null } }
      ).document.activeElement;
      return { className: active?.className, id: active?.id };
    });
  expect((await focused()).className).toBe('skip');
  await page.keyboard.press('Enter');
  expect((await focused()).id).toBe('main');
  await screenshotViews(page, link, 'unit-head-form');

  // A draft with markup in it: saved, shown escaped, still there after a reload.
  await page.selectOption('#kt-KT01-status', 'in_progress');
  await page.fill('#kt-KT01-text', 'Đang soạn <b>dở</b>');
  await page.fill('#ind-IND01', '0,8');
  await page.getByRole('button', { name: 'Lưu nháp' }).click();
  await expectText(page.getByRole('status').first(), 'Đã lưu nháp');
  await page.goto(link);
  expect(await page.locator('#kt-KT01-text').inputValue()).toBe('Đang soạn <b>dở</b>');
  expect(await page.locator('#kt-KT01-status').inputValue()).toBe('in_progress');
  expect(await page.locator('#ind-IND01').inputValue()).toBe('0,8');
  expect(await page.locator('b', { hasText: 'dở' }).count()).toBe(0);

  // Proposals are repeatable rows: the script adds one without a round trip.
  await page.getByRole('button', { name: /Thêm một đề nghị/ }).click();
  await page.locator('#pr-1-nominee').first().waitFor({ state: 'visible' });
  expect(
    await page.evaluate(
      () =>
        (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id,
    ),
  ).toBe('pr-1-nominee');

  // A wrong number is refused with the field named and linked.
  await fillReport(page);
  await page.fill('#ind-IND01', 'nhiều');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Nộp báo cáo' }).click();
  await expectText(page.locator('#error-summary'), 'phải là một số (indicators.IND01)');
  expect(await page.locator('#ind-IND01').getAttribute('aria-invalid')).toBe('true');
  await screenshot(page, 'unit-head-form-error-vi-desktop');

  // Dismissing the confirmation submits nothing.
  await page.fill('#ind-IND01', '0,8');
  page.once('dialog', (dialog) => void dialog.dismiss());
  await page.getByRole('button', { name: 'Nộp báo cáo' }).click();
  await expectText(page.locator('h1'), 'Báo cáo định kỳ hàng tháng');
  expect((await stack.orm.em.fork().findOneOrFail(UnitTask, { unit: { code: units[0]!.code } })).state).toBe('draft');

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Nộp báo cáo' }).click();
  await expectText(page.locator('h1'), 'Biên nhận');
  await expectText(page.locator('#receipt-timeliness'), 'Đúng hạn');
  await page.getByRole('button', { name: 'In biên nhận' }).first().waitFor({ state: 'visible' });
  const receiptNumber = (await page.locator('#receipt-number').textContent())!;
  expect(receiptNumber).toMatch(/^BC-\d+-/);
  await screenshotViews(page, `${link}?view=receipt`, 'unit-head-receipt');

  // Coming back to the link: the report as submitted, with the receipt.
  await page.goto(link);
  await expectText(page.locator('#receipt-number'), receiptNumber);
  await page.getByText('Nguyễn Văn B').first().waitFor({ state: 'visible' });
  await screenshotViews(page, link, 'unit-head-submitted');
  expect(pageProblems(browser)).toEqual([]);
});

test('without scripts, "add a row" comes back from the server with one more empty row and nothing saved', async () => {
  const link = linkOf(units[1]!);
  const form = answersToForm(validAnswers('Nháp'), 'draft');
  form.set('action', 'add_pr');
  form.set('rows.pr', '1');
  const res = await fetch(link, { method: 'POST', body: form });
  expect(res.status).toBe(200);
  const page = await res.text();
  expect(page).toContain('id="pr-1-nominee"');
  expect(page).toContain('id="pr-2-nominee"');
  expect(page).toContain('value="Nguyễn Văn B"');
  expect((await stack.orm.em.fork().findOneOrFail(UnitTask, { unit: { code: units[1]!.code } })).state).toBe(
    'dispatched',
  );
  expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(page).not.toMatch(/<script>|style="|onclick=/);
});

test('a replaced link shows a clear page and sends a fresh link to the registered address only, once', async () => {
  const unit = units[2]!;
  const oldLink = linkOf(unit);
  const res = await api(
    stack.baseUrl,
    'POST',
    `/api/v1/cycles/${campaign}/${currentPeriod()}/units/${unit.code}/link`,
    { token: admin, body: { reason: 'Thủ trưởng báo mất thư' } },
  );
  expect(res.status).toBe(200);
  await stack.sink.waitFor(() => stack.sink.to(unit.headEmail).length === 2);

  const page = browser.page;
  const visit = await page.goto(oldLink);
  expect(visit?.status()).toBe(404);
  await expectText(page.locator('h1'), 'Đường liên kết đã được thay thế');
  // The fresh link goes out only after the latest re-send is older than the interval: here one
  // was just sent by the administrator, so the page says so instead of sending another.
  await expectText(page.locator('.notice.info'), 'Một đường liên kết mới đã được gửi lúc');
  expect(await page.getByRole('button', { name: 'Gửi cho tôi đường liên kết mới' }).count()).toBe(0);

  // With no recent re-send, the button sends one to the registered head, and only one.
  const em = stack.orm.em.fork();
  await em.execute(
    `UPDATE email SET created_at = created_at - interval '1 hour', sent_at = sent_at - interval '1 hour' WHERE kind = 'link_resent'`,
  );
  const newest = linkOf(unit, 1);
  await page.goto(oldLink);
  await expectText(page.locator('main'), 'h***@units.example.org');
  await screenshotViews(page, oldLink, 'unit-head-replaced-link');
  await page.getByRole('button', { name: 'Gửi cho tôi đường liên kết mới' }).click();
  await expectText(page.getByRole('status'), 'Đã gửi đường liên kết mới tới h***@units.example.org');
  await stack.sink.waitFor(() => stack.sink.to(unit.headEmail).length === 3);
  expect(
    stack.sink.messages
      .filter((m) => m.text.includes('/r/'))
      .every((m) => m.to.every((to) => [...units, closedUnit].some((u) => u.headEmail === to))),
  ).toBe(true);
  expect((await fetch(newest)).status).toBe(404); // replaced in turn
  expect((await fetch(linkOf(unit, 2))).status).toBe(200);
  await page.reload();
  expect(await page.getByRole('button', { name: 'Gửi cho tôi đường liên kết mới' }).count()).toBe(0);
  expect(pageProblems(browser)).toEqual([]);
});

test('a link whose reporting period has closed shows a clear page, not a form', async () => {
  const link = linkIn(stack.sink.to(closedUnit.headEmail)[0]!.text, stack.baseUrl);
  await eventually(
    async () =>
      (await stack.orm.em.fork().findOneOrFail(UnitTask, { unit: { code: closedUnit.code } })).state === 'not_submitted'
        ? true
        : undefined,
    { what: 'the hard close' },
  );
  const page = browser.page;
  const visit = await page.goto(link);
  expect(visit?.status()).toBe(410);
  await expectText(page.locator('h1'), 'Kỳ báo cáo đã đóng');
  await expectText(page.locator('main'), 'thuongtruc@hdtdkt.example.org');
  expect(await page.locator('form').count()).toBe(0);
  await screenshotViews(page, link, 'unit-head-closed-link');
  const post = await fetch(link, { method: 'POST', body: answersToForm(validAnswers()) });
  expect(post.status).toBe(409);
  expect(await post.text()).toContain('Báo cáo không thể nộp qua đường liên kết này');
});
