/**
 * The client's address is the one the connection comes from, unless TRUST_PROXY names the proxy
 * in front: a caller cannot choose its own address with X-Forwarded-For, neither to escape the
 * link-guessing limit, nor to lock another person's link out, nor to forge the origin written in
 * the audit record.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/app';
import { ConfigError, loadConfig } from '../config/config';
import { AuditEvent } from '../db/entities';
import { freePort } from '../scripts/lib/project';
import { eventually, openCycle, tokenOf, validAnswers } from './support/fixtures';
import { useStack } from './support/hooks';
import { requestFrom } from './support/peer';

const LIMIT = 5;
let behindProxy: FastifyInstance;
// Declared before the stack, so that it runs before the stack stops: this app shares the stack's database.
afterAll(async () => {
  await behindProxy?.close();
});
const stack = useStack({ linkGuessLimit: LIMIT });
let proxiedUrl = '';
const links: string[] = [];
beforeAll(async () => {
  links.push(...(await openCycle(stack, await stack.token('admin'), { units: 3 })).links.map(tokenOf));
  // The same product behind a reverse proxy at 127.0.0.1: only that proxy's header is believed.
  const port = await freePort();
  behindProxy = await buildApp({
    config: { ...stack.config, TRUST_PROXY: '127.0.0.1' },
    orm: stack.orm,
    temporal: stack.client,
  });
  await behindProxy.listen({ host: '127.0.0.1', port });
  proxiedUrl = `http://127.0.0.1:${port}`;
});

const guess = (i: number): string => `/r/${`guess${i}`.padEnd(43, 'Q')}`;
const originsOf = async (action: string, subjectId?: string): Promise<string[]> =>
  (
    await stack.orm.em
      .fork()
      .find(AuditEvent, { action, ...(subjectId ? { subjectId } : {}) }, { orderBy: { seq: 'asc' } })
  ).map((e) => e.origin ?? '');

test('when a guesser rotates X-Forwarded-For, then the limit still applies to its own address and the audit origin is that address', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT + 3; i += 1) {
    statuses.push(
      (
        await requestFrom('127.0.0.2', `${stack.baseUrl}${guess(i)}`, {
          headers: { 'x-forwarded-for': `198.51.100.${i + 1}` },
        })
      ).status,
    );
  }
  expect(statuses).toEqual([...Array(LIMIT).fill(404), 429, 429, 429]);
  await eventually(
    async () => ((await originsOf('access.refused', 'GET /r/:token')).includes('127.0.0.2') ? true : undefined),
    { what: 'the refusal on the record' },
  );
  const origins = await originsOf('access.refused', 'GET /r/:token');
  expect(origins.some((o) => o.startsWith('198.51.100.'))).toBe(false);
});

test("when a guesser sends 20 bad guesses in a victim's name, then the victim, connecting from its own address, keeps its link", async () => {
  for (let i = 0; i < 20; i += 1)
    await requestFrom('127.0.0.3', `${stack.baseUrl}${guess(100 + i)}`, {
      headers: { 'x-forwarded-for': '127.0.0.4' },
    });
  expect((await requestFrom('127.0.0.4', `${stack.baseUrl}/r/${links[0]}`)).status).toBe(200);
  expect((await requestFrom('127.0.0.3', `${stack.baseUrl}/r/${links[0]}`)).status).toBe(429);
});

test("when a unit head saves a draft with a forged X-Forwarded-For, then the audit origin is the connection's address", async () => {
  const res = await requestFrom('127.0.0.5', `${stack.baseUrl}/api/v1/link/${links[1]}/draft`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
    body: JSON.stringify(validAnswers()),
  });
  expect(res.status).toBe(200);
  expect(await originsOf('task.draft_saved')).toContain('127.0.0.5');
  expect((await originsOf('task.draft_saved')).filter((o) => o === '203.0.113.9')).toEqual([]);
});

test('when TRUST_PROXY names the proxy, then its X-Forwarded-For is the client: each client has its own limit and is the audit origin; the same header from anyone else is ignored', async () => {
  const client = (address: string) => ({ 'x-forwarded-for': address });
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT + 1; i += 1)
    statuses.push(
      (await requestFrom('127.0.0.1', `${proxiedUrl}${guess(200 + i)}`, { headers: client('198.51.100.77') })).status,
    );
  expect(statuses).toEqual([...Array(LIMIT).fill(404), 429]);
  // Another client behind the same proxy is not limited by the first one's guesses.
  expect(
    (await requestFrom('127.0.0.1', `${proxiedUrl}/r/${links[2]}`, { headers: client('198.51.100.78') })).status,
  ).toBe(200);
  await eventually(async () => ((await originsOf('access.refused')).includes('198.51.100.77') ? true : undefined), {
    what: 'the proxied client as origin',
  });
  // Not from the proxy: the header is the caller's own claim and is ignored.
  const res = await requestFrom('127.0.0.6', `${proxiedUrl}/api/v1/link/${links[2]}/draft`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.10' },
    body: JSON.stringify(validAnswers()),
  });
  expect(res.status).toBe(200);
  const draftOrigins = await originsOf('task.draft_saved');
  expect(draftOrigins).toContain('127.0.0.6');
  expect(draftOrigins).not.toContain('203.0.113.10');
});

test('TRUST_PROXY is off by default, takes a hop count or addresses, and refuses anything else naming the variable', () => {
  const base = { LINK_SECRET: 'x'.repeat(32) };
  expect(loadConfig(base).TRUST_PROXY).toBe('off');
  expect(loadConfig({ ...base, TRUST_PROXY: '1' }).TRUST_PROXY).toBe('1');
  expect(loadConfig({ ...base, TRUST_PROXY: '10.0.0.1, 192.168.0.0/16, ::1' }).TRUST_PROXY).toBe(
    '10.0.0.1, 192.168.0.0/16, ::1',
  );
  for (const bad of ['true', '0', 'proxy.example.org', '10.0.0.300', '10.0.0.0/40']) {
    expect(() => loadConfig({ ...base, TRUST_PROXY: bad })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, TRUST_PROXY: bad })).toThrow(/TRUST_PROXY=/);
  }
});
