/**
 * Official documents in the Decree 30/2020 layout, end to end on the real stack: a cycle with an
 * on-time unit, a late unit whose texts are hostile, and a missing unit, reviewed and approved by
 * the council (secret ballots); its monthly report (Vietnamese and English), the minutes of the
 * vote and the draft decision on commendation, downloaded as DOCX and PDF. The DOCX is read with
 * JSZip and xmldom (page, margins, fonts, order of the layout), the PDF through poppler (where the
 * national heading sits, page numbers, every value and unit name, diacritics); page 1 of each PDF
 * is written as a PNG under test-artifacts/documents/.
 */
import { CommendationDecision, Cycle } from '../db/entities';
import type { ConsolidatedReportContent } from '../domain/consolidation';
import { readConsolidatedReport } from '../db/consolidated-report';
import { ConsolidatedReport } from '../db/entities';
import { signInConsole } from './support/console';
import { attr, elements, openDocx, pagePng, readPdf, type Docx, type Pdf } from './support/documents';
import {
  api,
  createCampaign,
  createUnits,
  currentPeriod,
  eventually,
  linkIn,
  sleep,
  submitByLink,
  validAnswers,
  type TestUnit,
} from './support/fixtures';
import { startStack, type Stack } from './support/stack';

const HOSTILE = {
  markup: '<w:p><w:r><w:t>chèn</w:t></w:r></w:p><script>alert(1)</script>&amp;',
  formula: '=HYPERLINK("http://evil.example","bấm")',
  longWord: `Dài${'W'.repeat(400)}`,
  rtl: 'Báo cáo \u202Egnp.exe',
  zeroWidth: 'Đơn\u200B vị\u200D A',
} as const;

let stack: Stack;
let admin: string;
let auditor: string;
let council: string[];
let units: TestUnit[];
let campaign: string;
let period: string;
let base: string;
let content: ConsolidatedReportContent;

const download = async (path: string, token: string) => {
  const res = await fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
};

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.token('admin');
  auditor = await stack.token('auditor', 'Kiểm tra viên');
  council = [
    await stack.token('council', 'Chủ tịch Hội đồng'),
    await stack.token('council', 'Phó Chủ tịch Hội đồng'),
    await stack.token('council', 'Ủy viên Hội đồng'),
  ];
  units = await createUnits(stack.orm, 3);
  campaign = await createCampaign(stack.orm, {
    deadlineAfterSeconds: 6,
    reminderSecondsBefore: [],
    escalationSecondsAfter: [60, 90],
    hardCloseSecondsAfter: 120,
    reviewWindowSeconds: 600,
    revisionWindowSeconds: 120,
  });
  period = currentPeriod();
  base = `/api/v1/cycles/${campaign}/${period}`;
  const started = await api<{ workflowId: string }>(stack.baseUrl, 'POST', '/api/v1/cycles', {
    token: admin,
    body: { campaign, period, units: units.map((u) => u.code) },
  });
  expect(started.status).toBe(201);
  const linkOf = async (unit: TestUnit) => {
    await stack.sink.waitFor(() => stack.sink.to(unit.headEmail).length > 0);
    return linkIn(stack.sink.to(unit.headEmail)[0]!.text, stack.baseUrl);
  };
  expect((await submitByLink(stack.baseUrl, await linkOf(units[0]!), validAnswers('Đúng hạn'))).status).toBe(201);
  const cycle = await stack.orm.em.fork().findOneOrFail(Cycle, { workflowId: started.body.workflowId });
  await sleep(Math.max(0, Date.parse(cycle.plan.schedule.deadline) - Date.now()) + 300);
  const hostile = validAnswers('Muộn');
  const late = await submitByLink(stack.baseUrl, await linkOf(units[1]!), {
    ...hostile,
    sections: { SEC01: `${HOSTILE.markup} ${HOSTILE.longWord}`, SEC02: `${HOSTILE.rtl} ${HOSTILE.zeroWidth}` },
    examples: [{ name: HOSTILE.formula, kind: 'individual', description: HOSTILE.markup }],
    proposals: [{ ...hostile.proposals[0]!, nominee: 'Trần Thị Hà', summary: HOSTILE.formula }],
    recommendations: `${HOSTILE.rtl} ${HOSTILE.longWord}`,
  });
  expect(late.body).toMatchObject({ late: true });
  // The third unit never reports: collection is closed now.
  expect(
    (
      await api(stack.baseUrl, 'POST', `${base}/close-collection`, {
        token: admin,
        body: { reason: 'Hết thời gian thu nhận' },
      })
    ).status,
  ).toBe(202);
  await eventually(
    async () =>
      (await api<{ stage: string }>(stack.baseUrl, 'GET', `${base}/review`, { token: admin })).body.stage === 'review'
        ? true
        : undefined,
    { what: 'the review to open' },
  );
  const em = stack.orm.em.fork();
  content = await readConsolidatedReport(em, await em.findOneOrFail(ConsolidatedReport, { cycle, version: 1 }));
  expect(content.missingUnits.map((u) => u.unitCode)).toEqual([units[2]!.code]);
  // Two of three approve both proposals and the report.
  for (const member of council.slice(0, 2)) {
    for (const p of content.proposals)
      expect(
        (
          await api(stack.baseUrl, 'POST', `${base}/proposals/${p.id}/ballots`, {
            token: member,
            body: { version: 1, choice: 'approve' },
          })
        ).status,
      ).toBe(201);
    expect(
      (await api(stack.baseUrl, 'POST', `${base}/ballots`, { token: member, body: { version: 1, choice: 'approve' } }))
        .status,
    ).toBe(201);
  }
  await eventually(
    async () => ((await stack.orm.em.fork().count(CommendationDecision, { cycle })) === 2 ? true : undefined),
    { what: 'the commendation decisions' },
  );
});
afterAll(async () => {
  await stack?.stop();
});

const MM = 1440 / 25.4;
const near = (twips: string | null, mm: number) => Math.abs(Number(twips) - mm * MM) <= 2;
const numberVi = (x: number) => x.toLocaleString('vi-VN', { maximumFractionDigits: 2 });

/** The section properties of the document, in order. */
const sections = (docx: Docx) => elements(docx.document, 'sectPr');

function expectLayout(docx: Docx, markers: readonly string[]): void {
  expect(docx.xmlProblems).toEqual([]);
  const [first, ...rest] = sections(docx);
  const size = elements(first!, 'pgSz')[0];
  const margin = elements(first!, 'pgMar')[0];
  expect([near(attr(size, 'w'), 210), near(attr(size, 'h'), 297)]).toEqual([true, true]);
  expect({
    top: near(attr(margin, 'top'), 20),
    bottom: near(attr(margin, 'bottom'), 20),
    left: near(attr(margin, 'left'), 30),
    right: near(attr(margin, 'right'), 15),
  }).toEqual({ top: true, bottom: true, left: true, right: true });
  // A different first page: its header is empty, the others carry the PAGE field, centred.
  expect(elements(first!, 'titlePg')).toHaveLength(1);
  const headerOf = (sect: (typeof rest)[number], type: string) => {
    const ref = elements(sect, 'headerReference').find((h) => attr(h, 'type') === type);
    return docx.headers.get(
      ref?.getAttributeNS('http://schemas.openxmlformats.org/officeDocument/2006/relationships', 'id') ??
        ref?.getAttribute('r:id') ??
        '',
    );
  };
  const firstHeader = headerOf(first!, 'first')!;
  expect(firstHeader.documentElement!.textContent?.trim()).toBe('');
  expect(/PAGE/.test(firstHeader.toString())).toBe(false);
  for (const sect of [first!, ...rest]) {
    const header = headerOf(sect, 'default')!.toString();
    expect(header).toMatch(/PAGE/);
    expect(header).toMatch(/w:jc w:val="center"/);
  }
  // Times New Roman everywhere: the default and every run that names a font.
  const defaults = elements(docx.styles, 'docDefaults')[0]!;
  expect(attr(elements(defaults, 'rFonts')[0], 'ascii')).toBe('Times New Roman');
  const fonts = new Set(elements(docx.document, 'rFonts').map((f) => attr(f, 'ascii')));
  expect([...fonts]).toEqual(['Times New Roman']);
  // The order of the layout elements.
  const at = (marker: string) => docx.paragraphs.findIndex((p) => p.includes(marker));
  const positions = markers.map((m) => [m, at(m)] as const);
  for (const [m, i] of positions) expect(`${m}: ${i >= 0}`).toBe(`${m}: true`);
  const order = positions.map(([, i]) => i);
  expect(order).toEqual([...order].sort((a, b) => a - b));
}

/** The run properties of the first run of the paragraph holding `text`. */
function runProps(docx: Docx, text: string) {
  const p = elements(docx.document, 'p').find((x) => (x.textContent ?? '').includes(text))!;
  const rPr = elements(elements(p, 'r')[0]!, 'rPr')[0]!;
  return {
    bold: elements(rPr, 'b').length > 0,
    italic: elements(rPr, 'i').length > 0,
    size: Number(attr(elements(rPr, 'sz')[0], 'val')) / 2,
  };
}

function expectPdfLayout(pdf: Pdf, heading: string, motto: string, minPages = 2): void {
  const page1 = pdf.words.filter((w) => w.page === 1);
  const first = page1.find((w) => w.text === heading.split(' ')[0])!;
  const mottoWord = page1.find((w) => w.text === motto.split(' ')[0])!;
  expect(first).toBeDefined();
  // National heading at the top right of page 1; the motto under it.
  expect(first.xMin).toBeGreaterThan(first.pageWidth * 0.4);
  expect(first.yMin).toBeLessThan(first.pageHeight * 0.15);
  expect(mottoWord.yMin).toBeGreaterThan(first.yMin + 5);
  expect(mottoWord.yMin - first.yMax).toBeLessThan(20);
  expect(mottoWord.xMin).toBeGreaterThan(mottoWord.pageWidth * 0.4);
  // No page number on page 1; "2" alone, centred at the top of page 2, and so on.
  const topOf = (page: number) =>
    pdf.words.filter((w) => w.page === page && w.yMax < w.pageHeight * 0.08).map((w) => w.text);
  expect(topOf(1)).not.toContain('1');
  expect(pdf.pages).toBeGreaterThanOrEqual(minPages);
  for (let page = 2; page <= Math.min(pdf.pages, 5); page += 1) {
    const number = pdf.words.find((w) => w.page === page && w.text === String(page) && w.yMax < w.pageHeight * 0.08);
    expect(`page ${page}: ${number ? 'numbered' : 'no number'}`).toBe(`page ${page}: numbered`);
    expect(Math.abs((number!.xMin + number!.xMax) / 2 - number!.pageWidth / 2)).toBeLessThan(number!.pageWidth * 0.1);
  }
}

/** Text without line breaks and runs of spaces, for finding what a table cell may have wrapped. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

test('the monthly report is a DOCX in the Decree 30 layout, read by another library: A4, margins, Times New Roman, heading, number, date, type, body, signer, recipients, appendices in landscape', async () => {
  const { res, bytes } = await download(`${base}/documents/monthly-report.docx`, auditor);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe(
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  );
  expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="bao-cao-tong-hop-.*-v1\.docx"/);
  const docx = await openDocx(bytes);
  expectLayout(docx, [
    'BỘ THÔNG TIN VÀ TRUYỀN THÔNG',
    'HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG',
    'Số:',
    'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    'Độc lập - Tự do - Hạnh phúc',
    'Hà Nội, ngày',
    'BÁO CÁO',
    'Tổng hợp kết quả thực hiện tháng',
    'I. TÌNH HÌNH THỰC HIỆN CHẾ ĐỘ BÁO CÁO',
    'II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU',
    'VIII. CÁC ĐƠN VỊ NỘP MUỘN, CHƯA NỘP BÁO CÁO',
    'Nơi nhận:',
    'TM. HỘI ĐỒNG',
    'CHỦ TỊCH',
    'PHỤ LỤC I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU',
    'PHỤ LỤC IV. SỐ LIỆU CHỈ TIÊU CỦA TỪNG ĐƠN VỊ',
  ]);
  expect(runProps(docx, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')).toMatchObject({ bold: true });
  expect(runProps(docx, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM').size).toBeGreaterThanOrEqual(12);
  expect(runProps(docx, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM').size).toBeLessThanOrEqual(13);
  expect(runProps(docx, 'Độc lập - Tự do - Hạnh phúc')).toMatchObject({ bold: true });
  expect(runProps(docx, 'Độc lập - Tự do - Hạnh phúc').size).toBeGreaterThanOrEqual(13);
  expect(runProps(docx, 'Hà Nội, ngày')).toMatchObject({ italic: true });
  expect(runProps(docx, 'BÁO CÁO')).toMatchObject({ bold: true, size: 14 });
  expect(runProps(docx, 'I. TÌNH HÌNH THỰC HIỆN')).toMatchObject({ size: 14 });
  // The motto has its rule: the paragraph right after it has a top border.
  const ps = elements(docx.document, 'p');
  const mottoAt = ps.findIndex((p) => (p.textContent ?? '') === 'Độc lập - Tự do - Hạnh phúc');
  expect(elements(ps[mottoAt + 1]!, 'top')).toHaveLength(1);
  // Appendices in landscape sections.
  const landscape = sections(docx).filter((s) => attr(elements(s, 'pgSz')[0], 'orient') === 'landscape');
  expect(landscape.length).toBeGreaterThanOrEqual(1);
  expect(near(attr(elements(landscape[0]!, 'pgSz')[0], 'w'), 297)).toBe(true);
  // Every indicator value and unit name; hostile texts as text.
  const text = docx.paragraphs.join('\n');
  for (const ind of content.indicators) {
    expect(text).toContain(ind.title.vi);
    if (ind.value !== null) expect(text).toContain(numberVi(ind.value));
    for (const v of ind.values) expect(text).toContain(numberVi(v.value));
  }
  for (const u of units) expect(text).toContain(u.name);
  expect(text).toContain(HOSTILE.markup);
  expect(text).toContain(HOSTILE.formula);
  expect(text).toContain(HOSTILE.longWord);
  expect(text).toContain('Báo cáo gnp.exe'); // the bidi override dropped, as in every rendering
  expect(text).toContain(HOSTILE.zeroWidth);
  expect(elements(docx.document, 'script')).toHaveLength(0);
  expect(docx.parts.get('word/document.xml')).not.toContain('<script>');
  expect(docx.parts.get('word/document.xml')).not.toMatch(/\u202E|<w:instrText[^>]*>[^<]*HYPERLINK/);
});

test('the monthly report as PDF: national heading top right of page 1 with the motto under it, page numbers from page 2, every value and unit name, diacritics intact; page 1 as PNG', async () => {
  const { res, bytes } = await download(`${base}/documents/monthly-report.pdf?v=1`, council[2]!);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  const pdf = await readPdf(bytes);
  expectPdfLayout(pdf, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc');
  const text = flat(pdf.text);
  expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
  expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
  expect(text).toContain('TÌNH HÌNH THỰC HIỆN NHIỆM VỤ TRỌNG TÂM');
  for (const ind of content.indicators) for (const v of ind.values) expect(text).toContain(numberVi(v.value));
  for (const u of units) expect(text).toContain(u.name);
  expect(text).toContain('<script>alert(1)</script>');
  expect(text).toContain('=HYPERLINK("http://evil.example","bấm")');
  const png = await pagePng(bytes, 'monthly-report-vi-page1');
  expect(png.subarray(1, 4).toString()).toBe('PNG');
});

test('the monthly report in English, the minutes of the secret vote (counts only) and the draft decision listing the approved proposals, each in the layout, as DOCX and PDF', async () => {
  const en = await download(`${base}/documents/monthly-report.docx?lang=en`, admin);
  expect(en.res.status).toBe(200);
  const enDocx = await openDocx(en.bytes);
  expectLayout(enDocx, [
    'SOCIALIST REPUBLIC OF VIETNAM',
    'Independence - Freedom - Happiness',
    'REPORT',
    'I. REPORTING',
    'Recipients:',
  ]);
  const enPdf = await download(`${base}/documents/monthly-report.pdf?lang=en`, admin);
  expectPdfLayout(await readPdf(enPdf.bytes), 'SOCIALIST REPUBLIC OF VIETNAM', 'Independence - Freedom - Happiness');
  await pagePng(enPdf.bytes, 'monthly-report-en-page1');

  const minutes = await download(`${base}/documents/council-minutes.docx`, council[0]!);
  expect(minutes.res.status).toBe(200);
  const minutesDocx = await openDocx(minutes.bytes);
  expectLayout(minutesDocx, [
    'HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG',
    'Số:',
    'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    'BIÊN BẢN',
    'I. THÀNH PHẦN',
    'II. BIỂU QUYẾT VỀ BÁO CÁO TỔNG HỢP',
    'III. BIỂU QUYẾT VỀ ĐỀ NGHỊ KHEN THƯỞNG',
    'Nơi nhận:',
  ]);
  const minutesText = minutesDocx.paragraphs.join('\n');
  expect(minutesText).toContain('bỏ phiếu kín');
  expect(minutesText).toContain('Số phiếu tán thành: 2; số phiếu đề nghị chỉnh sửa: 0');
  expect(minutesText).toContain('Hội đồng thông qua báo cáo tổng hợp.');
  expect(minutesText).toContain('Trần Thị Hà');
  // Secret ballots: who voted is on the record, never who chose what.
  expect(minutesText).not.toMatch(/Chủ tịch Hội đồng: (Tán thành|Không tán thành|Đề nghị)/);
  expect(minutesText).not.toMatch(/: Tán thành/);
  const minutesPdf = await download(`${base}/documents/council-minutes.pdf`, council[0]!);
  expect(minutesPdf.res.status).toBe(200);
  const minutesRead = await readPdf(minutesPdf.bytes);
  expectPdfLayout(minutesRead, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 1);
  expect(flat(minutesRead.text)).toContain('BIÊN BẢN');
  await pagePng(minutesPdf.bytes, 'council-minutes-page1');

  const decision = await download(`${base}/documents/commendation-decision.docx`, admin);
  expect(decision.res.status).toBe(200);
  const decisionDocx = await openDocx(decision.bytes);
  expectLayout(decisionDocx, [
    'HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG',
    'Số:',
    'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    'QUYẾT ĐỊNH',
    'Về việc khen thưởng',
    'Điều 1.',
    'Nơi nhận:',
    'DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG',
  ]);
  const decisionText = decisionDocx.paragraphs.join('\n');
  for (const p of content.proposals) {
    expect(decisionText).toContain(p.nominee);
    expect(decisionText).toContain(p.summary);
  }
  const decisionPdf = await download(`${base}/documents/commendation-decision.pdf`, admin);
  expect(decisionPdf.res.status).toBe(200);
  const decisionRead = await readPdf(decisionPdf.bytes);
  expectPdfLayout(decisionRead, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc');
  expect(flat(decisionRead.text)).toContain('Trần Thị Hà');
  await pagePng(decisionPdf.bytes, 'commendation-decision-page1');
});

test('every download by a person is in the audit log; only administrators, the council and auditors may download; an unknown kind or version is refused naming it', async () => {
  const events = await stack.orm.em
    .fork()
    .getConnection()
    .execute<{ actor_id: string; after: { kind: string; format: string; version: number | null; sha256: string } }[]>(
      "SELECT actor_id, after FROM audit_event WHERE action = 'document.downloaded' ORDER BY seq",
    );
  expect(events.length).toBeGreaterThanOrEqual(8);
  expect(events.map((e) => e.actor_id)).toContain('Kiểm tra viên');
  expect(events.map((e) => `${e.after.kind}.${e.after.format}`)).toEqual(
    expect.arrayContaining([
      'monthly-report.docx',
      'monthly-report.pdf',
      'council-minutes.docx',
      'council-minutes.pdf',
      'commendation-decision.docx',
      'commendation-decision.pdf',
    ]),
  );
  expect(events.every((e) => /^[0-9a-f]{64}$/.test(e.after.sha256))).toBe(true);

  expect((await fetch(`${stack.baseUrl}${base}/documents/monthly-report.docx`)).status).toBe(401);
  const unknownKind = await api<{ field?: string }>(stack.baseUrl, 'GET', `${base}/documents/annual-review.docx`, {
    token: admin,
  });
  expect(unknownKind.status).toBe(400);
  expect(unknownKind.body.field).toBe('file');
  const unknownVersion = await api<{ field?: string }>(
    stack.baseUrl,
    'GET',
    `${base}/documents/monthly-report.docx?v=9`,
    { token: admin },
  );
  expect(unknownVersion.status).toBe(404);
  expect(unknownVersion.body.field).toBe('version');

  // A cycle whose council approved nothing has no decision to draft; one not consolidated yet, no report.
  const [unit] = await createUnits(stack.orm, 1);
  const other = await createCampaign(stack.orm, {
    deadlineAfterSeconds: 600,
    reminderSecondsBefore: [],
    escalationSecondsAfter: [600, 700],
    hardCloseSecondsAfter: 800,
    reviewWindowSeconds: 600,
    revisionWindowSeconds: 600,
  });
  const otherBase = `/api/v1/cycles/${other}/${period}`;
  expect(
    (
      await api(stack.baseUrl, 'POST', '/api/v1/cycles', {
        token: admin,
        body: { campaign: other, period, units: [unit!.code] },
      })
    ).status,
  ).toBe(201);
  await eventually(
    async () => ((await api(stack.baseUrl, 'GET', otherBase, { token: admin })).status === 200 ? true : undefined),
    { what: 'the other cycle to be stored' },
  );
  const notYet = await api<{ code?: string }>(stack.baseUrl, 'GET', `${otherBase}/documents/monthly-report.docx`, {
    token: admin,
  });
  expect([notYet.status, notYet.body.code]).toEqual([404, 'no_consolidation_yet']);
  const noDecision = await api<{ code?: string }>(
    stack.baseUrl,
    'GET',
    `${otherBase}/documents/commendation-decision.docx`,
    { token: admin },
  );
  expect([noDecision.status, noDecision.body.code]).toEqual([409, 'no_approved_proposals']);
});

test('without LibreOffice the PDF download answers 503 saying so in both languages, and the DOCX still works', async () => {
  const saved = process.env.SOFFICE_PATH;
  process.env.SOFFICE_PATH = '';
  try {
    const pdf = await api<{ code?: string; message: string }>(
      stack.baseUrl,
      'GET',
      `${base}/documents/monthly-report.pdf`,
      { token: admin },
    );
    expect(pdf.status).toBe(503);
    expect(pdf.body.code).toBe('pdf_renderer_unavailable');
    expect(pdf.body.message).toContain('LibreOffice');
    expect(pdf.body.message).toContain('DOCX');
    expect(pdf.body.message).toContain('Chưa tạo được PDF');
    const docx = await download(`${base}/documents/monthly-report.docx`, admin);
    expect(docx.res.status).toBe(200);
    // The console's link answers a page saying the same, in the reader's language.
    const session = await signInConsole(stack.baseUrl, admin);
    const page = await fetch(`${stack.baseUrl}/console/council/${campaign}/${period}/documents/monthly-report.pdf`, {
      headers: { cookie: session.cookie },
    });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('Chưa tạo được PDF: máy chủ chưa cài bộ chuyển đổi văn bản (LibreOffice)');
  } finally {
    if (saved === undefined) delete process.env.SOFFICE_PATH;
    else process.env.SOFFICE_PATH = saved;
  }
});

test('the document settings of a campaign change through the admin API (checked, audited before and after) and the console form, and the documents follow; the council page and the board link to the documents, whose console downloads are audited', async () => {
  const patch = (documentSettings: unknown) =>
    api<{ documentSettings?: Record<string, unknown>; field?: string }>(
      stack.baseUrl,
      'PATCH',
      `/api/v1/campaigns/${campaign}`,
      { token: admin, body: { documentSettings } },
    );
  expect((await patch({ issuingBody: '  ' })).body.field).toBe('documentSettings.issuingBody');
  expect((await patch({ place: 'x'.repeat(101) })).status).toBe(400);
  const unknown = await patch({ seal: 'x' });
  expect(unknown.status).toBe(400);
  expect(unknown.body.field).toBe('documentSettings.seal');
  const changed = await patch({
    issuingBody: 'Vụ Thi đua <b>Khen thưởng</b>',
    signerName: '=Nguyễn Văn An',
    recipients: ['Bộ trưởng (để báo cáo)', '@Lưu hồ sơ'],
  });
  expect(changed.status).toBe(200);
  expect(changed.body.documentSettings).toMatchObject({
    issuingBody: 'Vụ Thi đua <b>Khen thưởng</b>',
    signerName: '=Nguyễn Văn An',
    place: 'Hà Nội',
    recipients: ['Bộ trưởng (để báo cáo)', '@Lưu hồ sơ'],
  });
  const [audited] = await stack.orm.em
    .fork()
    .getConnection()
    .execute<
      { before: { documentSettings: { issuingBody: string } }; after: { documentSettings: { issuingBody: string } } }[]
    >(
      "SELECT before, after FROM audit_event WHERE action = 'campaign.updated' AND subject_id = ? ORDER BY seq DESC LIMIT 1",
      [campaign],
    );
  expect(audited!.before.documentSettings.issuingBody).toBe('HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG');
  expect(audited!.after.documentSettings.issuingBody).toBe('Vụ Thi đua <b>Khen thưởng</b>');
  const docx = await openDocx((await download(`${base}/documents/monthly-report.docx`, admin)).bytes);
  expect(docx.xmlProblems).toEqual([]);
  expect(docx.paragraphs).toContain('VỤ THI ĐUA <B>KHEN THƯỞNG</B>');
  expect(docx.paragraphs).toContain('=Nguyễn Văn An');
  expect(docx.paragraphs).toContain('- @Lưu hồ sơ');

  // The console: the administrator's form on the campaign page.
  const adminSession = await signInConsole(stack.baseUrl, admin);
  const form = new URLSearchParams({
    _csrf: adminSession.csrf,
    parentBody: 'BỘ THÔNG TIN VÀ TRUYỀN THÔNG',
    issuingBody: 'HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG BỘ',
    numberPattern: '   /{type}-HĐTĐKT',
    signerAuthority: 'KT. CHỦ TỊCH',
    signerPosition: 'PHÓ CHỦ TỊCH',
    signerName: 'Lê Thị Bình',
    place: 'Hà Nội',
    recipients: 'Như trên\r\nLưu: VT',
  });
  const saved = await fetch(`${stack.baseUrl}/console/campaigns/${campaign}/documents`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: adminSession.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  expect(saved.status).toBe(303);
  const page = await (
    await fetch(`${stack.baseUrl}/console/campaigns/${campaign}`, { headers: { cookie: adminSession.cookie } })
  ).text();
  expect(page).toContain('value="HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG BỘ"');
  expect(page).toContain('Lê Thị Bình');

  // Links on the council page and the board; a console download is audited with the person's name.
  const councilSession = await signInConsole(stack.baseUrl, council[1]!);
  const councilPage = await (
    await fetch(`${stack.baseUrl}/console/council/${campaign}/${period}`, {
      headers: { cookie: councilSession.cookie },
    })
  ).text();
  expect(councilPage).toContain(`/console/council/${campaign}/${period}/documents/monthly-report.pdf?v=1`);
  expect(councilPage).toContain(`/console/council/${campaign}/${period}/documents/council-minutes.docx?v=1`);
  expect(councilPage).toContain(`/console/council/${campaign}/${period}/documents/commendation-decision.docx`);
  const board = await (
    await fetch(`${stack.baseUrl}/console/cycles/${campaign}/${period}`, { headers: { cookie: adminSession.cookie } })
  ).text();
  expect(board).toContain(`/console/council/${campaign}/${period}/documents/monthly-report.docx`);
  const fromConsole = await fetch(
    `${stack.baseUrl}/console/council/${campaign}/${period}/documents/council-minutes.docx?v=1`,
    { headers: { cookie: councilSession.cookie } },
  );
  expect(fromConsole.status).toBe(200);
  const minutes = await openDocx(Buffer.from(await fromConsole.arrayBuffer()));
  expect(minutes.paragraphs).toContain('KT. CHỦ TỊCH');
  expect(minutes.paragraphs).toContain('Lê Thị Bình');
  const [last] = await stack.orm.em
    .fork()
    .getConnection()
    .execute<{ actor_id: string; after: { kind: string } }[]>(
      "SELECT actor_id, after FROM audit_event WHERE action = 'document.downloaded' ORDER BY seq DESC LIMIT 1",
    );
  expect(last).toMatchObject({ actor_id: 'Phó Chủ tịch Hội đồng', after: { kind: 'council-minutes' } });
});
