/**
 * The administration API against the real stack: units (CRUD and CSV import), templates,
 * policies, campaigns, holidays; roles; an audit event for every write. Codes are unique per test
 * because the database is shared with the other test files.
 */
import { AuditEvent, Campaign, Holiday, Policy, ReportTemplate, Unit } from '../db/entities';
import { DEFAULT_TEMPLATE_CODE, defaultTemplate } from '../db/seed-data/default-template';
import { DEFAULT_POLICY, type CyclePolicy } from '../domain/policy';
import type { TemplateDefinition } from '../domain/template';
import { parseCsv } from '../api/services/units-csv';
import { startStack, type Stack } from './support/stack';
import { api, uniq } from './support/fixtures';

let stack: Stack;
let admin: string;
const ADMIN_NAME = `admin-api-${Date.now()}`;

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.token('admin', ADMIN_NAME);
});
afterAll(async () => {
  await stack?.stop();
});

interface ErrorReply {
  error: string;
  message: string;
  field?: string;
}
interface UnitReply {
  code: string;
  name: string;
  headName: string;
  headEmail: string;
  supervisorName: string | null;
  supervisorEmail: string | null;
  active: boolean;
  parentCode: string | null;
}
interface ImportReply {
  dryRun: boolean;
  saved: boolean;
  created: number;
  updated: number;
  unchanged: number;
  errors: { line: number; field: string; message: string }[];
}

const em = () => stack.orm.em.fork();
const auditEvents = (action: string, subjectId: string) =>
  em().find(AuditEvent, { action, subjectId }, { orderBy: { id: 'asc' } });

const unitBody = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  name: `Đơn vị ${code}`,
  headName: 'Nguyễn Văn A',
  headEmail: `head-${code.toLowerCase()}@units.example.org`,
  ...extra,
});

async function importCsv(
  csv: string,
  { dryRun = false, token = admin } = {},
): Promise<{ status: number; body: ImportReply & ErrorReply }> {
  const res = await fetch(`${stack.baseUrl}/api/v1/units/import?dryRun=${dryRun}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv; charset=utf-8' },
    body: csv,
  });
  return { status: res.status, body: (await res.json()) as ImportReply & ErrorReply };
}

describe('units', () => {
  test('when an administrator creates, reads, changes and deactivates a unit, each step is stored and audited', async () => {
    const code = uniq('U');
    const parent = uniq('P');
    expect((await api(stack.baseUrl, 'POST', '/api/v1/units', { token: admin, body: unitBody(parent) })).status).toBe(
      201,
    );

    // A decomposed (NFD) name with surrounding spaces is stored composed (NFC) and trimmed.
    const created = await api<UnitReply>(stack.baseUrl, 'POST', '/api/v1/units', {
      token: admin,
      body: unitBody(code, {
        name: '  Sở Thông tin và Truyền thông  '.normalize('NFD'),
        supervisorName: 'Thứ trưởng B',
        supervisorEmail: 'tt.b@bo.example.org',
        parentCode: parent,
      }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      code,
      name: 'Sở Thông tin và Truyền thông',
      active: true,
      parentCode: parent,
      supervisorEmail: 'tt.b@bo.example.org',
    });
    expect((await em().findOneOrFail(Unit, { code })).name).toBe('Sở Thông tin và Truyền thông'.normalize('NFC'));

    const read = await api<UnitReply>(stack.baseUrl, 'GET', `/api/v1/units/${code}`, { token: admin });
    expect(read.status).toBe(200);
    expect(read.body.headName).toBe('Nguyễn Văn A');

    const patched = await api<UnitReply>(stack.baseUrl, 'PATCH', `/api/v1/units/${code}`, {
      token: admin,
      body: { headName: 'Trần Thị C', supervisorName: null, supervisorEmail: null, parentCode: null },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      code,
      headName: 'Trần Thị C',
      supervisorName: null,
      supervisorEmail: null,
      parentCode: null,
      name: 'Sở Thông tin và Truyền thông',
    });

    const deactivated = await api<UnitReply>(stack.baseUrl, 'DELETE', `/api/v1/units/${code}`, { token: admin });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    // Deactivating keeps the row.
    expect(await em().findOneOrFail(Unit, { code })).toMatchObject({ active: false, headName: 'Trần Thị C' });

    const inactive = await api<UnitReply[]>(stack.baseUrl, 'GET', '/api/v1/units?active=false', { token: admin });
    expect(inactive.body.map((u) => u.code)).toContain(code);
    const active = await api<UnitReply[]>(stack.baseUrl, 'GET', '/api/v1/units?active=true', { token: admin });
    expect(active.body.map((u) => u.code)).not.toContain(code);
    expect(active.body.map((u) => u.code)).toContain(parent);
    const all = (await api<UnitReply[]>(stack.baseUrl, 'GET', '/api/v1/units', { token: admin })).body.map(
      (u) => u.code,
    );
    expect(all).toEqual([...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

    const [createdEvent] = await auditEvents('unit.created', code);
    expect(createdEvent).toMatchObject({ actorKind: 'user', actorId: ADMIN_NAME, subjectType: 'unit' });
    expect(createdEvent!.origin).toBeTruthy();
    const [updatedEvent] = await auditEvents('unit.updated', code);
    expect(updatedEvent).toMatchObject({
      before: {
        headName: 'Nguyễn Văn A',
        supervisorName: 'Thứ trưởng B',
        supervisorEmail: 'tt.b@bo.example.org',
        parentCode: parent,
      },
      after: { headName: 'Trần Thị C', supervisorName: null, supervisorEmail: null, parentCode: null },
    });
    expect(await auditEvents('unit.deactivated', code)).toHaveLength(1);

    // Deactivating again changes nothing and records nothing.
    expect((await api(stack.baseUrl, 'DELETE', `/api/v1/units/${code}`, { token: admin })).status).toBe(200);
    expect(await auditEvents('unit.deactivated', code)).toHaveLength(1);
  });

  test('when a unit code is already taken, creating another unit with it answers 409 naming code', async () => {
    const code = uniq('U');
    expect((await api(stack.baseUrl, 'POST', '/api/v1/units', { token: admin, body: unitBody(code) })).status).toBe(
      201,
    );
    const again = await api<ErrorReply>(stack.baseUrl, 'POST', '/api/v1/units', {
      token: admin,
      body: unitBody(code, { name: 'Khác' }),
    });
    expect(again.status).toBe(409);
    expect(again.body.field).toBe('code');
    expect(await em().count(Unit, { code })).toBe(1);
  });

  test('when a unit has a malformed head email, the API answers 400 naming headEmail and stores nothing', async () => {
    const code = uniq('U');
    const bad = await api<ErrorReply>(stack.baseUrl, 'POST', '/api/v1/units', {
      token: admin,
      body: unitBody(code, { headEmail: 'not-an-email' }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'ValidationError', field: 'headEmail' });
    expect(await em().count(Unit, { code })).toBe(0);
    expect(await auditEvents('unit.created', code)).toHaveLength(0);
  });

  test('when a unit is sent with bad fields, each answer is a 4xx naming the field and nothing is stored', async () => {
    const code = uniq('U');
    const cases: [Record<string, unknown>, number, string][] = [
      [unitBody(code, { supervisorName: 'Lãnh đạo' }), 400, 'supervisorEmail'],
      [unitBody(code, { supervisorEmail: 'ld@bo.example.org' }), 400, 'supervisorName'],
      [unitBody(code, { name: '   ' }), 400, 'name'],
      [unitBody(code, { name: '=cmd|calc' }), 400, 'name'],
      [unitBody('bad code!'), 400, 'code'],
      [unitBody(code, { parentCode: uniq('NOPE') }), 404, 'parentCode'],
      [unitBody(code, { parentCode: code }), 400, 'parentCode'],
      [{ ...unitBody(code), name: 'x'.repeat(301) }, 400, 'name'],
      [unitBody(code, { headName: 'Nguyễn\u0000Văn A' }), 400, 'headName'],
    ];
    for (const [body, status, field] of cases) {
      const res = await api<ErrorReply>(stack.baseUrl, 'POST', '/api/v1/units', { token: admin, body });
      expect({ status: res.status, field: res.body.field }).toEqual({ status, field });
    }
    expect(await em().count(Unit, { code })).toBe(0);

    // A unit cannot report to its own subordinate.
    const [a, b] = [uniq('A'), uniq('B')];
    expect((await api(stack.baseUrl, 'POST', '/api/v1/units', { token: admin, body: unitBody(a) })).status).toBe(201);
    expect(
      (await api(stack.baseUrl, 'POST', '/api/v1/units', { token: admin, body: unitBody(b, { parentCode: a }) }))
        .status,
    ).toBe(201);
    const loop = await api<ErrorReply>(stack.baseUrl, 'PATCH', `/api/v1/units/${a}`, {
      token: admin,
      body: { parentCode: b },
    });
    expect(loop.status).toBe(400);
    expect(loop.body.field).toBe('parentCode');
    const missing = await api<ErrorReply>(stack.baseUrl, 'PATCH', `/api/v1/units/${uniq('NOPE')}`, {
      token: admin,
      body: { name: 'x' },
    });
    expect(missing.status).toBe(404);
  });
});

describe('CSV import of units', () => {
  const HEADER = 'code,name,headName,headEmail,supervisorName,supervisorEmail,active';

  test('when a file has a bad email and a formula, every problem is listed with its line and nothing is stored; the corrected file creates the units, and importing it again changes nothing', async () => {
    const p = uniq('CSV');
    const [a, b, c] = [`${p}-A`, `${p}-B`, `${p}-C`];
    const rows = (bEmail: string, cName: string): string =>
      [
        `\uFEFF${HEADER}`,
        `${a},"Sở Thông tin, Truyền thông ""An Giang""",Phạm Văn Cường,gd@ag.example.org,Thứ trưởng,tt@bo.example.org,true`,
        // A quoted name over two lines (stored on one line): the next record starts on line 5.
        `${b},"Cục An toàn
thông tin",Lê Thị Bình,${bEmail},,,`,
        `${c},${cName},Đỗ Thị Dung,tgd@vnpost.example.org,,,false`,
        '',
      ].join('\r\n');

    const refused = await importCsv(rows('not-an-email', '=HYPERLINK(1)'));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ dryRun: false, saved: false, error: 'ValidationError' });
    expect(refused.body.errors).toEqual([
      { line: 3, field: 'headEmail', message: expect.stringContaining('email') },
      { line: 5, field: 'name', message: expect.stringContaining('starts with a formula character') },
    ]);
    expect(await em().count(Unit, { code: { $in: [a, b, c] } })).toBe(0);

    // The same file in a dry run: 200 with the same list, still nothing stored.
    const preview = await importCsv(rows('not-an-email', '=HYPERLINK(1)'), { dryRun: true });
    expect(preview.status).toBe(200);
    expect(preview.body.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'headEmail'],
      [5, 'name'],
    ]);

    const corrected = rows('cuctruong@attt.example.org', 'Tổng công ty Bưu điện');
    const dry = await importCsv(corrected, { dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ dryRun: true, saved: false, created: 3, updated: 0, unchanged: 0, errors: [] });
    expect(await em().count(Unit, { code: { $in: [a, b, c] } })).toBe(0);

    const imported = await importCsv(corrected);
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({ dryRun: false, saved: true, created: 3, updated: 0, unchanged: 0, errors: [] });
    const stored = await em().find(Unit, { code: { $in: [a, b, c] } }, { orderBy: { code: 'asc' } });
    expect(stored.map((u) => [u.code, u.name, u.headEmail, u.supervisorEmail ?? null, u.active])).toEqual([
      [a, 'Sở Thông tin, Truyền thông "An Giang"', 'gd@ag.example.org', 'tt@bo.example.org', true],
      [b, 'Cục An toàn thông tin', 'cuctruong@attt.example.org', null, true],
      [c, 'Tổng công ty Bưu điện', 'tgd@vnpost.example.org', null, false],
    ]);
    const [event] = await em().find(
      AuditEvent,
      { action: 'units.imported', actorId: ADMIN_NAME },
      { orderBy: { id: 'desc' }, limit: 1 },
    );
    expect(event!.after).toMatchObject({ created: 3, updated: 0 });

    const again = await importCsv(corrected);
    expect(again.body).toEqual({ dryRun: false, saved: true, created: 0, updated: 0, unchanged: 3, errors: [] });

    const changed = await importCsv(corrected.replace('Phạm Văn Cường', 'Phạm Văn Cường Mới'));
    expect(changed.body).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    expect((await em().findOneOrFail(Unit, { code: a })).headName).toBe('Phạm Văn Cường Mới');
  });

  test('when a file repeats a code, lacks a column or is malformed, the import lists the problem and stores nothing', async () => {
    const p = uniq('CSV');
    const dup = await importCsv(
      [
        HEADER,
        `${p}-1,A,H,h1@x.example.org,,,`,
        `${p}-2,B,H,h2@x.example.org,,,`,
        `${p}-1,C,H,h3@x.example.org,,,`,
      ].join('\n'),
    );
    expect(dup.status).toBe(400);
    expect(dup.body.errors).toEqual([{ line: 4, field: 'code', message: expect.stringContaining('line 2') }]);
    expect(await em().count(Unit, { code: { $in: [`${p}-1`, `${p}-2`] } })).toBe(0);

    const header = await importCsv(`code,name,headEmail\n${p}-1,A,h@x.example.org\n`);
    expect(header.status).toBe(400);
    expect(header.body.errors[0]).toMatchObject({ line: 1, field: 'header' });

    const cells = await importCsv(`${HEADER}\n${p}-1,A,H,h@x.example.org\n`);
    expect(cells.body.errors).toEqual([{ line: 2, field: 'row', message: expect.stringContaining('4 cells') }]);

    const json = await api<ErrorReply>(stack.baseUrl, 'POST', '/api/v1/units/import', {
      token: admin,
      body: { code: p },
    });
    expect(json.status).toBe(400);

    const quote = await importCsv(`${HEADER}\n${p}-1,"A,H,h@x.example.org,,,\n`);
    expect(quote.body.errors).toEqual([{ line: 2, field: 'row', message: expect.stringContaining('never closed') }]);

    const supervisor = await importCsv(
      `${HEADER}\n${p}-1,A,H,h@x.example.org,Lãnh đạo,,yes\n${p}-2,B,H,h@x.example.org,,,maybe\n`,
    );
    expect(supervisor.body.errors.map((e) => [e.line, e.field])).toEqual([
      [2, 'supervisorEmail'],
      [3, 'active'],
    ]);

    const tooMany = await importCsv(
      [HEADER, ...Array.from({ length: 20_001 }, (_, i) => `${p}-${i},N,H,h@x.example.org,,,`)].join('\n'),
      { dryRun: true },
    );
    expect(tooMany.body.errors).toEqual([{ line: 20_002, field: 'file', message: expect.stringContaining('20000') }]);
    expect(await em().count(Unit, { code: { $like: `${p}-%` } })).toBe(0);
  });

  test('when the file has no active column, units are created active', async () => {
    const p = uniq('CSV');
    const res = await importCsv(
      `code,name,headName,headEmail,supervisorName,supervisorEmail\n${p}-1,"Đơn vị",H,h@x.example.org,,\n`,
    );
    expect(res.body).toMatchObject({ saved: true, created: 1 });
    expect((await em().findOneOrFail(Unit, { code: `${p}-1` })).active).toBe(true);
  });
});

describe('CSV reader', () => {
  test('it reads RFC 4180: quoted commas, doubled quotes, line breaks in quotes, CRLF, a BOM, blank lines', () => {
    const parsed = parseCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n\r\n,,\n"",z,');
    expect(parsed).toEqual({
      ok: true,
      records: [
        { line: 1, cells: ['a', 'b', 'c'] },
        { line: 2, cells: ['x, y', 'say "hi"', 'two\nlines'] },
        { line: 5, cells: ['', '', ''] },
        { line: 6, cells: ['', 'z', ''] },
      ],
    });
    expect(parseCsv('a,"b"c')).toMatchObject({ ok: false, line: 1 });
    expect(parseCsv('a,b"c')).toMatchObject({ ok: false, line: 1 });
    expect(parseCsv('a\n"b\n\nc')).toMatchObject({ ok: false, line: 2 });
  });
});

describe('templates', () => {
  const definition = (title: string): TemplateDefinition => ({
    ...defaultTemplate,
    title: { vi: title, en: `${title} (en)` },
  });

  test('when an administrator posts a template twice, the versions increment and the first stays readable', async () => {
    const code = uniq('t');
    const v1 = await api<{ version: number }>(stack.baseUrl, 'POST', `/api/v1/templates/${code}/versions`, {
      token: admin,
      body: definition('Mẫu một'),
    });
    expect(v1.status).toBe(201);
    expect(v1.body.version).toBe(1);
    const v2 = await api<{ version: number }>(stack.baseUrl, 'POST', `/api/v1/templates/${code}/versions`, {
      token: admin,
      body: definition('Mẫu hai'),
    });
    expect(v2.status).toBe(201);
    expect(v2.body.version).toBe(2);

    const first = await api<{ version: number; definition: TemplateDefinition }>(
      stack.baseUrl,
      'GET',
      `/api/v1/templates/${code}/versions/1`,
      { token: admin },
    );
    expect(first.status).toBe(200);
    expect(first.body.definition.title.vi).toBe('Mẫu một');
    expect(first.body.definition.keyTasks).toHaveLength(defaultTemplate.keyTasks.length);
    const latest = await api<{ code: string; version: number }[]>(stack.baseUrl, 'GET', '/api/v1/templates', {
      token: admin,
    });
    expect(latest.body.find((t) => t.code === code)).toMatchObject({ version: 2, title: { vi: 'Mẫu hai' } });
    expect(latest.body.find((t) => t.code === DEFAULT_TEMPLATE_CODE)).toBeDefined();
    expect((await api(stack.baseUrl, 'GET', `/api/v1/templates/${code}/versions/3`, { token: admin })).status).toBe(
      404,
    );

    expect(await em().count(ReportTemplate, { code })).toBe(2);
    const events = await auditEvents('template.version_created', code);
    expect(events.map((e) => (e.after as { version: number }).version)).toEqual([1, 2]);
  });

  test('when a template is inconsistent, it answers 400 naming the field and stores nothing', async () => {
    const code = uniq('t');
    const [kt0, kt1] = defaultTemplate.keyTasks;
    const ind = defaultTemplate.indicators[0]!;
    const cases: [unknown, string][] = [
      [{ ...defaultTemplate, keyTasks: [kt0, { ...kt1, code: kt0!.code }] }, 'keyTasks.1.code'],
      [{ ...defaultTemplate, indicators: [{ ...ind, min: 10, max: 1 }] }, 'indicators.0.min'],
      [
        { ...defaultTemplate, indicators: [{ ...ind, target: { kind: 'between', min: 5, max: 2 } }] },
        'indicators.0.target.min',
      ],
      [
        { ...defaultTemplate, indicators: [{ ...ind, target: { kind: 'at_least', value: 5000 } }] },
        'indicators.0.target.value',
      ],
      [{ ...defaultTemplate, indicators: [{ ...ind, target: { kind: 'at_least' } }] }, 'indicators.0.target'],
      [{ ...defaultTemplate, title: { vi: 'Tiêu đề', en: '' } }, 'title.en'],
      [{ ...defaultTemplate, title: { vi: '   ', en: 'Title' } }, 'title.vi'],
      [{ ...defaultTemplate, keyTasks: [{ code: 'bad code', title: kt0!.title }] }, 'keyTasks.0.code'],
      [{ ...defaultTemplate, sections: [{ code: 'S1', title: { vi: 'a\u0000', en: 'b' } }] }, 'sections.0.title.vi'],
    ];
    for (const [body, field] of cases) {
      const res = await api<ErrorReply>(stack.baseUrl, 'POST', `/api/v1/templates/${code}/versions`, {
        token: admin,
        body,
      });
      expect({ status: res.status, field: res.body.field }).toEqual({
        status: 400,
        field: expect.stringContaining(field),
      });
    }
    expect(await em().count(ReportTemplate, { code })).toBe(0);
  });
});

describe('policies', () => {
  test('when an administrator creates and replaces a policy, both are stored and audited', async () => {
    const code = uniq('p');
    const created = await api<{ code: string; definition: CyclePolicy }>(stack.baseUrl, 'POST', '/api/v1/policies', {
      token: admin,
      body: { code, definition: DEFAULT_POLICY },
    });
    expect(created.status).toBe(201);
    expect(created.body.definition).toEqual(DEFAULT_POLICY);
    const dup = await api<ErrorReply>(stack.baseUrl, 'POST', '/api/v1/policies', {
      token: admin,
      body: { code, definition: DEFAULT_POLICY },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.field).toBe('code');

    const relative: CyclePolicy = {
      ...DEFAULT_POLICY,
      timing: {
        kind: 'relative',
        deadlineAfterSeconds: 600,
        reminderSecondsBefore: [300],
        escalationSecondsAfter: [60, 120],
        hardCloseSecondsAfter: 180,
        reviewWindowSeconds: 600,
        revisionWindowSeconds: 600,
      },
    };
    const replaced = await api<{ definition: CyclePolicy }>(stack.baseUrl, 'PUT', `/api/v1/policies/${code}`, {
      token: admin,
      body: { definition: relative },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.definition).toEqual(relative);
    expect((await em().findOneOrFail(Policy, { code })).definition).toEqual(relative);
    expect((await api(stack.baseUrl, 'GET', `/api/v1/policies/${code}`, { token: admin })).status).toBe(200);
    expect(await auditEvents('policy.created', code)).toHaveLength(1);
    const [updated] = await auditEvents('policy.updated', code);
    expect(updated).toMatchObject({ before: { definition: DEFAULT_POLICY }, after: { definition: relative } });
    expect(
      (
        await api(stack.baseUrl, 'PUT', `/api/v1/policies/${uniq('nope')}`, {
          token: admin,
          body: { definition: relative },
        })
      ).status,
    ).toBe(404);
  });

  test('when a policy has a bad field, it answers 400 naming that field and stores nothing', async () => {
    const code = uniq('p');
    const calendar = DEFAULT_POLICY.timing as Extract<CyclePolicy['timing'], { kind: 'calendar' }>;
    const relative = {
      kind: 'relative',
      deadlineAfterSeconds: 600,
      reminderSecondsBefore: [],
      escalationSecondsAfter: [60, 120],
      hardCloseSecondsAfter: 180,
      reviewWindowSeconds: 60,
      revisionWindowSeconds: 60,
    };
    const cases: [unknown, string][] = [
      [{ ...DEFAULT_POLICY, timing: { ...calendar, deadlineTime: '25:00' } }, 'definition.timing.deadlineTime'],
      [{ ...DEFAULT_POLICY, timing: { ...calendar, dispatchDay: 29 } }, 'definition.timing.dispatchDay'],
      [{ ...DEFAULT_POLICY, timing: { ...calendar, timeZone: 'Mars/Olympus' } }, 'definition.timing.timeZone'],
      [
        { ...DEFAULT_POLICY, timing: { ...calendar, escalationWorkingDaysAfter: [3, 1] } },
        'definition.timing.escalationWorkingDaysAfter.1',
      ],
      [
        { ...DEFAULT_POLICY, timing: { ...calendar, hardCloseWorkingDaysAfter: 3 } },
        'definition.timing.hardCloseWorkingDaysAfter',
      ],
      [
        { ...DEFAULT_POLICY, timing: { ...relative, deadlineAfterSeconds: -1 } },
        'definition.timing.deadlineAfterSeconds',
      ],
      [
        { ...DEFAULT_POLICY, timing: { ...relative, hardCloseSecondsAfter: 100 } },
        'definition.timing.hardCloseSecondsAfter',
      ],
      [{ ...DEFAULT_POLICY, timing: { ...calendar, kind: 'weekly' } }, 'definition.timing.kind'],
      [{ ...DEFAULT_POLICY, maxReminders: 11 }, 'definition.maxReminders'],
      [{ ...DEFAULT_POLICY, quorum: { numerator: 4, denominator: 3 } }, 'definition.quorum.numerator'],
      [{ ...DEFAULT_POLICY, quorum: { numerator: 0, denominator: 3 } }, 'definition.quorum.numerator'],
    ];
    for (const [definition, field] of cases) {
      const res = await api<ErrorReply>(stack.baseUrl, 'POST', '/api/v1/policies', {
        token: admin,
        body: { code, definition },
      });
      expect({ status: res.status, field: res.body.field }).toEqual({ status: 400, field });
    }
    expect(await em().count(Policy, { code })).toBe(0);
  });
});

describe('campaigns', () => {
  test('when an administrator creates and changes a campaign, its template and policy must exist', async () => {
    const code = uniq('c');
    const unknownTemplate = await api<ErrorReply>(stack.baseUrl, 'POST', '/api/v1/campaigns', {
      token: admin,
      body: { code, name: 'Thi đua', templateCode: uniq('nope'), policyCode: 'monthly' },
    });
    expect(unknownTemplate.status).toBe(404);
    expect(unknownTemplate.body.field).toBe('templateCode');
    const unknownPolicy = await api<ErrorReply>(stack.baseUrl, 'POST', '/api/v1/campaigns', {
      token: admin,
      body: { code, name: 'Thi đua', templateCode: DEFAULT_TEMPLATE_CODE, policyCode: uniq('nope') },
    });
    expect(unknownPolicy.status).toBe(404);
    expect(unknownPolicy.body.field).toBe('policyCode');
    expect(await em().count(Campaign, { code })).toBe(0);

    const created = await api(stack.baseUrl, 'POST', '/api/v1/campaigns', {
      token: admin,
      body: { code, name: 'Thi đua hàng tháng', templateCode: DEFAULT_TEMPLATE_CODE, policyCode: 'monthly' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      code,
      templateCode: DEFAULT_TEMPLATE_CODE,
      policyCode: 'monthly',
      active: true,
    });
    expect(
      (
        await api(stack.baseUrl, 'POST', '/api/v1/campaigns', {
          token: admin,
          body: { code, name: 'x', templateCode: DEFAULT_TEMPLATE_CODE, policyCode: 'monthly' },
        })
      ).status,
    ).toBe(409);

    const patched = await api(stack.baseUrl, 'PATCH', `/api/v1/campaigns/${code}`, {
      token: admin,
      body: { policyCode: 'demo-minutes', active: false, name: 'Thử nghiệm' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ policyCode: 'demo-minutes', active: false, name: 'Thử nghiệm' });
    const badPatch = await api<ErrorReply>(stack.baseUrl, 'PATCH', `/api/v1/campaigns/${code}`, {
      token: admin,
      body: { templateCode: uniq('nope') },
    });
    expect(badPatch.status).toBe(404);
    expect(badPatch.body.field).toBe('templateCode');

    const stored = await em().findOneOrFail(Campaign, { code }, { populate: ['policy'] });
    expect([stored.policy.code, stored.active, stored.templateCode]).toEqual([
      'demo-minutes',
      false,
      DEFAULT_TEMPLATE_CODE,
    ]);
    const list = await api<{ code: string }[]>(stack.baseUrl, 'GET', '/api/v1/campaigns', { token: admin });
    expect(list.body.map((c) => c.code)).toContain(code);
    expect(await auditEvents('campaign.created', code)).toHaveLength(1);
    const [updated] = await auditEvents('campaign.updated', code);
    expect(updated).toMatchObject({
      before: { policyCode: 'monthly', active: true },
      after: { policyCode: 'demo-minutes', active: false },
    });
  });
});

describe('holidays', () => {
  test('when an administrator adds and removes a holiday, the calendar follows and both are audited', async () => {
    // A year of its own so parallel test files do not collide.
    const year = 2100 + Math.floor(Math.random() * 800);
    const date = `${year}-03-0${1 + Math.floor(Math.random() * 9)}`;
    const added = await api(stack.baseUrl, 'POST', '/api/v1/holidays', {
      token: admin,
      body: { date, name: '  Ngày thử  ' },
    });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ date, name: 'Ngày thử' });
    expect(
      (await api<ErrorReply>(stack.baseUrl, 'POST', '/api/v1/holidays', { token: admin, body: { date, name: 'x' } }))
        .body.field,
    ).toBe('date');
    const listed = await api<{ date: string }[]>(stack.baseUrl, 'GET', `/api/v1/holidays?year=${year}`, {
      token: admin,
    });
    expect(listed.body).toEqual([{ date, name: 'Ngày thử' }]);
    const seeded = await api<{ date: string }[]>(stack.baseUrl, 'GET', '/api/v1/holidays?year=2026', { token: admin });
    expect(seeded.body.map((h) => h.date)).toContain('2026-09-02');

    const removed = await api(stack.baseUrl, 'DELETE', `/api/v1/holidays/${date}`, { token: admin });
    expect(removed.status).toBe(200);
    expect(await em().count(Holiday, { date })).toBe(0);
    expect((await api(stack.baseUrl, 'DELETE', `/api/v1/holidays/${date}`, { token: admin })).status).toBe(404);
    expect(await auditEvents('holiday.added', date)).toHaveLength(1);
    expect(await auditEvents('holiday.removed', date)).toHaveLength(1);
  });

  test('when a holiday date is not a calendar date, it answers 400 naming date', async () => {
    for (const date of ['2026-02-30', '2026-13-01', '26-01-01']) {
      const res = await api<ErrorReply>(stack.baseUrl, 'POST', '/api/v1/holidays', {
        token: admin,
        body: { date, name: 'x' },
      });
      expect({ date, status: res.status, field: res.body.field }).toEqual({ date, status: 400, field: 'date' });
    }
  });
});

describe('roles', () => {
  test('when a council member reads reference data it is answered, and when they write it is refused with 403', async () => {
    const council = await stack.token('council');
    for (const path of [
      '/api/v1/units',
      '/api/v1/templates',
      '/api/v1/campaigns',
      '/api/v1/policies',
      '/api/v1/holidays?year=2026',
      `/api/v1/templates/${DEFAULT_TEMPLATE_CODE}/versions/1`,
    ]) {
      expect({ path, status: (await api(stack.baseUrl, 'GET', path, { token: council })).status }).toEqual({
        path,
        status: 200,
      });
    }
    const code = uniq('U');
    expect((await api(stack.baseUrl, 'POST', '/api/v1/units', { token: council, body: unitBody(code) })).status).toBe(
      403,
    );
    expect(
      (
        await api(stack.baseUrl, 'POST', '/api/v1/holidays', {
          token: council,
          body: { date: '2999-01-01', name: 'x' },
        })
      ).status,
    ).toBe(403);
    expect(
      (await importCsv('code,name,headName,headEmail,supervisorName,supervisorEmail\n', { token: council })).status,
    ).toBe(403);
    expect(await em().count(Unit, { code })).toBe(0);
    const auditor = await stack.token('auditor');
    expect((await api(stack.baseUrl, 'GET', '/api/v1/units', { token: auditor })).status).toBe(200);
  });

  test('when a request has no token, it is refused with 401', async () => {
    expect((await api(stack.baseUrl, 'GET', '/api/v1/units')).status).toBe(401);
    expect((await api(stack.baseUrl, 'POST', '/api/v1/units', { body: unitBody(uniq('U')) })).status).toBe(401);
  });

  test('the admin routes are published in OpenAPI with a summary and a tag', async () => {
    const doc = (
      await api<{ paths: Record<string, Record<string, { summary?: string; tags?: string[] }>> }>(
        stack.baseUrl,
        'GET',
        '/openapi.json',
      )
    ).body;
    for (const path of [
      '/api/v1/units',
      '/api/v1/units/import',
      '/api/v1/templates/{code}/versions',
      '/api/v1/policies/{code}',
      '/api/v1/campaigns/{code}',
      '/api/v1/holidays/{date}',
    ]) {
      for (const op of Object.values(doc.paths[path] ?? {})) {
        expect(op.summary).toBeTruthy();
        expect(op.tags?.length).toBeGreaterThan(0);
      }
      expect(doc.paths[path]).toBeDefined();
    }
  });
});
