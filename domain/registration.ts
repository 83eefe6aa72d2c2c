/**
 * Emulation registration (đăng ký thi đua): at the start of a year each unit registers, per
 * indicator of the campaign's template, the figure it aims for, and the emulation titles it aims
 * for. Pure: the checks of a registration, the default reminders of a round, and how a unit's
 * figure is compared with what it registered. Imported by workflows, services and pages.
 */
import { EMULATION_TITLES, isEmulationTitle, type EmulationTitle } from './emulation-titles';
import { ValidationError } from './errors';
import type { IndicatorTarget, TemplateDefinition } from './template';

/** Years a round may be opened for. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

/** What a unit registers: a figure for every indicator of the round's template, and the titles it aims for. */
export interface Registration {
  readonly targets: ReadonlyMap<string, number>;
  readonly titles: readonly EmulationTitle[];
}

/** The figure a unit is offered before it registers: the template's own target (a range's lower bound). */
export const templateTargetValue = (target: IndicatorTarget): number =>
  target.kind === 'between' ? target.min : target.value;

/**
 * A registered figure as a target: "at most" for an indicator whose template target is a ceiling
 * (a ranking, a rate of incidents), "at least" otherwise (a range's registered figure is the floor
 * the unit commits to).
 */
export const registeredTarget = (template: IndicatorTarget, value: number): IndicatorTarget =>
  template.kind === 'at_most' ? { kind: 'at_most', value } : { kind: 'at_least', value };

const invalid = (field: string, problem: string): ValidationError =>
  new ValidationError({ code: 'field_invalid', params: { field, problem } }, field);

/**
 * Checks a registration against the round's template: a finite number within the indicator's
 * bounds for every indicator and for nothing else, and distinct titles of the catalog. Throws a
 * `ValidationError` naming the first offending field.
 */
export function checkRegistration(
  template: TemplateDefinition,
  targets: ReadonlyMap<string, unknown>,
  titles: readonly unknown[],
): Registration {
  const known = new Set(template.indicators.map((i) => i.code));
  for (const code of targets.keys())
    if (!known.has(code)) throw invalid(`targets.${code.slice(0, 64)}`, 'is not an indicator of the template');
  const checked = new Map<string, number>();
  for (const ind of template.indicators) {
    const value = targets.get(ind.code);
    const field = `targets.${ind.code}`;
    if (value === undefined || value === null) throw invalid(field, 'is required');
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'must be a number');
    if (value < ind.min || value > ind.max) throw invalid(field, `must be between ${ind.min} and ${ind.max}`);
    checked.set(ind.code, value);
  }
  const chosen: EmulationTitle[] = [];
  for (const title of titles) {
    if (!isEmulationTitle(title)) throw invalid('titles', `must be among ${EMULATION_TITLES.join(', ')}`);
    if (chosen.includes(title)) throw invalid('titles', `names ${title} twice`);
    chosen.push(title);
  }
  // In the catalog's order, whatever order they came in: one registration reads one way.
  return { targets: checked, titles: EMULATION_TITLES.filter((t) => chosen.includes(t)) };
}

const DAY_MS = 24 * 3600 * 1000;

/** The default reminders of a round: 3 days and 1 day before its deadline, those still ahead of `now`. */
export function defaultReminders(deadline: Date, now: Date): string[] {
  return [3, 1]
    .map((days) => new Date(deadline.getTime() - days * DAY_MS))
    .filter((at) => at.getTime() > now.getTime())
    .map((at) => at.toISOString());
}
