/**
 * The council's review in real Chromium: the consolidated report with its charts, a vote on a
 * proposal, a request for revision naming a unit with a comment, who has voted and quorum, the
 * downloads; and the unit head then sees the council's comment on the form.
 */
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { Ballot, UnitTask } from '../../db/entities';
import { expectText, pageProblems, screenshot, screenshotViews, signIn } from '../support/browser';
import { councilTokens } from '../support/stack';
import {
  api,
  linkIn,
  openCycle,
  submitAll,
  timing,
  validAnswers,
  waitForStage,
  type TestUnit,
} from '../support/fixtures';
import { useBrowser, useStack } from '../support/hooks';

const stack = useStack();
const browser = useBrowser();
let council: string[];
let units: TestUnit[];
let campaign: string;
let period: string;

beforeAll(async () => {
  const admin = await stack.token('admin');
  council = await councilTokens(stack, ['Chủ tịch Hội đồng', 'Phó Chủ tịch Hội đồng', 'Ủy viên Hội đồng']);
  let base: string, links: string[];
  ({ units, campaign, period, base, links } = await openCycle(stack, admin, {
    units: 2,
    timing: timing({ deadline: 600, escalations: [700, 800], hardClose: 900, review: 3600, revision: 3600 }),
  }));
  await submitAll(stack.baseUrl, links, (i) => {
    const answers = validAnswers(`Đơn vị ${i + 1}`);
    return {
      ...answers,
      indicators: { ...answers.indicators, IND01: 0.5 + i * 0.4 },
      recommendations: `Kiến nghị <em>số</em> ${i + 1}`,
    };
  });
  await waitForStage(stack, council[0]!, base, 'review');
});

/** The text of one entry of a zip (read with JSZip). */
async function unzipEntry(zip: Buffer, name: string): Promise<string> {
  const entry = (await JSZip.loadAsync(zip)).file(name);
  if (!entry) throw new Error(`${name} is not in the zip`);
  return entry.async('string');
}

test('a council member reads the report with its charts, votes on a proposal and requests a revision naming a unit; the unit head sees the comment', async () => {
  const page = browser.page;
  const base = stack.baseUrl;
  await signIn(page, base, council[0]!);
  expect(new URL(page.url()).pathname).toBe('/console/council');
  await page.getByRole('link', { name: 'Xem báo cáo' }).first().click();
  const reportUrl = `${base}/console/council/${campaign}/${period}`;
  expect(page.url()).toBe(reportUrl);

  // Charts are SVG with a text alternative: completeness, one per indicator, key tasks.
  expect(await page.locator('svg.chart[role="img"]').count()).toBeGreaterThanOrEqual(5);
  expect(await page.locator('#indicators svg.chart, #indicators ~ ul svg.chart').count()).toBeGreaterThanOrEqual(3);
  await expectText(page.locator('#review'), 'Chưa đủ túc số');
  await expectText(page.locator('main'), 'Kiến nghị <em>số</em> 1');
  expect(await page.locator('em', { hasText: 'số' }).count()).toBe(0);
  await screenshotViews(page, reportUrl, 'council-report');

  // A proposal has its own vote buttons.
  const proposal = page.locator('#proposals-table tbody tr').first();
  await proposal.getByRole('button', { name: /^Tán thành/ }).click();
  await expectText(page.locator('.notice.ok'), 'Đã ghi nhận phiếu của bạn');
  await expectText(page.locator('#proposals-table tbody tr').first(), 'Bạn đã bỏ phiếu: Tán thành');

  // Asking for a revision without naming a unit is refused with the reason; then done right.
  await page.locator('input[name="choice"][value="request_revision"]').check();
  await page.fill('#comment', 'Bổ sung số liệu chỉ tiêu IND01 <script>alert(1)</script>');
  await page.getByRole('button', { name: 'Gửi phiếu' }).click();
  await expectText(page.locator('.notice.error'), 'Hãy chọn ít nhất một đơn vị');
  expect(await page.inputValue('#comment')).toContain('Bổ sung số liệu');
  await page.locator(`input[name="unit"][value="${units[0]!.code}"]`).check();
  await page.getByRole('button', { name: 'Gửi phiếu' }).click();
  await expectText(page.locator('.notice.ok'), 'Đã ghi nhận phiếu của bạn');
  await expectText(page.locator('#voters'), 'Chủ tịch Hội đồng');
  await expectText(page.locator('#my-ballot'), 'Đề nghị chỉnh sửa');
  expect(await stack.orm.em.fork().count(Ballot, { subjectKey: 'report' })).toBe(1);

  // A second member asks the same (through the API): quorum (2 of 3) is reached and the named unit is reopened.
  const revise = {
    version: 1,
    choice: 'request_revision',
    unitCodes: [units[0]!.code],
    comment: 'Đề nghị bổ sung minh chứng',
  };
  expect(
    (await api(base, 'POST', `/api/v1/cycles/${campaign}/${period}/ballots`, { token: council[1], body: revise }))
      .status,
  ).toBe(201);
  await page.reload();
  await expectText(page.locator('#review'), 'Đã đủ túc số');
  await expectText(page.locator('#voters'), 'Phó Chủ tịch Hội đồng');
  // Secret ballots: who voted, never how (the other member's choice is not on the page).
  expect(await page.locator('#review').innerText()).not.toContain('Đề nghị bổ sung minh chứng');
  await screenshotViews(page, `${reportUrl}#review`, 'council-report-voted');

  // Downloads: CSV with a BOM, and a real XLSX.
  const [csvDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Tải CSV' }).click(),
  ]);
  const csv = await readFile((await csvDownload.path())!, 'utf8');
  expect(csv.startsWith('\uFEFF')).toBe(true);
  expect(csv).toContain('"Chỉ tiêu","IND01"');
  expect(csv).toContain('Nguyễn Văn B');
  const [xlsxDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Tải Excel (XLSX)' }).click(),
  ]);
  expect(xlsxDownload.suggestedFilename()).toMatch(/\.xlsx$/);
  const xlsx = await readFile((await xlsxDownload.path())!);
  expect(xlsx.subarray(0, 2).toString()).toBe('PK');
  expect(await unzipEntry(xlsx, 'xl/workbook.xml')).toContain(' name="Tổng quan"');
  expect(await unzipEntry(xlsx, 'xl/sharedStrings.xml')).toContain('Bằng khen của Bộ trưởng');

  // The unit sent back gets the email; its form shows the previous answers and the council's comment.
  const head = units[0]!.headEmail;
  await stack.sink.waitFor(() => stack.sink.to(head).some((m) => m.subject.includes('Đề nghị chỉnh sửa')));
  expect((await stack.orm.em.fork().findOneOrFail(UnitTask, { unit: { code: units[0]!.code } })).state).toBe(
    'revision_requested',
  );
  const link = linkIn(stack.sink.to(head)[0]!.text, base);
  await page.goto(link);
  await expectText(page.locator('#revision-title'), 'Hội đồng đề nghị chỉnh sửa báo cáo');
  await expectText(page.locator('#revision-comment'), 'Bổ sung số liệu chỉ tiêu IND01 <script>alert(1)</script>');
  await expectText(page.locator('#revision-comment'), 'Đề nghị bổ sung minh chứng');
  expect(await page.inputValue('#kt-KT01-text')).toBe('Đơn vị 1 KT01');
  await screenshotViews(page, link, 'unit-head-revision');
  await screenshot(page, 'unit-head-revision-top-vi-desktop');
  expect(pageProblems(browser)).toEqual([]);
});

test('an administrator reads the council page but has no vote buttons; an auditor, like everyone, sees who voted and never how', async () => {
  const page = browser.page;
  await signIn(page, stack.baseUrl, await stack.token('admin', 'Văn phòng'));
  await page.goto(`${stack.baseUrl}/console/council/${campaign}/${period}?v=1`);
  await expectText(page.locator('main'), 'Bạn xem với vai trò chỉ đọc');
  expect(await page.getByRole('button', { name: 'Gửi phiếu' }).count()).toBe(0);
  expect(await page.locator('#proposals-table button').count()).toBe(0);
  await signIn(page, stack.baseUrl, await stack.token('auditor', 'Thanh tra'));
  await page.goto(`${stack.baseUrl}/console/council/${campaign}/${period}?v=1`);
  await expectText(page.locator('#voters'), 'Chủ tịch Hội đồng');
  expect(await page.locator('#review details').count()).toBe(0);
  expect(await page.locator('#review').innerText()).not.toContain('Đề nghị bổ sung minh chứng');
});
