/**
 * A small RFC 4180 reader: comma-separated fields, records ending in CRLF (LF or a lone CR are
 * accepted too), fields in double quotes may hold commas, line breaks and doubled quotes.
 * Pure; reports where the file stops making sense instead of guessing.
 */

export interface CsvRecord {
  /** Line of the file (1-based) on which the record starts. */
  readonly line: number;
  readonly cells: readonly string[];
}

export type CsvParse =
  | { readonly ok: true; readonly records: readonly CsvRecord[] }
  | { readonly ok: false; readonly line: number; readonly message: string; readonly tooMany?: true };

export interface CsvOptions {
  /** Stop (with an error) once more records than this have been read. */
  readonly maxRecords?: number;
}

/** Reads `text` (a leading UTF-8 byte order mark is ignored). Blank lines are skipped. */
export function parseCsv(input: string, { maxRecords = Number.POSITIVE_INFINITY }: CsvOptions = {}): CsvParse {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let line = 1;
  let recordLine = 1;
  let cells: string[] = [];
  let cell = '';
  let quotedRecord = false;
  let i = 0;
  const n = text.length;

  const endRecord = (): boolean => {
    cells.push(cell);
    cell = '';
    // A blank line is a record of one empty, unquoted cell: skip it.
    if (!(cells.length === 1 && cells[0] === '' && !quotedRecord)) records.push({ line: recordLine, cells });
    cells = [];
    quotedRecord = false;
    return records.length <= maxRecords;
  };
  const tooMany = {
    ok: false,
    line: recordLine,
    message: `the file has more than ${maxRecords} records`,
    tooMany: true,
  } as const;

  while (i < n) {
    const c = text[i]!;
    if (c === '"' && cell === '') {
      // A quoted field: runs to the next quote that is not doubled.
      const openedOn = line;
      quotedRecord = true;
      i += 1;
      let closed = false;
      while (i < n) {
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          closed = true;
          i += 1;
          break;
        }
        if (q === '\r') {
          line += 1;
          if (text[i + 1] === '\n') {
            cell += '\r\n';
            i += 2;
            continue;
          }
        } else if (q === '\n') {
          line += 1;
        }
        cell += q;
        i += 1;
      }
      if (!closed) return { ok: false, line: openedOn, message: 'a quoted field is never closed (a " is missing)' };
      const after = text[i];
      if (after !== undefined && after !== ',' && after !== '\n' && after !== '\r') {
        return {
          ok: false,
          line,
          message: 'unexpected text after a closing quote (write a quote inside a quoted field as "")',
        };
      }
      if (after === undefined) break;
      continue;
    }
    if (c === ',') {
      cells.push(cell);
      cell = '';
      i += 1;
      continue;
    }
    if (c === '\r' || c === '\n') {
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      if (!endRecord()) return { ...tooMany, line: recordLine };
      line += 1;
      recordLine = line;
      continue;
    }
    if (c === '"')
      return {
        ok: false,
        line,
        message: 'a quote inside an unquoted field (quote the whole field and double the quote: "a ""b"" c")',
      };
    cell += c;
    i += 1;
  }
  if (cells.length > 0 || cell !== '' || quotedRecord) {
    if (!endRecord()) return { ...tooMany, line: recordLine };
  }
  return { ok: true, records };
}
