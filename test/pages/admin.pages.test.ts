/**
 * The administrator's console in real Chromium: sign in with a personal token, import units from
 * a CSV with a preview of its problems, start a cycle, watch the status board, extend a unit,
 * close collection early.
 */
import { AuditEvent, Unit, UnitTask } from '../../db/entities';
import { expectText, pageProblems, screenshot, screenshotViews, signIn } from '../support/browser';
import { api, createCampaign, currentPeriod, eventually, timing, uniq } from '../support/fixtures';
import { useBrowser, useStack } from '../support/hooks';

const stack = useStack();
const browser = useBrowser();
let admin: string;
let campaign: string;
beforeAll(async () => {
  admin = await stack.token('admin', 'Văn phòng Hội đồng');
  const days = (n: number): number => n * 86_400;
  campaign = await createCampaign(
    stack.orm,
    timing({ deadline: days(2), escalations: [days(3), days(4)], hardClose: days(5) }),
  );
});

test('an administrator signs in, imports units from a CSV with one bad row and sees the error, starts a cycle and extends a unit', async () => {
  const page = browser.page;
  const base = stack.baseUrl;

  // Any console page sends a stranger to the sign-in page; a wrong token is refused.
  await page.goto(`${base}/console/units`);
  expect(new URL(page.url()).pathname).toBe('/console/sign-in');
  await screenshotViews(page, `${base}/console/sign-in`, 'console-sign-in');
  await page.getByLabel('Mã truy cập cá nhân').fill('bc_not-a-real-token-at-all');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expectText(page.locator('.notice.error'), 'Mã truy cập không đúng');
  await signIn(page, base, admin);
  expect(new URL(page.url()).pathname).toBe('/console/cycles');
  const session = (await browser.context.cookies()).find((c) => c.name === 'bc_session')!;
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  expect(session.value).not.toContain(admin);

  // The CSV: three units, the second with a bad email. The preview lists the problem; nothing is saved.
  const tag = uniq('AG');
  const rows = [
    'code,name,headName,headEmail,supervisorName,supervisorEmail',
    `${tag}-1,Sở Thông tin và Truyền thông An Giang,Nguyễn Văn An,an@${tag.toLowerCase()}.example.org,Trần Thị Bình,binh@${tag.toLowerCase()}.example.org`,
    `${tag}-2,"Trung tâm Công nghệ thông tin, Truyền thông",Lê Văn Cường,khong-phai-thu-dien-tu,,`,
    `${tag}-3,Báo An Giang,Phạm Thị Dung,dung@${tag.toLowerCase()}.example.org,,`,
  ];
  await page.goto(`${base}/console/units/import`);
  await page.setInputFiles('#csv-file', {
    name: 'don-vi.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`\uFEFF${rows.join('\r\n')}\r\n`),
  });
  await eventually(async () => ((await page.inputValue('#csv')).includes(`${tag}-3`) ? true : undefined), {
    what: 'the file read into the text box',
  });
  await page.getByRole('button', { name: 'Kiểm tra trước' }).click();
  const problems = await expectText(page.locator('#import-errors'), 'headEmail');
  expect(problems).toContain('3'); // line 3 of the file
  expect(problems).toContain('phải là một địa chỉ thư điện tử');
  expect(await page.getByRole('button', { name: 'Lưu các đơn vị này' }).count()).toBe(0);
  expect(await stack.orm.em.fork().count(Unit, { code: { $like: `${tag}%` } })).toBe(0);
  await screenshot(page, 'console-import-errors-vi-desktop');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'console-import-errors-vi-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  // Corrected, checked again, then saved.
  await page.fill('#csv', rows.join('\n').replace('khong-phai-thu-dien-tu', `cuong@${tag.toLowerCase()}.example.org`));
  await page.getByRole('button', { name: 'Kiểm tra trước' }).click();
  await expectText(page.locator('#preview'), 'Tệp hợp lệ');
  await page.getByRole('button', { name: 'Lưu các đơn vị này' }).click();
  await expectText(page.locator('.notice.ok'), 'Đã nhập tệp CSV: 3 mới');
  expect(await stack.orm.em.fork().count(Unit, { code: { $like: `${tag}%` } })).toBe(3);
  await expectText(page.locator('#units'), 'Trung tâm Công nghệ thông tin, Truyền thông');
  await screenshotViews(page, `${base}/console/units`, 'console-units');

  // Editing a unit: a bad address is named at its field; a good one is saved.
  await page.goto(`${base}/console/units/${tag}-3`);
  await page.fill('#unit-headEmail', 'not an email');
  await page.getByRole('button', { name: 'Lưu', exact: true }).click();
  await expectText(page.locator('.notice.error'), 'headEmail');
  expect(await page.locator('#unit-headEmail').getAttribute('aria-invalid')).toBe('true');
  await page.fill('#unit-headEmail', `tongbientap@${tag.toLowerCase()}.example.org`);
  await page.getByRole('button', { name: 'Lưu', exact: true }).click();
  await expectText(page.locator('.notice.ok'), `Đã lưu đơn vị ${tag}-3`);

  // Start the cycle of the campaign for this month: the board shows every unit dispatched.
  await page.goto(`${base}/console/cycles`);
  await page.selectOption('#start-campaign', campaign);
  await page.fill('#start-period', currentPeriod());
  await page.getByRole('button', { name: 'Bắt đầu kỳ báo cáo' }).click();
  await expectText(page.locator('.notice.ok'), 'Đã bắt đầu kỳ báo cáo');
  expect(new URL(page.url()).pathname).toBe(`/console/cycles/${campaign}/${currentPeriod()}`);
  const boardUrl = `${base}/console/cycles/${campaign}/${currentPeriod()}`;
  await eventually(
    async () => {
      await page.goto(boardUrl);
      return (await page.locator('#board tbody .badge', { hasText: /^Đã gửi$/ }).count()) === 3 ? true : undefined;
    },
    { what: 'three units dispatched on the board' },
  );
  await expectText(page.locator('main'), 'Mở quy trình của kỳ trong Temporal Web UI');
  expect(await page.locator(`a[href$="/workflows/cycle-${campaign}-${currentPeriod()}-unit-${tag}-1"]`).count()).toBe(
    1,
  );
  await screenshotViews(page, boardUrl, 'console-board');

  // Extend one unit with a reason: the board says so, the task has the new deadline, the audit log the reason.
  const before = (await stack.orm.em.fork().findOneOrFail(UnitTask, { unit: { code: `${tag}-2` } })).schedule.deadline;
  const row = page.locator(`#unit-${tag}-2`);
  await row.locator('summary').click();
  await row.getByLabel('Lý do').first().fill('Đơn vị đề nghị do mất điện kéo dài');
  await row.getByRole('button', { name: 'Gia hạn' }).click();
  await expectText(page.locator('.notice.ok'), `Đã gia hạn cho đơn vị ${tag}-2`);
  await screenshot(page, 'console-board-extended-vi-desktop');
  const after = (await stack.orm.em.fork().findOneOrFail(UnitTask, { unit: { code: `${tag}-2` } })).schedule.deadline;
  expect(Date.parse(after) - Date.parse(before)).toBeGreaterThan(86_400_000);
  const event = await stack.orm.em.fork().findOneOrFail(AuditEvent, { action: 'task.extended' });
  expect(event).toMatchObject({
    actorId: 'Văn phòng Hội đồng',
    after: expect.objectContaining({ reason: 'Đơn vị đề nghị do mất điện kéo dài' }),
  });

  // An extension without a reason is refused at once, naming the unit.
  await row.locator('summary').click();
  await row.getByRole('button', { name: 'Gia hạn' }).evaluate((b) => {
    (b as unknown as { form: { noValidate: boolean } }).form.noValidate = true;
  });
  await row.getByRole('button', { name: 'Gia hạn' }).click();
  await expectText(page.locator('.notice.error'), 'Hãy ghi lý do');

  // Consolidate now: collection ends, the units that have not reported are closed, the cycle consolidates.
  await page.goto(boardUrl);
  await page.fill('#close-reason', 'Hội đồng họp sớm theo chỉ đạo');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Kết thúc thu nhận và tổng hợp' }).click();
  await expectText(page.locator('.notice.ok'), 'Đã kết thúc thu nhận báo cáo');
  await eventually(
    async () => {
      await page.goto(boardUrl);
      const closed = (await page.locator('#board tbody .badge', { hasText: /^Không nộp$/ }).count()) === 3;
      return closed && (await page.locator('#close-reason').count()) === 0 ? true : undefined; // and collection is over
    },
    { what: 'three units closed as not submitted on the board, and collection over' },
  );
  expect(await stack.orm.em.fork().count(AuditEvent, { action: 'cycle.collection_closed' })).toBe(1);

  // The campaign's schedule: next runs, and a pause with a reason (audited).
  expect(
    (
      await api(base, 'PUT', `/api/v1/campaigns/${campaign}/schedule`, {
        token: admin,
        body: { dayOfMonth: 15, time: '08:00' },
      })
    ).status,
  ).toBe(200);
  await page.goto(`${base}/console/campaigns/${campaign}`);
  await expectText(page.locator('#schedule'), 'Đang chạy');
  await expectText(page.locator('#schedule'), 'ngày 15 lúc 08:00');
  await page.fill('#pause-reason', 'Tạm dừng trong dịp Tết');
  await page.getByRole('button', { name: 'Tạm dừng lịch' }).click();
  await expectText(page.locator('.notice.ok'), 'Đã tạm dừng lịch');
  await expectText(page.locator('#schedule'), 'Đang tạm dừng');
  expect(await stack.orm.em.fork().count(AuditEvent, { action: 'campaign.schedule_paused', subjectId: campaign })).toBe(
    1,
  );

  for (const [path, name] of [
    ['/console/campaigns', 'campaigns'],
    [`/console/campaigns/${campaign}`, 'campaign'],
    ['/console/policies', 'policies'],
    ['/console/templates', 'templates'],
  ] as const) {
    await screenshotViews(page, `${base}${path}`, `console-${name}`);
  }
  expect(pageProblems(browser)).toEqual([]);
});

test('a console form posted without its CSRF token is refused, and signing out ends the session', async () => {
  const page = browser.page;
  await signIn(page, stack.baseUrl, admin);
  const forged = await browser.context.request.post(`${stack.baseUrl}/console/cycles`, {
    form: { campaign, period: '2020-01' },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
  expect(await forged.text()).toContain('Biểu mẫu đã hết hạn');
  const headers = forged.headers();
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  expect(headers['content-security-policy']).not.toContain('unsafe-inline');

  await page.goto(`${stack.baseUrl}/console/cycles`);
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await expectText(page.locator('.notice.ok'), 'Bạn đã đăng xuất');
  await page.goto(`${stack.baseUrl}/console/cycles`);
  expect(new URL(page.url()).pathname).toBe('/console/sign-in');
});
