/**
 * People in the console, with the real stack: an administrator adds a person (their email unique
 * in any case), creates an API token for them (shown once), and disabling the person stops their
 * session and token on the very next request; every step is on the audit record. Signing in by
 * an emailed one-time link: it works once, it expires, and asking for one answers the same for an
 * unknown email as for a known one.
 */
import { AuditEvent, Person, SignInLink } from '../db/entities';
import { assignRole, ensureFirstAdministrator, setPersonStatus } from '../api/services/people.service';
import { issueSignInLink } from '../api/services/sign-in.service';
import { signInConsole } from './support/console';
import { api, signInLinkIn } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

const SYSTEM = { kind: 'system' as const, id: 'test', origin: 'test' };
let stack: Stack;
let admin = { cookie: '', csrf: '' };
beforeAll(async () => {
  stack = await startStack();
  admin = await signInConsole(stack.baseUrl, await stack.token('admin', 'Quản trị viên'));
});
afterAll(async () => {
  await stack?.stop();
});

const cookiesOf = (res: Response): string =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

const post = (path: string, fields: Record<string, string>, session = admin) =>
  fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
  });

const actions = async (since: number): Promise<string[]> =>
  (await stack.orm.em.fork().find(AuditEvent, { seq: { $gt: since } }, { orderBy: { seq: 'asc' } })).map(
    (e) => e.action,
  );
const lastSeq = async (): Promise<number> =>
  (await stack.orm.em.fork().findOne(AuditEvent, { seq: { $gte: 0 } }, { orderBy: { seq: 'desc' } }))?.seq ?? 0;

test('when an administrator adds a person, creates their token and disables them, then the token is shown once, works, and stops with their session at once; all on the record', async () => {
  const since = await lastSeq();
  const email = `Nguyen.Van.C.${Date.now()}@Bo.Gov.Vn`;
  const added = await post('/console/access/people', {
    name: 'Nguyễn Văn C',
    email,
    role: 'council',
    scope: 'installation',
  });
  expect([added.status, added.headers.get('location')]).toEqual([303, '/console/access?ok=person']);
  const person = await stack.orm.em.fork().findOneOrFail(Person, { email: email.toLowerCase() });

  // The same email in another case is the same person: refused, naming the field.
  const again = await post('/console/access/people', {
    name: 'Người khác',
    email: email.toUpperCase(),
    role: 'auditor',
    scope: 'installation',
  });
  expect(again.status).toBe(409);
  expect(await again.text()).toContain(email.toLowerCase());
  // A role the person does not hold cannot be a token's.
  expect(
    (await post('/console/access/tokens', { person: String(person.id), role: 'admin', name: 'x', days: '30' })).status,
  ).toBe(400);

  const created = await post('/console/access/tokens', {
    person: String(person.id),
    role: 'council',
    name: 'Kịch bản xuất số liệu',
    days: '30',
  });
  expect(created.status).toBe(201);
  const token = /<code id="created-token">(bc_[A-Za-z0-9_-]+)<\/code>/.exec(await created.text())![1]!;
  const listed = await (await fetch(`${stack.baseUrl}/console/access`, { headers: { cookie: admin.cookie } })).text();
  expect(listed).toContain('Kịch bản xuất số liệu');
  expect(listed).not.toContain(token); // shown once, never again

  expect((await api(stack.baseUrl, 'GET', '/api/v1/units', { token })).status).toBe(200);
  const theirs = await signInConsole(stack.baseUrl, token);
  const councilPage = () =>
    fetch(`${stack.baseUrl}/console/council`, { headers: { cookie: theirs.cookie }, redirect: 'manual' });
  expect((await councilPage()).status).toBe(200);

  const disabled = await post(`/console/access/people/${person.id}/status`, {
    status: 'disabled',
    reason: 'thôi tham gia Hội đồng',
  });
  expect(disabled.status).toBe(303);
  expect((await councilPage()).status).toBe(303); // sent to sign in
  expect((await api(stack.baseUrl, 'GET', '/api/v1/units', { token })).status).toBe(401);
  // Enabling them again does not bring the revoked token back.
  expect(
    (await post(`/console/access/people/${person.id}/status`, { status: 'active', reason: 'quay lại' })).status,
  ).toBe(303);
  expect((await api(stack.baseUrl, 'GET', '/api/v1/units', { token })).status).toBe(401);

  const recorded = await actions(since);
  for (const action of [
    'person.created',
    'role.assigned',
    'token.created',
    'session.started',
    'person.disabled',
    'person.enabled',
  ])
    expect(recorded).toContain(action);
  const disabling = await stack.orm.em
    .fork()
    .findOneOrFail(AuditEvent, { action: 'person.disabled', subjectId: String(person.id) });
  expect(disabling.after).toMatchObject({ status: 'disabled', reason: 'thôi tham gia Hội đồng' });
  expect((disabling.after as { tokensRevoked: number[] }).tokensRevoked).toHaveLength(1);
  expect((disabling.after as { sessionsEnded: number[] }).sessionsEnded).toHaveLength(1);
});

test('when a wrong token is typed on the sign-in page, then the failure is on the record without the token', async () => {
  const since = await lastSeq();
  const form = await fetch(`${stack.baseUrl}/console/sign-in`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const res = await fetch(`${stack.baseUrl}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookiesOf(form), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: 'bc_not-a-real-token-at-all', _csrf: csrf }).toString(),
  });
  expect(res.status).toBe(401);
  const failed = await stack.orm.em
    .fork()
    .findOneOrFail(AuditEvent, { action: 'session.sign_in_failed', seq: { $gt: since } });
  expect(JSON.stringify(failed.after)).not.toContain('bc_not-a-real-token');
});

/** Asks for a sign-in link on the sign-in page; answers the page shown. */
async function askForLink(email: string): Promise<{ status: number; text: string }> {
  const form = await fetch(`${stack.baseUrl}/console/sign-in?lang=vi`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const res = await fetch(`${stack.baseUrl}/console/sign-in/email`, {
    method: 'POST',
    headers: { cookie: cookiesOf(form), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, _csrf: csrf }).toString(),
  });
  return { status: res.status, text: await res.text() };
}

/** Opens a sign-in link and presses its button; answers the POST's response. */
async function useLink(link: string): Promise<Response> {
  const page = await fetch(link);
  expect(page.status).toBe(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  return fetch(link, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookiesOf(page), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf }).toString(),
  });
}

/** The answer's page without what differs between any two answers (its CSRF token). */
const shape = (text: string): string => text.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""');

test('when a council member asks for a sign-in link, then it comes by email, works once, and the same answer is given for an unknown email', async () => {
  const { email } = await stack.person('council', 'Trần Thị D');
  const known = await askForLink(email.toUpperCase());
  const unknown = await askForLink(`khong-co-ai-${Date.now()}@bo.gov.vn`);
  expect(known.status).toBe(200);
  expect(unknown.status).toBe(known.status);
  expect(shape(unknown.text)).toBe(shape(known.text)); // no account enumeration
  expect(known.text).toContain('Nếu địa chỉ này thuộc một người dùng của hệ thống');

  await stack.sink.waitFor(() => stack.sink.to(email).length === 1);
  const message = stack.sink.to(email)[0]!;
  expect(message.subject).toBe('Đường liên kết đăng nhập baocao');
  const link = signInLinkIn(message.text);

  const first = await useLink(link);
  expect([first.status, first.headers.get('location')]).toEqual([303, '/console/council']);
  const cookie = first.headers
    .getSetCookie()
    .find((c) => c.startsWith('bc_session='))!
    .split(';')[0]!;
  expect((await fetch(`${stack.baseUrl}/console/council`, { headers: { cookie }, redirect: 'manual' })).status).toBe(
    200,
  );

  const second = await useLink(link);
  expect(second.status).toBe(410);
  expect(second.headers.getSetCookie().some((c) => c.startsWith('bc_session='))).toBe(false);

  const events = await stack.orm.em
    .fork()
    .find(AuditEvent, { action: { $in: ['session.link_requested', 'session.sign_in_failed', 'session.started'] } });
  expect(events.some((e) => e.action === 'session.link_requested')).toBe(true);
  expect(events.some((e) => e.action === 'session.started' && (e.after as { method: string }).method === 'email')).toBe(
    true,
  );
  expect(
    events.some(
      (e) =>
        e.action === 'session.sign_in_failed' &&
        (e.after as { reason: string }).reason.startsWith('sign-in link asked'),
    ),
  ).toBe(true);
  // Nothing was sent for the unknown address.
  expect(stack.sink.messages.filter((m) => m.subject === 'Đường liên kết đăng nhập baocao')).toHaveLength(1);
});

test('when a sign-in link has expired, then it opens nothing', async () => {
  const { id, email } = await stack.person('auditor', 'Lê Văn E');
  await askForLink(email);
  await stack.sink.waitFor(() => stack.sink.to(email).length === 1);
  const link = signInLinkIn(stack.sink.to(email)[0]!.text);
  const row = await stack.orm.em.fork().findOneOrFail(SignInLink, { person: id });
  expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(15 * 60_000);
  // Time passes: the link's expiry is now behind us.
  await stack.orm.em.fork().nativeUpdate(SignInLink, { id: row.id }, { expiresAt: new Date(Date.now() - 1000) });
  expect((await useLink(link)).status).toBe(410);

  // A link asked for before its person was disabled opens nothing afterwards.
  await askForLink(email);
  await stack.sink.waitFor(() => stack.sink.to(email).length === 2);
  const fresh = signInLinkIn(stack.sink.to(email)[1]!.text);
  await setPersonStatus(stack.orm.em.fork(), SYSTEM, id, 'disabled', 'rời cơ quan', new Date());
  expect((await useLink(fresh)).status).toBe(410);
});

test('when someone asks for links for the same person again and again, then at most three are sent per quarter hour, with the same answer each time', async () => {
  const { email } = await stack.person('council', 'Phạm Văn G');
  const answers = [];
  for (let i = 0; i < 5; i += 1) answers.push(await askForLink(email));
  expect(new Set(answers.map((a) => `${a.status} ${shape(a.text)}`)).size).toBe(1);
  await stack.sink.waitFor(() => stack.sink.to(email).length === 3);
  await new Promise((r) => setTimeout(r, 500));
  expect(stack.sink.to(email)).toHaveLength(3);
});

test('when npm start finds the first administrator, then the one-time link it prints signs them in once', async () => {
  const first = await ensureFirstAdministrator(
    stack.orm.em.fork(),
    SYSTEM,
    { name: 'Quản trị viên', email: 'quantri@baocao.local' },
    new Date(),
  );
  // The stack's administrator came first: they are the one found, nobody is created.
  expect(first.name).toBe('Quản trị viên');
  expect(await stack.orm.em.fork().count(Person, { email: 'quantri@baocao.local' })).toBe(0);
  const link = await issueSignInLink(stack.orm.em.fork(), SYSTEM, {
    personId: first.id,
    secret: stack.config.LINK_SECRET,
    publicUrl: stack.baseUrl,
    now: new Date(),
    minutes: 60,
  });
  const used = await useLink(link);
  expect([used.status, used.headers.get('location')]).toEqual([303, '/console/cycles']);
  expect((await useLink(link)).status).toBe(410);
});

test('when a person holds two roles, then they switch the role their session acts in, on the record', async () => {
  const { id } = await stack.person('admin', 'Thư ký Hội đồng');
  await assignRole(stack.orm.em.fork(), SYSTEM, id, { role: 'council', scope: 'installation' }, new Date());
  const session = await signInConsole(stack.baseUrl, await stack.token('admin', 'Thư ký Hội đồng', { personId: id }));
  const page = (path: string) =>
    fetch(`${stack.baseUrl}${path}`, { headers: { cookie: session.cookie }, redirect: 'manual' });
  expect(await (await page('/console/cycles')).text()).toContain('action="/console/role"');
  expect((await post('/console/role', { role: 'auditor' }, session)).status).toBe(400); // not held
  const switched = await post('/console/role', { role: 'council' }, session);
  expect([switched.status, switched.headers.get('location')]).toEqual([303, '/console/council']);
  expect((await page('/console/cycles')).status).toBe(403);
  expect((await page('/console/council')).status).toBe(200);
  const changed = await stack.orm.em.fork().findOneOrFail(AuditEvent, { action: 'session.role_changed' });
  expect([changed.before, changed.after]).toEqual([{ role: 'admin' }, { role: 'council' }]);
});
