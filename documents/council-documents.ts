/**
 * The council's documents, in Vietnamese: the minutes of its vote on a consolidated version
 * ("BIÊN BẢN": the vote on the report and on each commendation proposal; with secret ballots only
 * the counts, never who chose what) and the draft decision on commendation ("QUYẾT ĐỊNH") listing
 * the proposals it approved. Pure.
 */
import type { Block, OfficialDocumentSpec } from './spec';
import { localTime, monthText } from './monthly-report';
import { numberOf, placeAndDate, type DocumentSettings } from './settings';

interface Fraction {
  readonly numerator: number;
  readonly denominator: number;
}

export interface ProposalVote {
  readonly id: string;
  readonly nominee: string;
  readonly nomineeKind: 'individual' | 'collective';
  readonly unitName: string;
  readonly requestedForm: string;
  readonly approvals: number;
  readonly rejections: number;
  /** The council's decision, once taken. */
  readonly approved: boolean | null;
  /** Each member's choice, only when ballots are not secret. */
  readonly choices?: readonly { readonly voter: string; readonly choice: string }[];
}

export interface MinutesInput {
  readonly campaignName: string;
  readonly period: string;
  readonly version: number;
  readonly settings: DocumentSettings;
  readonly now: Date;
  readonly members: number;
  readonly quorum: Fraction;
  readonly approvalThreshold: Fraction;
  readonly secretBallots: boolean;
  /** Names of the members who voted on the report (who voted is on the record, secret or not). */
  readonly voters: readonly string[];
  readonly firstVoteAt: string | null;
  readonly lastVoteAt: string | null;
  readonly approvals: number;
  readonly revisionRequests: number;
  readonly decision: 'approved' | 'revision' | 'pending';
  /** Each member's vote on the report, only when ballots are not secret. */
  readonly reportChoices?: readonly {
    readonly voter: string;
    readonly choice: string;
    readonly unitCodes: readonly string[];
    readonly comment: string | null;
  }[];
  readonly proposals: readonly ProposalVote[];
}

const fraction = (f: Fraction): string => `${f.numerator}/${f.denominator}`;
const CHOICE: Record<string, string> = {
  approve: 'Tán thành',
  request_revision: 'Đề nghị chỉnh sửa',
  reject: 'Không tán thành',
};
const DECISION = {
  approved: 'Hội đồng thông qua báo cáo tổng hợp.',
  revision: 'Hội đồng đề nghị các đơn vị chỉnh sửa báo cáo.',
  pending: 'Chưa đủ điều kiện để Hội đồng kết luận.',
} as const;

export function minutesSpec(input: MinutesInput): OfficialDocumentSpec {
  const { settings } = input;
  const month = monthText(input.period);
  const summary = `Biểu quyết của Hội đồng về báo cáo tổng hợp tháng ${month} - ${input.campaignName}`;
  const body: Block[] = [
    { kind: 'paragraph', text: `(Bản tổng hợp số ${input.version})`, align: 'center', italic: true, indent: false },
    {
      kind: 'paragraph',
      text:
        input.firstVoteAt && input.lastVoteAt
          ? `Thời gian biểu quyết: từ ${localTime(input.firstVoteAt)} đến ${localTime(input.lastVoteAt)}, bằng phiếu điện tử trên hệ thống.`
          : 'Thời gian biểu quyết: chưa có thành viên nào bỏ phiếu.',
    },
    { kind: 'heading', text: 'I. THÀNH PHẦN' },
    {
      kind: 'paragraph',
      text: `Tổng số thành viên Hội đồng: ${input.members}; số thành viên đã biểu quyết về báo cáo: ${input.voters.length}. Túc số theo quy chế: ${fraction(input.quorum)} số thành viên; ngưỡng thông qua: trên ${fraction(input.approvalThreshold)} số phiếu.`,
    },
    ...input.voters.map((name): Block => ({ kind: 'item', text: name })),
    {
      kind: 'paragraph',
      text: input.secretBallots
        ? 'Hình thức biểu quyết: bỏ phiếu kín; biên bản chỉ ghi số phiếu.'
        : 'Hình thức biểu quyết: biểu quyết công khai.',
    },
    { kind: 'heading', text: 'II. BIỂU QUYẾT VỀ BÁO CÁO TỔNG HỢP' },
    {
      kind: 'paragraph',
      text: `Số phiếu tán thành: ${input.approvals}; số phiếu đề nghị chỉnh sửa: ${input.revisionRequests}; tổng số phiếu: ${input.approvals + input.revisionRequests}/${input.members}.`,
    },
    ...(input.reportChoices ?? []).map((b): Block => ({
      kind: 'item',
      text: `${b.voter}: ${CHOICE[b.choice] ?? b.choice}${b.unitCodes.length ? ` (đơn vị: ${b.unitCodes.join(', ')})` : ''}${b.comment ? `. Ý kiến: ${b.comment}` : ''}`,
    })),
    { kind: 'paragraph', text: `Kết quả: ${DECISION[input.decision]}`, bold: true },
    { kind: 'heading', text: 'III. BIỂU QUYẾT VỀ ĐỀ NGHỊ KHEN THƯỞNG' },
  ];
  if (!input.proposals.length) body.push({ kind: 'paragraph', text: 'Không có đề nghị khen thưởng.' });
  else
    body.push({
      kind: 'table',
      columns: [
        { title: 'STT', width: 7, align: 'center' },
        { title: 'Đối tượng', width: 22 },
        { title: 'Đơn vị', width: 20 },
        { title: 'Hình thức đề nghị', width: 20 },
        { title: 'Tán thành', width: 10, align: 'right' },
        { title: 'Không tán thành', width: 10, align: 'right' },
        { title: 'Kết quả', width: 11, align: 'center' },
      ],
      rows: input.proposals.map((p, i) => [
        i + 1,
        p.nominee,
        p.unitName,
        p.requestedForm,
        p.approvals,
        p.rejections,
        p.approved === null ? 'Chưa quyết định' : p.approved ? 'Thông qua' : 'Không thông qua',
      ]),
    });
  for (const p of input.proposals)
    for (const c of p.choices ?? [])
      body.push({ kind: 'item', text: `${p.nominee} - ${c.voter}: ${CHOICE[c.choice] ?? c.choice}` });
  body.push({
    kind: 'paragraph',
    text: 'Biên bản được lập từ các phiếu biểu quyết lưu trên hệ thống và gửi các thành viên Hội đồng.',
  });
  return {
    lang: 'vi',
    title: `BIÊN BẢN ${summary}`,
    parentBody: settings.parentBody,
    issuingBody: settings.issuingBody,
    number: numberOf(settings, 'BB', Number(input.period.slice(0, 4)), 'vi'),
    placeAndDate: placeAndDate(settings.place, input.now, 'vi'),
    type: 'BIÊN BẢN',
    summary,
    body,
    signerAuthority: settings.signerAuthority,
    signerPosition: settings.signerPosition,
    signerName: settings.signerName,
    recipients: ['Các thành viên Hội đồng', ...settings.recipients],
  };
}

export interface DecisionInput {
  readonly campaignName: string;
  readonly period: string;
  readonly settings: DocumentSettings;
  readonly now: Date;
  readonly approved: readonly (Omit<ProposalVote, 'approved' | 'choices'> & { readonly summary: string })[];
}

export function decisionSpec(input: DecisionInput): OfficialDocumentSpec {
  const { settings } = input;
  const month = monthText(input.period);
  const collective = input.approved.filter((p) => p.nomineeKind === 'collective').length;
  const individual = input.approved.length - collective;
  const issuer = settings.issuingBody.toUpperCase();
  const position = `${settings.signerPosition} ${issuer}`.trim();
  const body: Block[] = [
    { kind: 'paragraph', text: '(DỰ THẢO)', align: 'center', bold: true, indent: false },
    { kind: 'paragraph', text: position, align: 'center', bold: true, indent: false },
    { kind: 'paragraph', text: 'Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;', italic: true },
    {
      kind: 'paragraph',
      text: 'Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;',
      italic: true,
    },
    {
      kind: 'paragraph',
      text: `Căn cứ kết quả biểu quyết của ${settings.issuingBody} về báo cáo tổng hợp tháng ${month} - ${input.campaignName};`,
      italic: true,
    },
    { kind: 'paragraph', text: 'QUYẾT ĐỊNH:', align: 'center', bold: true, indent: false },
    {
      kind: 'paragraph',
      text: `Điều 1. Khen thưởng ${collective} tập thể và ${individual} cá nhân có thành tích xuất sắc trong phong trào thi đua tháng ${month} (danh sách kèm theo).`,
    },
    {
      kind: 'paragraph',
      text: 'Điều 2. Kinh phí khen thưởng thực hiện theo quy định hiện hành.',
    },
    {
      kind: 'paragraph',
      text: 'Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Thủ trưởng các đơn vị có liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.',
    },
  ];
  const appendix: Block[] = [
    { kind: 'heading', text: 'DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG', centered: true },
    {
      kind: 'paragraph',
      text: `(Kèm theo Quyết định số ${settings.numberPattern.replaceAll('{type}', 'QĐ').replaceAll('{year}', input.period.slice(0, 4)).trim()})`,
      align: 'center',
      italic: true,
      indent: false,
    },
    {
      kind: 'table',
      landscape: true,
      columns: [
        { title: 'STT', width: 5, align: 'center' },
        { title: 'Tập thể, cá nhân', width: 20 },
        { title: 'Loại', width: 8, align: 'center' },
        { title: 'Đơn vị', width: 18 },
        { title: 'Hình thức khen thưởng', width: 17 },
        { title: 'Tóm tắt thành tích', width: 32 },
      ],
      rows: input.approved.map((p, i) => [
        i + 1,
        p.nominee,
        p.nomineeKind === 'collective' ? 'Tập thể' : 'Cá nhân',
        p.unitName,
        p.requestedForm,
        p.summary,
      ]),
    },
  ];
  const summary = `Về việc khen thưởng các tập thể, cá nhân có thành tích xuất sắc tháng ${month}`;
  return {
    lang: 'vi',
    title: `QUYẾT ĐỊNH ${summary}`,
    parentBody: settings.parentBody,
    issuingBody: settings.issuingBody,
    number: numberOf(settings, 'QĐ', Number(input.period.slice(0, 4)), 'vi'),
    placeAndDate: placeAndDate(settings.place, input.now, 'vi', true),
    type: 'QUYẾT ĐỊNH',
    summary,
    body,
    appendix,
    signerAuthority: settings.signerAuthority,
    signerPosition: settings.signerPosition,
    signerName: settings.signerName,
    recipients: ['Như Điều 3', ...settings.recipients],
  };
}
