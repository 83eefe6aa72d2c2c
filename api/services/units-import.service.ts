/**
 * Importing units from a CSV file. Every row is checked first; when any row has a problem,
 * nothing is stored and every problem is listed with its line. Otherwise all rows are upserted by
 * code in one transaction, with one audit event for the whole file.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sha256 } from '../../auth/tokens';
import { Unit } from '../../db/entities';
import type { IUnit } from '../../db/entities/unit.entity';
import { auditChange, CODE_PATTERN, uniquely, type AdminContext } from './admin-common';
import { checkUnitFields, fieldsOf, type UnitFields } from './admin-units.service';
import { parseCsv } from './units-csv';

export const CSV_COLUMNS = [
  'code',
  'name',
  'headName',
  'headEmail',
  'supervisorName',
  'supervisorEmail',
  'active',
  'parentCode',
] as const;
type Column = (typeof CSV_COLUMNS)[number];
const OPTIONAL_COLUMNS: ReadonlySet<Column> = new Set(['active', 'parentCode']);
export const MAX_IMPORT_ROWS = 20_000;

export interface ImportError {
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

export interface ImportResult {
  readonly dryRun: boolean;
  /** True only when the rows were stored. */
  readonly saved: boolean;
  /** What the rows without problems do (or, in a dry run or a refused import, would do). */
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly errors: ImportError[];
}

interface Row {
  readonly line: number;
  readonly fields: UnitFields;
  /** The unit it reports to; null: none; undefined: the file has no parentCode column (kept as is). */
  readonly parentCode: string | null | undefined;
}

const ACTIVE_VALUES: ReadonlyMap<string, boolean> = new Map([
  ['', true],
  ['true', true],
  ['false', false],
  ['1', true],
  ['0', false],
  ['yes', true],
  ['no', false],
  ['có', true],
  ['không', false],
]);

/** Parses and checks the file; answers the rows to store, or every problem. */
export function readUnitsCsv(text: string): { rows: Row[]; errors: ImportError[] } {
  const errors: ImportError[] = [];
  const replacement = text.indexOf('\uFFFD');
  if (replacement >= 0) {
    const line = text.slice(0, replacement).split(/\r\n|\n|\r/).length;
    return {
      rows: [],
      errors: [
        { line, field: 'file', message: 'is not valid UTF-8 text; save the spreadsheet as "CSV UTF-8" and try again' },
      ],
    };
  }
  const parsed = parseCsv(text, { maxRecords: MAX_IMPORT_ROWS + 1 });
  if (!parsed.ok) {
    return {
      rows: [],
      errors: [
        {
          line: parsed.line,
          field: parsed.tooMany ? 'file' : 'row',
          message: parsed.tooMany
            ? `has more than ${MAX_IMPORT_ROWS} rows; split it into several files`
            : parsed.message,
        },
      ],
    };
  }
  const [header, ...records] = parsed.records;
  if (!header)
    return {
      rows: [],
      errors: [{ line: 1, field: 'header', message: `is missing; the first line must be: ${CSV_COLUMNS.join(',')}` }],
    };

  const index = new Map<Column, number>();
  header.cells.forEach((raw, i) => {
    const name = raw.trim();
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      errors.push({
        line: header.line,
        field: 'header',
        message: `column "${name}" is unknown; the columns are: ${CSV_COLUMNS.join(',')}`,
      });
    } else if (index.has(name as Column)) {
      errors.push({ line: header.line, field: 'header', message: `column "${name}" appears twice` });
    } else {
      index.set(name as Column, i);
    }
  });
  for (const column of CSV_COLUMNS) {
    if (!index.has(column) && !OPTIONAL_COLUMNS.has(column))
      errors.push({ line: header.line, field: 'header', message: `column "${column}" is missing` });
  }
  if (errors.length > 0) return { rows: [], errors };

  const rows: Row[] = [];
  const firstLineOf = new Map<string, number>();
  for (const record of records) {
    if (record.cells.length !== header.cells.length) {
      errors.push({
        line: record.line,
        field: 'row',
        message: `has ${record.cells.length} cells where the header has ${header.cells.length} (quote cells that contain a comma)`,
      });
      continue;
    }
    const cell = (column: Column): string => {
      const i = index.get(column);
      return i === undefined ? '' : record.cells[i]!;
    };
    const activeRaw = cell('active').normalize('NFC').trim().toLowerCase();
    const active = ACTIVE_VALUES.get(activeRaw);
    if (active === undefined)
      errors.push({ line: record.line, field: 'active', message: 'must be true or false (empty means true)' });
    const checked = checkUnitFields({
      code: cell('code'),
      name: cell('name'),
      headName: cell('headName'),
      headEmail: cell('headEmail'),
      supervisorName: cell('supervisorName'),
      supervisorEmail: cell('supervisorEmail'),
      active: active ?? true,
    });
    for (const p of checked.problems) errors.push({ line: record.line, ...p });
    const parentRaw = index.has('parentCode') ? cell('parentCode').normalize('NFC').trim() : undefined;
    const parentCode = parentRaw === undefined ? undefined : parentRaw === '' ? null : parentRaw;
    if (parentCode && !CODE_PATTERN.test(parentCode))
      errors.push({
        line: record.line,
        field: 'parentCode',
        message: 'must be a unit code (letters, digits, - and _)',
      });
    else if (parentCode && checked.fields && parentCode === checked.fields.code)
      errors.push({ line: record.line, field: 'parentCode', message: 'must name another unit, not the unit itself' });
    if (!checked.fields || active === undefined) continue;
    const seen = firstLineOf.get(checked.fields.code);
    if (seen !== undefined) {
      errors.push({
        line: record.line,
        field: 'code',
        message: `"${checked.fields.code}" already appears on line ${seen}; each unit must appear once`,
      });
      continue;
    }
    firstLineOf.set(checked.fields.code, record.line);
    rows.push({ line: record.line, fields: checked.fields, parentCode });
  }
  if (rows.length === 0 && errors.length === 0)
    errors.push({ line: header.line + 1, field: 'file', message: 'has no unit rows after the header' });
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors };
}

const sameFields = (a: UnitFields, b: UnitFields): boolean =>
  a.name === b.name &&
  a.headName === b.headName &&
  a.headEmail === b.headEmail &&
  a.supervisorName === b.supervisorName &&
  a.supervisorEmail === b.supervisorEmail &&
  a.active === b.active;

async function existingUnits(em: EntityManager, codes: readonly string[], lock: boolean): Promise<Map<string, IUnit>> {
  const found = new Map<string, IUnit>();
  for (let i = 0; i < codes.length; i += 1000) {
    const chunk = codes.slice(i, i + 1000);
    const units = await em.find(
      Unit,
      { code: { $in: chunk } },
      { populate: ['parent'], ...(lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}) },
    );
    for (const u of units) found.set(u.code, u);
  }
  return found;
}

const parentChanged = (row: Row, unit: IUnit): boolean =>
  row.parentCode !== undefined && row.parentCode !== (unit.parent?.code ?? null);

function classify(rows: readonly Row[], existing: ReadonlyMap<string, IUnit>) {
  const created: Row[] = [];
  const updated: { row: Row; unit: IUnit }[] = [];
  let unchanged = 0;
  for (const row of rows) {
    const unit = existing.get(row.fields.code);
    if (!unit) created.push(row);
    else if (sameFields(fieldsOf(unit), row.fields) && !parentChanged(row, unit)) unchanged += 1;
    else updated.push({ row, unit });
  }
  return { created, updated, unchanged };
}

/**
 * The rows whose parent is neither in the file nor registered, or whose parent line would loop
 * (a unit reporting, directly or not, to itself), once the file is applied over the registered tree.
 */
async function treeProblems(em: EntityManager, rows: readonly Row[]): Promise<ImportError[]> {
  if (!rows.some((r) => r.parentCode)) return [];
  const registered = await em.execute<{ code: string; parent: string | null }[]>(
    'SELECT u.code, p.code AS parent FROM unit u LEFT JOIN unit p ON p.id = u.parent_id',
  );
  const parentOf = new Map(registered.map((r) => [r.code, r.parent]));
  for (const row of rows) {
    if (row.parentCode !== undefined) parentOf.set(row.fields.code, row.parentCode);
    else if (!parentOf.has(row.fields.code)) parentOf.set(row.fields.code, null);
  }
  const problems: ImportError[] = [];
  for (const row of rows) {
    if (!row.parentCode) continue;
    if (!parentOf.has(row.parentCode)) {
      problems.push({
        line: row.line,
        field: 'parentCode',
        message: `"${row.parentCode}" is neither in the file nor a registered unit`,
      });
      continue;
    }
    const seen = new Set([row.fields.code]);
    for (let up = parentOf.get(row.fields.code) ?? null; up !== null; up = parentOf.get(up) ?? null) {
      if (seen.has(up)) {
        problems.push({
          line: row.line,
          field: 'parentCode',
          message: `"${row.parentCode}" reports (directly or not) to "${row.fields.code}": a unit cannot report to its own subordinate`,
        });
        break;
      }
      seen.add(up);
    }
  }
  return problems;
}

/**
 * Imports `text`. With `dryRun`, or when any row has a problem, nothing is stored; the counts then
 * say what the rows without problems would do.
 */
export async function importUnits(
  ctx: AdminContext,
  text: string,
  { dryRun }: { dryRun: boolean },
): Promise<ImportResult> {
  const read = readUnitsCsv(text);
  const { rows } = read;
  const errors = [...read.errors, ...(await treeProblems(ctx.em, rows))].sort((a, b) => a.line - b.line);
  const codes = rows.map((r) => r.fields.code);
  if (dryRun || errors.length > 0) {
    const plan = classify(rows, await existingUnits(ctx.em, codes, false));
    return {
      dryRun,
      saved: false,
      created: plan.created.length,
      updated: plan.updated.length,
      unchanged: plan.unchanged,
      errors,
    };
  }
  const fileHash = sha256(text);
  return uniquely('code', { code: 'written_meanwhile', params: {} }, () =>
    ctx.em.transactional(async (tx) => {
      const plan = classify(rows, await existingUnits(tx, codes, true));
      const byCode = new Map<string, IUnit>();
      for (const row of plan.created) byCode.set(row.fields.code, tx.create(Unit, { ...row.fields }));
      const before: (UnitFields & { parentCode: string | null })[] = [];
      for (const { row, unit } of plan.updated) {
        before.push({ ...fieldsOf(unit), parentCode: unit.parent?.code ?? null });
        tx.assign(unit, { ...row.fields });
        byCode.set(unit.code, unit);
      }
      // Parents last: a row may name a unit created further down the file.
      const parents = await existingUnits(
        tx,
        [...new Set(rows.flatMap((r) => (r.parentCode && !byCode.has(r.parentCode) ? [r.parentCode] : [])))],
        false,
      );
      for (const row of [...plan.created, ...plan.updated.map((u) => u.row)]) {
        if (row.parentCode === undefined) continue;
        byCode.get(row.fields.code)!.parent = row.parentCode
          ? (byCode.get(row.parentCode) ?? parents.get(row.parentCode)!)
          : null;
      }
      await tx.flush();
      if (plan.created.length + plan.updated.length > 0) {
        await auditChange(
          tx,
          ctx,
          'units.imported',
          { type: 'unit_import', id: `sha256:${fileHash}` },
          {
            before: { units: before },
            after: {
              created: plan.created.length,
              updated: plan.updated.length,
              unchanged: plan.unchanged,
              units: [...plan.created, ...plan.updated.map((u) => u.row)].map((r) => ({
                ...r.fields,
                ...(r.parentCode !== undefined ? { parentCode: r.parentCode } : {}),
              })),
            },
          },
        );
      }
      return {
        dryRun,
        saved: true,
        created: plan.created.length,
        updated: plan.updated.length,
        unchanged: plan.unchanged,
        errors: [],
      };
    }),
  );
}
