/**
 * Turns the report form's flat fields (`kt.KT01.status`, `ind.IND01`, `ex.0.name`, …) into the
 * answers object `validateAnswers` checks. Only the fields the cycle's template defines are
 * accepted: any other name is refused with a 400 naming it (a form this site rendered never sends
 * one). Every object built here has no prototype, so no field name — `__proto__`,
 * `constructor`, `prototype` — can reach `Object.prototype`. Values that are not what they
 * should be are passed through unchanged, so validation names the field instead of this parser
 * guessing.
 */
import { ValidationError } from '../../domain/errors';
import type { TemplateDefinition } from '../../domain/template';

type Flat = Readonly<Record<string, unknown>>;
type Bag = Record<string, unknown>;

/** An object without a prototype: writing any key to it writes only that key. */
const bag = (): Bag => Object.create(null) as Bag;

const str = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

/** Fields every report form carries besides the answers. */
export const FORM_CONTROL_FIELDS: ReadonlySet<string> = new Set([
  'action',
  'rows.ex',
  'rows.pr',
  'unit',
  'reason',
  'holderName',
  'draftLink',
]);
export const FORM_ACTIONS: ReadonlySet<string> = new Set([
  'submit',
  'draft',
  'add_ex',
  'add_pr',
  'fresh_link',
  'send_back',
  'from_previous',
  'draft_link_create',
  'draft_link_revoke',
]);
const KEY_TASK_FIELDS: Readonly<Record<string, string>> = { status: 'status', text: 'text', evidence: 'evidenceUrl' };
const EXAMPLE_FIELDS: ReadonlySet<string> = new Set(['name', 'kind', 'description']);
const PROPOSAL_FIELDS: ReadonlySet<string> = new Set([
  'nominee',
  'nomineeKind',
  'commendationKind',
  'requestedForm',
  'summary',
]);
/** Row indices a form may carry: far more than any template's limit, which validation reports by name. */
const MAX_ROW_INDEX = 999;

/** Numbers as people type them here: "0,7", "1.234,5" (Vietnamese) or "1234.5". */
export function parseNumber(raw: unknown): unknown {
  const v = str(raw);
  if (typeof v !== 'string') return v;
  const s = v.trim().replace(/\s/g, '');
  if (s === '') return null;
  const normalised = /,\d+$/.test(s) ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  return /^-?\d+(\.\d+)?$/.test(normalised) ? Number(normalised) : v;
}

const unknownField = (name: string): ValidationError =>
  new ValidationError({ code: 'form_field_unknown', params: { name: name.slice(0, 100) } }, name.slice(0, 100));

/** A row index of a repeatable list: a plain decimal, 0 to MAX_ROW_INDEX. */
const isRowIndex = (key: string): boolean => /^(0|[1-9]\d{0,2})$/.test(key) && Number(key) <= MAX_ROW_INDEX;

/** The answers in a posted report form for `template`; throws a `ValidationError` on a field it does not define. */
export function formToAnswers(form: Flat, template: TemplateDefinition): Record<string, unknown> {
  const keyTaskCodes = new Set(template.keyTasks.map((t) => t.code));
  const indicatorCodes = new Set(template.indicators.map((i) => i.code));
  const sectionCodes = new Set(template.sections.map((s) => s.code));
  const keyTasks = bag();
  const indicators = bag();
  const sections = bag();
  const examples = new Map<string, Bag>();
  const proposals = new Map<string, Bag>();
  const orUndefined = (value: unknown): unknown => (value === '' ? undefined : value);

  for (const name of Object.keys(form)) {
    if (FORM_CONTROL_FIELDS.has(name) || name === 'recommendations') continue;
    const value = str(form[name]);
    const parts = name.split('.');
    const [group, key = '', field = ''] = parts;
    if (group === 'kt' && parts.length === 3 && keyTaskCodes.has(key) && Object.hasOwn(KEY_TASK_FIELDS, field)) {
      const target = (keyTasks[key] ??= bag()) as Bag;
      target[KEY_TASK_FIELDS[field]!] = orUndefined(value);
    } else if (group === 'ind' && parts.length === 2 && indicatorCodes.has(key)) {
      indicators[key] = parseNumber(value);
    } else if (group === 'sec' && parts.length === 2 && sectionCodes.has(key)) {
      sections[key] = orUndefined(value);
    } else if (
      (group === 'ex' || group === 'pr') &&
      parts.length === 3 &&
      isRowIndex(key) &&
      (group === 'ex' ? EXAMPLE_FIELDS : PROPOSAL_FIELDS).has(field)
    ) {
      const rows = group === 'ex' ? examples : proposals;
      const row = rows.get(key) ?? bag();
      rows.set(key, row);
      row[field] = orUndefined(value);
    } else {
      throw unknownField(name);
    }
  }
  // Repeatable rows the person left empty are not rows (their selects always carry a default).
  const filled = (rows: Map<string, Bag>, textFields: readonly string[]): Bag[] =>
    [...rows.keys()]
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => rows.get(k)!)
      .filter((r) => textFields.some((f) => r[f] !== undefined));
  const answers = bag();
  answers.keyTasks = keyTasks;
  answers.indicators = indicators;
  answers.sections = sections;
  answers.examples = filled(examples, ['name', 'description']);
  answers.proposals = filled(proposals, ['nominee', 'requestedForm', 'summary']);
  answers.recommendations = orUndefined(str(form.recommendations));
  return answers;
}

/** The form's `action` (what the person pressed); refuses anything the form does not offer. */
export function formAction(form: Flat): string {
  const action = str(form.action);
  if (action === undefined) return 'submit';
  if (typeof action !== 'string' || !FORM_ACTIONS.has(action))
    throw new ValidationError({ code: 'form_action_unknown', params: {} }, 'action');
  return action;
}
