/**
 * How a unit head prepares a report: starting from last month's answers, giving a staff member a
 * link that only drafts, and a form that saves itself — through a cut connection — and asks before
 * unsaved changes are left behind.
 */
import { sha256 } from '../auth/tokens';
import { AuditEvent, DraftLink, Submission, UnitTask } from '../db/entities';
import { defaultTemplate } from '../db/seed-data/default-template';
import { expectText, pageProblems, PHONE } from './support/browser';
import {
  answersToForm,
  api,
  eventually,
  expectStatus,
  linkIn,
  openCycle,
  submitByLink,
  tokenOf,
  validAnswers,
  type TestUnit,
} from './support/fixtures';
import { useBrowser, useStack } from './support/hooks';
import type { Stack } from './support/stack';

const stack = useStack();
const browser = useBrowser();
let admin: string;
beforeAll(async () => {
  admin = await stack.token('admin', 'Văn phòng');
});

/** The link in the latest email a unit's head received (a second cycle's, once it came). */
async function latestLink(s: Stack, unit: TestUnit, count: number): Promise<string> {
  await s.sink.waitFor(() => s.sink.to(unit.headEmail).length >= count);
  const mails = s.sink.to(unit.headEmail);
  return linkIn(mails[mails.length - 1]!.text, s.baseUrl);
}

/** The task behind a head's link, read afresh. */
const taskOf = (link: string) => stack.orm.em.fork().findOneOrFail(UnitTask, { tokenHash: sha256(tokenOf(link)) });

const KT1 = defaultTemplate.keyTasks[0]!.code;
const KT2 = defaultTemplate.keyTasks[1]!.code;

test("when a unit head starts from last month's answers, then the form holds them to edit, and what is submitted is the edited report", async () => {
  const first = await openCycle(stack, admin, { period: '2026-09' });
  const unit = first.units[0]!;
  const lastMonth = validAnswers('Tháng 9');
  await expectStatus(submitByLink(stack.baseUrl, first.links[0]!, lastMonth), 201);
  const second = await openCycle(stack, admin, { campaign: first.campaign, units: [unit], period: '2026-10' });
  void second;
  const link = await latestLink(stack, unit, 2);

  const { page } = browser;
  await page.setViewportSize(PHONE);
  await page.goto(link);
  await expectText(page.locator('#from-previous'), '2026-09');
  await page.getByRole('button', { name: /Điền sẵn từ báo cáo kỳ 2026-09/ }).click();
  await expectText(page.locator('[role=status]').first(), 'Đã điền sẵn nội dung báo cáo kỳ 2026-09');

  // The key tasks, indicators, sections and recommendations came over; examples and proposals did not.
  expect(await page.locator(`#kt-${KT1}-text`).inputValue()).toBe(lastMonth.keyTasks[KT1]!.text);
  const firstIndicator = defaultTemplate.indicators[0]!.code;
  expect(await page.locator(`#ind-${firstIndicator}`).inputValue()).toBe(
    String(lastMonth.indicators[firstIndicator]).replace('.', ','),
  );
  expect(await page.locator('#recommendations').inputValue()).toBe(lastMonth.recommendations);
  expect(await page.locator('#ex-0-name').inputValue()).toBe('');
  expect(await page.locator('#from-previous').count()).toBe(0);

  // The head edits for this month and submits.
  await page.locator(`#kt-${KT1}-text`).fill('Tháng 10: hoàn thành số hoá');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Nộp báo cáo' }).click();
  await expectText(page.locator('#receipt-number'), /BC-/);

  const task = await taskOf(link);
  const stored = await stack.orm.em.fork().findOneOrFail(Submission, { task: task.id });
  expect(stored.answers.keyTasks[KT1]!.text).toBe('Tháng 10: hoàn thành số hoá');
  expect(stored.answers.keyTasks[KT2]!.text).toBe(lastMonth.keyTasks[KT2]!.text);
  expect(stored.answers.examples).toEqual([]);
  expect(stored.answers.proposals).toEqual([]);
  const prefilled = await stack.orm.em
    .fork()
    .findOneOrFail(AuditEvent, { action: 'task.draft_prefilled', subjectId: String(task.id) });
  expect(prefilled.after).toMatchObject({ fromPeriod: '2026-09', fromVersion: 1 });
  expect(pageProblems(browser)).toEqual([]);

  // Once a draft exists, starting over from last month is refused rather than overwriting it.
  const third = await openCycle(stack, admin, { campaign: first.campaign, units: [unit], period: '2026-11' });
  void third;
  const next = tokenOf(await latestLink(stack, unit, 3));
  await expectStatus(api(stack.baseUrl, 'PUT', `/api/v1/link/${next}/draft`, { body: { recommendations: 'x' } }), 200);
  const refused = await api<{ code: string }>(stack.baseUrl, 'POST', `/api/v1/link/${next}/draft/from-previous`);
  expect([refused.status, refused.body.code]).toEqual([409, 'draft_not_empty']);

  // A unit with no earlier report is told so.
  const fresh = await openCycle(stack, admin);
  const none = await api<{ code: string }>(
    stack.baseUrl,
    'POST',
    `/api/v1/link/${tokenOf(fresh.links[0]!)}/draft/from-previous`,
  );
  expect([none.status, none.body.code]).toEqual([404, 'no_previous_report']);
});

test('when a unit head gives a staff member a draft-only link, then the staff member drafts under their name but cannot submit, and the link stops when withdrawn', async () => {
  const cycle = await openCycle(stack, admin);
  const headLink = cycle.links[0]!;

  // The head creates the link on the form page (no script needed); it is shown once.
  const created = await fetch(headLink, {
    method: 'POST',
    body: new URLSearchParams({ action: 'draft_link_create', holderName: '  Trần   Thị Soạn ' }),
  });
  expect(created.status).toBe(200);
  const page = await created.text();
  const staffLink = /id="new-draft-link" readonly value="([^"]+)"/.exec(page)?.[1];
  expect(staffLink).toMatch(new RegExp(`^${stack.baseUrl}/r/[A-Za-z0-9_-]{43}$`));
  expect(page).toContain('Trần Thị Soạn');
  const again = await (await fetch(headLink)).text();
  expect(again).not.toContain(staffLink!);
  expect(again).toContain('Trần Thị Soạn');

  // A bad name is refused, naming the field.
  const bad = await fetch(headLink, {
    method: 'POST',
    body: new URLSearchParams({ action: 'draft_link_create', holderName: 'x' }),
  });
  expect(bad.status).toBe(400);
  expect(await bad.text()).toContain('Họ tên cán bộ soạn thảo');

  // The staff member's page: a banner with their name, a save button and no submit button.
  const staffPage = await (await fetch(staffLink!)).text();
  expect(staffPage).toContain('id="staff-banner"');
  expect(staffPage).toContain('value="draft"');
  expect(staffPage).not.toContain('value="submit"');
  expect(staffPage).not.toContain('id="draft-links"');

  // They save a draft through the form; it is stored under their name, on the record as theirs.
  const draft = validAnswers('Soạn giúp');
  const saved = await fetch(staffLink!, { method: 'POST', body: answersToForm(draft, 'draft') });
  expect(saved.status).toBe(200);
  const task = await taskOf(headLink);
  expect(task.draftSavedBy).toBe('Trần Thị Soạn');
  expect(task.draft?.keyTasks?.[KT1]?.text).toBe(draft.keyTasks[KT1]!.text);
  const link = await stack.orm.em.fork().findOneOrFail(DraftLink, { task: task.id });
  const drafted = await stack.orm.em
    .fork()
    .findOneOrFail(
      AuditEvent,
      { action: 'task.draft_saved', subjectId: String(task.id) },
      { orderBy: { seq: 'desc' } },
    );
  expect([drafted.actorId, drafted.after]).toEqual([
    `task:${task.id}:draft-link:${link.id}`,
    expect.objectContaining({ savedBy: 'Trần Thị Soạn' }),
  ]);
  expect(await (await fetch(headLink)).text()).toContain('bởi Trần Thị Soạn');

  // Submitting with the staff link is refused, through the form and the JSON API; nothing is stored.
  const viaForm = await fetch(staffLink!, { method: 'POST', body: answersToForm(draft, 'submit') });
  expect(viaForm.status).toBe(403);
  expect(await viaForm.text()).toContain('chỉ dùng để soạn thảo');
  const viaApi = await submitByLink(stack.baseUrl, staffLink!, draft);
  expect([viaApi.status, (viaApi.body as unknown as { code: string }).code]).toEqual([403, 'draft_link_cannot_submit']);
  const listed = await api(stack.baseUrl, 'GET', `/api/v1/link/${tokenOf(staffLink!)}/draft-links`);
  expect(listed.status).toBe(403);
  expect(await stack.orm.em.fork().count(Submission, { task: task.id })).toBe(0);

  // The head withdraws it: the staff link answers 410 with the reason, and cannot save any more.
  const withdrawn = await fetch(headLink, {
    method: 'POST',
    body: new URLSearchParams({ action: 'draft_link_revoke', draftLink: String(link.id) }),
  });
  expect(withdrawn.status).toBe(200);
  const gone = await fetch(staffLink!);
  expect(gone.status).toBe(410);
  expect(await gone.text()).toContain('đã thu hồi');
  const late = await api(stack.baseUrl, 'PUT', `/api/v1/link/${tokenOf(staffLink!)}/draft`, {
    body: { recommendations: 'x' },
  });
  expect(late.status).toBe(410);

  // The head submits what the staff member prepared.
  await expectStatus(submitByLink(stack.baseUrl, headLink, draft), 201);
  const actions = (
    await stack.orm.em.fork().find(AuditEvent, { subjectId: String(task.id), subjectType: 'unit_task' })
  ).map((e) => e.action);
  expect(actions).toEqual(
    expect.arrayContaining(['task.draft_link_created', 'task.draft_link_revoked', 'task.submitted']),
  );
});

test('when a unit head types, the connection is cut, they type more and it returns, then the stored draft holds every change', async () => {
  const cycle = await openCycle(stack, admin);
  const link = cycle.links[0]!;
  const { page } = browser;
  await page.setViewportSize(PHONE);
  await page.goto(link);

  const draftText = async (code: string) => (await taskOf(link)).draft?.keyTasks?.[code]?.text;

  // Typing saves a draft a few seconds later, and says when.
  await page.locator(`#kt-${KT1}-text`).fill('Trước khi mất mạng');
  await expectText(page.locator('#autosave-status'), /Đã lưu lúc \d{2}:\d{2}/);
  expect(await draftText(KT1)).toBe('Trước khi mất mạng');

  // The API is unreachable: the page says so, the changes wait on the device.
  await page.route('**/draft*', (route) => route.abort('internetdisconnected'));
  await page.locator(`#kt-${KT2}-text`).fill('Trong lúc mất mạng');
  await page.locator('#recommendations').fill('Kiến nghị gõ khi mất mạng');
  await expectText(page.locator('#autosave-status'), 'Mất kết nối');
  expect(await draftText(KT2)).toBeFalsy();

  // Even a reload while cut off keeps them: they come back from the device.
  await page.reload();
  expect(await page.locator(`#kt-${KT2}-text`).inputValue()).toBe('Trong lúc mất mạng');
  await expectText(page.locator('#autosave-status'), /khôi phục|Mất kết nối/);

  // The connection returns: everything typed reaches the stored draft.
  await page.unroute('**/draft*');
  await expectText(page.locator('#autosave-status'), /Đã lưu lúc/, 20_000);
  const task = await eventually(async () => {
    const t = await taskOf(link);
    return t.draft?.recommendations === 'Kiến nghị gõ khi mất mạng' ? t : undefined;
  });
  expect(task.draft?.keyTasks?.[KT1]?.text).toBe('Trước khi mất mạng');
  expect(task.draft?.keyTasks?.[KT2]?.text).toBe('Trong lúc mất mạng');
  // Saving itself every few seconds is one session of writing on the record, not one event per save.
  const draftEvents = await stack.orm.em
    .fork()
    .find(AuditEvent, { action: 'task.draft_saved', subjectType: 'unit_task', subjectId: String(task.id) });
  expect(draftEvents.map((e) => e.after)).toEqual([expect.objectContaining({ savedBy: task.draftSavedBy })]);

  // Leaving with a change not yet saved asks first.
  await page.locator(`#kt-${KT1}-text`).fill('Chưa kịp lưu');
  const asked = new Promise<string>((resolve) =>
    page.once('dialog', (dialog) => {
      resolve(dialog.type());
      void dialog.dismiss();
    }),
  );
  void page.close({ runBeforeUnload: true });
  expect(await asked).toBe('beforeunload');
  expect(pageProblems(browser).filter((p) => !/internetdisconnected|ERR_INTERNET_DISCONNECTED/.test(p))).toEqual([]);
});
