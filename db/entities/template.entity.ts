import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { TemplateDefinition } from '../../domain/template';
import { BaseSchema } from './base';

/** A version of a report template; versions are immutable once a cycle uses them. */
export const ReportTemplate = defineEntity({
  name: 'ReportTemplate',
  extends: BaseSchema,
  uniques: [{ properties: ['code', 'version'] }],
  properties: {
    code: p.string().length(64),
    version: p.integer(),
    definition: p.json<TemplateDefinition>(),
  },
});
export type IReportTemplate = InferEntity<typeof ReportTemplate>;
