/**
 * No secret reaches the API's log: its log is captured at the most verbose level while unit heads
 * use their links (current, with a trailing slash, with odd queries, posting bad forms),
 * administrators sign in, use and mistype their tokens, and strangers probe; then every line is
 * searched for every personal link token, API token and session cookie of the run.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { linkToken, newApiToken } from '../auth/tokens';
import { prettyLogStream, workerLogger } from '../observability/log';
import { answersToForm, openCycle, tokenOf, validAnswers } from './support/fixtures';
import { useStack } from './support/hooks';

const lines: string[] = [];
const log = new PassThrough();
let partial = '';
log.on('data', (chunk: Buffer) => {
  const parts = (partial + chunk.toString('utf8')).split('\n');
  partial = parts.pop()!;
  lines.push(...parts.filter(Boolean));
});
const stack = useStack({ logLevel: 'trace', logStream: log });

test('when links, tokens and sessions are used, mistyped and probed with the log at trace level, then no log line holds any of them', async () => {
  const secrets: string[] = [];
  const admin = await stack.token('admin');
  const auditor = await stack.token('auditor');
  secrets.push(admin, auditor);
  const { links } = await openCycle(stack, admin, { units: 2 });
  const [first, second] = links.map(tokenOf) as [string, string];
  secrets.push(first, second);

  const paths = [
    `/r/${first}`,
    `/r/${first}/`,
    `/r/${first}?lang=en`,
    `/r/${first}?view=receipt`,
    `/r/${first}//x`,
    `/r/${first}%2F`,
    `/api/v1/link/${first}`,
    `/api/v1/link/${first}/`,
    `/api/v1/link/${first}/receipt`,
    `/api/v1/link/${first}/nope`,
    `/nothing-here?link=${first}`,
    `/api/v1/units/${admin}`,
    `/console/sign-in?next=/r/${first}`,
    `/console/${first}`,
    `/api/v1/link/${first.slice(0, 40)}`,
    `/r/${first}${first}`,
  ];
  for (const path of paths) await fetch(`${stack.baseUrl}${path}`);
  await fetch(`${stack.baseUrl}/api/v1/units`, { headers: { authorization: `Bearer ${admin}x` } });
  await fetch(`${stack.baseUrl}/api/v1/units`, { headers: { authorization: `Bearer ${admin}` } });
  await fetch(`${stack.baseUrl}/api/v1/units`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: `{"code":"${first}"`,
  });
  await fetch(`${stack.baseUrl}/api/v1/link/${first}/draft`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ recommendations: first }),
  });
  await fetch(`${stack.baseUrl}/api/v1/link/${first}/draft`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: '{"broken',
  });
  const form = answersToForm(validAnswers(), 'draft');
  form.set('kt.NO-SUCH.text', first);
  await fetch(`${stack.baseUrl}/r/${second}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  await fetch(`${stack.baseUrl}/r/${second}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: answersToForm(validAnswers()).toString(),
  });
  await fetch(`${stack.baseUrl}/api/v1/link/${first}/submission`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(validAnswers()),
  });

  // The console: a failed and a good sign-in, a page, sign-out.
  const signInPage = await fetch(`${stack.baseUrl}/console/sign-in`);
  const nonceCookie = signInPage.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await signInPage.text())![1]!;
  for (const token of [`${admin}x`, admin]) {
    const res = await fetch(`${stack.baseUrl}/console/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: nonceCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, _csrf: csrf, next: `/console/cycles?t=${first}` }).toString(),
    });
    const session = res.headers.getSetCookie().find((c) => c.startsWith('bc_session='));
    if (session) {
      const cookie = session.split(';')[0]!;
      secrets.push(cookie.slice('bc_session='.length));
      await fetch(`${stack.baseUrl}/console/cycles`, { headers: { cookie } });
      await fetch(`${stack.baseUrl}/console/units?q=${admin}`, { headers: { cookie } });
    }
  }
  expect(secrets).toHaveLength(5);
  await new Promise((r) => setTimeout(r, 300));

  expect(lines.length).toBeGreaterThan(2 * paths.length);
  expect(lines.some((l) => l.includes('[token]'))).toBe(true);
  const leaks = lines.filter((l) => secrets.some((s) => l.includes(s) || l.includes(encodeURIComponent(s))));
  expect(leaks).toEqual([]);
});

test('when a path with a link token finds no route, then the answer names the path with the token redacted', async () => {
  const token = 'T'.repeat(43);
  const res = await fetch(`${stack.baseUrl}/api/v1/link/${token}/`);
  expect(res.status).toBe(404);
  const body = (await res.json()) as { error: string; message: string };
  expect(body).toEqual({ error: 'NotFound', message: expect.stringContaining('/api/v1/link/[token]/') });
  expect(JSON.stringify(body)).not.toContain(token);
});

test("when the worker's logger and the readable log format are given link and API tokens, then neither format writes them, and json writes one object a line", async () => {
  const link = linkToken(randomBytes(32).toString('hex'), 7, 1);
  const apiToken = newApiToken();
  const written: string[] = [];
  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => written.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  for (const format of ['json', 'pretty'] as const) {
    const logger = workerLogger('DEBUG', format, out);
    logger.info(`sent the link http://127.0.0.1:3000/r/${link}`, { url: `/api/v1/link/${link}/submission`, apiToken });
    logger.warn('delivery failed', { error: new Error(`rejected ${link}`), attempt: 2 });
  }
  const pretty = prettyLogStream(out);
  pretty.write(
    `${JSON.stringify({ level: 30, time: Date.now(), msg: 'request', url: `/r/${link}`, auth: apiToken })}\n`,
  );
  await new Promise((r) => setTimeout(r, 50));
  expect(written).toHaveLength(5);
  for (const line of written.slice(0, 2)) expect(() => JSON.parse(line) as unknown).not.toThrow();
  expect(written[2]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}sent the link/);
  expect(written.filter((l) => l.includes(link) || l.includes(apiToken))).toEqual([]);
  expect(written.every((l) => l.includes('[token]') || l.includes('delivery failed'))).toBe(true);
});
