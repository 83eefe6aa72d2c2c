/**
 * Units (agencies, units, enterprises whose heads report): list, read, create, update,
 * deactivate. Units are never deleted: cycles, tasks and submissions refer to them.
 */
import type { Refusal } from '../../domain/refusals';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Unit } from '../../db/entities';
import type { Scope } from './people.service';
import { unitsInScope, withinScope } from './scope.service';
import { AuthError } from '../http/errors';
import type { IUnit } from '../../db/entities/unit.entity';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import {
  auditChange,
  checkText,
  CODE_PATTERN,
  EMAIL_PATTERN,
  iso,
  uniquely,
  type AdminContext,
  type FieldProblem,
} from './admin-common';

/** The fields an administrator (or a CSV row) sets on a unit, normalised. */
export interface UnitFields {
  readonly code: string;
  readonly name: string;
  readonly headName: string;
  readonly headEmail: string;
  readonly supervisorName: string | null;
  readonly supervisorEmail: string | null;
  readonly active: boolean;
}

export interface UnitView extends UnitFields {
  readonly parentCode: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface UnitInput {
  readonly code: string;
  readonly name: string;
  readonly headName: string;
  readonly headEmail: string;
  readonly supervisorName?: string | null;
  readonly supervisorEmail?: string | null;
  readonly active?: boolean;
  readonly parentCode?: string | null;
}

export type UnitPatch = Partial<Omit<UnitInput, 'code'>>;

export const UNIT_LIMITS = {
  code: 64,
  name: 300,
  headName: 200,
  headEmail: 320,
  supervisorName: 200,
  supervisorEmail: 320,
} as const;

const TEXT_RULES = {
  code: {
    max: UNIT_LIMITS.code,
    formula: true,
    pattern: { re: CODE_PATTERN, message: 'must be 1–64 letters, digits, "-" or "_"' },
  },
  name: { max: UNIT_LIMITS.name, formula: true },
  headName: { max: UNIT_LIMITS.headName, formula: true },
  headEmail: {
    max: UNIT_LIMITS.headEmail,
    formula: true,
    pattern: { re: EMAIL_PATTERN, message: 'must be an email address' },
  },
  supervisorName: { max: UNIT_LIMITS.supervisorName, formula: true },
  supervisorEmail: {
    max: UNIT_LIMITS.supervisorEmail,
    formula: true,
    pattern: { re: EMAIL_PATTERN, message: 'must be an email address' },
  },
} as const;

type TextField = keyof typeof TEXT_RULES;

/**
 * Checks and normalises the fields of a unit, reporting every problem (the CSV import lists
 * them all; the JSON API answers the first). `null`/empty supervisor fields mean "none".
 */
export function checkUnitFields(raw: { [K in TextField]: string | null } & { active: boolean }): {
  fields?: UnitFields;
  problems: FieldProblem[];
} {
  const problems: FieldProblem[] = [];
  const out: Partial<Record<TextField, string | null>> = {};
  for (const field of Object.keys(TEXT_RULES) as TextField[]) {
    const value = raw[field];
    const optional = field === 'supervisorName' || field === 'supervisorEmail';
    if (optional && (value === null || value.trim() === '')) {
      out[field] = null;
      continue;
    }
    const checked = checkText(field, value ?? '', TEXT_RULES[field]);
    if (checked.problem) problems.push(checked.problem);
    else out[field] = checked.value;
  }
  const hasName = out.supervisorName != null;
  const hasEmail = out.supervisorEmail != null;
  const nameProblem = problems.some((p) => p.field === 'supervisorName');
  const emailProblem = problems.some((p) => p.field === 'supervisorEmail');
  if (hasName && !hasEmail && !emailProblem)
    problems.push({
      field: 'supervisorEmail',
      message: 'is required when a supervisor name is given (give both or neither)',
    });
  if (hasEmail && !hasName && !nameProblem)
    problems.push({
      field: 'supervisorName',
      message: 'is required when a supervisor email is given (give both or neither)',
    });
  if (problems.length > 0) return { problems };
  return {
    problems,
    fields: {
      code: out.code!,
      name: out.name!,
      headName: out.headName!,
      headEmail: out.headEmail!,
      supervisorName: out.supervisorName ?? null,
      supervisorEmail: out.supervisorEmail ?? null,
      active: raw.active,
    },
  };
}

function firstProblem(problems: readonly FieldProblem[]): never {
  const p = problems[0]!;
  throw new ValidationError({ code: 'field_invalid', params: { field: p.field, problem: p.message } }, p.field);
}

export function fieldsOf(unit: IUnit): UnitFields {
  return {
    code: unit.code,
    name: unit.name,
    headName: unit.headName,
    headEmail: unit.headEmail,
    supervisorName: unit.supervisorName ?? null,
    supervisorEmail: unit.supervisorEmail ?? null,
    active: unit.active,
  };
}

/** The view of a unit whose parent is loaded (or absent). */
export function unitView(unit: IUnit): UnitView {
  return {
    ...fieldsOf(unit),
    parentCode: unit.parent?.code ?? null,
    createdAt: iso(unit.createdAt),
    updatedAt: iso(unit.updatedAt),
  };
}

/** The units within `scopes` (api/services/scope.service.ts), active or not as asked. */
export async function listUnits(
  em: EntityManager,
  { active, scopes }: { active?: boolean | undefined; scopes: readonly Scope[] },
): Promise<UnitView[]> {
  const units = await em.find(
    Unit,
    { $and: [active === undefined ? {} : { active }, unitsInScope(scopes)] },
    {
      populate: ['parent'],
    },
  );
  // By code in code-unit order: the same whatever the database collation.
  return units.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)).map(unitView);
}

async function findUnit(em: EntityManager, code: string, field = 'code'): Promise<IUnit> {
  const unit = await em.findOne(Unit, { code }, { populate: ['parent'] });
  if (!unit) throw new NotFoundError({ code: 'unit_unknown', params: { unit: code } }, field);
  return unit;
}

export const getUnit = async (em: EntityManager, code: string): Promise<UnitView> => unitView(await findUnit(em, code));

/** The parent a unit may have: it exists, is not the unit itself, and is not below it. */
async function resolveParent(em: EntityManager, parentCode: string, unit: IUnit | null, code: string): Promise<IUnit> {
  if (parentCode === code) throw new ValidationError({ code: 'parent_is_self', params: {} }, 'parentCode');
  const parent = await em.findOne(Unit, { code: parentCode });
  if (!parent) throw new NotFoundError({ code: 'parent_unknown', params: { parent: parentCode } }, 'parentCode');
  if (unit) {
    // Walk up from the new parent: meeting the unit would make a loop.
    let current: IUnit | null = parent;
    for (let depth = 0; current && depth < 1000; depth += 1) {
      if (current.id === unit.id)
        throw new ValidationError({ code: 'parent_cycle', params: { parent: parentCode, unit: code } }, 'parentCode');
      const next: IUnit | null | undefined = current.parent;
      current = next ? await em.findOne(Unit, { id: next.id }) : null;
    }
  }
  return parent;
}

export async function createUnit(ctx: AdminContext, input: UnitInput): Promise<UnitView> {
  const checked = checkUnitFields({
    code: input.code,
    name: input.name,
    headName: input.headName,
    headEmail: input.headEmail,
    supervisorName: input.supervisorName ?? null,
    supervisorEmail: input.supervisorEmail ?? null,
    active: input.active ?? true,
  });
  if (!checked.fields) return firstProblem(checked.problems);
  const fields = checked.fields;
  const duplicate: Refusal = { code: 'already_exists', params: { kind: 'unit', key: fields.code } };
  return uniquely('code', duplicate, () =>
    ctx.em.transactional(async (tx) => {
      if (await tx.count(Unit, { code: fields.code })) throw new ConflictError(duplicate, 'code');
      const parent = input.parentCode ? await resolveParent(tx, input.parentCode, null, fields.code) : null;
      const unit = tx.create(Unit, { ...fields, parent });
      await tx.flush();
      const view = unitView(unit);
      await auditChange(tx, ctx, 'unit.created', { type: 'unit', id: unit.code }, { after: view });
      return view;
    }),
  );
}

/** Partial update; the code never changes. Answers the unit (unchanged when nothing differs). */
export async function updateUnit(ctx: AdminContext, code: string, patch: UnitPatch): Promise<UnitView> {
  return ctx.em.transactional(async (tx) => {
    const unit = await tx.findOne(Unit, { code }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!unit) throw new NotFoundError({ code: 'unit_unknown', params: { unit: code } }, 'code');
    await tx.populate(unit, ['parent']);
    const current = fieldsOf(unit);
    const pick = <K extends keyof UnitPatch>(key: K, fallback: UnitPatch[K]): UnitPatch[K] =>
      key in patch && patch[key] !== undefined ? patch[key] : fallback;
    const checked = checkUnitFields({
      code,
      name: pick('name', current.name) as string,
      headName: pick('headName', current.headName) as string,
      headEmail: pick('headEmail', current.headEmail) as string,
      supervisorName: pick('supervisorName', current.supervisorName) ?? null,
      supervisorEmail: pick('supervisorEmail', current.supervisorEmail) ?? null,
      active: pick('active', current.active) as boolean,
    });
    if (!checked.fields) return firstProblem(checked.problems);
    const next = checked.fields;

    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const key of Object.keys(next) as (keyof UnitFields)[]) {
      if (next[key] !== current[key]) {
        before[key] = current[key];
        after[key] = next[key];
      }
    }
    const currentParent = unit.parent?.code ?? null;
    let parent = unit.parent ?? null;
    if (patch.parentCode !== undefined && (patch.parentCode ?? null) !== currentParent) {
      // A unit moves only within the actor's scope: a subtree administrator cannot hand a unit to
      // another subtree, nor lift it to the top.
      if (ctx.scopes && !(await withinScope(tx, ctx.scopes, { kind: 'unit', unit: patch.parentCode ?? '' })))
        throw new AuthError(
          { code: 'scope_forbidden', params: { what: `parentCode ${patch.parentCode ?? '(none)'}` } },
          403,
        );
      parent = patch.parentCode ? await resolveParent(tx, patch.parentCode, unit, code) : null;
      before.parentCode = currentParent;
      after.parentCode = parent?.code ?? null;
    }
    if (Object.keys(after).length === 0) return unitView(unit);

    tx.assign(unit, { ...next, parent });
    await tx.flush();
    await auditChange(tx, ctx, 'unit.updated', { type: 'unit', id: code }, { before, after });
    return unitView(unit);
  });
}

/** Deactivates a unit: it gets no new tasks; its history stays. Idempotent. */
export async function deactivateUnit(ctx: AdminContext, code: string): Promise<UnitView> {
  return ctx.em.transactional(async (tx) => {
    const unit = await tx.findOne(Unit, { code }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!unit) throw new NotFoundError({ code: 'unit_unknown', params: { unit: code } }, 'code');
    await tx.populate(unit, ['parent']);
    if (!unit.active) return unitView(unit);
    unit.active = false;
    await tx.flush();
    await auditChange(
      tx,
      ctx,
      'unit.deactivated',
      { type: 'unit', id: code },
      { before: { active: true }, after: { active: false } },
    );
    return unitView(unit);
  });
}
