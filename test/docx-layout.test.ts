/**
 * The DOCX writer on its own (no stack): a long table is written in pieces that each repeat the
 * header row and hold every row once, in order; the appendix's heading sits in the landscape
 * section of its table; the document is read back with JSZip and xmldom.
 */
import { writeDocx } from '../documents/docx-writer';
import { DEFAULT_DOCUMENT_SETTINGS } from '../documents/settings';
import type { OfficialDocumentSpec } from '../documents/spec';
import { attr, elements, openDocx, paragraphText } from './support/documents';

test('a 600-row table is three tables of at most 250 rows, each with its header row, holding all 600 rows in order', async () => {
  const rows = Array.from({ length: 600 }, (_, i) => [
    i + 1,
    `U${String(i + 1).padStart(4, '0')}`,
    `Đơn vị số ${i + 1}`,
  ]);
  const spec: OfficialDocumentSpec = {
    lang: 'vi',
    title: 'Thử',
    parentBody: DEFAULT_DOCUMENT_SETTINGS.parentBody,
    issuingBody: DEFAULT_DOCUMENT_SETTINGS.issuingBody,
    number: 'Số:    /BC-HĐTĐKT',
    placeAndDate: 'Hà Nội, ngày 02 tháng 12 năm 2026',
    type: 'BÁO CÁO',
    summary: 'Thử bảng dài',
    body: [{ kind: 'paragraph', text: 'Nội dung.' }],
    appendix: [
      { kind: 'heading', text: 'PHỤ LỤC', centered: true },
      { kind: 'paragraph', text: '(Kèm theo báo cáo)', indent: false },
      {
        kind: 'table',
        landscape: true,
        columns: [
          { title: 'STT', width: 1 },
          { title: 'Mã', width: 2 },
          { title: 'Đơn vị', width: 5 },
        ],
        rows,
      },
    ],
    signerAuthority: '',
    signerPosition: 'CHỦ TỊCH',
    signerName: 'Nguyễn Văn A',
    recipients: ['Lưu: VT'],
  };
  const docx = await openDocx(await writeDocx(spec));
  expect(docx.xmlProblems).toEqual([]);
  const tables = elements(docx.document, 'tbl').filter((t) => paragraphText(elements(t, 'p')[0]!) === 'STT');
  expect(tables.map((t) => elements(t, 'tr').length)).toEqual([251, 251, 101]);
  for (const t of tables) expect(elements(elements(t, 'tr')[0]!, 'tblHeader')).toHaveLength(1);
  const codes = tables.flatMap((t) =>
    elements(t, 'tr')
      .slice(1)
      .map((tr) => paragraphText(elements(tr, 'p')[1]!)),
  );
  expect(codes).toEqual(rows.map((r) => r[1]));
  // Portrait body and signature, then one landscape section holding the appendix's heading and table.
  const sections = elements(docx.document, 'sectPr');
  expect(sections.map((s) => attr(elements(s, 'pgSz')[0], 'orient') ?? 'portrait')).toEqual(['portrait', 'landscape']);
  const headingAt = docx.paragraphs.indexOf('PHỤ LỤC');
  const signerAt = docx.paragraphs.indexOf('Nguyễn Văn A');
  expect(signerAt).toBeGreaterThan(0);
  expect(headingAt).toBeGreaterThan(signerAt);
});
