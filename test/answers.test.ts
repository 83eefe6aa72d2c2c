import { defaultTemplate } from '../db/seed-data/default-template';
import { carryForward, validateAnswers } from '../domain/answers';
import { validAnswers } from './support/fixtures';

const errorsOf = (body: unknown, complete = true) => {
  const result = validateAnswers(defaultTemplate, body, { complete });
  return result.ok ? [] : result.errors.map((e) => `${e.field}: ${e.message}`);
};

describe('report validation against the template', () => {
  test('a complete report passes and comes back normalised', () => {
    const result = validateAnswers(defaultTemplate, validAnswers(), { complete: true });
    expect(result.ok).toBe(true);
  });

  test('when required answers are missing, each error names its field', () => {
    const errors = errorsOf({});
    expect(errors).toContain('keyTasks.KT01: is required');
    expect(errors).toContain('indicators.IND01: is required');
  });

  test('a draft may be incomplete but what it has must be well formed', () => {
    expect(errorsOf({ keyTasks: { KT01: { status: 'done', text: 'ok' } } }, false)).toEqual([]);
    expect(errorsOf({ indicators: { IND01: 'nhiều' } }, false)).toEqual(['indicators.IND01: must be a number']);
  });

  test('numbers out of range, unknown fields, bad enumerations and overlong texts are refused', () => {
    const a = validAnswers();
    const errors = errorsOf({
      ...a,
      indicators: { ...a.indicators, IND01: -1 },
      keyTasks: { ...a.keyTasks, KT02: { status: 'finished', text: 'x' }, KT99: { status: 'done', text: 'x' } },
      recommendations: 'x'.repeat(defaultTemplate.limits.textMaxLength + 1),
      extra: 1,
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        'indicators.IND01: must be between 0 and 1000',
        'keyTasks.KT02.status: must be one of: not_started, in_progress, done',
        'keyTasks.KT99: is not a key task of this template',
        `recommendations: must be at most ${defaultTemplate.limits.textMaxLength} characters`,
        'extra: is not a field of this report',
      ]),
    );
  });

  test('NaN, Infinity and numbers given as text are not numbers', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '0.7']) {
      expect(errorsOf({ ...validAnswers(), indicators: { IND01: bad } })).toEqual([
        'indicators.IND01: must be a number',
      ]);
    }
  });

  test('a task reported as started needs its text; a proposal needs its nominee', () => {
    const a = validAnswers();
    expect(errorsOf({ ...a, keyTasks: { ...a.keyTasks, KT01: { status: 'done', text: '' } } })).toEqual([
      'keyTasks.KT01.text: is required',
    ]);
    expect(errorsOf({ ...a, proposals: [{ ...a.proposals[0], nominee: '' }] })).toEqual([
      'proposals.0.nominee: is required',
    ]);
  });
});

describe("starting from last month's answers", () => {
  test('when the template changed since, then only what still exists is carried, and what the new limits refuse is left out', () => {
    const previous = validAnswers('Tháng trước');
    const [kept, dropped] = defaultTemplate.keyTasks;
    const template = {
      ...defaultTemplate,
      limits: { ...defaultTemplate.limits, textMaxLength: 40 },
      keyTasks: [kept!, { ...dropped!, code: 'KT99' }],
      indicators: defaultTemplate.indicators.slice(1),
    };
    const long = { ...previous, recommendations: 'x'.repeat(41) };
    const carried = carryForward(template, long);
    expect(Object.keys(carried.keyTasks)).toEqual([kept!.code]);
    expect(carried.keyTasks[kept!.code]).toEqual(previous.keyTasks[kept!.code]);
    expect(Object.keys(carried.indicators)).toEqual(defaultTemplate.indicators.slice(1).map((i) => i.code));
    expect(carried.recommendations).toBe('');
    expect([carried.examples, carried.proposals]).toEqual([[], []]);
    expect(validateAnswers(template, carried, { complete: false }).ok).toBe(true);
  });
});
