import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { BaseSchema } from './base';

/** An agency, unit or enterprise whose head reports monthly. */
export const Unit = defineEntity({
  name: 'Unit',
  extends: BaseSchema,
  properties: {
    code: p.string().length(64).unique(),
    name: p.string().length(300),
    headName: p.string().length(200),
    headEmail: p.string().length(320),
    supervisorName: p.string().length(200).nullable(),
    supervisorEmail: p.string().length(320).nullable(),
    active: p.boolean().default(true),
    /** The unit it reports up to, for multi-level consolidation later. */
    parent: () => p.manyToOne(Unit).nullable(),
  },
});
export type IUnit = InferEntity<typeof Unit>;
