/**
 * Set-up in the console, no JSON: an administrator previews and saves a policy, adds holidays (one
 * by one and from CSV lines, a bad line named), creates a campaign on that policy, and starts a
 * cycle on it from the console; every change is on the audit record. Forms are posted as a
 * browser without JavaScript sends them.
 */
import { AuditEvent, Cycle, Holiday, Policy, ReportTemplate } from '../db/entities';
import { signInConsole, type ConsoleSessionCookie } from './support/console';
import { createUnits, currentPeriod, eventually } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let admin: ConsoleSessionCookie;
beforeAll(async () => {
  stack = await startStack();
  admin = await signInConsole(stack.baseUrl, await stack.token('admin', 'Văn phòng'));
});
afterAll(async () => {
  await stack?.stop();
});

const post = (path: string, fields: Record<string, string>) =>
  fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: admin.csrf, ...fields }).toString(),
  });

const CALENDAR_POLICY = {
  code: 'thang-2027',
  kind: 'calendar',
  timeZone: 'Asia/Ho_Chi_Minh',
  dispatchDay: '15',
  dispatchTime: '08:00',
  deadlineDay: '20',
  deadlineTime: '17:00',
  reminderDaysBefore: '3, 1, 0',
  reminderTime: '08:00',
  escalationDay1: '1',
  escalationDay2: '3',
  hardCloseWorkingDaysAfter: '5',
  reviewWorkingDays: '5',
  revisionWorkingDays: '3',
  deadlineAfterSeconds: '600',
  reminderSecondsBefore: '300',
  escalationSecond1: '60',
  escalationSecond2: '120',
  hardCloseSecondsAfter: '180',
  reviewWindowSeconds: '600',
  revisionWindowSeconds: '600',
  maxReminders: '3',
  quorumNumerator: '2',
  quorumDenominator: '3',
  thresholdNumerator: '1',
  thresholdDenominator: '2',
  secretBallots: 'on',
};

test('when an administrator sets up a policy, holidays and a campaign in the console, then a cycle starts on them', async () => {
  const since =
    (await stack.orm.em.fork().findOne(AuditEvent, { seq: { $gte: 0 } }, { orderBy: { seq: 'desc' } }))?.seq ?? 0;

  // A bad field is named, nothing saved.
  const bad = await post('/console/setup/policies', { ...CALENDAR_POLICY, deadlineDay: '10', action: 'save' });
  expect(bad.status).toBe(400);
  expect(await bad.text()).toContain('deadlineDay');
  expect(await stack.orm.em.fork().count(Policy, { code: 'thang-2027' })).toBe(0);

  // The preview shows the next cycle's dates from the real calendar, saves nothing.
  const preview = await post('/console/setup/policies', { ...CALENDAR_POLICY, action: 'preview' });
  expect(preview.status).toBe(200);
  const previewPage = await preview.text();
  expect(previewPage).toContain('Lịch dự kiến của kỳ');
  expect(previewPage).toMatch(/Hạn nộp<\/dt><dd>[^<]*20/);
  expect(await stack.orm.em.fork().count(Policy, { code: 'thang-2027' })).toBe(0);

  const saved = await post('/console/setup/policies', { ...CALENDAR_POLICY, action: 'save' });
  expect([saved.status, saved.headers.get('location')]).toEqual([303, '/console/setup/policies?code=thang-2027&ok=1']);
  const policy = await stack.orm.em.fork().findOneOrFail(Policy, { code: 'thang-2027' });
  expect(policy.definition.timing).toMatchObject({ kind: 'calendar', deadlineDay: 20, reminderDaysBefore: [3, 1, 0] });

  // Holidays: one, then CSV lines; a bad line is named and none of its batch is added.
  expect((await post('/console/setup/holidays', { date: '2027-09-02', name: 'Quốc khánh' })).status).toBe(303);
  const badCsv = await post('/console/setup/holidays/import', { csv: '2027-01-01,Tết Dương lịch\n2027-13-01,Sai' });
  expect(badCsv.status).toBe(400);
  expect(await badCsv.text()).toContain('2027-13-01');
  expect(await stack.orm.em.fork().count(Holiday, { date: '2027-01-01' })).toBe(0);
  const csv = await post('/console/setup/holidays/import', {
    csv: 'date,name\n2027-01-01,Tết Dương lịch\n2027-04-30,Ngày Giải phóng miền Nam',
  });
  expect(csv.status).toBe(303);
  const listed = await (
    await fetch(`${stack.baseUrl}/console/setup/holidays?year=2027`, { headers: { cookie: admin.cookie } })
  ).text();
  for (const name of ['Quốc khánh', 'Tết Dương lịch', 'Ngày Giải phóng miền Nam']) expect(listed).toContain(name);

  // A campaign on the new policy, then a cycle on it from the console.
  const campaignForm = await (
    await fetch(`${stack.baseUrl}/console/setup/campaigns`, { headers: { cookie: admin.cookie } })
  ).text();
  const template = /name="templateCode"><option value="([^"]+)"/.exec(campaignForm)![1]!;
  const created = await post('/console/setup/campaigns', {
    code: 'thi-dua-2027',
    name: 'Thi đua thực hiện Chỉ thị 2027',
    templateCode: template,
    policyCode: 'thang-2027',
    active: 'on',
  });
  expect(created.status).toBe(303);
  expect(
    (
      await post('/console/setup/campaigns', {
        code: 'thi dua',
        name: 'x',
        templateCode: template,
        policyCode: 'thang-2027',
      })
    ).status,
  ).toBe(400);
  await createUnits(stack.orm, 1);
  const period = currentPeriod();
  const started = await post('/console/cycles', { campaign: 'thi-dua-2027', period });
  expect(started.status).toBe(303);
  await eventually(
    async () =>
      (await stack.orm.em.fork().count(Cycle, { campaign: { code: 'thi-dua-2027' }, period })) === 1 ? true : undefined,
    { what: 'the cycle on the new campaign' },
  );

  const actions = (
    await stack.orm.em.fork().find(AuditEvent, { seq: { $gt: since } }, { orderBy: { seq: 'asc' } })
  ).map((e) => e.action);
  for (const action of ['policy.created', 'holiday.added', 'campaign.created']) expect(actions).toContain(action);
  expect(actions.filter((a) => a === 'holiday.added')).toHaveLength(3);
});

/** The fields a browser would send for the form `id` of `page` as it stands (ticked boxes, selected options). */
function formFields(page: string, id: string): Record<string, string> {
  const form = new RegExp(`<form[^>]*id="${id}"[^>]*>([\\s\\S]*?)</form>`).exec(page)![1]!;
  const fields: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    if (!name) continue;
    if (/type="checkbox"/.test(tag) && !/ checked/.test(tag)) continue;
    fields[name] = (/value="([^"]*)"/.exec(tag)?.[1] ?? '').replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  }
  for (const [, name, options] of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    fields[name!] = (/<option value="([^"]*)" selected/.exec(options!) ??
      /<option value="([^"]*)"/.exec(options!))![1]!;
  }
  return fields;
}

test('when an administrator makes a new template version in the console, then it is stored as the next version and the used one stays as it was', async () => {
  const campaigns = await (
    await fetch(`${stack.baseUrl}/console/setup/campaigns`, { headers: { cookie: admin.cookie } })
  ).text();
  const code = /name="templateCode"><option value="([^"]+)"/.exec(campaigns)![1]!;
  const before = await stack.orm.em.fork().findOneOrFail(ReportTemplate, { code }, { orderBy: { version: 'desc' } });
  const editor = await (
    await fetch(`${stack.baseUrl}/console/setup/templates/${code}`, { headers: { cookie: admin.cookie } })
  ).text();
  const fields = formFields(editor, 'template-editor');
  const [first, second] = before.definition.keyTasks;
  const blank = before.definition.keyTasks.length; // the first blank row
  Object.assign(fields, {
    'kt.0.remove': 'on', // the first key task goes
    'kt.1.order': '99', // the second moves to the end
    [`kt.${blank}.code`]: 'KT-MOI',
    [`kt.${blank}.order`]: '1', // a new one comes first
    [`kt.${blank}.vi`]: 'Chuyển đổi số cấp xã',
    [`kt.${blank}.en`]: 'Digital transformation of communes',
    'ind.0.targetKind': 'at_least',
    'ind.0.targetValue': '42.5',
  });
  const preview = await post(`/console/setup/templates/${code}`, { ...fields, action: 'preview' });
  expect(preview.status).toBe(200);
  // The preview is the unit head's form itself, disabled: the new key task's fields, the new target.
  const previewed = await preview.text();
  const form = /<section class="card" id="template-preview"[\s\S]*?<\/section>/.exec(previewed)?.[0] ?? '';
  expect(form).toContain('<fieldset disabled>');
  expect(form).toContain('KT-MOI. Chuyển đổi số cấp xã');
  expect(form).toContain('id="kt-KT-MOI-text"');
  expect(form).toContain('Chỉ tiêu đề ra: tối thiểu 42,5');
  expect(form).not.toContain('method="post"');
  const unchanged = await stack.orm.em.fork().count(ReportTemplate, { code });

  // A bad indicator bound is named; nothing is stored.
  const bad = await post(`/console/setup/templates/${code}`, { ...fields, 'ind.0.min': 'nhiều', action: 'save' });
  expect(bad.status).toBe(400);
  expect(await bad.text()).toContain('ind.0.min');
  expect(await stack.orm.em.fork().count(ReportTemplate, { code })).toBe(unchanged);

  const saved = await post(`/console/setup/templates/${code}`, { ...fields, action: 'save' });
  expect([saved.status, saved.headers.get('location')]).toEqual([
    303,
    `/console/setup/templates/${code}?saved=${before.version + 1}`,
  ]);
  const next = await stack.orm.em.fork().findOneOrFail(ReportTemplate, { code, version: before.version + 1 });
  const codes = next.definition.keyTasks.map((k) => k.code);
  expect(codes[0]).toBe('KT-MOI');
  expect(codes.at(-1)).toBe(second!.code);
  expect(codes).not.toContain(first!.code);
  expect(next.definition.indicators[0]!.target).toEqual({ kind: 'at_least', value: 42.5 });
  const old = await stack.orm.em.fork().findOneOrFail(ReportTemplate, { code, version: before.version });
  expect(old.definition).toEqual(before.definition);
});
