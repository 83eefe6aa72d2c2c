/**
 * Turns the report form's flat fields (`kt.KT01.status`, `ind.IND01`, `ex.0.name`, …) into the
 * answers object `validateAnswers` checks. Values that are not what they should be are passed
 * through unchanged, so validation names the field instead of this parser guessing.
 */
type Flat = Record<string, unknown>;

const str = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

/** Numbers as people type them here: "0,7", "1.234,5" (Vietnamese) or "1234.5". */
export function parseNumber(raw: unknown): unknown {
  const v = str(raw);
  if (typeof v !== 'string') return v;
  const s = v.trim().replace(/\s/g, '');
  if (s === '') return null;
  const normalised = /,\d+$/.test(s) ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  return /^-?\d+(\.\d+)?$/.test(normalised) ? Number(normalised) : v;
}

export function formToAnswers(form: Flat): Record<string, unknown> {
  const keyTasks: Record<string, Record<string, unknown>> = {};
  const indicators: Record<string, unknown> = {};
  const sections: Record<string, unknown> = {};
  const examples: Record<string, Record<string, unknown>> = {};
  const proposals: Record<string, Record<string, unknown>> = {};
  for (const [name, raw] of Object.entries(form)) {
    const value = str(raw);
    const [group, key, field] = name.split('.');
    if (group === 'kt' && key && field) {
      const target = (keyTasks[key] ??= {});
      target[field === 'evidence' ? 'evidenceUrl' : field] = value === '' ? undefined : value;
    } else if (group === 'ind' && key) indicators[key] = parseNumber(value);
    else if (group === 'sec' && key) sections[key] = value === '' ? undefined : value;
    else if (group === 'ex' && key && field) (examples[key] ??= {})[field] = value === '' ? undefined : value;
    else if (group === 'pr' && key && field) (proposals[key] ??= {})[field] = value === '' ? undefined : value;
  }
  // Repeatable rows the person left empty are not rows (their selects always carry a default).
  const filled = (rows: Record<string, Record<string, unknown>>, textFields: string[]) =>
    Object.keys(rows).sort((a, b) => Number(a) - Number(b)).map((k) => rows[k]!).filter((r) => textFields.some((f) => r[f] !== undefined));
  return {
    keyTasks,
    indicators,
    sections,
    examples: filled(examples, ['name', 'description']),
    proposals: filled(proposals, ['nominee', 'requestedForm', 'summary']),
    recommendations: str(form.recommendations) === '' ? undefined : str(form.recommendations),
  };
}
