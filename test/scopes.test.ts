/**
 * Role × scope, over every route of the app's own route table (JSON API and console pages), so a
 * new route cannot escape: an administrator over one subtree of units reaches that subtree's
 * units and the cycles of its units, and gets 403 on another subtree's, and on everything that is
 * not a unit or a cycle (lists, set-up, people); an administrator over the whole installation is
 * refused nowhere.
 */
import { createToken } from '../api/services/access.service';
import { assignRole, createPerson } from '../api/services/people.service';
import { Unit } from '../db/entities';
import type { RelativeTiming } from '../domain/policy';
import { signInConsole, type ConsoleSessionCookie } from './support/console';
import { api, createCampaign, createUnits, currentPeriod, type TestUnit } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

const SYSTEM = { kind: 'system' as const, id: 'test', origin: 'test' };
let stack: Stack;
let everywhere = '';
let scoped = '';
let everywhereSession: ConsoleSessionCookie;
let scopedSession: ConsoleSessionCookie;
/** Per subtree: a unit below its root and a cycle of that unit. */
const own = { unit: '', campaign: '' };
const other = { unit: '', campaign: '' };
const period = currentPeriod();

const TIMING: Omit<RelativeTiming, 'kind'> = {
  deadlineAfterSeconds: 3600,
  reminderSecondsBefore: [],
  escalationSecondsAfter: [3600, 3700],
  hardCloseSecondsAfter: 3800,
  reviewWindowSeconds: 600,
  revisionWindowSeconds: 600,
};

/** Makes `child` report up to `root`. */
async function under(root: TestUnit, child: TestUnit): Promise<void> {
  const em = stack.orm.em.fork();
  const r = await em.findOneOrFail(Unit, { code: root.code });
  await em.nativeUpdate(Unit, { code: child.code }, { parent: r.id });
}

beforeAll(async () => {
  stack = await startStack();
  everywhere = await stack.token('admin', 'Quản trị toàn hệ thống');
  const [rootA, childA, rootB, childB] = await createUnits(stack.orm, 4);
  await under(rootA!, childA!);
  await under(rootB!, childB!);
  own.unit = childA!.code;
  other.unit = childB!.code;
  for (const [side, unit] of [
    [own, childA!],
    [other, childB!],
  ] as const) {
    side.campaign = await createCampaign(stack.orm, TIMING);
    const started = await api(stack.baseUrl, 'POST', '/api/v1/cycles', {
      token: everywhere,
      body: { campaign: side.campaign, period, units: [unit.code] },
    });
    expect(started.status).toBe(201);
  }
  // The administrator of subtree A (root A and the units below it).
  const person = await createPerson(
    stack.orm.em.fork(),
    SYSTEM,
    { name: 'Quản trị Sở A', email: `so-a-${Date.now()}@tinh.gov.vn` },
    new Date(),
  );
  await assignRole(
    stack.orm.em.fork(),
    SYSTEM,
    person.id,
    { role: 'admin', scope: 'unit', target: rootA!.code },
    new Date(),
  );
  scoped = (
    await createToken(stack.orm.em.fork(), SYSTEM, { personId: person.id, name: 'Sở A', role: 'admin' }, new Date())
  ).token;
  everywhereSession = await signInConsole(stack.baseUrl, everywhere);
  scopedSession = await signInConsole(stack.baseUrl, scoped);
});
afterAll(async () => {
  await stack?.stop();
});

type Side = 'own' | 'other';

/** The route's path with its parameters filled in for `side`'s unit and cycle. */
function concrete(url: string, side: Side): string {
  const s = side === 'own' ? own : other;
  return url
    .replace(/\/units\/:code$/, `/units/${s.unit}`)
    .replace(/:campaign/g, s.campaign)
    .replace(/:period/g, period)
    .replace(/:unit/g, s.unit)
    .replace(/:version/g, '1')
    .replace(/:date/g, '2026-01-01')
    .replace(/:(\w+)/g, 'X1')
    .replace(/\*$/, 'x');
}

/** What the route's path names: a cycle, a unit, or neither. */
const kindOf = (url: string): 'cycle' | 'unit' | 'other' =>
  /\/:campaign\/:period(\/|$)/.test(url) ? 'cycle' : /\/units\/:code$/.test(url) ? 'unit' : 'other';

async function call(
  route: { method: string; url: string },
  side: Side,
  caller: 'everywhere' | 'scoped',
  surface: 'api' | 'console',
): Promise<number> {
  const path = concrete(route.url, side);
  if (surface === 'api') {
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method: route.method,
      headers: {
        authorization: `Bearer ${caller === 'scoped' ? scoped : everywhere}`,
        'content-type': 'application/json',
      },
      ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body: '{"unexpected": true}' }),
    });
    await res.arrayBuffer();
    return res.status;
  }
  const session = caller === 'scoped' ? scopedSession : everywhereSession;
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: route.method,
    redirect: 'manual',
    headers: {
      cookie: session.cookie,
      ...(route.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    // Only the CSRF token: forms that change something refuse it for want of their fields.
    ...(route.method === 'POST' ? { body: new URLSearchParams({ _csrf: session.csrf }).toString() } : {}),
  });
  await res.arrayBuffer();
  return res.status;
}

test('every administrator route × scope: a subtree administrator reaches their units and cycles only, and nothing installation-wide', async () => {
  const routes = stack.app.routeTable.filter(
    (r) => (r.roles ?? r.consoleRoles ?? []).includes('admin') && !r.url.startsWith('/console/sign-in'),
  );
  const failures: string[] = [];
  const counts = { cycle: 0, unit: 0, other: 0, any: 0 };
  for (const route of routes) {
    const surface = route.roles ? 'api' : 'console';
    const kind = route.consoleAnyScope ? 'any' : kindOf(route.url);
    counts[kind] += 1;
    const admitted = (status: number) => ![401, 403].includes(status) && status < 500;
    const expectations: [Side, 'everywhere' | 'scoped', 'admitted' | 403][] =
      kind === 'any'
        ? [
            ['own', 'everywhere', 'admitted'],
            ['own', 'scoped', 'admitted'],
          ]
        : kind === 'other'
          ? [
              ['own', 'everywhere', 'admitted'],
              ['own', 'scoped', 403],
            ]
          : [
              ['other', 'scoped', 403],
              ['other', 'everywhere', 'admitted'],
              ['own', 'scoped', 'admitted'],
            ];
    for (const [side, caller, expected] of expectations) {
      const status = await call(route, side, caller, surface);
      const ok = expected === 'admitted' ? admitted(status) : status === 403;
      if (!ok)
        failures.push(`${route.method} ${route.url} × ${caller} on ${side}: expected ${expected}, got ${status}`);
    }
  }
  expect(failures).toEqual([]);
  expect(counts.cycle).toBeGreaterThan(10);
  expect(counts.unit).toBeGreaterThanOrEqual(4);
  console.log(
    `administrator routes × scope checked: ${routes.length} (${counts.cycle} cycle, ${counts.unit} unit, ${counts.other} installation-wide, ${counts.any} for every scope)`,
  );
});

test('a subtree administrator is told why: the unit is outside their scope', async () => {
  const res = await api<{ code: string }>(stack.baseUrl, 'GET', `/api/v1/units/${other.unit}`, { token: scoped });
  expect([res.status, res.body.code]).toEqual([403, 'scope_forbidden']);
  const mine = await api<{ code: string }>(stack.baseUrl, 'GET', `/api/v1/units/${own.unit}`, { token: scoped });
  expect(mine.status).toBe(200);
});
