/**
 * Access that ends: a console session ends at sign-out (its cookie, kept or copied, opens nothing
 * afterwards), administrators list and end sessions, tokens expire and can be revoked (ending
 * their sessions), and the token `npm start` prints is short-lived and replaced at each start.
 */
import { createApiToken } from '../api/http/auth';
import { replaceShortLivedToken, revokeToken } from '../api/services/access.service';
import { newApiToken } from '../auth/tokens';
import { ApiToken, AuditEvent, ConsoleSession } from '../db/entities';
import { signInConsole } from './support/console';
import { api } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let admin = '';
beforeAll(async () => {
  stack = await startStack();
  admin = await stack.token('admin', 'Quản trị viên');
});
afterAll(async () => {
  await stack?.stop();
});

const signIn = (token: string) => signInConsole(stack.baseUrl, token);

/** 200 when the cookie opens the page, 303 (to sign in) when it does not. */
const cyclesPage = async (cookie: string): Promise<number> =>
  (await fetch(`${stack.baseUrl}/console/cycles`, { headers: { cookie }, redirect: 'manual' })).status;

async function tokenWith(
  role: 'admin' | 'council' | 'auditor',
  expiresAt: Date,
): Promise<{ token: string; id: number }> {
  const { id: personId } = await stack.person(role, `thử ${role}`);
  const token = newApiToken();
  const id = await createApiToken(stack.orm.em.fork(), { personId, name: `thử ${role}`, role, expiresAt }, token);
  return { token, id };
}

test('when a member signs out, then the session cookie stops working, even a copy kept from before', async () => {
  const session = await signIn(admin);
  expect(await cyclesPage(session.cookie)).toBe(200);
  const out = await fetch(`${stack.baseUrl}/console/sign-out`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: session.csrf }).toString(),
  });
  expect(out.status).toBe(303);
  expect(await cyclesPage(session.cookie)).toBe(303);
  const row = await stack.orm.em
    .fork()
    .findOneOrFail(ConsoleSession, { endReason: 'signed out' }, { orderBy: { id: 'desc' } });
  expect(row.endedAt).not.toBeNull();
  expect(await stack.orm.em.fork().count(AuditEvent, { action: 'session.ended', subjectId: String(row.id) })).toBe(1);
});

test('when sessions are open, then an administrator lists them and can end one, which stops its cookie', async () => {
  const auditor = await stack.token('auditor', 'Kiểm tra viên');
  const session = await signIn(auditor);
  const listed = await api<{ id: number; name: string; role: string }[]>(stack.baseUrl, 'GET', '/api/v1/sessions', {
    token: admin,
  });
  expect(listed.status).toBe(200);
  const mine = listed.body.find((s) => s.name === 'Kiểm tra viên');
  expect(mine).toEqual(expect.objectContaining({ role: 'auditor' }));
  expect(JSON.stringify(listed.body)).not.toContain(session.cookie.split('=')[1]);
  expect(
    (
      await api(stack.baseUrl, 'POST', `/api/v1/sessions/${mine!.id}/end`, {
        token: admin,
        body: { reason: 'máy bị mất' },
      })
    ).status,
  ).toBe(200);
  expect(
    (await fetch(`${stack.baseUrl}/console/audit`, { headers: { cookie: session.cookie }, redirect: 'manual' })).status,
  ).toBe(303);
  expect(
    (await api<{ id: number }[]>(stack.baseUrl, 'GET', '/api/v1/sessions', { token: admin })).body.map((s) => s.id),
  ).not.toContain(mine!.id);
  expect(
    (
      await api(stack.baseUrl, 'POST', `/api/v1/sessions/${mine!.id}/end`, {
        token: admin,
        body: { reason: 'lần nữa' },
      })
    ).status,
  ).toBe(404);
});

test('when a token is revoked through the API, then it gets 401, its sessions end, and the list shows it revoked', async () => {
  const { token, id } = await tokenWith('council', new Date(Date.now() + 86_400_000));
  const session = await signIn(token);
  expect(
    (await fetch(`${stack.baseUrl}/console/council`, { headers: { cookie: session.cookie }, redirect: 'manual' }))
      .status,
  ).toBe(200);
  expect((await api(stack.baseUrl, 'GET', '/api/v1/units', { token })).status).toBe(200);
  const revoked = await api<{ state: string }>(stack.baseUrl, 'POST', `/api/v1/tokens/${id}/revoke`, {
    token: admin,
    body: { reason: 'rời Hội đồng' },
  });
  expect(revoked).toEqual({ status: 200, body: expect.objectContaining({ id, state: 'revoked' }) });
  expect((await api(stack.baseUrl, 'GET', '/api/v1/units', { token })).status).toBe(401);
  expect(
    (await fetch(`${stack.baseUrl}/console/council`, { headers: { cookie: session.cookie }, redirect: 'manual' }))
      .status,
  ).toBe(303);
  const listed = await api<{ id: number; state: string }[]>(stack.baseUrl, 'GET', '/api/v1/tokens', { token: admin });
  expect(listed.body.find((t) => t.id === id)?.state).toBe('revoked');
  expect(JSON.stringify(listed.body)).not.toMatch(/bc_[A-Za-z0-9_-]{20}|tokenHash|token_hash/);
  expect(
    (await api(stack.baseUrl, 'POST', '/api/v1/tokens/999999/revoke', { token: admin, body: { reason: 'không có' } }))
      .status,
  ).toBe(404);
  const [event] = await stack.orm.em.fork().find(AuditEvent, { action: 'token.revoked', subjectId: String(id) });
  expect(event!.after).toEqual(
    expect.objectContaining({ reason: 'rời Hội đồng', sessionsEnded: [expect.any(Number)] }),
  );
});

test('when a token is revoked from the command line (token:revoke), then it gets 401 at once', async () => {
  const { token, id } = await tokenWith('auditor', new Date(Date.now() + 86_400_000));
  expect((await api(stack.baseUrl, 'GET', '/api/v1/audit/verify', { token })).status).toBe(200);
  await revokeToken(
    stack.orm.em.fork(),
    { kind: 'system', id: 'npm run token:revoke', origin: 'test' },
    id,
    'revoked from the command line',
    new Date(),
  );
  expect((await api(stack.baseUrl, 'GET', '/api/v1/audit/verify', { token })).status).toBe(401);
});

test('when a token has expired, then the API answers 401 and the sign-in page refuses it; a session ends no later than its token', async () => {
  const expired = await tokenWith('admin', new Date(Date.now() - 1000));
  const res = await api<{ message: string }>(stack.baseUrl, 'GET', '/api/v1/units', { token: expired.token });
  expect(res.status).toBe(401);
  expect(res.body.message).toMatch(/expired/);
  const form = await fetch(`${stack.baseUrl}/console/sign-in`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const refused = await fetch(`${stack.baseUrl}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: form.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; '),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token: expired.token, _csrf: csrf, next: '/console' }).toString(),
  });
  expect(refused.status).toBe(401);

  const tokenExpiry = new Date(Date.now() + 5000);
  const shortLived = await tokenWith('admin', tokenExpiry);
  const session = await signIn(shortLived.token);
  expect(await cyclesPage(session.cookie)).toBe(200);
  const row = await stack.orm.em.fork().findOneOrFail(ConsoleSession, { token: shortLived.id });
  expect(row.expiresAt.getTime()).toBeLessThanOrEqual(tokenExpiry.getTime());
  await new Promise((r) => setTimeout(r, tokenExpiry.getTime() - Date.now() + 200));
  expect(await cyclesPage(session.cookie)).toBe(303);
  expect((await api(stack.baseUrl, 'GET', '/api/v1/units', { token: shortLived.token })).status).toBe(401);
});

test('when the product starts again (npm start), then the token it printed before is revoked and the new one works for 12 hours at most', async () => {
  const { id: personId } = await stack.person('admin', 'Quản trị viên đầu tiên');
  const options = { personId, name: 'npm start (this machine)', role: 'admin' as const, hours: 12, actor: 'npm start' };
  const first = await replaceShortLivedToken(stack.orm.em.fork(), options);
  expect((await api(stack.baseUrl, 'GET', '/api/v1/units', { token: first })).status).toBe(200);
  const second = await replaceShortLivedToken(stack.orm.em.fork(), options);
  expect((await api(stack.baseUrl, 'GET', '/api/v1/units', { token: first })).status).toBe(401);
  expect((await api(stack.baseUrl, 'GET', '/api/v1/units', { token: second })).status).toBe(200);
  const working = await stack.orm.em.fork().find(ApiToken, { name: options.name, revokedAt: null });
  expect(working).toHaveLength(1);
  expect(working[0]!.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 12 * 3_600_000);
});

test("when an administrator uses the console's access page, then it lists open sessions and tokens, and ending a session or revoking a token takes effect at once", async () => {
  const me = await signIn(admin);
  const { token, id } = await tokenWith('council', new Date(Date.now() + 86_400_000));
  const theirs = await signIn(token);
  const page = await (await fetch(`${stack.baseUrl}/console/access`, { headers: { cookie: me.cookie } })).text();
  expect(page).toContain('Phiên đăng nhập đang mở');
  expect(page).toContain('thử council');
  expect(page).not.toContain(theirs.cookie.split('=')[1]);
  const row = await stack.orm.em.fork().findOneOrFail(ConsoleSession, { token: id, endedAt: null });
  const post = (path: string, reason: string) =>
    fetch(`${stack.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: me.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: me.csrf, reason }).toString(),
    });
  expect((await post(`/console/access/sessions/${row.id}/end`, 'x')).status).toBe(400); // a reason is needed
  expect(
    (await fetch(`${stack.baseUrl}/console/council`, { headers: { cookie: theirs.cookie }, redirect: 'manual' }))
      .status,
  ).toBe(200);
  const ended = await post(`/console/access/sessions/${row.id}/end`, 'thiết bị bị mất');
  expect([ended.status, ended.headers.get('location')]).toEqual([303, '/console/access?ok=ended']);
  expect(
    (await fetch(`${stack.baseUrl}/console/council`, { headers: { cookie: theirs.cookie }, redirect: 'manual' }))
      .status,
  ).toBe(303);
  expect((await api(stack.baseUrl, 'GET', '/api/v1/units', { token })).status).toBe(200);
  expect((await post(`/console/access/tokens/${id}/revoke`, 'rời Hội đồng')).status).toBe(303);
  expect((await api(stack.baseUrl, 'GET', '/api/v1/units', { token })).status).toBe(401);
  expect((await post('/console/access/tokens/999999/revoke', 'không có')).status).toBe(404);
});
