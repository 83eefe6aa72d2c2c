/**
 * A unit's monthly report: the answers to a template, and their validation. Pure: imported by
 * the API (to validate before anything is stored) and by consolidation.
 */
import type { TemplateDefinition } from './template';

export type KeyTaskStatus = 'not_started' | 'in_progress' | 'done';
export const KEY_TASK_STATUSES: readonly KeyTaskStatus[] = ['not_started', 'in_progress', 'done'];

export type NomineeKind = 'collective' | 'individual';
export const NOMINEE_KINDS: readonly NomineeKind[] = ['collective', 'individual'];

/** Ad-hoc ("đột xuất") or thematic ("theo chuyên đề") commendation. */
export type CommendationKind = 'ad_hoc' | 'thematic';
export const COMMENDATION_KINDS: readonly CommendationKind[] = ['ad_hoc', 'thematic'];

export interface KeyTaskAnswer {
  readonly status: KeyTaskStatus;
  readonly text: string;
  readonly evidenceUrl?: string;
}

export interface AdvancedExample {
  readonly name: string;
  readonly kind: NomineeKind;
  readonly description: string;
}

export interface CommendationProposal {
  readonly nominee: string;
  readonly nomineeKind: NomineeKind;
  readonly commendationKind: CommendationKind;
  /** Requested form of commendation or emulation title, e.g. "Bằng khen của Bộ trưởng". */
  readonly requestedForm: string;
  readonly summary: string;
}

export interface ReportAnswers {
  readonly keyTasks: Readonly<Record<string, KeyTaskAnswer>>;
  readonly indicators: Readonly<Record<string, number | null>>;
  readonly sections: Readonly<Record<string, string>>;
  readonly examples: readonly AdvancedExample[];
  readonly proposals: readonly CommendationProposal[];
  readonly recommendations: string;
}

export interface FieldError {
  /** Dotted path of the offending field, e.g. `keyTasks.KT01.status`. */
  readonly field: string;
  readonly message: string;
}

export type Validation =
  | { readonly ok: true; readonly answers: ReportAnswers }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a submitted body against the template: required fields, numbers within bounds, text
 * lengths, enumerations. Unknown keys are rejected so nothing is silently dropped. With
 * `complete: false` (a draft) missing answers are allowed but present ones must be well formed.
 */
export function validateAnswers(
  template: TemplateDefinition,
  body: unknown,
  { complete }: { complete: boolean },
): Validation {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string): void => {
    errors.push({ field, message });
  };
  const { textMaxLength, maxRows } = template.limits;

  if (!isRecord(body)) {
    return { ok: false, errors: [{ field: 'answers', message: 'must be a JSON object' }] };
  }
  const allowed = new Set(['keyTasks', 'indicators', 'sections', 'examples', 'proposals', 'recommendations']);
  for (const key of Object.keys(body)) {
    if (!allowed.has(key)) fail(key, 'is not a field of this report');
  }

  const text = (field: string, value: unknown, { required }: { required: boolean }): string => {
    if (value === undefined || value === null || value === '') {
      if (required && complete) fail(field, 'is required');
      return '';
    }
    if (typeof value !== 'string') {
      fail(field, 'must be text');
      return '';
    }
    if (value.length > textMaxLength) fail(field, `must be at most ${textMaxLength} characters`);
    if (!value.isWellFormed()) fail(field, 'contains invalid Unicode');
    return value.normalize('NFC');
  };

  const oneOf = <T extends string>(field: string, value: unknown, options: readonly T[]): T | undefined => {
    if (typeof value === 'string' && (options as readonly string[]).includes(value)) return value as T;
    fail(field, `must be one of: ${options.join(', ')}`);
    return undefined;
  };

  const keyTasks: Record<string, KeyTaskAnswer> = {};
  const keyTasksIn = body.keyTasks ?? {};
  if (!isRecord(keyTasksIn)) fail('keyTasks', 'must be an object keyed by key-task code');
  else {
    const codes = new Set(template.keyTasks.map((t) => t.code));
    for (const key of Object.keys(keyTasksIn))
      if (!codes.has(key)) fail(`keyTasks.${key}`, 'is not a key task of this template');
    for (const task of template.keyTasks) {
      const field = `keyTasks.${task.code}`;
      const answer = keyTasksIn[task.code];
      if (answer === undefined) {
        if (complete) fail(field, 'is required');
        continue;
      }
      if (!isRecord(answer)) {
        fail(field, 'must be an object with status and text');
        continue;
      }
      const status = oneOf(`${field}.status`, answer.status, KEY_TASK_STATUSES);
      const taskText = text(`${field}.text`, answer.text, { required: status !== 'not_started' });
      const evidence = text(`${field}.evidenceUrl`, answer.evidenceUrl, { required: false });
      if (evidence && !/^https?:\/\/\S+$/i.test(evidence)) fail(`${field}.evidenceUrl`, 'must be an http(s) link');
      if (status) keyTasks[task.code] = { status, text: taskText, ...(evidence ? { evidenceUrl: evidence } : {}) };
    }
  }

  const indicators: Record<string, number | null> = {};
  const indicatorsIn = body.indicators ?? {};
  if (!isRecord(indicatorsIn)) fail('indicators', 'must be an object keyed by indicator code');
  else {
    const codes = new Set(template.indicators.map((i) => i.code));
    for (const key of Object.keys(indicatorsIn))
      if (!codes.has(key)) fail(`indicators.${key}`, 'is not an indicator of this template');
    for (const indicator of template.indicators) {
      const field = `indicators.${indicator.code}`;
      const value = indicatorsIn[indicator.code];
      if (value === undefined || value === null) {
        if (indicator.required && complete) fail(field, 'is required');
        indicators[indicator.code] = null;
        continue;
      }
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        fail(field, 'must be a number');
        continue;
      }
      if (value < indicator.min || value > indicator.max) {
        fail(field, `must be between ${indicator.min} and ${indicator.max}`);
        continue;
      }
      indicators[indicator.code] = value;
    }
  }

  const sections: Record<string, string> = {};
  const sectionsIn = body.sections ?? {};
  if (!isRecord(sectionsIn)) fail('sections', 'must be an object keyed by section code');
  else {
    const codes = new Set(template.sections.map((s) => s.code));
    for (const key of Object.keys(sectionsIn))
      if (!codes.has(key)) fail(`sections.${key}`, 'is not a section of this template');
    for (const section of template.sections) {
      const value = text(`sections.${section.code}`, sectionsIn[section.code], { required: false });
      if (value) sections[section.code] = value;
    }
  }

  const rows = (field: string, value: unknown): Record<string, unknown>[] => {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      fail(field, 'must be a list');
      return [];
    }
    if (value.length > maxRows) {
      fail(field, `must have at most ${maxRows} rows`);
      return [];
    }
    return value.flatMap((row, i) => {
      if (isRecord(row)) return [row];
      fail(`${field}.${i}`, 'must be an object');
      return [];
    });
  };

  const examples: AdvancedExample[] = rows('examples', body.examples).map((row, i) => ({
    name: text(`examples.${i}.name`, row.name, { required: true }),
    kind: oneOf(`examples.${i}.kind`, row.kind, NOMINEE_KINDS) ?? 'collective',
    description: text(`examples.${i}.description`, row.description, { required: true }),
  }));

  const proposals: CommendationProposal[] = rows('proposals', body.proposals).map((row, i) => ({
    nominee: text(`proposals.${i}.nominee`, row.nominee, { required: true }),
    nomineeKind: oneOf(`proposals.${i}.nomineeKind`, row.nomineeKind, NOMINEE_KINDS) ?? 'collective',
    commendationKind: oneOf(`proposals.${i}.commendationKind`, row.commendationKind, COMMENDATION_KINDS) ?? 'ad_hoc',
    requestedForm: text(`proposals.${i}.requestedForm`, row.requestedForm, { required: true }),
    summary: text(`proposals.${i}.summary`, row.summary, { required: true }),
  }));

  const recommendations = text('recommendations', body.recommendations, { required: false });

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, answers: { keyTasks, indicators, sections, examples, proposals, recommendations } };
}

/**
 * A new month's starting point from a unit's previous report, for the template in force now: the
 * key tasks, indicators and sections that still exist (by code) and the recommendations. Advanced
 * examples and commendation proposals belong to their month and are not carried. Anything the
 * current template would refuse (a limit that changed) is left out rather than blocking the draft.
 */
export function carryForward(template: TemplateDefinition, previous: ReportAnswers): ReportAnswers {
  const keep = <V>(from: Readonly<Record<string, V>> | undefined, codes: readonly { code: string }[]) => {
    const kept: Record<string, V> = Object.create(null) as Record<string, V>;
    for (const { code } of codes) if (from && Object.hasOwn(from, code)) kept[code] = from[code]!;
    return kept;
  };
  const candidate = {
    keyTasks: keep(previous.keyTasks, template.keyTasks),
    indicators: keep(previous.indicators, template.indicators),
    sections: keep(previous.sections, template.sections),
    examples: [],
    proposals: [],
    recommendations: previous.recommendations ?? '',
  };
  const checked = validateAnswers(template, candidate, { complete: false });
  if (checked.ok) return checked.answers;
  for (const { field } of checked.errors) {
    const [group, key] = field.split('.');
    if ((group === 'keyTasks' || group === 'indicators' || group === 'sections') && key)
      delete (candidate[group] as Record<string, unknown>)[key];
    else if (group === 'recommendations') candidate.recommendations = '';
  }
  const again = validateAnswers(template, candidate, { complete: false });
  return again.ok
    ? again.answers
    : { keyTasks: {}, indicators: {}, sections: {}, examples: [], proposals: [], recommendations: '' };
}
