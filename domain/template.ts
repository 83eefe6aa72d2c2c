/**
 * Report templates: what a unit reports each month. Templates are data, versioned in the
 * database; a cycle pins the version it was started with. Pure types and helpers only: this
 * module is imported by workflows.
 */

export type Locale = 'vi' | 'en';
export const LOCALES: readonly Locale[] = ['vi', 'en'];

/** A text shown to people, in every language the product speaks. */
export type LocalizedText = Readonly<Record<Locale, string>>;

export type Aggregation = 'sum' | 'average' | 'min' | 'max' | 'latest';

/** How an indicator's aggregate is compared with its target. */
export type IndicatorTarget =
  | { readonly kind: 'at_least'; readonly value: number }
  | { readonly kind: 'at_most'; readonly value: number }
  | { readonly kind: 'between'; readonly min: number; readonly max: number };

export interface KeyTaskDefinition {
  readonly code: string;
  readonly title: LocalizedText;
}

export interface IndicatorDefinition {
  readonly code: string;
  readonly title: LocalizedText;
  /** Unit of measure, e.g. "DN/1.000 dân", "%", "hạng". */
  readonly measure: LocalizedText;
  readonly target: IndicatorTarget;
  readonly aggregation: Aggregation;
  /** Inclusive bounds a unit's answer must respect. */
  readonly min: number;
  readonly max: number;
  readonly required: boolean;
}

export interface SectionDefinition {
  readonly code: string;
  readonly title: LocalizedText;
}

export interface TemplateDefinition {
  readonly title: LocalizedText;
  readonly keyTasks: readonly KeyTaskDefinition[];
  readonly indicators: readonly IndicatorDefinition[];
  /** Sector fields whose work becomes a free-text section of the report. */
  readonly sections: readonly SectionDefinition[];
  readonly limits: TemplateLimits;
}

export interface TemplateLimits {
  /** Longest free text accepted in any text field, in characters. */
  readonly textMaxLength: number;
  /** Most rows accepted in a repeatable list (examples, proposals). */
  readonly maxRows: number;
}
