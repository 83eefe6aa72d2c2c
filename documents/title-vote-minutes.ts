/**
 * The minutes of the vote count of a round of title votes ("BIÊN BẢN KIỂM PHIẾU"), in Vietnamese:
 * the roll as it was when the round opened and who took part, the rule applied to each title, the
 * count and result of each nominee, each ballot by member where the title's ballot is open (only
 * the counts where it is secret), the written opinions of absent members, and the signatures of
 * the secretary and the chair. Pure.
 */
import { EMULATION_TITLE_NAMES, type EmulationTitle } from '../domain/emulation-titles';
import type { ChoiceCounts, TitleChoice, TitleResult, TitleVoteRule } from '../domain/title-vote';
import { localTime } from './monthly-report';
import { numberOf, placeAndDate, type DocumentSettings } from './settings';
import type { Block, OfficialDocumentSpec } from './spec';

export interface MinutesMember {
  readonly name: string;
  readonly position: 'chair' | 'vice_chair' | 'member' | 'secretary';
}

export interface MinutesNominee {
  readonly nominee: number;
  readonly unitName: string;
  readonly unitCode: string;
  readonly title: EmulationTitle;
  readonly rule: TitleVoteRule;
  readonly voted: readonly string[];
  readonly writtenOpinions: readonly string[];
  readonly ballots: ChoiceCounts | null;
  readonly writtenOpinionCounts: ChoiceCounts | null;
  readonly result: TitleResult | null;
  /** Who chose what: only under an open ballot. */
  readonly choices?: readonly { readonly member: string; readonly kind: string; readonly choice: TitleChoice }[];
}

export interface TitleVoteMinutesInput {
  readonly campaignName: string;
  readonly year: number;
  readonly settings: DocumentSettings;
  readonly now: Date;
  readonly openedAt: string;
  readonly closedAt: string | null;
  readonly closedBy: string | null;
  readonly roll: readonly MinutesMember[];
  readonly tookPart: readonly string[];
  readonly nominees: readonly MinutesNominee[];
}

export const POSITION_VI: Readonly<Record<MinutesMember['position'], string>> = {
  chair: 'Chủ tịch Hội đồng',
  vice_chair: 'Phó Chủ tịch Hội đồng',
  member: 'Ủy viên',
  secretary: 'Thư ký Hội đồng',
};
export const CHOICE_VI: Readonly<Record<TitleChoice, string>> = {
  agree: 'Tán thành',
  disagree: 'Không tán thành',
  abstain: 'Không biểu quyết',
};
export const OUTCOME_VI: Readonly<Record<TitleResult['outcome'], string>> = {
  passed: 'Đạt',
  failed: 'Không đạt',
  no_quorum: 'Không đủ số thành viên tham gia',
};

const fraction = (f: { numerator: number; denominator: number }): string => `${f.numerator}/${f.denominator}`;

/** A title's rule in a sentence. */
export function ruleText(title: EmulationTitle, r: TitleVoteRule): string {
  return [
    `${EMULATION_TITLE_NAMES[title].vi}: số phiếu tán thành ${r.comparison === 'at_least' ? 'từ' : 'trên'} ${fraction(r.threshold)} ${r.base === 'all_members' ? 'tổng số thành viên Hội đồng' : 'số thành viên tham gia biểu quyết'}`,
    `số thành viên tham gia tối thiểu ${fraction(r.quorum)} tổng số thành viên`,
    r.secretBallot ? 'bỏ phiếu kín' : 'biểu quyết công khai',
    r.writtenOpinionsCount
      ? 'ý kiến bằng văn bản của thành viên vắng mặt được tính'
      : 'ý kiến bằng văn bản của thành viên vắng mặt không được tính',
    r.tie === 'fails'
      ? 'khi số phiếu tán thành bằng số phiếu không tán thành thì không đạt'
      : 'khi số phiếu tán thành bằng số phiếu không tán thành thì theo ý kiến của Chủ tịch Hội đồng',
  ].join('; ');
}

export function titleVoteMinutesSpec(input: TitleVoteMinutesInput): OfficialDocumentSpec {
  const { settings } = input;
  const summary = `Kiểm phiếu bỏ phiếu danh hiệu thi đua năm ${input.year} - ${input.campaignName}`;
  const took = new Set(input.tookPart);
  const wrote = new Set(input.nominees.flatMap((n) => n.writtenOpinions));
  const voted = new Set(input.nominees.flatMap((n) => n.voted));
  const titles = [...new Set(input.nominees.map((n) => n.title))];
  const body: Block[] = [
    {
      kind: 'paragraph',
      text: `Thời gian bỏ phiếu: từ ${localTime(input.openedAt)}${input.closedAt ? ` đến ${localTime(input.closedAt)}` : ' (chưa kết thúc)'}, bằng phiếu điện tử trên hệ thống${input.closedBy ? `; ${input.closedBy === 'deadline' ? 'kết thúc khi hết thời hạn' : `kết thúc theo quyết định của ${input.closedBy}`}` : ''}.`,
    },
    { kind: 'heading', text: 'I. THÀNH PHẦN HỘI ĐỒNG' },
    {
      kind: 'paragraph',
      text: `Tổng số thành viên Hội đồng (theo danh sách khi mở phiếu): ${input.roll.length}; số thành viên tham gia: ${took.size}.`,
    },
    {
      kind: 'table',
      columns: [
        { title: 'STT', width: 8, align: 'center' },
        { title: 'Họ và tên', width: 40 },
        { title: 'Chức danh', width: 27 },
        { title: 'Tham gia', width: 25 },
      ],
      rows: input.roll.map((m, i) => [
        i + 1,
        m.name,
        POSITION_VI[m.position],
        voted.has(m.name) ? 'Bỏ phiếu' : wrote.has(m.name) ? 'Ý kiến bằng văn bản' : 'Vắng mặt',
      ]),
    },
    { kind: 'heading', text: 'II. QUY ĐỊNH ÁP DỤNG' },
    ...titles.map((t): Block => ({ kind: 'item', text: ruleText(t, input.nominees.find((n) => n.title === t)!.rule) })),
    { kind: 'heading', text: 'III. KẾT QUẢ KIỂM PHIẾU' },
    {
      kind: 'table',
      columns: [
        { title: 'STT', width: 6, align: 'center' },
        { title: 'Đơn vị', width: 19 },
        { title: 'Danh hiệu', width: 17 },
        { title: 'Tán thành', width: 11, align: 'right' },
        { title: 'Không tán thành', width: 11, align: 'right' },
        { title: 'Không biểu quyết', width: 11, align: 'right' },
        { title: 'Tham gia / tổng số', width: 11, align: 'right' },
        { title: 'Kết quả', width: 14, align: 'center' },
      ],
      rows: input.nominees.map((n) => [
        n.nominee,
        n.unitName,
        EMULATION_TITLE_NAMES[n.title].vi,
        n.result?.counted.agree ?? null,
        n.result?.counted.disagree ?? null,
        n.result?.counted.abstain ?? null,
        n.result ? `${n.result.participants}/${n.result.members}` : null,
        n.result ? OUTCOME_VI[n.result.outcome] : 'Chưa kiểm phiếu',
      ]),
    },
    ...input.nominees
      .filter((n) => n.result?.tieSettledBy)
      .map((n): Block => ({
        kind: 'paragraph',
        text: `Đề nghị số ${n.nominee}: số phiếu tán thành bằng số phiếu không tán thành; ${n.result!.tieSettledBy === 'chair' ? 'quyết định theo ý kiến của Chủ tịch Hội đồng' : 'không đạt theo quy định'}.`,
      })),
    { kind: 'heading', text: 'IV. PHIẾU BIỂU QUYẾT' },
  ];
  for (const n of input.nominees) {
    body.push({
      kind: 'paragraph',
      text: `Đề nghị số ${n.nominee}: ${n.unitName} - ${EMULATION_TITLE_NAMES[n.title].vi}`,
      bold: true,
      indent: false,
    });
    if (n.rule.secretBallot) {
      const c = n.result?.counted;
      body.push({
        kind: 'paragraph',
        text: c
          ? `Bỏ phiếu kín, biên bản chỉ ghi số phiếu được tính: ${c.agree} tán thành, ${c.disagree} không tán thành, ${c.abstain} không biểu quyết.`
          : 'Bỏ phiếu kín; chưa kiểm phiếu.',
      });
    } else
      for (const c of (n.choices ?? []).filter((c) => c.kind === 'ballot'))
        body.push({ kind: 'item', text: `${c.member}: ${CHOICE_VI[c.choice]}` });
    if (n.writtenOpinions.length) {
      const counted = n.rule.writtenOpinionsCount ? 'được tính' : 'không được tính theo quy định';
      body.push({
        kind: 'paragraph',
        text: n.rule.secretBallot
          ? `Thành viên vắng mặt có ý kiến bằng văn bản (${counted}): ${n.writtenOpinions.length}.`
          : `Ý kiến bằng văn bản của thành viên vắng mặt (${counted}):`,
      });
      if (!n.rule.secretBallot)
        for (const c of (n.choices ?? []).filter((c) => c.kind === 'written_opinion'))
          body.push({ kind: 'item', text: `${c.member}: ${CHOICE_VI[c.choice]}` });
    }
  }
  body.push({
    kind: 'paragraph',
    text: 'Biên bản được lập từ các phiếu lưu trên hệ thống và gửi các thành viên Hội đồng.',
  });
  const chair = input.roll.find((m) => m.position === 'chair');
  const secretary = input.roll.find((m) => m.position === 'secretary');
  return {
    lang: 'vi',
    title: `BIÊN BẢN ${summary}`,
    parentBody: settings.parentBody,
    issuingBody: settings.issuingBody,
    number: numberOf(settings, 'BB', input.year, 'vi'),
    placeAndDate: placeAndDate(settings.place, input.now, 'vi'),
    type: 'BIÊN BẢN',
    summary,
    body,
    signerAuthority: '',
    signerPosition: 'CHỦ TỊCH HỘI ĐỒNG',
    signerName: chair?.name ?? settings.signerName,
    countersigner: { position: 'THƯ KÝ HỘI ĐỒNG', name: secretary?.name ?? '' },
    recipients: ['Các thành viên Hội đồng', 'Lưu: VT'],
  };
}
