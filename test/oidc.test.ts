/**
 * Signing in through OpenID Connect against a real provider (the certified `oidc-provider`)
 * started here, configured as an installation would be: a confidential client with a secret,
 * PKCE required, the `email` claim. The browser's part (sign-in page, provider's login and consent
 * forms, the way back) is walked over plain HTTP with a cookie jar per site. A good sign-in opens a
 * session; a wrong state, a replayed code and an unknown email are refused and on the record.
 */
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { AuditEvent } from '../db/entities';
import { freePort } from '../scripts/lib/project';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let server: Server;
let issuer = '';

beforeAll(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  stack = await startStack({
    env: {
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: 'baocao',
      OIDC_CLIENT_SECRET: 'the-client-secret-registered-at-the-provider',
      OIDC_NAME: 'Cổng định danh thử',
    },
  });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'baocao',
        client_secret: 'the-client-secret-registered-at-the-provider',
        redirect_uris: [`${stack.baseUrl}/console/sign-in/oidc/callback`],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Whoever logs in at the provider's (development) login form is the account of that email.
    findAccount: (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: () => ({ sub, email: sub, email_verified: true }),
    }),
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['a-cookie-signing-key-of-the-provider'] },
  });
  server = provider.listen(port);
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await stack?.stop();
});

/** Cookies of one site, as a browser keeps them. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c) || /max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

/**
 * From the sign-in page's button to the provider's login and consent forms, logged in as
 * `email`; answers the URL the provider sends the browser back to (not followed) and the app's jar.
 */
async function throughProvider(email: string): Promise<{ callback: string; app: Jar }> {
  const app = new Jar();
  const idp = new Jar();
  const page = await (await fetch(`${stack.baseUrl}/console/sign-in`)).text();
  expect(page).toContain('Đăng nhập bằng Cổng định danh thử');
  const start = await fetch(`${stack.baseUrl}/console/sign-in/oidc?next=/console`, { redirect: 'manual' });
  app.take(start);
  let url = start.headers.get('location')!;
  expect(url.startsWith(`${issuer}/`)).toBe(true);
  expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');
  for (let step = 0; step < 12; step += 1) {
    if (url.startsWith(stack.baseUrl)) return { callback: url, app };
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: idp.header() } });
    idp.take(res);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no form on the provider's page ${url} (${res.status}):\n${html.slice(0, 500)}`);
    const hidden = Object.fromEntries(
      [...html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    const fields = html.includes('name="login"') ? { ...hidden, login: email, password: 'any password' } : hidden;
    const sent = await fetch(new URL(action, url), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: idp.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    idp.take(sent);
    url = new URL(sent.headers.get('location')!, url).href;
  }
  throw new Error('the provider did not send the browser back');
}

const back = (callback: string, app: Jar) => fetch(callback, { redirect: 'manual', headers: { cookie: app.header() } });

const failures = async (): Promise<string[]> =>
  (await stack.orm.em.fork().find(AuditEvent, { action: 'session.sign_in_failed' }, { orderBy: { seq: 'asc' } }))
    .filter((e) => (e.after as { method: string }).method === 'oidc')
    .map((e) => (e.after as { reason: string }).reason);

test('when a person signs in through the identity provider, then a session opens; the same code twice is refused', async () => {
  const { email } = await stack.person('admin', 'Quản trị viên OIDC');
  const { callback, app } = await throughProvider(email.toUpperCase());
  const kept = app.header(); // what someone replaying the answer would also hold
  const res = await back(callback, app);
  expect(res.status).toBe(200);
  app.take(res);
  expect(await res.text()).toContain('href="/console/cycles"');
  const cycles = await fetch(`${stack.baseUrl}/console/cycles`, {
    headers: { cookie: `bc_session=${app.get('bc_session')}` },
    redirect: 'manual',
  });
  expect(cycles.status).toBe(200);
  const started = await stack.orm.em
    .fork()
    .find(AuditEvent, { action: 'session.started' }, { orderBy: { seq: 'desc' }, limit: 1 });
  expect(started[0]!.after).toMatchObject({ method: 'oidc', role: 'admin' });

  // The same answer again (code and state, with the cookie it went with): the provider refuses the used code.
  const replayed = await fetch(callback, { redirect: 'manual', headers: { cookie: kept } });
  expect(replayed.status).toBe(401);
  expect(
    replayed.headers.getSetCookie().some((c) => c.startsWith('bc_session=') && !c.startsWith('bc_session=;')),
  ).toBe(false);
  expect((await failures()).at(-1)).toMatch(/^identity provider answer refused/);
});

test('when the state that comes back is not the one sent, then nothing opens', async () => {
  const { email } = await stack.person('council', 'Thành viên OIDC');
  const { callback, app } = await throughProvider(email);
  const forged = new URL(callback);
  forged.searchParams.set('state', 'a-state-this-browser-never-sent');
  const res = await back(forged.href, app);
  app.take(res);
  expect(res.status).toBe(401);
  expect(await res.text()).toContain('Không đăng nhập được qua nhà cung cấp định danh');
  expect((await failures()).at(-1)).toMatch(/^identity provider answer refused/);
  // The genuine answer does not work afterwards either: the attempt's cookie is gone.
  expect((await back(callback, app)).status).toBe(401);
});

test('when the provider vouches for an email nobody has here, then nothing opens', async () => {
  const { callback, app } = await throughProvider(`nguoi-la-${Date.now()}@ngoai.example.org`);
  const res = await back(callback, app);
  expect(res.status).toBe(401);
  expect((await failures()).at(-1)).toMatch(/^no active person with a role has the email nguoi-la-/);
});
