/**
 * Report templates: immutable versions per code. A new definition becomes version latest + 1;
 * cycles pin the version they started with, so earlier versions stay readable forever.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ReportTemplate } from '../../db/entities';
import type { IReportTemplate } from '../../db/entities/template.entity';
import { hasInvisibleFormatting } from '../../domain/display-text';
import { NotFoundError, ValidationError } from '../../domain/errors';
import type { IndicatorDefinition, LocalizedText, TemplateDefinition } from '../../domain/template';
import { auditChange, clean, iso, uniquely, type AdminContext } from './admin-common';

export interface TemplateSummary {
  readonly code: string;
  readonly version: number;
  readonly title: LocalizedText;
  readonly createdAt: string;
}

export interface TemplateVersionView extends TemplateSummary {
  readonly definition: TemplateDefinition;
}

const summaryOf = (t: IReportTemplate): TemplateSummary => ({
  code: t.code,
  version: t.version,
  title: t.definition.title,
  createdAt: iso(t.createdAt),
});
const viewOf = (t: IReportTemplate): TemplateVersionView => ({ ...summaryOf(t), definition: t.definition });

function invalid(field: string, message: string): never {
  throw new ValidationError({ code: 'field_invalid', params: { field, problem: message } }, field);
}

function localized(field: string, text: LocalizedText): LocalizedText {
  const vi = clean(text.vi);
  const en = clean(text.en);
  if (!vi) invalid(`${field}.vi`, 'must not be blank');
  if (!en) invalid(`${field}.en`, 'must not be blank');
  if (!vi.isWellFormed()) invalid(`${field}.vi`, 'contains invalid Unicode');
  if (!en.isWellFormed()) invalid(`${field}.en`, 'contains invalid Unicode');
  if (vi.includes('\u0000')) invalid(`${field}.vi`, 'contains a NUL character');
  if (en.includes('\u0000')) invalid(`${field}.en`, 'contains a NUL character');
  if (hasInvisibleFormatting(vi))
    invalid(
      `${field}.vi`,
      'contains an invisible formatting character (a right-to-left override, a zero-width space or the like)',
    );
  if (hasInvisibleFormatting(en))
    invalid(
      `${field}.en`,
      'contains an invisible formatting character (a right-to-left override, a zero-width space or the like)',
    );
  return { vi, en };
}

function uniqueCodes(list: string, items: readonly { code: string }[]): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.code);
    if (first !== undefined)
      invalid(
        `${list}.${i}.code`,
        `"${item.code}" is already used by ${list}.${first}; codes must be unique within ${list}`,
      );
    seen.set(item.code, i);
  });
}

function checkIndicator(field: string, ind: IndicatorDefinition): void {
  if (ind.min > ind.max) invalid(`${field}.min`, `(${ind.min}) must not be greater than max (${ind.max})`);
  const within = (name: string, value: number): void => {
    if (value < ind.min || value > ind.max)
      invalid(
        `${field}.target.${name}`,
        `(${value}) must lie between the indicator's min (${ind.min}) and max (${ind.max})`,
      );
  };
  const { target } = ind;
  if (target.kind === 'between') {
    if (target.min > target.max)
      invalid(`${field}.target.min`, `(${target.min}) must not be greater than target.max (${target.max})`);
    within('min', target.min);
    within('max', target.max);
  } else {
    within('value', target.value);
  }
}

/**
 * What the JSON schema cannot say: codes unique within key tasks, indicators and sections;
 * indicator bounds and targets consistent; every text present in Vietnamese and English.
 * Answers the definition with its texts NFC-normalised and trimmed.
 */
export function checkTemplate(def: TemplateDefinition): TemplateDefinition {
  uniqueCodes('keyTasks', def.keyTasks);
  uniqueCodes('indicators', def.indicators);
  uniqueCodes('sections', def.sections);
  def.indicators.forEach((ind, i) => checkIndicator(`indicators.${i}`, ind));
  return {
    title: localized('title', def.title),
    keyTasks: def.keyTasks.map((t, i) => ({ code: t.code, title: localized(`keyTasks.${i}.title`, t.title) })),
    indicators: def.indicators.map((ind, i) => ({
      code: ind.code,
      title: localized(`indicators.${i}.title`, ind.title),
      measure: localized(`indicators.${i}.measure`, ind.measure),
      target:
        ind.target.kind === 'between'
          ? { kind: 'between', min: ind.target.min, max: ind.target.max }
          : { kind: ind.target.kind, value: ind.target.value },
      aggregation: ind.aggregation,
      min: ind.min,
      max: ind.max,
      required: ind.required,
    })),
    sections: def.sections.map((s, i) => ({ code: s.code, title: localized(`sections.${i}.title`, s.title) })),
    limits: { textMaxLength: def.limits.textMaxLength, maxRows: def.limits.maxRows },
  };
}

/** The latest version of every template, by code. */
export async function listTemplates(em: EntityManager): Promise<TemplateSummary[]> {
  const latest = await em.execute<{ id: number }[]>(
    'SELECT DISTINCT ON (code) id FROM report_template ORDER BY code, version DESC',
  );
  if (latest.length === 0) return [];
  const templates = await em.find(
    ReportTemplate,
    { id: { $in: latest.map((r) => Number(r.id)) } },
    { orderBy: { code: 'asc' } },
  );
  return templates.map(summaryOf);
}

export async function getLatestTemplate(em: EntityManager, code: string): Promise<TemplateVersionView> {
  const t = await em.findOne(ReportTemplate, { code }, { orderBy: { version: 'desc' } });
  if (!t) throw new NotFoundError({ code: 'template_code_unknown', params: { template: code } }, 'code');
  return viewOf(t);
}

export async function getTemplateVersion(
  em: EntityManager,
  code: string,
  version: number,
): Promise<TemplateVersionView> {
  const t = await em.findOne(ReportTemplate, { code, version });
  if (t) return viewOf(t);
  const latest = await em.findOne(ReportTemplate, { code }, { orderBy: { version: 'desc' }, fields: ['version'] });
  if (!latest) throw new NotFoundError({ code: 'template_code_unknown', params: { template: code } }, 'code');
  throw new NotFoundError(
    { code: 'template_version_unknown', params: { template: code, version, latest: latest.version } },
    'version',
  );
}

/** Stores `definition` as the next version of template `code` (version 1 for a new code). */
export async function createTemplateVersion(
  ctx: AdminContext,
  code: string,
  definition: TemplateDefinition,
): Promise<TemplateVersionView> {
  const checked = checkTemplate(definition);
  return uniquely('version', { code: 'written_meanwhile', params: {} }, () =>
    ctx.em.transactional(async (tx) => {
      // Serialise version numbering per code.
      await tx.execute('SELECT pg_advisory_xact_lock(hashtext(?))', [`report_template:${code}`]);
      const rows = await tx.execute<{ max: number | null }[]>(
        'SELECT max(version) AS max FROM report_template WHERE code = ?',
        [code],
      );
      const version = Number(rows[0]?.max ?? 0) + 1;
      const template = tx.create(ReportTemplate, { code, version, definition: checked });
      await tx.flush();
      await auditChange(
        tx,
        ctx,
        'template.version_created',
        { type: 'report_template', id: code },
        { before: version > 1 ? { version: version - 1 } : null, after: { version, definition: checked } },
      );
      return viewOf(template);
    }),
  );
}
