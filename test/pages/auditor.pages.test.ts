/**
 * The auditor's viewer in real Chromium: the timeline of a cycle and of one unit (every audit
 * event and every email), the hash check, and the exports as CSV and JSON Lines. Read-only.
 */
import { readFile } from 'node:fs/promises';
import { expectText, pageProblems, screenshotViews, signIn } from '../support/browser';
import { api, openCycle, submitByLink, timing, tokenOf, validAnswers, type TestUnit } from '../support/fixtures';
import { useBrowser, useStack } from '../support/hooks';

const stack = useStack();
const browser = useBrowser();
let units: TestUnit[];
let campaign: string;
let period: string;

beforeAll(async () => {
  const admin = await stack.token('admin', 'Văn phòng');
  let links: string[];
  ({ units, campaign, period, links } = await openCycle(stack, admin, {
    units: 2,
    timing: timing({ deadline: 3600, escalations: [4000, 5000], hardClose: 6000, review: 3600, revision: 3600 }),
  }));
  const link = links[0]!;
  expect(
    (
      await api(stack.baseUrl, 'PUT', `/api/v1/link/${tokenOf(link)}/draft`, {
        body: { recommendations: 'Nháp <b>đầu tiên</b>' },
      })
    ).status,
  ).toBe(200);
  expect((await submitByLink(stack.baseUrl, link, validAnswers())).status).toBe(201);
});

test('an auditor reads the timeline of a cycle and of one unit, sees the hash check, and exports it as CSV and JSON Lines', async () => {
  const page = browser.page;
  await signIn(page, stack.baseUrl, await stack.token('auditor', 'Thanh tra Bộ'));
  expect(new URL(page.url()).pathname).toBe('/console/audit');
  await page.getByRole('link', { name: 'Xem nhật ký' }).first().click();
  const url = `${stack.baseUrl}/console/audit/${campaign}/${period}`;
  expect(page.url()).toBe(url);
  const timeline = await expectText(page.locator('#timeline'), 'Mở kỳ báo cáo');
  expect(timeline).toContain('Gửi yêu cầu báo cáo cho đơn vị');
  expect(timeline).toContain('Đơn vị nộp báo cáo');
  expect(timeline).toContain(units[1]!.headEmail); // every email: recipient, subject, status
  expect(timeline).toContain('Thư yêu cầu báo cáo');
  await expectText(page.locator('#integrity'), 'Mọi sự kiện trên trang này khớp mã băm');
  expect(await page.locator('#timeline .badge.bad').count()).toBe(0);
  await screenshotViews(page, url, 'audit-timeline');

  // One unit: its own events and emails only.
  await page.fill('#scope-unit', units[0]!.code);
  await page.getByRole('button', { name: 'Xem' }).click();
  const unitTimeline = await expectText(page.locator('#timeline'), 'Đơn vị lưu nháp');
  expect(unitTimeline).toContain(units[0]!.headEmail);
  expect(unitTimeline).not.toContain(units[1]!.headEmail);
  await screenshotViews(page, `${url}?unit=${units[0]!.code}`, 'audit-timeline-unit');

  // Exports of what is on screen: CSV (for a spreadsheet) and JSON Lines (for tools).
  const [csvDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Tải CSV' }).click(),
  ]);
  const csv = await readFile((await csvDownload.path())!, 'utf8');
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(lines[0]).toBe(
    '"time","source","id","actor_or_recipient","origin","action","subject","email_status","before_or_sent_at","after_or_error","hash_or_body_sha256","prev_hash_or_audit_event","hash_check"',
  );
  expect(csv).toContain('"task.submitted"');
  expect(csv).toContain('"email.dispatch"');
  expect(csv).not.toContain('MISMATCH');
  const [jsonlDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Tải JSON Lines' }).click(),
  ]);
  const items = (await readFile((await jsonlDownload.path())!, 'utf8'))
    .trim()
    .split('\n')
    .map(
      (l) => JSON.parse(l) as { source: string; action?: string; recipient?: string; verified?: boolean; at: string },
    );
  expect(items.map((i) => i.action).filter(Boolean)).toEqual(
    expect.arrayContaining(['task.dispatched', 'task.draft_saved', 'task.submitted']),
  );
  expect(items.some((i) => i.source === 'email' && i.recipient === units[0]!.headEmail)).toBe(true);
  expect(items.every((i) => i.source === 'email' || i.verified === true)).toBe(true);
  expect([...items].map((i) => i.at)).toEqual([...items].map((i) => i.at).sort());

  // Read-only: no form on the auditor's pages, and the administrator's pages are closed to them.
  expect(await page.locator('form[method="post"]:not([action="/console/sign-out"])').count()).toBe(0);
  const refused = await page.goto(`${stack.baseUrl}/console/units`);
  expect(refused?.status()).toBe(403);
  await expectText(page.locator('h1'), 'Không có quyền truy cập');
  expect(pageProblems(browser)).toEqual([]);
});
