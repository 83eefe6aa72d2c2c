/**
 * The council's workbook (ExcelJS) read back with another library (JSZip + xmldom): sheets,
 * frozen bold header, percentages, and text a person typed kept as text: no formula, no bidi
 * control, nothing XML cannot hold, a long text cut to what a cell holds without breaking a
 * character or an escape.
 */
import JSZip from 'jszip';
import { xlsx } from '../api/console/services/xlsx';
import { parseXml } from './support/documents';

async function parts(bytes: Buffer): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const out = new Map<string, string>();
  for (const name of Object.keys(zip.files))
    if (name.endsWith('.xml')) out.set(name, await zip.file(name)!.async('string'));
  return out;
}

test('hostile texts are written as text cells a spreadsheet shows as typed, and long ones are cut inside the cell limit without splitting a character', async () => {
  const long = `${'&<'.repeat(16_383)}😀tail`; // the cut falls inside the emoji's surrogate pair
  const bytes = await xlsx(
    [
      {
        name: 'Tổng quan: [a/b]?',
        widths: [20, 10],
        percentColumns: [1],
        rows: [
          ['Nội dung', 'Giá trị'],
          ['=HYPERLINK("http://evil.example","x")', 0.5],
          ["+1+cmd|' /C calc'!A0", 1],
          ['@SUM(A1:A9)', Number.NaN],
          ['Báo cáo \u202Egnp.exe \u0007', null],
          [long, 2],
        ],
      },
      { name: 'Tổng quan: [a/b]?', rows: [['x']] },
    ],
    { title: '<b>Báo cáo</b>' },
  );
  const xml = await parts(bytes);
  const problems: string[] = [];
  for (const [name, text] of xml) parseXml(text, problems, name);
  expect(problems).toEqual([]);
  const workbook = xml.get('xl/workbook.xml')!;
  expect(workbook).toContain('name="Tổng quan   a b"');
  expect(workbook).toContain('name="Tổng quan   a b 2"');
  expect((workbook.match(/<sheet /g) ?? []).length).toBe(2);
  const sheet = xml.get('xl/worksheets/sheet1.xml')!;
  expect(sheet).not.toMatch(/<f[ >]/);
  expect(sheet).not.toMatch(/t="str"/);
  expect(sheet).toMatch(/state="frozen"/);
  const strings = parseXml(xml.get('xl/sharedStrings.xml')!, problems, 'shared');
  const texts = Array.from(strings.getElementsByTagName('t')).map((t) => t.textContent ?? '');
  expect(texts).toContain('=HYPERLINK("http://evil.example","x")');
  expect(texts).toContain('@SUM(A1:A9)');
  expect(texts).toContain('Báo cáo gnp.exe ');
  const cut = texts.find((t) => t.startsWith('&<&<'))!;
  expect(cut.length).toBe(32_766);
  expect(cut.isWellFormed()).toBe(true);
  // Percentages are formatted, the header row bold.
  expect(xml.get('xl/styles.xml')).toContain('numFmtId="10"'); // the built-in 0.00%
  expect(xml.get('xl/styles.xml')).toMatch(/<b\/>/);
});
