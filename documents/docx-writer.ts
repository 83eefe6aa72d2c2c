/**
 * Writes an `OfficialDocumentSpec` as a DOCX in the layout of Decree 30/2020/NĐ-CP, Appendix I:
 * A4, Times New Roman; margins top and bottom 20 mm, left 30 mm, right 15 mm; a heading table with
 * the issuing body (capitals, a short rule under it) and the number on the left, the national
 * heading (Quốc hiệu, bold capitals 13) and motto (Tiêu ngữ, bold 14, a rule under it) with the
 * place and date in italics on the right; the document type in bold capitals and its summary; the
 * body at 14; the recipients ("Nơi nhận", 12 and 11) beside the signer's position and name; page
 * numbers centred at the top from page 2 (the first page has a header of its own, empty). Wide
 * tables sit in landscape sections, page numbering running on.
 *
 * Text is written as text runs only (the library escapes it): markup, formula prefixes and field
 * codes a person typed stay characters. Characters XML cannot hold are dropped, and so are bidi
 * controls, as in every other rendering.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type ISectionOptions,
} from 'docx';
import { withoutBidiControls } from '../domain/display-text';
import type { Align, Block, OfficialDocumentSpec } from './spec';

/** Twips per millimetre. */
const MM = 1440 / 25.4;
export const A4 = { width: Math.round(210 * MM), height: Math.round(297 * MM) } as const;
export const MARGINS = {
  top: Math.round(20 * MM),
  bottom: Math.round(20 * MM),
  left: Math.round(30 * MM),
  right: Math.round(15 * MM),
} as const;
export const FONT = 'Times New Roman';
/** Sizes in half-points. */
const SIZE = { body: 28, heading: 24, motto: 28, type: 28, table: 24, recipients: 22, recipientsTitle: 24 } as const;

const PORTRAIT_WIDTH = A4.width - MARGINS.left - MARGINS.right;
const LANDSCAPE_WIDTH = A4.height - MARGINS.left - MARGINS.right;

const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** What a person typed, as characters a document can hold and show in reading order. */
export const docText = (value: string | number | null | undefined): string =>
  value === null || value === undefined ? '' : withoutBidiControls(String(value)).replace(NOT_XML, '');

const ALIGN: Record<Align, (typeof AlignmentType)[keyof typeof AlignmentType]> = {
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
  justify: AlignmentType.JUSTIFIED,
};

const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' } as const;
const NO_BORDERS = {
  top: NO_BORDER,
  bottom: NO_BORDER,
  left: NO_BORDER,
  right: NO_BORDER,
  insideHorizontal: NO_BORDER,
  insideVertical: NO_BORDER,
} as const;
const LINE = { style: BorderStyle.SINGLE, size: 6, color: '000000' } as const;
const GRID = {
  top: LINE,
  bottom: LINE,
  left: LINE,
  right: LINE,
  insideHorizontal: LINE,
  insideVertical: LINE,
} as const;

interface RunStyle {
  readonly bold?: boolean;
  readonly italic?: boolean;
  readonly size?: number;
}

/** Runs of `text`, a line break for each newline. */
function runs(text: string, style: RunStyle = {}): TextRun[] {
  return docText(text)
    .split(/\r\n|\r|\n/)
    .map(
      (line, i) =>
        new TextRun({
          text: line,
          break: i > 0 ? 1 : 0,
          bold: style.bold ?? false,
          italics: style.italic ?? false,
          size: style.size ?? SIZE.body,
          font: FONT,
        }),
    );
}

function para(
  text: string,
  style: RunStyle & {
    align?: Align;
    indent?: number;
    before?: number;
    after?: number;
    line?: number;
    keepNext?: boolean;
  } = {},
): Paragraph {
  return new Paragraph({
    children: runs(text, style),
    alignment: ALIGN[style.align ?? 'left'],
    spacing: { before: style.before ?? 0, after: style.after ?? 0, line: style.line ?? 240 },
    ...(style.indent ? { indent: { firstLine: style.indent } } : {}),
    keepNext: style.keepNext ?? false,
  });
}

/** A short centred rule `width` twips long within a column `within` twips wide (an empty 2 pt line with a top border). */
const rule = (width: number, within: number, after = 0): Paragraph => {
  const side = Math.max(0, Math.round((within - width) / 2));
  return new Paragraph({
    children: [new TextRun({ text: '', size: 4, font: FONT })],
    run: { size: 4 },
    spacing: { before: 20, after, line: 240 },
    indent: { left: side, right: side },
    border: { top: { ...LINE, space: 1 } },
  });
};

/** Approximate printed width of `text` in twips at `halfPoints` (Times New Roman averages ≈ 0.5 em). */
const textWidth = (text: string, halfPoints: number, factor = 0.5): number =>
  Math.round(docText(text).length * (halfPoints / 2) * 20 * factor);

const NATIONAL = {
  vi: { heading: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', motto: 'Độc lập - Tự do - Hạnh phúc', recipients: 'Nơi nhận:' },
  en: {
    heading: 'SOCIALIST REPUBLIC OF VIETNAM',
    motto: 'Independence - Freedom - Happiness',
    recipients: 'Recipients:',
  },
} as const;

/** The heading table: issuing body and number on the left; national heading, motto, place and date on the right. */
function headingTable(spec: OfficialDocumentSpec): Table {
  const national = NATIONAL[spec.lang];
  const left = Math.round(PORTRAIT_WIDTH * 0.44);
  const right = PORTRAIT_WIDTH - left;
  const issuing = docText(spec.issuingBody).toUpperCase();
  const leftCell = [
    ...(spec.parentBody.trim()
      ? [para(docText(spec.parentBody).toUpperCase(), { align: 'center', size: SIZE.heading })]
      : []),
    para(issuing, { align: 'center', bold: true, size: SIZE.heading }),
    rule(Math.min(left * 0.4, Math.max(900, textWidth(issuing, SIZE.heading) * 0.35)), left),
    para(spec.number, { align: 'center', size: SIZE.heading, before: 120 }),
  ];
  const rightCell = [
    para(national.heading, { align: 'center', bold: true, size: SIZE.heading }),
    para(national.motto, { align: 'center', bold: true, size: SIZE.motto }),
    rule(Math.min(right, textWidth(national.motto, SIZE.motto, 0.47)), right),
    para(spec.placeAndDate, { align: 'center', italic: true, size: SIZE.body, before: 120 }),
  ];
  const cell = (children: Paragraph[], width: number) =>
    new TableCell({
      children,
      width: { size: width, type: WidthType.DXA },
      borders: { top: NO_BORDER, bottom: NO_BORDER, left: NO_BORDER, right: NO_BORDER },
      margins: { left: 0, right: 0 },
    });
  return new Table({
    width: { size: PORTRAIT_WIDTH, type: WidthType.DXA },
    columnWidths: [left, right],
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
    rows: [new TableRow({ children: [cell(leftCell, left), cell(rightCell, right)] })],
  });
}

function titleBlock(spec: OfficialDocumentSpec): Paragraph[] {
  const summary = docText(spec.summary);
  return [
    para(spec.type.toUpperCase(), { align: 'center', bold: true, size: SIZE.type, before: 360 }),
    para(summary, { align: 'center', bold: true, size: SIZE.type }),
    rule(Math.min(PORTRAIT_WIDTH * 0.3, Math.max(1200, textWidth(summary, SIZE.type) * 0.3)), PORTRAIT_WIDTH, 240),
  ];
}

/**
 * Rows per table: a long table is written as several tables of this many rows, each repeating the
 * header row, one under the other (they read as one table broken across pages). LibreOffice lays
 * out a table as a whole, in time that grows faster than its rows; in pieces a 10,000-row appendix
 * converts in a fraction of the time (BENCHMARKS.md).
 */
export const TABLE_CHUNK_ROWS = 250;
const TABLE_TEXT_STYLE = 'TableText';
const TABLE_HEAD_STYLE = 'TableHead';

function dataTable(block: Extract<Block, { kind: 'table' }>, width: number): (Table | Paragraph)[] {
  const total = block.columns.reduce((n, c) => n + c.width, 0) || 1;
  const widths = block.columns.map((c) => Math.floor((width * c.width) / total));
  // Lean cells (a 10,000-unit appendix has ≈ 65,000): the font, size and spacing come from the
  // paragraph styles, the margins from the table, the widths from its grid.
  const cell = (text: string, i: number, header: boolean) =>
    new TableCell({
      children: [
        new Paragraph({
          style: header ? TABLE_HEAD_STYLE : TABLE_TEXT_STYLE,
          alignment: ALIGN[header ? 'center' : (block.columns[i]?.align ?? 'left')],
          children: docText(text)
            .split(/\r\n|\r|\n/)
            .map((line, k) => new TextRun({ text: line, break: k > 0 ? 1 : 0 })),
        }),
      ],
      ...(header ? { verticalAlign: VerticalAlignTable.CENTER } : {}),
    });
  const table = (rows: typeof block.rows) =>
    new Table({
      width: { size: width, type: WidthType.DXA },
      columnWidths: widths,
      layout: TableLayoutType.FIXED,
      borders: GRID,
      margins: { left: 80, right: 80, top: 30, bottom: 30 },
      rows: [
        new TableRow({ tableHeader: true, children: block.columns.map((c, i) => cell(c.title, i, true)) }),
        ...rows.map(
          (row) =>
            new TableRow({
              cantSplit: true,
              children: block.columns.map((_, i) => cell(docText(row[i] ?? ''), i, false)),
            }),
        ),
      ],
    });
  const out: (Table | Paragraph)[] = [table(block.rows.slice(0, TABLE_CHUNK_ROWS))];
  for (let at = TABLE_CHUNK_ROWS; at < block.rows.length; at += TABLE_CHUNK_ROWS) {
    // A 1 pt paragraph between the pieces keeps Word and LibreOffice from joining them into one table.
    out.push(
      new Paragraph({ children: [], run: { size: 2 }, spacing: { before: 0, after: 0, line: 20, lineRule: 'exact' } }),
      table(block.rows.slice(at, at + TABLE_CHUNK_ROWS)),
    );
  }
  return out;
}

const INDENT = Math.round(10 * MM);
/** Body line spacing: 1.15 lines (the decree asks for single to 1.5). */
const BODY_LINE = 276;

function bodyBlock(block: Block, width: number): (Paragraph | Table)[] {
  switch (block.kind) {
    case 'heading':
      return [
        block.centered
          ? para(block.text, { bold: true, align: 'center', before: 120, after: 120, keepNext: true })
          : para(block.text, { bold: true, before: 120, after: 120, keepNext: true, indent: INDENT }),
      ];
    case 'paragraph':
      return [
        para(block.text, {
          bold: block.bold ?? false,
          italic: block.italic ?? false,
          align: block.align ?? 'justify',
          indent: block.indent === false ? 0 : INDENT,
          after: 120,
          line: BODY_LINE,
        }),
      ];
    case 'item':
      return [para(`- ${block.text}`, { align: 'justify', indent: INDENT, after: 120, line: BODY_LINE })];
    case 'table':
      return [
        ...(block.caption ? [para(block.caption, { bold: true, align: 'center', after: 120, keepNext: true })] : []),
        ...dataTable(block, width),
        para('', { after: 120 }),
      ];
  }
}

function signature(spec: OfficialDocumentSpec): Table {
  const left = Math.round(PORTRAIT_WIDTH * 0.5);
  const right = PORTRAIT_WIDTH - left;
  const cell = (children: Paragraph[], width: number) =>
    new TableCell({
      children,
      width: { size: width, type: WidthType.DXA },
      borders: { top: NO_BORDER, bottom: NO_BORDER, left: NO_BORDER, right: NO_BORDER },
    });
  const recipients = [
    para(NATIONAL[spec.lang].recipients, { bold: true, italic: true, size: SIZE.recipientsTitle }),
    ...spec.recipients.map((r) => para(`- ${r}`, { size: SIZE.recipients })),
  ];
  const signer = [
    ...(spec.signerAuthority.trim()
      ? [para(docText(spec.signerAuthority).toUpperCase(), { align: 'center', bold: true })]
      : []),
    para(docText(spec.signerPosition).toUpperCase(), { align: 'center', bold: true, after: 1440 }),
    para(spec.signerName, { align: 'center', bold: true }),
  ];
  const counter = spec.countersigner;
  const rows = counter
    ? [
        new TableRow({
          cantSplit: true,
          children: [
            cell(
              [
                ...(spec.signerAuthority.trim() ? [para('', {})] : []),
                para(docText(counter.position).toUpperCase(), { align: 'center', bold: true, after: 1440 }),
                para(counter.name, { align: 'center', bold: true }),
              ],
              left,
            ),
            cell(signer, right),
          ],
        }),
        new TableRow({ cantSplit: true, children: [cell(recipients, left), cell([para('', {})], right)] }),
      ]
    : [new TableRow({ cantSplit: true, children: [cell(recipients, left), cell(signer, right)] })];
  return new Table({
    width: { size: PORTRAIT_WIDTH, type: WidthType.DXA },
    columnWidths: [left, right],
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
    rows,
  });
}

const pageNumberHeader = (): Header =>
  new Header({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: SIZE.body })],
      }),
    ],
  });

function section(landscape: boolean, first: boolean, children: ISectionOptions['children']): ISectionOptions {
  return {
    properties: {
      titlePage: first,
      page: {
        size: {
          width: A4.width,
          height: A4.height,
          orientation: landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
        },
        margin: { ...MARGINS, header: Math.round(10 * MM), footer: Math.round(10 * MM) },
      },
    },
    headers: first
      ? { default: pageNumberHeader(), first: new Header({ children: [new Paragraph({ children: [] })] }) }
      : { default: pageNumberHeader() },
    children,
  };
}

/**
 * Whether a block goes in a landscape section: a wide table; in the body, a heading right before
 * one; in the appendix, every heading and paragraph before a wide table (each appendix's title and
 * note sit on the page of its table).
 */
const landscapeAt = (blocks: readonly Block[], i: number, appendix: boolean): boolean => {
  const block = blocks[i]!;
  if (block.kind === 'table') return block.landscape === true;
  if (!appendix) {
    const next = blocks[i + 1];
    return block.kind === 'heading' && next?.kind === 'table' && next.landscape === true;
  }
  const table = blocks.slice(i + 1).find((b) => b.kind === 'table');
  return table?.kind === 'table' && table.landscape === true;
};

/** The document as a `docx` object (sections split where the orientation changes). */
export function buildDocument(spec: OfficialDocumentSpec): Document {
  const sections: ISectionOptions[] = [];
  let current: (Paragraph | Table)[] = [headingTable(spec), ...titleBlock(spec)];
  let landscape = false;
  const flush = () => {
    if (current.length) sections.push(section(landscape, sections.length === 0, current));
    current = [];
  };
  const add = (blocks: readonly Block[], appendix: boolean) =>
    blocks.forEach((block, i) => {
      const wide = landscapeAt(blocks, i, appendix);
      if (wide !== landscape) {
        flush();
        landscape = wide;
      }
      current.push(...bodyBlock(block, landscape ? LANDSCAPE_WIDTH : PORTRAIT_WIDTH));
    });
  add(spec.body, false);
  if (landscape) {
    flush();
    landscape = false;
  }
  current.push(para('', { after: 120 }), signature(spec));
  add(spec.appendix ?? [], true);
  flush();
  return new Document({
    creator: 'baocao',
    title: docText(spec.title),
    styles: {
      default: {
        document: { run: { font: FONT, size: SIZE.body }, paragraph: { spacing: { line: 240 } } },
      },
      paragraphStyles: [
        {
          id: TABLE_TEXT_STYLE,
          name: 'Table text',
          run: { font: FONT, size: SIZE.table },
          paragraph: { spacing: { before: 0, after: 0, line: 240 } },
        },
        { id: TABLE_HEAD_STYLE, name: 'Table heading', basedOn: TABLE_TEXT_STYLE, run: { bold: true } },
      ],
    },
    sections,
  });
}

/** The bytes of the .docx. */
export function writeDocx(spec: OfficialDocumentSpec): Promise<Buffer> {
  return Packer.toBuffer(buildDocument(spec));
}
