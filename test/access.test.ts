/**
 * Route × role: every route of the API, taken from the app's own route table (so a new route
 * cannot escape), called by every kind of caller. Routes with roles answer 401 to anonymous
 * callers and 403 to roles they do not admit — before looking at the request's body — and
 * auditors can change nothing. Routes without roles must be on the public list below.
 */
import { AuditEvent } from '../db/entities';
import { eventually, openCycle, tokenOf } from './support/fixtures';
import { useStack } from './support/hooks';
import { requestFrom } from './support/peer';

const stack = useStack();
const tokens: Record<string, string | undefined> = { anonymous: undefined };
beforeAll(async () => {
  for (const role of ['admin', 'council', 'auditor'] as const) tokens[role] = await stack.token(role);
  // A unit head's personal link token, sent as if it were an API token: it opens no API route.
  const { links } = await openCycle(stack, tokens.admin!);
  tokens['unit link'] = tokenOf(links[0]!);
});

/** Routes that are not authenticated by a personal API token, and why. */
const PUBLIC: Record<string, string> = {
  'GET /healthz': 'health check',
  'GET /readyz': 'readiness check (load balancer)',
  'GET /metrics': 'Prometheus metrics, no personal data (served to the monitoring network only: OPERATIONS.md)',
  'GET /openapi.json': 'API description',
  'GET /r/:token': 'unit head, by personal link',
  'POST /r/:token': 'unit head, by personal link',
  'GET /api/v1/link/:token': 'unit head, by personal link',
  'PUT /api/v1/link/:token/draft': 'unit head, by personal link',
  'POST /api/v1/link/:token/submission': 'unit head, by personal link',
  'GET /api/v1/link/:token/receipt': 'unit head, by personal link',
  'GET /api/v1/link/:token/units': 'head of a unit others report to, by personal link',
  'POST /api/v1/link/:token/units/:unit/send-back': 'head of a unit others report to, by personal link',
  'POST /r/:token/draft': 'unit head or staff, by personal or draft-only link (the form saving itself)',
  'POST /api/v1/link/:token/draft/from-previous': 'unit head or staff, by personal or draft-only link',
  'GET /api/v1/link/:token/draft-links': 'unit head, by personal link',
  'POST /api/v1/link/:token/draft-links': 'unit head, by personal link',
  'DELETE /api/v1/link/:token/draft-links/:draftLink': 'unit head, by personal link',
  'GET /dk/:token': 'unit head, by personal registration link',
  'POST /dk/:token': 'unit head, by personal registration link',
  'GET /api/v1/registration-link/:token': 'unit head, by personal registration link',
  'PUT /api/v1/registration-link/:token': 'unit head, by personal registration link',
};
/** Console forms that change nothing but the caller's own session (open to auditors too). */
const OWN_SESSION_ONLY = ['/console/role'];
const isConsole = (url: string): boolean => url.startsWith('/console') || url.startsWith('/assets');

const concrete = (url: string): string =>
  url
    .replace(/:period/g, '2026-01')
    .replace(/:version/g, '1')
    .replace(/:date/g, '2026-01-01')
    .replace(/:(\w+)/g, 'X1')
    .replace(/\*$/, 'x');

test('every route declares its roles or is a known public route', () => {
  const undeclared = stack.app.routeTable
    .filter((r) => !r.roles && !PUBLIC[`${r.method} ${r.url}`] && !isConsole(r.url))
    .map((r) => `${r.method} ${r.url}`);
  expect(undeclared).toEqual([]);
  expect(stack.app.routeTable.filter((r) => r.roles).length).toBeGreaterThan(30);
});

test('every route × every caller: 401 without a token or with a unit link, 403 for a role it does not admit, never a write for an auditor', async () => {
  const table: string[] = [];
  const failures: string[] = [];
  for (const route of stack.app.routeTable.filter((r) => r.roles)) {
    for (const [caller, token] of Object.entries(tokens)) {
      const res = await fetch(`${stack.baseUrl}${concrete(route.url)}`, {
        method: route.method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
        ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body: '{"unexpected": true}' }),
      });
      const expected =
        caller === 'anonymous' || caller === 'unit link' ? 401 : route.roles!.includes(caller) ? 'allowed' : 403;
      const ok =
        expected === 'allowed' ? ![401, 403].includes(res.status) && res.status < 500 : res.status === expected;
      table.push(`${route.method} ${route.url} × ${caller}: ${res.status}`);
      if (!ok) failures.push(`${route.method} ${route.url} × ${caller}: expected ${expected}, got ${res.status}`);
      if (caller === 'auditor' && route.method !== 'GET' && res.status !== 403)
        failures.push(`auditor reached write route ${route.method} ${route.url}`);
    }
  }
  expect(failures).toEqual([]);
  expect(table.length).toBe(stack.app.routeTable.filter((r) => r.roles).length * 5);
  console.log(
    `routes × callers checked: ${table.length} (${table.length / 5} routes × anonymous, unit link, admin, council, auditor)`,
  );
});

test('refused access is on the record: who (or anonymous), which route, from where, why', async () => {
  // Each from an address of its own: an address's first refusal in a window is recorded in full,
  // its later ones are counted (test/refusal-audit.test.ts), and the tests above refused plenty
  // from 127.0.0.1.
  const before = await stack.orm.em.fork().count(AuditEvent, { action: 'access.refused' });
  await requestFrom('127.0.0.31', `${stack.baseUrl}/api/v1/units`, {
    method: 'POST',
    headers: { authorization: 'Bearer bc_forged', 'content-type': 'application/json' },
    body: '{}',
  });
  await requestFrom('127.0.0.32', `${stack.baseUrl}/api/v1/audit/verify`, {
    headers: { authorization: `Bearer ${tokens.council}` },
  });
  await requestFrom('127.0.0.33', `${stack.baseUrl}/r/${'Z'.repeat(43)}`);
  // The link refusal is recorded once its answer has gone out.
  await eventually(
    async () =>
      (await stack.orm.em.fork().count(AuditEvent, { action: 'access.refused' })) === before + 3 ? true : undefined,
    { what: 'three refusals on the record' },
  );
  const refused = await stack.orm.em
    .fork()
    .find(AuditEvent, { action: 'access.refused' }, { orderBy: { seq: 'desc' }, limit: 3 });
  expect(refused.map((e) => e.subjectId).reverse()).toEqual([
    'POST /api/v1/units',
    'GET /api/v1/audit/verify',
    'GET /r/:token',
  ]);
  expect(refused.map((e) => e.origin).reverse()).toEqual(['127.0.0.31', '127.0.0.32', '127.0.0.33']);
  expect(refused.map((e) => (e.after as { status: number }).status).reverse()).toEqual([401, 403, 404]);
});

/** A console session for `token` (signed in through the sign-in form), with its CSRF token. */
async function consoleSession(token: string): Promise<{ cookie: string; csrf: string }> {
  const cookiesOf = (res: Response): string =>
    res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  const form = await fetch(`${stack.baseUrl}/console/sign-in`);
  const signInCsrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const signedIn = await fetch(`${stack.baseUrl}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookiesOf(form), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, _csrf: signInCsrf, next: '/console' }).toString(),
  });
  expect(signedIn.status).toBe(303);
  const cookie = cookiesOf(signedIn);
  const page = await (await fetch(`${stack.baseUrl}/console/sign-in`, { headers: { cookie } })).text();
  return {
    cookie,
    csrf: /action="\/console\/sign-out"><input type="hidden" name="_csrf" value="([^"]+)"/.exec(page)![1]!,
  };
}

test('every console page × every caller: strangers are sent to sign in, a role the page does not admit gets 403, never a write for an auditor', async () => {
  const sessions: Record<string, { cookie: string; csrf: string } | undefined> = { anonymous: undefined };
  for (const role of ['admin', 'council', 'auditor'] as const) sessions[role] = await consoleSession(tokens[role]!);
  const routes = stack.app.routeTable.filter(
    (r) =>
      r.url.startsWith('/console') &&
      !['/console', '/console/sign-out'].includes(r.url) &&
      !r.url.startsWith('/console/sign-in'),
  );
  const undeclared = routes.filter((r) => !r.consoleRoles).map((r) => `${r.method} ${r.url}`);
  expect(undeclared).toEqual([]);
  const failures: string[] = [];
  let checked = 0;
  for (const route of routes) {
    for (const [caller, session] of Object.entries(sessions)) {
      const res = await fetch(`${stack.baseUrl}${concrete(route.url)}`, {
        method: route.method,
        redirect: 'manual',
        headers: {
          ...(session ? { cookie: session.cookie } : {}),
          ...(route.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(route.method === 'POST'
          ? { body: new URLSearchParams({ _csrf: session?.csrf ?? '', reason: 'kiểm tra quyền truy cập' }).toString() }
          : {}),
      });
      checked += 1;
      const signInRedirect = res.status === 303 && (res.headers.get('location') ?? '').startsWith('/console/sign-in');
      const admitted = caller !== 'anonymous' && route.consoleRoles!.includes(caller as 'admin');
      const ok =
        caller === 'anonymous'
          ? signInRedirect
          : admitted
            ? ![401, 403].includes(res.status) && res.status < 500
            : res.status === 403;
      if (!ok) failures.push(`${route.method} ${route.url} × ${caller}: got ${res.status}`);
      if (
        caller === 'auditor' &&
        route.method === 'POST' &&
        res.status !== 403 &&
        !OWN_SESSION_ONLY.includes(route.url)
      )
        failures.push(`auditor reached console write ${route.url}`);
    }
  }
  expect(failures).toEqual([]);
  console.log(
    `console pages × callers checked: ${checked} (${routes.length} pages × anonymous, admin, council, auditor)`,
  );
});
