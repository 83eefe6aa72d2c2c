/**
 * Email texts in Vietnamese (default) and English. Pure: a message is rendered from its kind,
 * its stored parameters and, for personal links, the link derived at send time.
 */
import { withoutBidiControls } from '../domain/display-text';
import type { Locale } from '../domain/template';
import type { EmailKind } from '../db/entities/email.entity';

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface OverdueUnit {
  readonly code: string;
  readonly name: string;
  readonly deadline: string;
}

/** Parameters stored on the outbox row, by kind. */
export interface EmailParams {
  dispatch: {
    unitName: string;
    headName: string;
    campaignName: string;
    period: string;
    dataFrom: string;
    dataTo: string;
    deadline: string;
    keyTaskCount: number;
    indicatorCount: number;
  };
  link_resent: EmailParams['dispatch'];
  reminder: EmailParams['dispatch'] & { reminderNumber: number };
  escalation_supervisor: { recipientName: string; campaignName: string; period: string; overdue: OverdueUnit[] };
  escalation_secretariat: EmailParams['escalation_supervisor'];
  /** `requestedBy`: the unit the report goes up to, when it (not the council) sends the report back. */
  revision: EmailParams['dispatch'] & { comment: string; requestedBy?: string };
  publication: { unitName: string; campaignName: string; period: string; summary: string; decisions: string[] };
  review_expired: {
    campaignName: string;
    period: string;
    version: number;
    reviewEndsAt: string;
    members: number;
    voted: number;
  };
  /** To the secretariat: a periodic summary was frozen (`url`: its console page). */
  summary_frozen: {
    campaignName: string;
    window: string;
    dataFrom: string;
    dataTo: string;
    accepted: number;
    months: number;
    sha256: string;
    url: string;
  };
  /** A one-time console sign-in link; the link itself is derived from `signInId` when sent. */
  sign_in: { personName: string; signInId: number; expiresAt: string };
  /** A unit's emulation-registration link; the link itself is derived from `registrationId` when sent. */
  registration_dispatch: {
    registrationId: number;
    unitName: string;
    headName: string;
    campaignName: string;
    year: number;
    deadline: string;
    indicatorCount: number;
  };
  registration_reminder: EmulationParams & { reminderNumber: number };
  /** A council member is asked to vote the titles of a round; `url` is its console page. */
  title_vote_opened: {
    personName: string;
    campaignName: string;
    year: number;
    nominees: number;
    closesAt: string;
    url: string;
  };
  title_vote_reminder: EmailParams['title_vote_opened'];
}

type EmulationParams = EmailParams['registration_dispatch'];

/** Kinds whose message carries the unit head's personal link. */
export const LINK_KINDS: ReadonlySet<EmailKind> = new Set(['dispatch', 'link_resent', 'reminder', 'revision']);
/** Kinds whose message carries a unit's emulation-registration link. */
export const REGISTRATION_KINDS: ReadonlySet<EmailKind> = new Set(['registration_dispatch', 'registration_reminder']);

const escapeHtml = (s: string): string =>
  withoutBidiControls(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Local time in Asia/Ho_Chi_Minh, the way a Vietnamese reader writes it. */
export function formatInstant(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    dateStyle: 'full',
    timeStyle: 'short',
  }).format(new Date(iso));
}

interface Draft {
  subject: string;
  lines: string[];
  link?: { label: string; href: string };
}

function finish(d: Draft): RenderedEmail {
  const text = withoutBidiControls([...d.lines, ...(d.link ? ['', `${d.link.label}: ${d.link.href}`] : [])].join('\n'));
  // One line, whatever a name holds: a line break in a subject would start a header of its own.
  const subject = withoutBidiControls(d.subject).replace(/[\r\n\t\u2028\u2029]+/g, ' ');
  const html = [
    '<!doctype html><html><body style="font-family:Arial,sans-serif;font-size:15px;line-height:1.5">',
    ...d.lines.map((l) => (l === '' ? '<br>' : `<p style="margin:0 0 6px">${escapeHtml(l)}</p>`)),
    d.link
      ? `<p><a href="${escapeHtml(d.link.href)}" style="display:inline-block;padding:10px 16px;background:#b71c1c;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(d.link.label)}</a></p><p style="font-size:13px;color:#555">${escapeHtml(d.link.href)}</p>`
      : '',
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

type Renderer<K extends EmailKind> = (p: EmailParams[K], locale: Locale, link: string | undefined) => Draft;

const taskLines = (p: EmailParams['dispatch'], locale: Locale): string[] =>
  locale === 'vi'
    ? [
        `Kỳ báo cáo: tháng ${p.period} (số liệu từ ${p.dataFrom} đến ${p.dataTo}).`,
        `Hạn nộp: ${formatInstant(p.deadline, locale)}.`,
        `Nội dung báo cáo: tình hình thực hiện ${p.keyTaskCount} nhiệm vụ trọng tâm, ${p.indicatorCount} chỉ tiêu, điển hình tiên tiến, đề nghị khen thưởng và kiến nghị.`,
        'Đường liên kết dưới đây là riêng của đơn vị; xin không chuyển tiếp.',
      ]
    : [
        `Reporting period: ${p.period} (data from ${p.dataFrom} to ${p.dataTo}).`,
        `Deadline: ${formatInstant(p.deadline, locale)}.`,
        `What to report: progress on ${p.keyTaskCount} key tasks, ${p.indicatorCount} indicators, advanced examples, commendation proposals and recommendations.`,
        'The link below is personal to your unit; please do not forward it.',
      ];

const linkLabel = (locale: Locale): string => (locale === 'vi' ? 'Mở báo cáo của đơn vị' : "Open your unit's report");

function requireLink(link: string | undefined): string {
  if (!link) throw new Error('this kind of email needs the personal link');
  return link;
}

const overdueLines = (overdue: OverdueUnit[], locale: Locale): string[] =>
  overdue.map(
    (u) => `- ${u.name} (${u.code}): ${locale === 'vi' ? 'hạn' : 'due'} ${formatInstant(u.deadline, locale)}`,
  );

const RENDERERS: { [K in EmailKind]: Renderer<K> } = {
  dispatch: (p, locale, link) => ({
    subject:
      locale === 'vi'
        ? `[${p.campaignName}] Báo cáo tháng ${p.period} — ${p.unitName}`
        : `[${p.campaignName}] Monthly report ${p.period} — ${p.unitName}`,
    lines: [locale === 'vi' ? `Kính gửi ${p.headName},` : `Dear ${p.headName},`, '', ...taskLines(p, locale)],
    link: { label: linkLabel(locale), href: requireLink(link) },
  }),
  link_resent: (p, locale, link) => ({
    subject:
      locale === 'vi'
        ? `[${p.campaignName}] Đường liên kết mới — báo cáo tháng ${p.period}`
        : `[${p.campaignName}] New link — report ${p.period}`,
    lines: [
      locale === 'vi' ? `Kính gửi ${p.headName},` : `Dear ${p.headName},`,
      locale === 'vi'
        ? 'Đường liên kết trước đây không còn hiệu lực; xin dùng đường liên kết mới dưới đây.'
        : 'The previous link no longer works; please use the new one below.',
      '',
      ...taskLines(p, locale),
    ],
    link: { label: linkLabel(locale), href: requireLink(link) },
  }),
  reminder: (p, locale, link) => ({
    subject:
      locale === 'vi'
        ? `[Nhắc lần ${p.reminderNumber}] Báo cáo tháng ${p.period} — ${p.unitName}`
        : `[Reminder ${p.reminderNumber}] Report ${p.period} — ${p.unitName}`,
    lines: [
      locale === 'vi' ? `Kính gửi ${p.headName},` : `Dear ${p.headName},`,
      locale === 'vi' ? 'Đơn vị chưa nộp báo cáo tháng này.' : 'Your unit has not submitted this month’s report yet.',
      '',
      ...taskLines(p, locale),
    ],
    link: { label: linkLabel(locale), href: requireLink(link) },
  }),
  escalation_supervisor: (p, locale) => ({
    subject:
      locale === 'vi'
        ? `[${p.campaignName}] Đơn vị chậm nộp báo cáo tháng ${p.period}`
        : `[${p.campaignName}] Overdue reports for ${p.period}`,
    lines: [
      locale === 'vi' ? `Kính gửi ${p.recipientName},` : `Dear ${p.recipientName},`,
      locale === 'vi'
        ? 'Các đơn vị sau đây do đồng chí phụ trách đã quá hạn nộp báo cáo:'
        : 'These units under your responsibility have missed the reporting deadline:',
      ...overdueLines(p.overdue, locale),
    ],
  }),
  escalation_secretariat: (p, locale) => ({
    subject:
      locale === 'vi'
        ? `[${p.campaignName}] Báo cáo tháng ${p.period} vẫn chưa nộp`
        : `[${p.campaignName}] Reports for ${p.period} still missing`,
    lines: [
      locale === 'vi' ? `Kính gửi ${p.recipientName},` : `Dear ${p.recipientName},`,
      locale === 'vi'
        ? 'Sau khi đã báo lãnh đạo phụ trách, các đơn vị sau vẫn chưa nộp báo cáo:'
        : 'After escalation to their supervisors, these units have still not reported:',
      ...overdueLines(p.overdue, locale),
    ],
  }),
  revision: (p, locale, link) => ({
    subject:
      locale === 'vi'
        ? `[${p.campaignName}] Đề nghị chỉnh sửa báo cáo tháng ${p.period}`
        : `[${p.campaignName}] Revision requested for ${p.period}`,
    lines: [
      locale === 'vi' ? `Kính gửi ${p.headName},` : `Dear ${p.headName},`,
      p.requestedBy
        ? locale === 'vi'
          ? `${p.requestedBy} đề nghị đơn vị chỉnh sửa báo cáo với ý kiến sau:`
          : `${p.requestedBy} asks your unit to revise its report:`
        : locale === 'vi'
          ? 'Hội đồng Thi đua - Khen thưởng đề nghị đơn vị chỉnh sửa báo cáo với ý kiến sau:'
          : 'The Emulation & Commendation Council asks your unit to revise its report:',
      `“${p.comment}”`,
      '',
      ...taskLines(p, locale),
    ],
    link: { label: linkLabel(locale), href: requireLink(link) },
  }),
  publication: (p, locale) => ({
    subject:
      locale === 'vi'
        ? `[${p.campaignName}] Công bố kết quả tổng hợp tháng ${p.period}`
        : `[${p.campaignName}] Published results for ${p.period}`,
    lines: [
      locale === 'vi' ? `Kính gửi ${p.unitName},` : `Dear ${p.unitName},`,
      locale === 'vi'
        ? 'Hội đồng Thi đua - Khen thưởng đã thông qua báo cáo tổng hợp:'
        : 'The Emulation & Commendation Council has approved the consolidated report:',
      p.summary,
      ...(p.decisions.length
        ? [
            '',
            locale === 'vi' ? 'Quyết định khen thưởng:' : 'Commendation decisions:',
            ...p.decisions.map((d) => `- ${d}`),
          ]
        : []),
    ],
  }),
  review_expired: (p, locale) => ({
    subject:
      locale === 'vi'
        ? `[${p.campaignName}] Hết thời hạn xem xét báo cáo tổng hợp tháng ${p.period}`
        : `[${p.campaignName}] Review window expired for ${p.period}`,
    lines:
      locale === 'vi'
        ? [
            'Kính gửi Thường trực Hội đồng Thi đua - Khen thưởng,',
            `Thời hạn xem xét báo cáo tổng hợp (phiên bản ${p.version}) đã hết lúc ${formatInstant(p.reviewEndsAt, locale)} nhưng Hội đồng chưa có quyết định.`,
            `Đã bỏ phiếu: ${p.voted}/${p.members} thành viên. Việc xem xét vẫn tiếp tục cho đến khi có quyết định.`,
          ]
        : [
            'Dear Council secretariat,',
            `The review window of the consolidated report (version ${p.version}) ended at ${formatInstant(p.reviewEndsAt, locale)} without a decision.`,
            `Voted: ${p.voted} of ${p.members} members. The review stays open until the council decides.`,
          ],
  }),
  summary_frozen: (p, locale) => ({
    subject:
      locale === 'vi'
        ? `[${p.campaignName}] Đã chốt số liệu tổng hợp ${p.window}`
        : `[${p.campaignName}] Summary of ${p.window} frozen`,
    lines:
      locale === 'vi'
        ? [
            'Kính gửi Thường trực Hội đồng Thi đua - Khen thưởng,',
            `Số liệu tổng hợp ${p.window} (từ ${p.dataFrom} đến ${p.dataTo}) đã được chốt: ${p.accepted}/${p.months} tháng có báo cáo tổng hợp đã được Hội đồng phê duyệt.`,
            'Từ nay bản tổng hợp này không thay đổi; mã kiểm tra (SHA-256) được ghi trong nhật ký:',
            p.sha256,
          ]
        : [
            'Dear Council secretariat,',
            `The summary of ${p.window} (${p.dataFrom} to ${p.dataTo}) is frozen: the council had approved ${p.accepted} of its ${p.months} months.`,
            'It no longer changes; its SHA-256, also on the record:',
            p.sha256,
          ],
    link: { label: locale === 'vi' ? 'Xem bản tổng hợp' : 'Open the summary', href: p.url },
  }),
  sign_in: (p, locale, link) => SIGN_IN_RENDERER(p, locale, link),
  registration_dispatch: (p, locale, link) => ({
    subject:
      locale === 'vi'
        ? `[${p.campaignName}] Đăng ký thi đua năm ${p.year} — ${p.unitName}`
        : `[${p.campaignName}] Emulation registration ${p.year} — ${p.unitName}`,
    lines: [locale === 'vi' ? `Kính gửi ${p.headName},` : `Dear ${p.headName},`, '', ...registrationLines(p, locale)],
    link: { label: registrationLabel(locale), href: requireLink(link) },
  }),
  registration_reminder: (p, locale, link) => ({
    subject:
      locale === 'vi'
        ? `[Nhắc lần ${p.reminderNumber}] Đăng ký thi đua năm ${p.year} — ${p.unitName}`
        : `[Reminder ${p.reminderNumber}] Emulation registration ${p.year} — ${p.unitName}`,
    lines: [
      locale === 'vi' ? `Kính gửi ${p.headName},` : `Dear ${p.headName},`,
      locale === 'vi' ? 'Đơn vị chưa đăng ký thi đua năm nay.' : 'Your unit has not registered for this year yet.',
      '',
      ...registrationLines(p, locale),
    ],
    link: { label: registrationLabel(locale), href: requireLink(link) },
  }),
  title_vote_opened: (p, locale) => titleVoteDraft(p, locale, false),
  title_vote_reminder: (p, locale) => titleVoteDraft(p, locale, true),
};

const registrationLines = (p: EmulationParams, locale: Locale): string[] =>
  locale === 'vi'
    ? [
        `Đề nghị đơn vị đăng ký thi đua năm ${p.year}: mức phấn đấu cho ${p.indicatorCount} chỉ tiêu và các danh hiệu thi đua đơn vị đăng ký.`,
        `Hạn đăng ký: ${formatInstant(p.deadline, locale)}. Trước hạn, đơn vị có thể sửa lại nội dung đã đăng ký.`,
        'Đường liên kết dưới đây là riêng của đơn vị; xin không chuyển tiếp.',
      ]
    : [
        `Please register your unit's emulation targets for ${p.year}: a figure for each of ${p.indicatorCount} indicators and the emulation titles your unit aims for.`,
        `Deadline: ${formatInstant(p.deadline, locale)}. Until then you can correct what you registered.`,
        'The link below is personal to your unit; please do not forward it.',
      ];

const registrationLabel = (locale: Locale): string =>
  locale === 'vi' ? 'Mở trang đăng ký thi đua' : 'Open the registration form';

function titleVoteDraft(p: EmailParams['title_vote_opened'], locale: Locale, reminder: boolean): Draft {
  const vi = locale === 'vi';
  return {
    subject: vi
      ? `[${p.campaignName}] ${reminder ? 'Nhắc bỏ phiếu' : 'Bỏ phiếu'} danh hiệu thi đua năm ${p.year}`
      : `[${p.campaignName}] ${reminder ? 'Reminder: vote' : 'Vote'} the emulation titles of ${p.year}`,
    lines: [
      vi ? `Kính gửi ${p.personName},` : `Dear ${p.personName},`,
      vi
        ? `Hội đồng Thi đua - Khen thưởng bỏ phiếu ${p.nominees} đề nghị danh hiệu thi đua năm ${p.year}.`
        : `The Emulation & Commendation Council votes ${p.nominees} emulation title nominations for ${p.year}.`,
      reminder
        ? vi
          ? 'Bạn chưa bỏ phiếu cho tất cả các đề nghị.'
          : 'You have not yet voted on every nomination.'
        : '',
      vi
        ? `Hạn bỏ phiếu: ${formatInstant(p.closesAt, locale)}.`
        : `Voting closes: ${formatInstant(p.closesAt, locale)}.`,
    ].filter((l) => l !== ''),
    link: { label: vi ? 'Mở phiếu bầu' : 'Open the ballot', href: p.url },
  };
}

const SIGN_IN_RENDERER: Renderer<'sign_in'> = (p, locale, link) => ({
  subject: locale === 'vi' ? 'Đường liên kết đăng nhập baocao' : 'Your baocao sign-in link',
  lines:
    locale === 'vi'
      ? [
          `Kính gửi ${p.personName},`,
          'Có yêu cầu đăng nhập vào trang quản lý baocao bằng địa chỉ thư này.',
          `Đường liên kết dưới đây chỉ dùng được một lần và hết hạn lúc ${formatInstant(p.expiresAt, locale)}.`,
          'Nếu không phải bạn yêu cầu, hãy bỏ qua thư này.',
        ]
      : [
          `Dear ${p.personName},`,
          'Someone asked to sign in to the baocao console with this address.',
          `The link below works once and expires at ${formatInstant(p.expiresAt, locale)}.`,
          'If it was not you, ignore this message.',
        ],
  link: { label: locale === 'vi' ? 'Đăng nhập' : 'Sign in', href: requireLink(link) },
});

export function renderEmail<K extends EmailKind>(
  kind: K,
  params: EmailParams[K],
  locale: Locale,
  link?: string,
): RenderedEmail {
  return finish((RENDERERS[kind] as Renderer<K>)(params, locale, link));
}
