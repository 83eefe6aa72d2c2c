/**
 * Role × scope, over every route of the app's own route table (JSON API and console pages), so a
 * new route cannot escape: an administrator over one subtree of units reaches that subtree's
 * units and the cycles of its units, and gets 403 on another subtree's, and on everything that is
 * not a unit, a cycle or a list (set-up, people); the lists (`listInScope`) show them only what is
 * within their scope; an administrator over the whole installation is refused nowhere and sees
 * everything.
 */
import { createToken } from '../api/services/access.service';
import { assignRole, createPerson } from '../api/services/people.service';
import { Campaign, Unit } from '../db/entities';
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
/** Per subtree: its root, a unit below it, and a cycle of that unit. */
const own = { root: '', unit: '', campaign: '' };
const other = { root: '', unit: '', campaign: '' };
/** A unit two levels below the own subtree's root. */
let ownGrandchild = '';
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
  const [rootA, childA, rootB, childB, grandchildA] = await createUnits(stack.orm, 5);
  await under(rootA!, childA!);
  await under(rootB!, childB!);
  await under(childA!, grandchildA!);
  own.root = rootA!.code;
  own.unit = childA!.code;
  ownGrandchild = grandchildA!.code;
  other.root = rootB!.code;
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
  // The own campaign runs over subtree A (its root there); the other has no root.
  const em = stack.orm.em.fork();
  await em.nativeUpdate(
    Campaign,
    { code: own.campaign },
    { rootUnit: await em.findOneOrFail(Unit, { code: own.root }) },
  );
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
const kindOf = (url: string): 'cycle' | 'unit' | 'campaign' | 'other' =>
  /\/:campaign\/:period(\/|$)/.test(url)
    ? 'cycle'
    : /\/units\/:code$/.test(url)
      ? 'unit'
      : /\/:campaign(\/|$)/.test(url)
        ? 'campaign'
        : 'other';

async function call(
  route: { method: string; url: string },
  side: Side,
  caller: 'everywhere' | 'scoped',
  surface: 'api' | 'console',
): Promise<number> {
  return (await answer(route, side, caller, surface)).status;
}

/** The route's answer to `caller`: its status and its body as text. */
async function answer(
  route: { method: string; url: string },
  side: Side,
  caller: 'everywhere' | 'scoped',
  surface: 'api' | 'console',
): Promise<{ status: number; body: string }> {
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
    return { status: res.status, body: await res.text() };
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
  return { status: res.status, body: await res.text() };
}

/** The codes of one side that a list may name: its subtree's units and its cycle's campaign. */
const codesOf = (side: Side): string[] => {
  const s = side === 'own' ? own : other;
  return [s.root, s.unit, s.campaign, ...(side === 'own' ? [ownGrandchild] : [])];
};

test('every administrator route × scope: a subtree administrator reaches their units and cycles, sees only their own in every list, and nothing else installation-wide', async () => {
  const routes = stack.app.routeTable.filter(
    (r) => (r.roles ?? r.consoleRoles ?? []).includes('admin') && !r.url.startsWith('/console/sign-in'),
  );
  const failures: string[] = [];
  const counts = { cycle: 0, unit: 0, campaign: 0, list: 0, other: 0, any: 0 };
  /** Lists whose answer to an administrator over everything names the other subtree's codes. */
  const telling: string[] = [];
  for (const route of routes) {
    const surface = route.roles ? 'api' : 'console';
    const kind = route.consoleAnyScope ? 'any' : route.listInScope ? 'list' : kindOf(route.url);
    counts[kind] += 1;
    const admitted = (status: number) => ![401, 403].includes(status) && status < 500;
    if (kind === 'list') {
      const everything = await answer(route, 'own', 'everywhere', surface);
      const scoped = await answer(route, 'own', 'scoped', surface);
      const name = `${route.method} ${route.url}`;
      if (!admitted(everything.status) || !admitted(scoped.status)) {
        failures.push(`${name}: expected both admitted, got ${everything.status} and ${scoped.status}`);
        continue;
      }
      for (const code of codesOf('other'))
        if (everything.body.includes(code)) {
          if (!telling.includes(name)) telling.push(name);
          if (scoped.body.includes(code)) failures.push(`${name} shows the subtree administrator ${code}`);
        }
      for (const code of codesOf('own'))
        if (everything.body.includes(code) && !scoped.body.includes(code))
          failures.push(`${name} hides ${code} from the subtree administrator`);
      continue;
    }
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
  expect(counts.campaign).toBeGreaterThanOrEqual(6); // the summaries, JSON and pages
  // The lists of units, cycles and campaigns, JSON and pages, name both subtrees to an administrator over everything.
  expect(telling).toEqual(
    expect.arrayContaining([
      'GET /api/v1/units',
      'GET /api/v1/campaigns',
      'GET /console/units',
      'GET /console/units/tree',
      'GET /console/cycles',
      'GET /console/campaigns',
      'GET /console/audit',
    ]),
  );
  console.log(
    `administrator routes × scope checked: ${routes.length} (${counts.cycle} cycle, ${counts.unit} unit, ${counts.campaign} campaign, ${counts.list} lists in scope, ${counts.other} installation-wide, ${counts.any} for every scope)`,
  );
});

test('when a subtree administrator lists units, cycles and campaigns, then they get exactly their subtree, its cycles and its campaign', async () => {
  const units = await api<{ code: string }[]>(stack.baseUrl, 'GET', '/api/v1/units', { token: scoped });
  expect(units.status).toBe(200);
  expect(units.body.map((u) => u.code).sort()).toEqual([own.root, own.unit, ownGrandchild].sort());
  const active = await api<{ code: string }[]>(stack.baseUrl, 'GET', '/api/v1/units?active=true', { token: scoped });
  expect(active.body.map((u) => u.code).sort()).toEqual([own.root, own.unit, ownGrandchild].sort());
  const campaigns = await api<{ code: string }[]>(stack.baseUrl, 'GET', '/api/v1/campaigns', { token: scoped });
  expect(campaigns.body.map((c) => c.code)).toEqual([own.campaign]);

  const page = async (path: string) => {
    const res = await fetch(`${stack.baseUrl}${path}`, { headers: { cookie: scopedSession.cookie } });
    expect(res.status).toBe(200);
    return res.text();
  };
  const unitRows = [...(await page('/console/units')).matchAll(/href="\/console\/units\/([^"/]+)" aria-label=/g)].map(
    (m) => m[1],
  );
  expect(unitRows.sort()).toEqual([own.root, own.unit, ownGrandchild].sort());
  const treeUnits = [...(await page('/console/units/tree')).matchAll(/data-unit="([^"]+)"/g)].map((m) => m[1]);
  expect(treeUnits.sort()).toEqual([own.root, own.unit, ownGrandchild].sort());
  const cycles = [...(await page('/console/cycles')).matchAll(/href="\/console\/cycles\/([^"/]+)\//g)].map((m) => m[1]);
  expect([...new Set(cycles)]).toEqual([own.campaign]);
  // What a scoped administrator cannot do is not offered: starting a cycle, adding units, set-up.
  const cyclesPage = await page('/console/cycles');
  expect(cyclesPage).not.toContain('action="/console/cycles"');
  expect(cyclesPage).not.toContain('href="/console/setup"');
  expect(await page('/console/units')).not.toContain('href="/console/units/new"');

  // Addressed directly, the other subtree's unit and cycle stay refused.
  for (const path of [
    `/api/v1/units/${other.unit}`,
    `/api/v1/units/${other.root}`,
    `/api/v1/cycles/${other.campaign}/${period}`,
  ])
    expect([path, (await api(stack.baseUrl, 'GET', path, { token: scoped })).status]).toEqual([path, 403]);
  for (const path of [`/console/units/${other.unit}`, `/console/cycles/${other.campaign}/${period}`]) {
    const res = await fetch(`${stack.baseUrl}${path}`, { headers: { cookie: scopedSession.cookie } });
    expect([path, res.status]).toEqual([path, 403]);
  }
});

test("when an auditor scoped to one campaign opens the audit list, then only that campaign's cycles are there", async () => {
  const person = await createPerson(
    stack.orm.em.fork(),
    SYSTEM,
    { name: 'Thanh tra chiến dịch', email: `tt-${Date.now()}@bo.gov.vn` },
    new Date(),
  );
  await assignRole(
    stack.orm.em.fork(),
    SYSTEM,
    person.id,
    { role: 'auditor', scope: 'campaign', target: other.campaign },
    new Date(),
  );
  const token = (
    await createToken(stack.orm.em.fork(), SYSTEM, { personId: person.id, name: 'TT', role: 'auditor' }, new Date())
  ).token;
  const session = await signInConsole(stack.baseUrl, token);
  const res = await fetch(`${stack.baseUrl}/console/audit`, { headers: { cookie: session.cookie } });
  expect(res.status).toBe(200);
  const listed = [...(await res.text()).matchAll(/href="\/console\/audit\/([^"/]+)\//g)].map((m) => m[1]);
  expect([...new Set(listed)]).toEqual([other.campaign]);
  const campaigns = await api<{ code: string }[]>(stack.baseUrl, 'GET', '/api/v1/campaigns', { token });
  expect(campaigns.body.map((c) => c.code)).toEqual([other.campaign]);
  const units = await api<{ code: string }[]>(stack.baseUrl, 'GET', '/api/v1/units', { token });
  expect([units.status, units.body]).toEqual([200, []]);
});

test('a subtree administrator is told why: the unit is outside their scope', async () => {
  const res = await api<{ code: string }>(stack.baseUrl, 'GET', `/api/v1/units/${other.unit}`, { token: scoped });
  expect([res.status, res.body.code]).toEqual([403, 'scope_forbidden']);
  const mine = await api<{ code: string }>(stack.baseUrl, 'GET', `/api/v1/units/${own.unit}`, { token: scoped });
  expect(mine.status).toBe(200);
});

test('when a subtree administrator moves a unit, then only to a parent within their subtree', async () => {
  for (const parentCode of [other.root, null]) {
    const res = await api<{ code: string }>(stack.baseUrl, 'PATCH', `/api/v1/units/${ownGrandchild}`, {
      token: scoped,
      body: { parentCode },
    });
    expect([parentCode, res.status, res.body.code]).toEqual([parentCode, 403, 'scope_forbidden']);
  }
  const em = stack.orm.em.fork();
  expect((await em.findOneOrFail(Unit, { code: ownGrandchild }, { populate: ['parent'] })).parent?.code).toBe(own.unit);
  const moved = await api<{ parentCode: string }>(stack.baseUrl, 'PATCH', `/api/v1/units/${ownGrandchild}`, {
    token: scoped,
    body: { parentCode: own.root },
  });
  expect([moved.status, moved.body.parentCode]).toEqual([200, own.root]);
  // An administrator over everything moves it anywhere (and back, for the other tests).
  const back = await api(stack.baseUrl, 'PATCH', `/api/v1/units/${ownGrandchild}`, {
    token: everywhere,
    body: { parentCode: own.unit },
  });
  expect(back.status).toBe(200);
});
