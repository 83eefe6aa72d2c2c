/**
 * Template definitions by template id, read once per process and database. A template version
 * never changes once stored (a new definition is a new version, admin-templates.service.ts), so
 * keeping it is safe; the hot paths (every submission validates against one) skip the read.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TemplateDefinition } from '../domain/template';
import { NotFoundError } from '../domain/errors';

const byDatabase = new WeakMap<object, Map<number, Promise<TemplateDefinition>>>();

export function templateDefinition(em: EntityManager, templateId: number): Promise<TemplateDefinition> {
  const driver = em.getDriver();
  const known = byDatabase.get(driver) ?? new Map<number, Promise<TemplateDefinition>>();
  byDatabase.set(driver, known);
  const cached = known.get(templateId);
  if (cached) return cached;
  const reading = em
    .execute<{ definition: TemplateDefinition }[]>('SELECT definition FROM report_template WHERE id = ?', [templateId])
    .then((rows) => {
      if (!rows[0]) throw new NotFoundError({ code: 'record_missing', params: { what: 'template', id: templateId } });
      return rows[0].definition;
    });
  known.set(templateId, reading);
  reading.catch(() => known.delete(templateId));
  return reading;
}
