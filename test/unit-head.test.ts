/** The unit head's link: draft and resume, validation, receipt; auditors' reads; the OpenAPI document. */
import { Submission, UnitTask } from '../db/entities';
import { answersToForm, api, currentPeriod, openCycle, timing, tokenOf, validAnswers } from './support/fixtures';
import { useStack } from './support/hooks';

const stack = useStack();
let admin: string;
let link: string;
let campaign: string;
beforeAll(async () => {
  admin = await stack.token('admin');
  const opened = await openCycle(stack, admin, {
    timing: timing({ deadline: 300, escalations: [60, 120], hardClose: 180 }),
  });
  campaign = opened.campaign;
  link = opened.links[0]!;
});

test('a unit head saves a partial draft, comes back to it, and submits; the receipt says on time', async () => {
  const token = tokenOf(link);
  const draft = await api(stack.baseUrl, 'PUT', `/api/v1/link/${token}/draft`, {
    body: { keyTasks: { KT01: { status: 'in_progress', text: 'Đang soạn <b>dở</b>' } } },
  });
  expect(draft.status).toBe(200);
  const view = await api<{ draft: { keyTasks: Record<string, { text: string }> }; state: string; canSubmit: boolean }>(
    stack.baseUrl,
    'GET',
    `/api/v1/link/${token}`,
  );
  expect(view.body).toMatchObject({ state: 'draft', canSubmit: true });
  expect(view.body.draft.keyTasks.KT01!.text).toBe('Đang soạn <b>dở</b>');

  // The form page shows the draft, with the markup escaped.
  const page = await (await fetch(link)).text();
  expect(page).toContain('Đang soạn &lt;b&gt;dở&lt;/b&gt;');
  expect(page).not.toContain('<b>dở</b>');

  // An incomplete submission is refused, every problem named, and nothing is stored.
  const invalid = await fetch(link, {
    method: 'POST',
    body: answersToForm({ ...validAnswers(), indicators: { IND01: 'nhiều' as never } }),
  });
  expect(invalid.status).toBe(400);
  expect(await invalid.text()).toContain('phải là một số <span class="hint">(indicators.IND01)</span>');
  expect(await stack.orm.em.fork().count(Submission, {})).toBe(0);

  // Saving a draft through the form keeps the unit head on the form.
  const savedThroughForm = await fetch(link, { method: 'POST', body: answersToForm(validAnswers('Nháp'), 'draft') });
  expect(savedThroughForm.status).toBe(200);
  expect(await savedThroughForm.text()).toContain('Đã lưu nháp');

  const submitted = await fetch(`${link}?lang=en`, { method: 'POST', body: answersToForm(validAnswers()) });
  expect(submitted.status).toBe(201);
  const receiptPage = await submitted.text();
  expect(receiptPage).toContain('Receipt');
  expect(receiptPage).toContain('On time');
  const receipt = await api<{ receiptNumber: string; late: boolean; version: number }>(
    stack.baseUrl,
    'GET',
    `/api/v1/link/${token}/receipt`,
  );
  expect(receipt.body).toMatchObject({ late: false, version: 1 });
  expect(receiptPage).toContain(receipt.body.receiptNumber);
  const task = await stack.orm.em.fork().findOneOrFail(UnitTask, { tokenHash: { $ne: null } });
  expect(task).toMatchObject({ state: 'submitted', draft: null });

  // A second submission is refused: the council has not asked for a revision.
  expect((await api(stack.baseUrl, 'POST', `/api/v1/link/${token}/submission`, { body: validAnswers() })).status).toBe(
    409,
  );
});

test('forged and truncated links are refused with a clear page and no data', async () => {
  const forged = `${stack.baseUrl}/r/${'A'.repeat(43)}`;
  const res = await fetch(forged);
  expect(res.status).toBe(404);
  const text = await res.text();
  expect(text).toContain('Đường liên kết không hợp lệ');
  expect(text).not.toContain('not valid'); // the refusal in the page's language
  expect((await fetch(link.slice(0, -5))).status).toBe(404);
  expect((await api(stack.baseUrl, 'GET', `/api/v1/link/${'B'.repeat(43)}`)).status).toBe(404);
});

test("an auditor reads a cycle's audit events and emails but cannot act; anonymous callers get 401", async () => {
  const auditor = await stack.token('auditor');
  const path = `/api/v1/cycles/${campaign}/${currentPeriod()}`;
  const events = await api<{ action: string; hash: string; prevHash: string }[]>(
    stack.baseUrl,
    'GET',
    `${path}/audit-events`,
    { token: auditor },
  );
  expect(events.status).toBe(200);
  expect(events.body.map((e) => e.action)).toEqual(
    expect.arrayContaining(['cycle.opened', 'task.dispatched', 'task.draft_saved', 'task.submitted']),
  );
  const emails = await api<{ kind: string; status: string }[]>(stack.baseUrl, 'GET', `${path}/emails`, {
    token: auditor,
  });
  expect(emails.body).toEqual([expect.objectContaining({ kind: 'dispatch', status: 'sent' })]);
  expect(
    (await api(stack.baseUrl, 'POST', `${path}/cancel`, { token: auditor, body: { reason: 'thử quyền' } })).status,
  ).toBe(403);
  expect((await api(stack.baseUrl, 'GET', `${path}/audit-events`)).status).toBe(401);
});

test('the OpenAPI document describes the JSON API', async () => {
  const doc = await api<{ openapi: string; paths: Record<string, unknown> }>(stack.baseUrl, 'GET', '/openapi.json');
  expect(doc.body.openapi).toMatch(/^3\./);
  expect(Object.keys(doc.body.paths)).toEqual(
    expect.arrayContaining([
      '/api/v1/cycles',
      '/api/v1/cycles/{campaign}/{period}',
      '/api/v1/link/{token}/submission',
      '/api/v1/cycles/{campaign}/{period}/ballots',
      '/api/v1/units',
      '/api/v1/units/import',
      '/api/v1/campaigns/{code}/schedule',
    ]),
  );
});
