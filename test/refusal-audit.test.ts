/**
 * Refused requests stay on the audit record without letting anonymous traffic grow the hash
 * chain without bound: an address's first refusal in a window is a row of its own, the rest are
 * counted into one row per address when the window closes, and addresses beyond the window's
 * limit share one row. Refusals carry the same security headers as every other answer.
 */
import { REFUSAL_MAX_PEERS } from '../api/http/refusal-log';
import { AuditEvent } from '../db/entities';
import { requestFrom } from './support/peer';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let council = '';
beforeAll(async () => {
  stack = await startStack();
  council = await stack.token('council');
});
afterAll(async () => {
  await stack?.stop();
});

const refusalRows = async (): Promise<number> =>
  stack.orm.em.fork().count(AuditEvent, { action: { $in: ['access.refused', 'access.refused_repeated'] } });

/** A refused request of one of four kinds: no token, a forged token, a wrong role, an unknown link. */
function refused(i: number, from: string): Promise<{ status: number }> {
  const forged = { 'x-forwarded-for': `198.51.100.${i % 250}` };
  switch (i % 4) {
    case 0:
      return requestFrom(from, `${stack.baseUrl}/api/v1/units`, { headers: forged });
    case 1:
      return requestFrom(from, `${stack.baseUrl}/api/v1/units`, {
        headers: { ...forged, authorization: `Bearer bc_forged${i}` },
      });
    case 2:
      return requestFrom(from, `${stack.baseUrl}/api/v1/audit/verify`, {
        headers: { ...forged, authorization: `Bearer ${council}` },
      });
    default:
      return requestFrom(from, `${stack.baseUrl}/api/v1/link/${`unknown${i}`.padEnd(43, 'x')}`, { headers: forged });
  }
}

test('when one address sends 1,000 refused requests, then the record gains its first refusal in full and one row counting the other 999', async () => {
  await stack.app.refusals.flush();
  const before = await refusalRows();
  const statuses = new Set<number>();
  for (let i = 0; i < 1000; i += 1) statuses.add((await refused(i, '127.0.0.7')).status);
  expect([...statuses].sort()).toEqual([401, 403, 404]);
  // A link refusal is recorded after its answer has gone out: give the last ones a moment.
  await new Promise((r) => setTimeout(r, 1000));
  expect(await refusalRows()).toBe(before + 1);
  await stack.app.refusals.flush();
  expect(await refusalRows()).toBe(before + 2);
  const [summary] = await stack.orm.em
    .fork()
    .find(AuditEvent, { action: 'access.refused_repeated', origin: '127.0.0.7' });
  const after = summary!.after as { count: number; byRoute: Record<string, number> };
  expect(after.count).toBe(999);
  expect(after.byRoute).toEqual({
    'GET /api/v1/units 401': 499,
    'GET /api/v1/audit/verify 403': 250,
    'GET /api/v1/link/:token 404': 250,
  });
});

test(`when 1,000 refused requests come from ${REFUSAL_MAX_PEERS + 50} addresses, then at most two rows per address up to ${REFUSAL_MAX_PEERS} addresses and one row for the rest, and every refusal is counted`, async () => {
  await stack.app.refusals.flush();
  const before = await stack.orm.em
    .fork()
    .find(AuditEvent, { action: { $in: ['access.refused', 'access.refused_repeated'] } }, { fields: ['id'] });
  const peers = REFUSAL_MAX_PEERS + 50;
  for (let i = 0; i < 1000; i += 1) await refused(i, `127.0.1.${(i % peers) + 1}`);
  await new Promise((r) => setTimeout(r, 1000));
  await stack.app.refusals.flush();
  const known = new Set(before.map((e) => e.id));
  const added = (
    await stack.orm.em.fork().find(AuditEvent, { action: { $in: ['access.refused', 'access.refused_repeated'] } })
  ).filter((e) => !known.has(e.id));
  expect(added.length).toBeLessThanOrEqual(2 * REFUSAL_MAX_PEERS + 1);
  const counted = added.reduce(
    (n, e) => n + (e.action === 'access.refused' ? 1 : (e.after as { count: number }).count),
    0,
  );
  expect(counted).toBe(1000);
  expect(added.filter((e) => e.origin === 'many addresses')).toHaveLength(1);
});

test('when a request is refused (401, 403, 429), then its answer carries the security headers of every other answer, and the JSON error shape', async () => {
  const answers = [
    await fetch(`${stack.baseUrl}/api/v1/units`),
    await fetch(`${stack.baseUrl}/api/v1/audit/verify`, { headers: { authorization: `Bearer ${council}` } }),
  ];
  // The stack allows 1,000 failed link lookups per address.
  for (let i = 0; i < 1000; i += 1) await requestFrom('127.0.0.8', `${stack.baseUrl}/r/${`more${i}`.padEnd(43, 'z')}`);
  const limited = await requestFrom('127.0.0.8', `${stack.baseUrl}/api/v1/link/${'z'.repeat(43)}`);
  expect(limited.status).toBe(429);
  for (const res of answers) {
    expect([401, 403]).toContain(res.status);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.json()).toEqual({
      error: 'AuthError',
      code: expect.any(String),
      message: expect.stringMatching(/.{10,}/),
    });
  }
  expect(limited.headers['content-security-policy']).toContain("default-src 'none'");
  expect(limited.headers['x-frame-options']).toBe('DENY');
  expect(JSON.parse(limited.text)).toEqual(
    expect.objectContaining({ error: 'TooManyRequests', message: expect.any(String) }),
  );
});
