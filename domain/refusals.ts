/**
 * Every refusal a person can meet, as a code with parameters, and its sentence in each language.
 * Domain errors carry a refusal (domain/errors.ts); pages show `refusalText(r, lang)`, the JSON
 * API answers the English sentence with the code. Pure: imported by workflows.
 */
import type { Locale } from './template';

const TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** "20/11/2026 17:00" in Vietnam's time; ISO in English (what the JSON API has always said). */
const at = (iso: string, lang: Locale): string =>
  lang === 'en'
    ? iso
    : new Intl.DateTimeFormat('vi-VN', {
        timeZone: TIME_ZONE,
        day: '2-digit',
        month: '2-digit',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      }).format(new Date(iso));

const quoted = (xs: readonly string[]): string => xs.map((x) => `"${x}"`).join(', ');

const STAGE_VI: Readonly<Record<string, string>> = {
  collecting: 'thu nhận báo cáo',
  consolidating: 'tổng hợp',
  review: 'Hội đồng xem xét',
  revision: 'chỉnh sửa theo yêu cầu',
  publishing: 'công bố',
  closed: 'đã kết thúc',
  cancelled: 'đã hủy',
};
const stageVi = (stage: string): string => STAGE_VI[stage] ?? stage;

type Sentences<P> = { readonly en: (p: P) => string; readonly vi: (p: P) => string };
const refusal = <P = Record<string, never>>(s: Sentences<P>): Sentences<P> => s;

const CATALOG = {
  // The unit head's link and report.
  link_unknown: refusal({
    en: () => 'This link is not valid or has been replaced by a newer one. Use the most recent email, or ask for a fresh link.',
    vi: () => 'Đường liên kết không hợp lệ hoặc đã được thay bằng đường liên kết mới. Hãy dùng thư mới nhất, hoặc đề nghị gửi lại đường liên kết.',
  }),
  link_malformed: refusal({
    en: () => 'This link is not valid. Check that it was copied completely from the email.',
    vi: () => 'Đường liên kết không hợp lệ. Hãy kiểm tra đã sao chép đầy đủ từ thư.',
  }),
  cycle_cancelled: refusal({
    en: () => 'This reporting cycle was cancelled; nothing needs to be submitted.',
    vi: () => 'Kỳ báo cáo này đã bị hủy; không cần nộp báo cáo.',
  }),
  report_already_submitted: refusal({
    en: () => 'Your report has already been submitted; the council has not asked for a revision.',
    vi: () => 'Báo cáo của đơn vị đã được nộp; Hội đồng không yêu cầu chỉnh sửa.',
  }),
  reporting_closed: refusal<{ closedAt: string }>({
    en: (p) => `The reporting period closed on ${p.closedAt}; reports can no longer be submitted through this link. Contact the council secretariat.`,
    vi: (p) => `Kỳ báo cáo đã khóa sổ lúc ${at(p.closedAt, 'vi')}; không thể nộp báo cáo qua đường liên kết này nữa. Vui lòng liên hệ Thường trực Hội đồng.`,
  }),
  revision_closed: refusal<{ closedAt: string }>({
    en: (p) => `The revision round closed on ${p.closedAt}; your previous report stands. Contact the council secretariat.`,
    vi: (p) => `Thời hạn chỉnh sửa đã kết thúc lúc ${at(p.closedAt, 'vi')}; báo cáo đã nộp trước đó được giữ nguyên. Vui lòng liên hệ Thường trực Hội đồng.`,
  }),
  report_kept_changing: refusal({
    en: () => 'The report could not be stored because the task kept changing; send it again.',
    vi: () => 'Chưa lưu được báo cáo vì nhiệm vụ vừa thay đổi; vui lòng gửi lại.',
  }),
  no_report_yet: refusal({
    en: () => 'No report has been submitted through this link yet.',
    vi: () => 'Chưa có báo cáo nào được nộp qua đường liên kết này.',
  }),
  invalid_report: refusal<{ problems: number; detail: string }>({
    en: (p) => `The report has ${p.problems} problem(s): ${p.detail}`,
    vi: (p) => `Báo cáo có ${p.problems} chỗ cần sửa; xem danh sách bên dưới.`,
  }),

  // Starting and running a cycle.
  period_malformed: refusal<{ period: string }>({
    en: (p) => `Period "${p.period}" must be a month written YYYY-MM.`,
    vi: (p) => `Kỳ báo cáo "${p.period}" phải là một tháng, viết theo dạng YYYY-MM (ví dụ 2026-11).`,
  }),
  campaign_unknown: refusal<{ campaign: string }>({
    en: (p) => `Campaign "${p.campaign}" does not exist.`,
    vi: (p) => `Không có chiến dịch "${p.campaign}".`,
  }),
  campaign_inactive: refusal<{ campaign: string }>({
    en: (p) => `Campaign "${p.campaign}" is not active.`,
    vi: (p) => `Chiến dịch "${p.campaign}" đang không hoạt động.`,
  }),
  campaign_no_schedule: refusal<{ campaign: string }>({
    en: (p) => `Campaign "${p.campaign}" has no schedule yet.`,
    vi: (p) => `Chiến dịch "${p.campaign}" chưa có lịch tự động.`,
  }),
  template_unknown: refusal<{ template: string }>({
    en: (p) => `Template "${p.template}" has no version.`,
    vi: (p) => `Biểu mẫu "${p.template}" chưa có phiên bản nào.`,
  }),
  units_inactive_or_unknown: refusal<{ units: readonly string[] }>({
    en: (p) => `No active unit with code ${quoted(p.units)}.`,
    vi: (p) => `Không có đơn vị đang hoạt động với mã ${quoted(p.units)}.`,
  }),
  no_active_unit: refusal({
    en: () => 'There is no active unit to report; add units first.',
    vi: () => 'Chưa có đơn vị nào đang hoạt động để báo cáo; hãy thêm đơn vị trước.',
  }),
  cycle_already_started: refusal<{ campaign: string; period: string; workflowId: string }>({
    en: (p) => `The ${p.period} cycle of campaign "${p.campaign}" has already been started (workflow ${p.workflowId}); it cannot be started twice.`,
    vi: (p) => `Kỳ báo cáo ${p.period} của chiến dịch "${p.campaign}" đã được bắt đầu (workflow ${p.workflowId}); không thể bắt đầu lần thứ hai.`,
  }),
  cycle_unknown: refusal<{ campaign: string; period: string }>({
    en: (p) => `There is no ${p.period} cycle for campaign "${p.campaign}".`,
    vi: (p) => `Chiến dịch "${p.campaign}" không có kỳ báo cáo ${p.period}.`,
  }),
  cycle_opening: refusal({
    en: () => 'The cycle is still opening; try again in a few seconds.',
    vi: () => 'Kỳ báo cáo đang được khởi tạo; vui lòng thử lại sau vài giây.',
  }),
  cycle_ended: refusal({
    en: () => 'The cycle has ended; this can no longer be done.',
    vi: () => 'Kỳ báo cáo đã kết thúc; không thể thực hiện thao tác này nữa.',
  }),
  cycle_already_ended: refusal<{ stage: string }>({
    en: (p) => `The cycle is already ${p.stage}.`,
    vi: (p) => `Kỳ báo cáo đã ở trạng thái "${stageVi(p.stage)}".`,
  }),
  not_collecting: refusal<{ stage: string }>({
    en: (p) => `The cycle is in stage "${p.stage}"; this can only be done while reports are being collected.`,
    vi: (p) => `Kỳ báo cáo đang ở giai đoạn "${stageVi(p.stage)}"; thao tác này chỉ thực hiện được khi đang thu nhận báo cáo.`,
  }),
  collection_closed: refusal<{ closedAt: string }>({
    en: (p) => `Collection was closed at ${p.closedAt}; this can no longer be done.`,
    vi: (p) => `Việc thu nhận báo cáo đã kết thúc lúc ${at(p.closedAt, 'vi')}; không thể thực hiện thao tác này nữa.`,
  }),
  unit_not_in_cycle: refusal<{ unit: string }>({
    en: (p) => `Unit "${p.unit}" is not part of this cycle.`,
    vi: (p) => `Đơn vị "${p.unit}" không thuộc kỳ báo cáo này.`,
  }),
  unit_settled: refusal<{ unit: string; outcome: 'submitted' | 'not_submitted' }>({
    en: (p) => `Unit "${p.unit}" has already ${p.outcome === 'submitted' ? 'submitted' : 'been closed as not submitted'}; its deadline can no longer move.`,
    vi: (p) => `Đơn vị "${p.unit}" đã ${p.outcome === 'submitted' ? 'nộp báo cáo' : 'bị ghi nhận là không nộp'}; không thể gia hạn nữa.`,
  }),
  deadline_not_a_date: refusal({
    en: () => 'The new deadline is not a date and time.',
    vi: () => 'Hạn nộp mới không phải là một ngày giờ hợp lệ.',
  }),
  deadline_in_past: refusal({
    en: () => 'The new deadline must be in the future.',
    vi: () => 'Hạn nộp mới phải ở thời điểm sau hiện tại.',
  }),
  link_not_open: refusal<{ unit: string }>({
    en: (p) => `Unit "${p.unit}" is not waiting for a report; there is no link to re-send.`,
    vi: (p) => `Đơn vị "${p.unit}" không còn phải nộp báo cáo; không có đường liên kết để gửi lại.`,
  }),
  unit_has_no_task: refusal<{ unit: string }>({
    en: (p) => `Unit "${p.unit}" has no task in this cycle.`,
    vi: (p) => `Đơn vị "${p.unit}" không có nhiệm vụ trong kỳ báo cáo này.`,
  }),
  no_archived_history: refusal<{ workflowId: string }>({
    en: (p) => `No archived history for workflow "${p.workflowId}" in this cycle.`,
    vi: (p) => `Không có lịch sử lưu trữ của workflow "${p.workflowId}" trong kỳ báo cáo này.`,
  }),
  version_unknown: refusal<{ version: number }>({
    en: (p) => `There is no consolidated version ${p.version} of this cycle.`,
    vi: (p) => `Kỳ báo cáo không có bản tổng hợp phiên bản ${p.version}.`,
  }),
  no_consolidation_yet: refusal({
    en: () => 'This cycle has no consolidated report yet.',
    vi: () => 'Kỳ báo cáo chưa có bản tổng hợp.',
  }),
  record_missing: refusal<{ what: string; id: number | string }>({
    en: (p) => `${p.what} ${p.id} does not exist.`,
    vi: (p) => `Không tìm thấy bản ghi (${p.what} ${p.id}).`,
  }),
} as const;

export type RefusalCode = keyof typeof CATALOG;
export type RefusalParams<C extends RefusalCode> = Parameters<(typeof CATALOG)[C]['en']>[0];

/** A refusal: its code and parameters (the sentence is made in the reader's language). */
export type Refusal = { [C in RefusalCode]: { readonly code: C; readonly params: RefusalParams<C> } }[RefusalCode];

export const REFUSAL_CODES = Object.keys(CATALOG) as readonly RefusalCode[];

export function refusalText(refusal: Refusal, lang: Locale): string {
  const sentences = CATALOG[refusal.code] as Sentences<unknown>;
  return sentences[lang](refusal.params);
}

/** Tells whether a value received from elsewhere (a workflow failure's details) is a refusal. */
export function isRefusal(value: unknown): value is Refusal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    Object.hasOwn(CATALOG, (value as { code: string }).code) &&
    typeof (value as { params?: unknown }).params === 'object'
  );
}
