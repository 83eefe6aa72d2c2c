/**
 * Prototype pollution through request bodies: form fields and JSON keys named `__proto__`,
 * `constructor` or `prototype`, sent to unknown links, valid links and the administrators' API,
 * leave `Object.prototype` unchanged and every later request answered as before.
 */
import { withoutPrototypes } from '../api/http/json-body';
import { formToAnswers } from '../api/http/form-body';
import { defaultTemplate } from '../db/seed-data/default-template';
import { ValidationError } from '../domain/errors';
import { signInConsole } from './support/console';
import { api, openCycle, tokenOf } from './support/fixtures';
import { useStack } from './support/hooks';

const stack = useStack();
let link = '';
let admin = '';
beforeAll(async () => {
  admin = await stack.token('admin');
  link = (await openCycle(stack, admin)).links[0]!;
});

const MARK = 'POLLUTED-by-a-request';
/** Field names that would write to a prototype if a parser used them as keys of plain objects. */
const POISONED_FIELDS = [
  'kt.__proto__.notice',
  'kt.__proto__.roles',
  'kt.__proto__.back',
  'kt.constructor.prototype',
  'kt.prototype.notice',
  'ex.__proto__.notice',
  'pr.__proto__.notice',
  'ind.__proto__',
  'sec.__proto__',
  '__proto__',
  '__proto__.notice',
  'constructor.prototype.notice',
  'kt.KT01.__proto__',
  'ex.0.__proto__',
  'ex.constructor.prototype',
];

const prototypeKeys = (): string[] => Reflect.ownKeys(Object.prototype).map(String).sort();

async function postForm(path: string, fields: Record<string, string>): Promise<number> {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  await res.text();
  return res.status;
}

async function postJson(path: string, raw: string, token?: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: path.includes('/draft') ? 'PUT' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: raw,
  });
  return { status: res.status, body: await res.text() };
}

/** What the probe saw break once the prototype was polluted: health, the form, sign-in, an admin write. */
async function everythingStillAnswers(): Promise<void> {
  expect((await fetch(`${stack.baseUrl}/healthz`)).status).toBe(200);
  const form = await fetch(link);
  expect(form.status).toBe(200);
  expect(await form.text()).not.toContain(MARK);
  expect((await fetch(`${stack.baseUrl}/console/sign-in`)).status).toBe(200);
  const holiday = await api(stack.baseUrl, 'POST', '/api/v1/holidays', {
    token: admin,
    body: { date: `2031-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`, name: 'Ngày thử' },
  });
  expect([201, 409]).toContain(holiday.status);
}

test('when a form with __proto__ and constructor.prototype fields is posted to an unknown link, then Object.prototype is unchanged and every later request answers as before', async () => {
  const before = prototypeKeys();
  for (const name of POISONED_FIELDS) {
    expect(await postForm(`/r/${'A'.repeat(43)}`, { [name]: MARK, action: 'submit' })).toBe(404);
    expect(prototypeKeys()).toEqual(before);
  }
  expect(({} as Record<string, unknown>).notice).toBeUndefined();
  expect(({} as Record<string, unknown>).roles).toBeUndefined();
  await everythingStillAnswers();
});

test('when the same fields are posted to a valid link, then the form is refused (400) naming the field, nothing is polluted and the link still works', async () => {
  const before = prototypeKeys();
  for (const name of POISONED_FIELDS) {
    for (const action of ['submit', 'draft', 'add_ex']) {
      expect(await postForm(`/r/${tokenOf(link)}`, { [name]: MARK, action })).toBe(400);
      expect(prototypeKeys()).toEqual(before);
    }
  }
  await everythingStillAnswers();
});

test('when JSON bodies carry __proto__ or constructor.prototype, at the top or nested, then the link API and the admin API refuse them with 400 and nothing is polluted', async () => {
  const before = prototypeKeys();
  const bodies = [
    `{"__proto__":{"notice":"${MARK}"}}`,
    `{"constructor":{"prototype":{"notice":"${MARK}"}}}`,
    `{"keyTasks":{"__proto__":{"notice":"${MARK}"}}}`,
    `{"keyTasks":{"KT01":{"constructor":{"prototype":{"notice":"${MARK}"}}}}}`,
    `{"examples":[{"__proto__":{"notice":"${MARK}"}}]}`,
  ];
  const token = tokenOf(link);
  for (const raw of bodies) {
    for (const [path, auth] of [
      [`/api/v1/link/${token}/draft`, undefined],
      [`/api/v1/link/${token}/submission`, undefined],
      ['/api/v1/units', admin],
      ['/api/v1/holidays', admin],
    ] as const) {
      const res = await postJson(path, raw, auth);
      expect({ path, raw, status: res.status }).toEqual({ path, raw, status: 400 });
      expect(JSON.parse(res.body)).toEqual(
        expect.objectContaining({ error: expect.any(String), message: expect.stringMatching(/.{5,}/) }),
      );
      expect(prototypeKeys()).toEqual(before);
    }
  }
  await everythingStillAnswers();
});

test('when console forms carry __proto__ and constructor.prototype fields, then nothing is polluted and the console still answers', async () => {
  const before = prototypeKeys();
  const session = await signInConsole(stack.baseUrl, admin);
  const poisoned = Object.fromEntries(POISONED_FIELDS.map((name) => [name, MARK]));
  for (const path of ['/console/units/import', '/console/units/new', '/console/sign-out']) {
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...poisoned, _csrf: session.csrf, csv: 'code,name\n' }).toString(),
    });
    expect(res.status).toBeLessThan(500);
    expect(prototypeKeys()).toEqual(before);
  }
  await everythingStillAnswers();
});

test('when a JSON body is parsed, then every object in it has no prototype, arrays keep theirs', () => {
  const body = withoutPrototypes(
    JSON.parse('{"a":{"b":[{"c":1},[{"d":{}}]]},"constructor":"x"}') as { a: { b: [{ c: number }, [{ d: object }]] } },
  );
  for (const part of [body, body.a, body.a.b[0], body.a.b[1][0], body.a.b[1][0].d])
    expect(Object.getPrototypeOf(part)).toBeNull();
  expect(Array.isArray(body.a.b) && Array.isArray(body.a.b[1])).toBe(true);
});

test("when the report form is read into answers, then every object has no prototype and only the template's fields are accepted", () => {
  const answers = formToAnswers(
    Object.assign(Object.create(null), {
      'kt.KT01.status': 'done',
      'kt.KT01.text': 'x',
      'ind.IND01': '0,7',
      'ex.0.name': 'n',
      recommendations: 'r',
    }),
    defaultTemplate,
  );
  for (const part of [
    answers,
    answers.keyTasks,
    (answers.keyTasks as Record<string, unknown>).KT01,
    answers.indicators,
    answers.sections,
    (answers.examples as unknown[])[0],
  ]) {
    expect(Object.getPrototypeOf(part)).toBeNull();
  }
  expect((answers.indicators as Record<string, unknown>).IND01).toBe(0.7);
  for (const name of [
    ...POISONED_FIELDS,
    'kt.NO-SUCH.text',
    'ind.NO-SUCH',
    'sec.NO-SUCH',
    'ex.0.unknown',
    'ex.99999.name',
    'ex.01.name',
    'kt.KT01.text.extra',
    'stray',
  ]) {
    expect(() => formToAnswers({ [name]: 'x' }, defaultTemplate)).toThrow(ValidationError);
  }
});
