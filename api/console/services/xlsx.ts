/**
 * Spreadsheets of the council's report: XLSX written by ExcelJS, CSV by hand. Cells are numbers or
 * text, never formulas, so text a person typed cannot run in a spreadsheet (a text cell starting
 * with "=" stays text); the first row of each sheet is bold and frozen. Text is cut to what a cell
 * holds before any escaping (the writer escapes), never inside a character.
 */
import ExcelJS from 'exceljs';
import { withoutBidiControls } from '../../../domain/display-text';
import { startsWithFormula } from '../../services/admin-common';

export type Cell = string | number | null | undefined;

export interface Sheet {
  /** At most 31 characters, none of []:*?/\ (cut and replaced here). */
  readonly name: string;
  readonly rows: readonly (readonly Cell[])[];
  /** Column widths in characters (optional). */
  readonly widths?: readonly number[];
  /** Columns (0-based) whose numbers are ratios shown as percentages. */
  readonly percentColumns?: readonly number[];
}

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const MAX_CELL = 32_767;

/** Text as a cell holds it: bidi controls and characters XML cannot hold dropped, cut to 32,767 UTF-16 units without splitting a pair. */
export function cellText(value: string): string {
  const text = withoutBidiControls(value).replace(NOT_XML, '');
  if (text.length <= MAX_CELL) return text;
  const cut = text.slice(0, MAX_CELL);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

export function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

function sheetName(name: string, used: Set<string>): string {
  const base =
    withoutBidiControls(name)
      .replace(NOT_XML, '')
      .replace(/[[\]:*?/\\']/g, ' ')
      .slice(0, 31)
      .trim() || 'Sheet';
  let candidate = base;
  for (let i = 2; used.has(candidate.toLowerCase()); i += 1) candidate = `${base.slice(0, 28)} ${i}`;
  used.add(candidate.toLowerCase());
  return candidate;
}

/** A workbook of `sheets`, as the bytes of an .xlsx file (fixed timestamps, so the same rows give the same file content). */
export async function xlsx(sheets: readonly Sheet[], { title }: { title?: string } = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'baocao';
  workbook.title = cellText(title ?? '');
  workbook.created = new Date(Date.UTC(1980, 0, 1));
  workbook.modified = workbook.created;
  const used = new Set<string>();
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheetName(sheet.name, used), {
      views: sheet.rows.length > 1 ? [{ state: 'frozen', ySplit: 1, xSplit: 0 }] : [],
    });
    if (sheet.widths?.length) ws.columns = sheet.widths.map((width) => ({ width }));
    const percent = new Set(sheet.percentColumns ?? []);
    sheet.rows.forEach((row, r) => {
      const out = ws.getRow(r + 1);
      row.forEach((cell, c) => {
        if (cell === null || cell === undefined || cell === '') return;
        const target = out.getCell(c + 1);
        if (typeof cell === 'number') {
          if (!Number.isFinite(cell)) return;
          target.value = cell;
          if (r > 0 && percent.has(c)) target.numFmt = '0.00%';
        } else target.value = cellText(String(cell));
      });
      if (r === 0) out.font = { bold: true };
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * One CSV cell: quoted, quotes doubled, bidirectional controls dropped; text that a spreadsheet
 * would run as a formula (the import's rule: `=`, `+`, `-`, `@`, tab or CR first, also after
 * leading spaces) gets a leading apostrophe. Numbers stay numbers.
 */
export function csvCell(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const shown = withoutBidiControls(cell);
  const text = startsWithFormula(shown) ? `'${shown}` : shown;
  return `"${text.replace(/"/g, '""')}"`;
}

/** CSV with a UTF-8 byte order mark (so spreadsheets read Vietnamese right) and CRLF line ends. */
export function csv(rows: readonly (readonly Cell[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
