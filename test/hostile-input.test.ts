/**
 * A generated corpus of malformed and hostile requests against every JSON route with a body and
 * against the unit head's submission: no answer is a 5xx, every refusal says what is wrong, and
 * nothing from a refused request is stored. Markup in report texts is kept as text and renders
 * inert.
 */
import { api, currentPeriod, openCycle, timing, tokenOf, validAnswers } from './support/fixtures';
import { useStack } from './support/hooks';

const stack = useStack();
const tokens: Record<string, string> = {};
let linkToken = '';
let campaign = '';
beforeAll(async () => {
  for (const role of ['admin', 'council', 'auditor'] as const) tokens[role] = await stack.token(role);
  // Two units, one of which never reports: the cycle stays quietly in collection, so any row
  // that appears during a refused request could only come from that request.
  const opened = await openCycle(stack, tokens.admin!, {
    units: 2,
    timing: timing({ deadline: 600, escalations: [600, 1200], hardClose: 1800 }),
  });
  campaign = opened.campaign;
  linkToken = tokenOf(opened.links[0]!);
});

const TABLES = [
  'unit',
  'cycle',
  'unit_task',
  'submission',
  'ballot',
  'email',
  'campaign',
  'cycle_policy',
  'report_template',
  'holiday',
  'consolidated_report',
  'api_token',
  'commendation_decision',
];
async function counts(): Promise<Record<string, number>> {
  const em = stack.orm.em.fork();
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await em.execute<{ n: string }[]>(`SELECT count(*) AS n FROM ${t}`))[0]!.n);
  out.audit_event = Number(
    (await em.execute<{ n: string }[]>(`SELECT count(*) AS n FROM audit_event WHERE action <> 'access.refused'`))[0]!.n,
  );
  out.draft = Number(
    (await em.execute<{ n: string }[]>('SELECT count(*) AS n FROM unit_task WHERE draft IS NOT NULL'))[0]!.n,
  );
  return out;
}

const HOSTILE_STRINGS = [
  '',
  ' ',
  'x'.repeat(300_000),
  '<script>alert(1)</script>',
  '=HYPERLINK("http://evil")',
  '\u202Egnp.exe',
  'a\u0000b',
  '\uD800',
  'ﬀ\u200B\u200D',
  '../../etc/passwd',
  "'; DROP TABLE unit; --",
  '{{7*7}}',
  '%00',
  '\r\n\r\nInjected: header',
];
const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  -1e308,
  1e308,
  1.5,
  '1',
  'NaN',
  [],
  [1, 2],
  {},
  { $ne: null },
  { __proto__: { admin: true } },
  ...HOSTILE_STRINGS,
];

function deep(levels: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < levels; i += 1) v = { a: v };
  return v;
}

/** A request carrying a huge string, a NUL or a lone surrogate is refused whatever the route. */
const carriesMustRefuse = (raw: string): boolean =>
  raw.includes('x'.repeat(300_000)) || raw.includes('\\u0000') || raw.toLowerCase().includes('\\ud800');

/** Bodies for one route: the value itself, then every hostile value at every top-level field of a plausible body. */
function corpusFor(plausible: Record<string, unknown>): unknown[] {
  const bodies: unknown[] = [...HOSTILE_VALUES, deep(2000), Array.from({ length: 50_000 }, () => 1)];
  for (const field of Object.keys(plausible)) {
    for (const v of HOSTILE_VALUES) bodies.push({ ...plausible, [field]: v });
    bodies.push(Object.fromEntries(Object.entries(plausible).filter(([k]) => k !== field)));
  }
  bodies.push({ ...plausible, unexpected: 'x' });
  return bodies;
}

/** A plausible body per route, so each field gets its own hostile values. */
const PLAUSIBLE: Record<string, Record<string, unknown>> = {
  'POST /api/v1/cycles': { campaign: 'c', period: '2026-01', units: ['U1'] },
  'POST /api/v1/units': { code: 'U-HOSTILE', name: 'n', headName: 'h', headEmail: 'h@x.org' },
  'PATCH /api/v1/units/:code': { name: 'n' },
  'POST /api/v1/campaigns': { code: 'c-hostile', name: 'n', templateCode: 'monthly-emulation', policyCode: 'monthly' },
  'PATCH /api/v1/campaigns/:code': { name: 'n' },
  'POST /api/v1/policies': { code: 'p-hostile', definition: {} },
  'PUT /api/v1/policies/:code': { definition: {} },
  'POST /api/v1/templates/:code/versions': { title: {}, keyTasks: [], indicators: [], sections: [], limits: {} },
  'POST /api/v1/holidays': { date: '2031-01-01', name: 'n' },
  'POST /api/v1/cycles/:campaign/:period/ballots': { version: 1, choice: 'approve' },
  'POST /api/v1/cycles/:campaign/:period/proposals/:proposalId/ballots': { version: 1, choice: 'approve' },
  'POST /api/v1/cycles/:campaign/:period/units/:unit/extension': { newDeadline: '2030-01-01T00:00:00Z', reason: 'r' },
  'POST /api/v1/cycles/:campaign/:period/units/:unit/link': { reason: 'r' },
  'POST /api/v1/cycles/:campaign/:period/cancel': { reason: 'r' },
  'PUT /api/v1/campaigns/:code/schedule': { dayOfMonth: 15, time: '08:00' },
  'POST /api/v1/blocs/:campaign': { code: 'b-hostile', name: 'n', year: 2027, unitCodes: ['U1'] },
  'PATCH /api/v1/blocs/:campaign/:bloc': { name: 'n' },
  'PUT /api/v1/blocs/:campaign/:bloc/scoring-table': {
    criteria: [{ code: 'A', label: { vi: 'a', en: 'a' }, weight: 10, kind: 'hand' }],
  },
  'PUT /api/v1/blocs/:campaign/:bloc/rankings/:window/hand-scores': {
    unitCode: 'U1',
    criterionCode: 'A',
    points: 1,
    reason: 'r',
  },
};

/** Real campaign and period, so bodies reach the deeper checks — but never cancel the cycle under test. */
const concrete = (url: string): string =>
  url
    .replace(':campaign', url.endsWith('/cancel') ? 'NO-SUCH' : campaign)
    .replace(':period', currentPeriod())
    .replace(':code', 'NO-SUCH')
    .replace(/:(\w+)/g, 'NO-SUCH');

test('markup in every text of a report is stored as text and renders inert on the form', async () => {
  const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>';
  const answers = validAnswers(evil);
  const res = await api(stack.baseUrl, 'POST', `/api/v1/link/${linkToken}/submission`, { body: answers });
  expect(res.status).toBe(201);
  const page = await (await fetch(`${stack.baseUrl}/r/${linkToken}`)).text();
  expect(page).not.toContain('<script>alert(2)</script>');
  expect(page).not.toContain('<img src=x');
  expect(page).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
});

test('at least 1,000 hostile bodies against every JSON write route and the submission: no 5xx, every refusal explained, nothing stored from a refused request', async () => {
  const writes = stack.app.routeTable.filter(
    (r) => r.roles && ['POST', 'PUT', 'PATCH'].includes(r.method) && !r.url.endsWith('/import'),
  );
  const outcomes: Record<string, number> = {};
  const problems: string[] = [];
  let tried = 0;
  const send = async (label: string, method: string, path: string, token: string | undefined, raw: string) => {
    const stored = await counts();
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: raw,
    });
    tried += 1;
    const body = await res.text();
    outcomes[String(res.status)] = (outcomes[String(res.status)] ?? 0) + 1;
    if (res.status >= 500) problems.push(`${label}: ${res.status} ${body.slice(0, 200)}`);
    else if (res.status >= 400) {
      if (!/"message":"[^"]{5,}/.test(body))
        problems.push(`${label}: ${res.status} without a message: ${body.slice(0, 200)}`);
      if (JSON.stringify(await counts()) !== JSON.stringify(stored))
        problems.push(`${label}: refused with ${res.status} but something was stored`);
    } else if (carriesMustRefuse(raw)) problems.push(`${label}: accepted (${res.status}) a value no field may take`);
  };
  for (const route of writes) {
    const token = route.roles!.includes('admin') ? tokens.admin : tokens[route.roles![0]!];
    const bodies = corpusFor(PLAUSIBLE[`${route.method} ${route.url}`] ?? { value: 1 });
    for (const [i, b] of bodies.entries())
      await send(`${route.method} ${route.url} #${i}`, route.method, concrete(route.url), token, JSON.stringify(b));
    for (const raw of ['{', '{"a":NaN}', '\xff\xfe', '[]'.repeat(10), 'null'])
      await send(`${route.method} ${route.url} raw`, route.method, concrete(route.url), token, raw);
  }
  // The unit head's submission and draft: every field of a valid report made hostile in turn.
  const valid = validAnswers() as unknown as Record<string, unknown>;
  const reportBodies = [
    ...corpusFor(valid),
    { ...valid, keyTasks: { KT01: { status: 'done', text: 'x'.repeat(6000) } } },
    { ...valid, indicators: { IND01: '0,7' } },
    { ...valid, indicators: { IND01: -5 } },
    { ...valid, indicators: { IND01: 1e300 } },
    { ...valid, examples: Array.from({ length: 500 }, () => ({ name: 'x', kind: 'collective', description: 'y' })) },
    {
      ...valid,
      proposals: [
        { nominee: '\uD800', nomineeKind: 'individual', commendationKind: 'ad_hoc', requestedForm: 'x', summary: 'y' },
      ],
    },
    { ...valid, recommendations: { toString: 'x' } },
  ];
  for (const [i, b] of reportBodies.entries()) {
    const raw = JSON.stringify(b).replace('"\\ud800"', '"\\ud800"');
    await send(`submission #${i}`, 'POST', `/api/v1/link/${linkToken}/submission`, undefined, raw);
    await send(
      `draft #${i}`,
      'PUT',
      `/api/v1/link/${linkToken}/draft`,
      undefined,
      JSON.stringify({ ...(b as object), extra: true }),
    );
  }
  console.log(`hostile inputs tried: ${tried}; answers by status: ${JSON.stringify(outcomes)}`);
  expect(tried).toBeGreaterThanOrEqual(1000);
  expect(problems).toEqual([]);
});
