/**
 * One corpus of hostile text — markup, `javascript:` URLs, formula prefixes (= + - @, tab, CR,
 * and spaces before them), CR/LF for header injection, right-to-left overrides, zero-width
 * characters, a 100,000-character word — through every free-text field a unit head, an
 * administrator and a council member can set, and every rendering of it: the pages (the unit
 * head's and the console's), the emails (HTML, text, subject), the council's CSV and XLSX, the
 * audit timeline's CSV and JSON Lines, and the cycle's audit export.
 *
 * Each field carries a tag of its own after the hostile value, so the test knows where each one
 * shows. A value the product refuses at input must be refused with a 4xx naming the field (the
 * field then carries a plain text, still tagged); a value it accepts must be safe in every
 * rendering it reaches.
 */
import JSZip from 'jszip';
import { parseCsv } from '../api/services/units-csv';
import { Policy } from '../db/entities';
import { defaultTemplate } from '../db/seed-data/default-template';
import type { ConsolidatedReportContent } from '../domain/consolidation';
import { DEFAULT_POLICY } from '../domain/policy';
import { signInConsole, type ConsoleSessionCookie } from './support/console';
import { api, currentPeriod, openCycle, tokenOf, uniq, untar, validAnswers, waitForStage } from './support/fixtures';
import { useStack } from './support/hooks';

/** The corpus: what a hostile person types. */
const CORPUS: Record<string, string> = {
  markup: '<script>alert(1)</script><img src=x onerror=alert(2)>',
  attribute: '"><svg onload=alert(3)>',
  'javascript URL': 'javascript:alert(4)',
  'formula =': '=HYPERLINK("http://evil.example","click")',
  'formula +': "+1+cmd|' /C calc'!A0",
  'formula -': '-2+3',
  'formula @': '@SUM(A1:A9)',
  'formula after tab': '\t=1+1',
  'formula after CR': '\r=1+1',
  'formula after spaces': '   =1+1',
  'CR/LF header injection': 'Tiêu đề\r\nBcc: victim@evil.example\r\n\r\nInjected body',
  'RTL override': 'Báo cáo \u202Egnp.exe',
  'zero-width': 'Đơn\u200B vị\u200D\uFEFF\u2060 A',
  '100,000-character word': 'W'.repeat(100_000),
  'long word within the limits': 'W'.repeat(4_900),
};
/** Longer than any field takes: refused at input everywhere, naming the field. */
const TOO_LONG = '100,000-character word';

/** Every free-text field, by who sets it (the tag each carries). */
const FIELDS = {
  'unit head: key task text': 'keyTasks.KT01.text',
  'unit head: evidence link': 'keyTasks.KT01.evidenceUrl',
  'unit head: section text': `sections.${defaultTemplate.sections[0]!.code}`,
  'unit head: example name': 'examples.0.name',
  'unit head: example description': 'examples.0.description',
  'unit head: proposal nominee': 'proposals.0.nominee',
  'unit head: proposal requested form': 'proposals.0.requestedForm',
  'unit head: proposal summary': 'proposals.0.summary',
  'unit head: recommendations': 'recommendations',
  'administrator: unit name': 'unit.name',
  'administrator: head name': 'unit.headName',
  'administrator: supervisor name': 'unit.supervisorName',
  'administrator: campaign name': 'campaign.name',
  'administrator: template title': 'template.title.vi',
  'administrator: key task title': 'template.keyTasks.0.title.vi',
  'administrator: indicator measure': 'template.indicators.0.measure.vi',
  'administrator: section title': 'template.sections.0.title.vi',
  'administrator: holiday name': 'holiday.name',
  'council member: revision comment': 'ballot.comment',
  'council member: proposal comment': 'proposalBallot.comment',
} as const;
type Field = keyof typeof FIELDS;
const FIELD_NAMES = Object.keys(FIELDS) as Field[];
const tagOf = (field: Field): string => `[[f${FIELD_NAMES.indexOf(field)}]]`;

const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
const JS_URL = /(href|src|action|formaction)\s*=\s*["']?\s*javascript:/i;

interface Rendering {
  readonly name: string;
  readonly kind: 'html' | 'text' | 'subject' | 'csv' | 'xlsx' | 'json' | 'jsonl';
  readonly body: string;
}

/** What is wrong with `r` given the hostile `value`; empty when it is safe. */
function problemsOf(r: Rendering, value: string): string[] {
  const problems: string[] = [];
  const say = (what: string) => problems.push(`${r.name}: ${what}`);
  if (BIDI.test(r.body)) say('holds a bidirectional control character');
  switch (r.kind) {
    case 'html': {
      const raw = value.replace(/[\u202A-\u202E\u2066-\u2069]/g, '');
      if (raw.includes('<') && r.body.includes(raw.slice(0, 40))) say('holds the markup unescaped');
      if (/<script>alert|<img src=x|<svg onload/.test(r.body)) say('holds live markup');
      if (JS_URL.test(r.body)) say('links to a javascript: URL');
      break;
    }
    case 'subject':
      if (/[\r\n]/.test(r.body)) say('holds a line break');
      break;
    case 'csv': {
      const parsed = parseCsv(r.body);
      if (!parsed.ok) say(`does not parse: ${parsed.message}`);
      else {
        for (const record of parsed.records) {
          for (const cell of record.cells)
            if (/^[=+\-@\t\r]/.test(cell) || /^[=+\-@]/.test(cell.trimStart()))
              say(`cell ${JSON.stringify(cell.slice(0, 30))} would run as a formula`);
        }
      }
      break;
    }
    case 'xlsx':
      if (/<f[ >]/.test(r.body)) say('holds a formula');
      if (/<c [^>]*t="str"/.test(r.body)) say('holds a formula result as text');
      break;
    case 'jsonl':
      for (const line of r.body.split('\n').filter(Boolean)) {
        try {
          JSON.parse(line);
        } catch {
          say(`a line is not JSON: ${line.slice(0, 60)}`);
        }
      }
      if (/[\u2028\u2029]/.test(r.body)) say('holds a raw line separator');
      break;
    case 'json':
      if (/[\u2028\u2029]/.test(r.body)) say('holds a raw line separator');
      break;
    default:
      break;
  }
  return problems;
}

const stack = useStack();
let admin = '';
let auditor = '';
let council = '';
let session: ConsoleSessionCookie;
beforeAll(async () => {
  admin = await stack.token('admin', 'Quản trị');
  auditor = await stack.token('auditor', 'Kiểm tra');
  council = await stack.token('council', 'Chủ tịch');
  session = await signInConsole(stack.baseUrl, admin);
});

/** Sends `build(valueOf)` until it is accepted, replacing each field it refuses (4xx naming it) by plain text. */
async function acceptedAfterRefusals(
  fields: readonly { field: Field; path: string }[],
  hostile: string,
  refused: Set<Field>,
  send: (valueOf: (f: Field) => string) => Promise<{ status: number; body: unknown }>,
): Promise<{ status: number; body: unknown }> {
  // A link field gets the hostile text inside an http link (or as it is, for a javascript: URL).
  const isLink = (f: Field): boolean => f === 'unit head: evidence link';
  const valueOf = (f: Field): string => {
    if (refused.has(f)) return isLink(f) ? `https://evidence.example/ok${tagOf(f)}` : `Nội dung thường ${tagOf(f)}`;
    return isLink(f) && !hostile.startsWith('javascript:')
      ? `https://evidence.example/${hostile}${tagOf(f)}`
      : `${hostile}${tagOf(f)}`;
  };
  for (let attempt = 0; attempt <= fields.length; attempt += 1) {
    const res = await send(valueOf);
    if (res.status < 400) return res;
    const body = res.body as { field?: string; errors?: { field: string }[]; message?: string };
    const named = new Set([body.field, ...(body.errors ?? []).map((e) => e.field)].filter(Boolean) as string[]);
    const hit = fields.filter((f) =>
      [...named].some(
        (n) =>
          n === f.path ||
          n.startsWith(`${f.path}.`) ||
          f.path.endsWith(`.${n}`) ||
          f.path === `unit.${n}` ||
          f.path === `campaign.${n}` ||
          f.path === `holiday.${n}`,
      ),
    );
    if (res.status >= 500 || hit.length === 0 || hit.every((h) => refused.has(h.field))) {
      throw new Error(
        `refused without naming a field it could fix (${res.status}): ${JSON.stringify(body).slice(0, 300)}`,
      );
    }
    for (const h of hit) refused.add(h.field);
  }
  throw new Error('still refused after replacing every field');
}

/** The XML parts of an .xlsx, by name (read with JSZip, not the library that wrote it). */
async function xlsxParts(buffer: Buffer): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(buffer);
  const parts = new Map<string, string>();
  for (const name of Object.keys(zip.files))
    if (name.endsWith('.xml')) parts.set(name, await zip.file(name)!.async('string'));
  return parts;
}

interface Outcome {
  readonly label: string;
  readonly refused: Set<Field>;
  readonly renderings: Rendering[];
  readonly problems: string[];
}

/** One whole cycle with `hostile` in every field: set, refused or kept, then rendered everywhere. */
async function runScenario(label: string, hostile: string, index: number): Promise<Outcome> {
  const refused = new Set<Field>();
  const tag = uniq('H');
  const period = currentPeriod();

  // Administrator: a template, two units (one will not report), a campaign, a holiday.
  const templateCode = `t-${tag}`.toLowerCase();
  const templateFields = (
    [
      'administrator: template title',
      'administrator: key task title',
      'administrator: indicator measure',
      'administrator: section title',
    ] as const
  ).map((field) => ({ field, path: FIELDS[field].slice('template.'.length) }));
  const template = await acceptedAfterRefusals(templateFields, hostile, refused, (v) => {
    const d = structuredClone(defaultTemplate) as unknown as {
      title: Record<string, string>;
      keyTasks: { title: Record<string, string> }[];
      indicators: { measure: Record<string, string> }[];
      sections: { title: Record<string, string> }[];
    };
    d.title.vi = v('administrator: template title');
    d.keyTasks[0]!.title.vi = v('administrator: key task title');
    d.indicators[0]!.measure.vi = v('administrator: indicator measure');
    d.sections[0]!.title.vi = v('administrator: section title');
    return api(stack.baseUrl, 'POST', `/api/v1/templates/${templateCode}/versions`, { token: admin, body: d });
  });
  expect(template.status).toBe(201);
  const unitFields = (
    ['administrator: unit name', 'administrator: head name', 'administrator: supervisor name'] as const
  ).map((field) => ({ field, path: FIELDS[field] }));
  const units = [`${tag}-A`, `${tag}-B`].map((code) => ({
    code,
    headEmail: `head-${code.toLowerCase()}@units.example.org`,
  }));
  const supervisorEmail = `supervisor-${tag.toLowerCase()}@leaders.example.org`;
  for (const unit of units) {
    const res = await acceptedAfterRefusals(unitFields, hostile, refused, (v) =>
      api(stack.baseUrl, 'POST', '/api/v1/units', {
        token: admin,
        body: {
          code: unit.code,
          name: v('administrator: unit name'),
          headName: v('administrator: head name'),
          headEmail: unit.headEmail,
          supervisorName: v('administrator: supervisor name'),
          supervisorEmail,
        },
      }),
    );
    expect(res.status).toBe(201);
  }
  const em = stack.orm.em.fork();
  const policyCode = `p-${tag}`.toLowerCase();
  em.create(Policy, {
    code: policyCode,
    definition: {
      ...DEFAULT_POLICY,
      secretBallots: false,
      quorum: { numerator: 1, denominator: 1 },
      timing: {
        kind: 'relative',
        deadlineAfterSeconds: 4,
        reminderSecondsBefore: [],
        escalationSecondsAfter: [1, 2],
        hardCloseSecondsAfter: 6,
        reviewWindowSeconds: 600,
        revisionWindowSeconds: 600,
      },
    },
  });
  await em.flush();
  const campaign = `c-${tag}`.toLowerCase();
  expect(
    (
      await acceptedAfterRefusals(
        [{ field: 'administrator: campaign name', path: 'campaign.name' }],
        hostile,
        refused,
        (v) =>
          api(stack.baseUrl, 'POST', '/api/v1/campaigns', {
            token: admin,
            body: { code: campaign, name: v('administrator: campaign name'), templateCode, policyCode },
          }),
      )
    ).status,
  ).toBe(201);
  expect(
    (
      await acceptedAfterRefusals(
        [{ field: 'administrator: holiday name', path: 'holiday.name' }],
        hostile,
        refused,
        (v) =>
          api(stack.baseUrl, 'POST', '/api/v1/holidays', {
            token: admin,
            body: {
              date: `2031-${String(1 + (index % 12)).padStart(2, '0')}-${String(1 + index).padStart(2, '0')}`,
              name: v('administrator: holiday name'),
            },
          }),
      )
    ).status,
  ).toBe(201);

  // The cycle: A reports with the hostile text everywhere, B never does (escalated to its supervisor).
  const { base, links } = await openCycle(stack, admin, { units, campaign, period, emailTimeoutMs: 60_000 });
  const [linkA, linkB] = links as [string, string];
  const reportFields = FIELD_NAMES.filter((f) => f.startsWith('unit head:')).map((field) => ({
    field,
    path: FIELDS[field],
  }));
  const submitted = await acceptedAfterRefusals(reportFields, hostile, refused, (v) => {
    const answers = structuredClone(validAnswers()) as unknown as Record<string, unknown> & {
      keyTasks: Record<string, Record<string, string>>;
      sections: Record<string, string>;
      examples: Record<string, string>[];
      proposals: Record<string, string>[];
    };
    answers.keyTasks.KT01!.text = v('unit head: key task text');
    answers.keyTasks.KT01!.evidenceUrl = v('unit head: evidence link');
    answers.sections[defaultTemplate.sections[0]!.code] = v('unit head: section text');
    answers.examples[0]!.name = v('unit head: example name');
    answers.examples[0]!.description = v('unit head: example description');
    answers.proposals[0]!.nominee = v('unit head: proposal nominee');
    answers.proposals[0]!.requestedForm = v('unit head: proposal requested form');
    answers.proposals[0]!.summary = v('unit head: proposal summary');
    answers.recommendations = v('unit head: recommendations');
    return api(stack.baseUrl, 'POST', `/api/v1/link/${tokenOf(linkA)}/submission`, { body: answers });
  });
  expect(submitted.status).toBe(201);
  await waitForStage(stack, admin, base, 'review', { timeoutMs: 90_000 });

  // Council member: a comment on a proposal, and a revision request for A with a comment.
  const report = await api<{ content: ConsolidatedReportContent }>(
    stack.baseUrl,
    'GET',
    `${base}/consolidated-reports/1`,
    { token: council },
  );
  const proposalId = report.body.content.proposals[0]!.id;
  expect(
    (
      await acceptedAfterRefusals(
        [{ field: 'council member: proposal comment', path: 'comment' }],
        hostile,
        refused,
        (v) =>
          api(stack.baseUrl, 'POST', `${base}/proposals/${proposalId}/ballots`, {
            token: council,
            body: { version: 1, choice: 'reject', comment: v('council member: proposal comment') },
          }),
      )
    ).status,
  ).toBe(201);
  expect(
    (
      await acceptedAfterRefusals(
        [{ field: 'council member: revision comment', path: 'comment' }],
        hostile,
        refused,
        (v) =>
          api(stack.baseUrl, 'POST', `${base}/ballots`, {
            token: council,
            body: {
              version: 1,
              choice: 'request_revision',
              unitCodes: [units[0]!.code],
              comment: v('council member: revision comment'),
            },
          }),
      )
    ).status,
  ).toBe(201);
  await stack.sink.waitFor(() => stack.sink.to(units[0]!.headEmail).length >= 2, 60_000);

  // Every rendering.
  const renderings: Rendering[] = [];
  const get = async (path: string, headers: Record<string, string>): Promise<Response> => {
    const res = await fetch(`${stack.baseUrl}${path}`, { headers, redirect: 'manual' });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    return res;
  };
  const cookie = { cookie: session.cookie };
  const pages: [string, string, Record<string, string>][] = [
    ['page: unit head form', `/r/${tokenOf(linkA)}`, {}],
    ['page: unit head form (en)', `/r/${tokenOf(linkA)}?lang=en`, {}],
    ['page: unit head receipt', `/r/${tokenOf(linkA)}?view=receipt`, {}],
    ['page: console units', `/console/units?q=${encodeURIComponent(tag)}`, cookie],
    ['page: console unit', `/console/units/${encodeURIComponent(units[0]!.code)}`, cookie],
    ['page: console campaigns', '/console/campaigns', cookie],
    ['page: console campaign', `/console/campaigns/${campaign}`, cookie],
    ['page: console templates', '/console/templates', cookie],
    ['page: console policies and holidays', '/console/policies', cookie],
    ['page: console cycles', '/console/cycles', cookie],
    ['page: console cycle board', `/console/cycles/${campaign}/${period}`, cookie],
    ['page: console council', `/console/council/${campaign}/${period}?v=1`, cookie],
    ['page: console audit timeline', `/console/audit/${campaign}/${period}`, cookie],
  ];
  if (linkB) pages.push(['page: unit head closed link', `/r/${tokenOf(linkB)}`, {}]);
  for (const [name, path, headers] of pages) {
    const res = await fetch(`${stack.baseUrl}${path}`, { headers, redirect: 'manual' });
    if (res.status >= 500 || res.status === 303) throw new Error(`${name} answered ${res.status}`);
    renderings.push({ name, kind: 'html', body: await res.text() });
  }
  const recipients: [string, string][] = [
    ['unit head A', units[0]!.headEmail],
    ['unit head B', units[1]!.headEmail],
    ['supervisor', supervisorEmail],
  ];
  const messages = [
    ...recipients.flatMap(([role, address]) =>
      stack.sink.to(address).map((m, i) => ({ role: `${role} #${i + 1}`, m })),
    ),
    ...stack.sink
      .to(stack.config.SECRETARIAT_EMAIL)
      .filter((m) => m.text.includes(units[1]!.code))
      .map((m, i) => ({ role: `secretariat #${i + 1}`, m })),
  ];
  for (const { role, m } of messages) {
    const name = `email to ${role}`;
    renderings.push(
      { name: `${name} (subject)`, kind: 'subject', body: m.subject },
      { name: `${name} (text)`, kind: 'text', body: m.text },
      { name: `${name} (HTML)`, kind: 'html', body: m.html },
    );
  }
  renderings.push({
    name: 'CSV: council report',
    kind: 'csv',
    body: await (await get(`/console/council/${campaign}/${period}/report.csv?v=1`, cookie)).text(),
  });
  renderings.push({
    name: 'CSV: audit timeline',
    kind: 'csv',
    body: await (await get(`/console/audit/${campaign}/${period}/timeline.csv`, cookie)).text(),
  });
  renderings.push({
    name: 'JSON Lines: audit timeline',
    kind: 'jsonl',
    body: await (await get(`/console/audit/${campaign}/${period}/timeline.jsonl`, cookie)).text(),
  });
  for (const [part, body] of await xlsxParts(
    Buffer.from(await (await get(`/console/council/${campaign}/${period}/report.xlsx?v=1`, cookie)).arrayBuffer()),
  )) {
    renderings.push({ name: `XLSX: council report ${part}`, kind: 'xlsx', body });
  }
  for (const [file, body] of await untar(
    await (await get(`${base}/export`, { authorization: `Bearer ${auditor}` })).arrayBuffer(),
  )) {
    renderings.push({
      name: `audit export ${file.slice(file.indexOf('/') + 1)}`,
      kind: file.endsWith('.jsonl') ? 'jsonl' : 'json',
      body,
    });
  }
  expect(stack.sink.to('victim@evil.example')).toEqual([]);
  return { label, refused, renderings, problems: renderings.flatMap((r) => problemsOf(r, hostile)) };
}

test('every hostile text through every free-text field is refused at input naming the field, or shown safely in every page, email, spreadsheet and export', async () => {
  const entries = Object.entries(CORPUS);
  const outcomes: Outcome[] = [];
  // A few cycles at a time: each waits mostly on its own short deadlines.
  for (let i = 0; i < entries.length; i += 5) {
    outcomes.push(
      ...(await Promise.all(entries.slice(i, i + 5).map(([label, value], j) => runScenario(label, value, i + j)))),
    );
  }

  const problems = outcomes.flatMap((o) => o.problems.map((p) => `${o.label}: ${p}`));
  // Where each field's text reached: every field is refused at input or shows somewhere.
  let pairs = 0;
  const unseen: string[] = [];
  const table: string[] = [];
  for (const o of outcomes) {
    for (const field of FIELD_NAMES) {
      const shown = o.renderings.filter((r) => r.body.includes(tagOf(field))).length;
      pairs += shown;
      if (!o.refused.has(field) && shown === 0) unseen.push(`${o.label} × ${field}`);
      table.push(
        `${o.label} × ${field}: ${o.refused.has(field) ? 'refused at input' : `shown in ${shown} renderings`}`,
      );
    }
  }
  const renderingNames = new Set(outcomes.flatMap((o) => o.renderings.map((r) => r.name)));
  console.log(
    `hostile text corpus: ${entries.length} texts × ${FIELD_NAMES.length} fields = ${entries.length * FIELD_NAMES.length} (text, field) cases; ` +
      `${renderingNames.size} renderings (${[...renderingNames].sort().join('; ')}); ${pairs} (case, rendering) pairs where an accepted text was shown, all checked\n${table.join('\n')}`,
  );
  expect(problems).toEqual([]);
  expect(unseen).toEqual([]);
  // The corpus reached the renderings: only the over-long word is refused everywhere.
  for (const o of outcomes) {
    if (o.label === TOO_LONG) expect(o.refused.size).toBe(FIELD_NAMES.length);
    else expect(o.refused.size).toBeLessThanOrEqual(FIELD_NAMES.length / 2);
  }
});
