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

/** The Vietnamese wording of a field rule's English wording (validators of units, CSV, templates, policies). */
export function problemVi(problem: string): string {
  const rules: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^must not be blank$/, () => 'không được để trống'],
    [/^must be an email address$/, () => 'phải là một địa chỉ thư điện tử'],
    [/^must be a name of (\d+) to (\d+) characters$/, (m) => `phải là một họ tên từ ${m[1]} đến ${m[2]} ký tự`],
    [/^must be at most (\d+) characters$/, (m) => `tối đa ${m[1]} ký tự`],
    [/^must be 1–64 letters, digits, "-" or "_"$/, () => 'chỉ gồm chữ, số, “-” hoặc “_”, tối đa 64 ký tự'],
    [/^must be true or false \(empty means true\)$/, () => 'phải là true hoặc false (để trống là true)'],
    [
      /^is required when a supervisor (name|email) is given \(give both or neither\)$/,
      () => 'bắt buộc khi đã có thông tin lãnh đạo phụ trách (điền cả hai hoặc để trống cả hai)',
    ],
    [/^starts with a formula character/, () => 'bắt đầu bằng ký tự công thức (=, +, -, @); hãy bỏ ký tự đó'],
    [/^contains a control character$/, () => 'chứa ký tự điều khiển'],
    [/^contains invalid Unicode$/, () => 'chứa ký tự Unicode không hợp lệ'],
    [
      /^contains an? invisible formatting character/,
      () => 'chứa ký tự định dạng ẩn (đảo chiều, độ rộng bằng 0); hãy xóa chúng',
    ],
    [
      /^"(.+)" already appears on line (\d+); each unit must appear once$/,
      (m) => `“${m[1]}” đã có ở dòng ${m[2]}; mỗi đơn vị chỉ xuất hiện một lần`,
    ],
    [/^column "(.+)" is missing$/, (m) => `thiếu cột “${m[1]}”`],
    [/^column "(.+)" is unknown/, (m) => `cột “${m[1]}” không hợp lệ`],
    [
      /^has (\d+) cells where the header has (\d+)/,
      (m) => `có ${m[1]} ô trong khi dòng tiêu đề có ${m[2]} (ô có dấu phẩy phải đặt trong ngoặc kép)`,
    ],
    [/^has no unit rows after the header$/, () => 'không có dòng đơn vị nào sau dòng tiêu đề'],
    [/^is not a calendar date/, () => 'không phải là một ngày hợp lệ (YYYY-MM-DD)'],
    [/^is required$/, () => 'bắt buộc phải điền'],
    [/^must be a number$/, () => 'phải là một số'],
    [/^must be between (\S+) and (\S+)$/, (m) => `phải nằm trong khoảng từ ${m[1]} đến ${m[2]}`],
    [/^is not an indicator of the template$/, () => 'không phải là chỉ tiêu của biểu mẫu'],
    [/^must be among /, () => 'phải là danh hiệu thi đua trong danh mục'],
    [/^names (\S+) twice$/, (m) => `chọn danh hiệu ${m[1]} hai lần`],
    [
      /^must be an instant before the deadline and after now$/,
      () => 'phải là thời điểm sau hiện tại và trước hạn đăng ký',
    ],
    [/^must list 1 to (\d+) units$/, (m) => `phải gồm từ 1 đến ${m[1]} đơn vị`],
    [/^must list 1 to (\d+) criteria$/, (m) => `phải gồm từ 1 đến ${m[1]} tiêu chí`],
    [
      /^"(.+)" appears twice; each criterion must appear once$/,
      (m) => `“${m[1]}” xuất hiện hai lần; mỗi tiêu chí chỉ một lần`,
    ],
    [/^must be a whole number of points from 1 to (\d+)$/, (m) => `phải là số điểm nguyên từ 1 đến ${m[1]}`],
    [/^must be one of (.+)$/, (m) => `phải là một trong các giá trị ${m[1]}`],
  ];
  for (const [re, to] of rules) {
    const m = re.exec(problem);
    if (m) return to(m);
  }
  return `không hợp lệ (${problem})`;
}

type Sentences<P> = { readonly en: (p: P) => string; readonly vi: (p: P) => string };
const refusal = <P = Record<string, never>>(s: Sentences<P>): Sentences<P> => s;

const CATALOG = {
  // The unit head's link and report.
  link_unknown: refusal({
    en: () =>
      'This link is not valid or has been replaced by a newer one. Use the most recent email, or ask for a fresh link.',
    vi: () =>
      'Đường liên kết không hợp lệ hoặc đã được thay bằng đường liên kết mới. Hãy dùng thư mới nhất, hoặc đề nghị gửi lại đường liên kết.',
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
    en: (p) =>
      `The reporting period closed on ${p.closedAt}; reports can no longer be submitted through this link. Contact the council secretariat.`,
    vi: (p) =>
      `Kỳ báo cáo đã khóa sổ lúc ${at(p.closedAt, 'vi')}; không thể nộp báo cáo qua đường liên kết này nữa. Vui lòng liên hệ Thường trực Hội đồng.`,
  }),
  revision_closed: refusal<{ closedAt: string }>({
    en: (p) =>
      `The revision round closed on ${p.closedAt}; your previous report stands. Contact the council secretariat.`,
    vi: (p) =>
      `Thời hạn chỉnh sửa đã kết thúc lúc ${at(p.closedAt, 'vi')}; báo cáo đã nộp trước đó được giữ nguyên. Vui lòng liên hệ Thường trực Hội đồng.`,
  }),
  report_kept_changing: refusal({
    en: () => 'The report could not be stored because the task kept changing; send it again.',
    vi: () => 'Chưa lưu được báo cáo vì nhiệm vụ vừa thay đổi; vui lòng gửi lại.',
  }),
  no_report_yet: refusal({
    en: () => 'No report has been submitted through this link yet.',
    vi: () => 'Chưa có báo cáo nào được nộp qua đường liên kết này.',
  }),
  draft_link_cannot_submit: refusal({
    en: () =>
      'This link only prepares the report: it saves drafts, and the unit head submits the report with their own link.',
    vi: () =>
      'Đường liên kết này chỉ dùng để soạn thảo: lưu nháp được, còn báo cáo do thủ trưởng đơn vị nộp bằng đường liên kết của mình.',
  }),
  draft_link_revoked: refusal({
    en: () => 'The unit head has withdrawn this drafting link. Ask them for a new one if you still prepare the report.',
    vi: () =>
      'Thủ trưởng đơn vị đã thu hồi đường liên kết soạn thảo này. Nếu bạn vẫn soạn báo cáo, hãy đề nghị thủ trưởng gửi đường liên kết mới.',
  }),
  draft_links_full: refusal<{ max: number }>({
    en: (p) => `A report can have at most ${p.max} drafting links at a time; withdraw one first.`,
    vi: (p) => `Mỗi báo cáo có tối đa ${p.max} đường liên kết soạn thảo cùng lúc; hãy thu hồi bớt một đường liên kết.`,
  }),
  draft_link_unknown: refusal<{ id: string }>({
    en: (p) => `Drafting link ${p.id} does not belong to this report or was already withdrawn.`,
    vi: (p) => `Đường liên kết soạn thảo ${p.id} không thuộc báo cáo này hoặc đã được thu hồi.`,
  }),
  no_previous_report: refusal({
    en: () => 'Your unit has no earlier report in this campaign to start from.',
    vi: () => 'Đơn vị chưa có báo cáo kỳ trước nào trong phong trào này để bắt đầu từ đó.',
  }),
  draft_not_empty: refusal({
    en: () =>
      "The form already holds a saved draft; starting from last month's answers would replace it. Clear the draft first, or edit it.",
    vi: () =>
      'Biểu mẫu đã có bản nháp được lưu; bắt đầu từ báo cáo tháng trước sẽ ghi đè bản nháp đó. Hãy sửa tiếp bản nháp hiện có.',
  }),
  invalid_report: refusal<{ problems: number; detail: string }>({
    en: (p) => `The report has ${p.problems} problem(s): ${p.detail}`,
    vi: (p) => `Báo cáo có ${p.problems} chỗ cần sửa; xem danh sách bên dưới.`,
  }),

  // Emulation registration (đăng ký thi đua).
  registration_closed: refusal<{ closedAt: string }>({
    en: (p) =>
      `Registration closed on ${p.closedAt}; targets and titles can no longer be registered or corrected through this link. Contact the council secretariat.`,
    vi: (p) =>
      `Việc đăng ký thi đua đã kết thúc lúc ${at(p.closedAt, 'vi')}; không thể đăng ký hoặc sửa chỉ tiêu, danh hiệu qua đường liên kết này nữa. Vui lòng liên hệ Thường trực Hội đồng.`,
  }),
  registration_round_unknown: refusal<{ campaign: string; year: number }>({
    en: (p) => `Campaign "${p.campaign}" has no registration round for ${p.year}.`,
    vi: (p) => `Chiến dịch "${p.campaign}" chưa có đợt đăng ký thi đua năm ${p.year}.`,
  }),
  registration_round_differs: refusal<{ campaign: string; year: number; deadline: string }>({
    en: (p) =>
      `The ${p.year} registration round of campaign "${p.campaign}" is already open with deadline ${p.deadline}; a round is opened once a year.`,
    vi: (p) =>
      `Đợt đăng ký thi đua năm ${p.year} của chiến dịch "${p.campaign}" đã được mở với hạn ${at(p.deadline, 'vi')}; mỗi năm chỉ mở một đợt.`,
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
    en: (p) =>
      `The ${p.period} cycle of campaign "${p.campaign}" has already been started (workflow ${p.workflowId}); it cannot be started twice.`,
    vi: (p) =>
      `Kỳ báo cáo ${p.period} của chiến dịch "${p.campaign}" đã được bắt đầu (workflow ${p.workflowId}); không thể bắt đầu lần thứ hai.`,
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
    vi: (p) =>
      `Kỳ báo cáo đang ở giai đoạn "${stageVi(p.stage)}"; thao tác này chỉ thực hiện được khi đang thu nhận báo cáo.`,
  }),
  collection_closed: refusal<{ closedAt: string }>({
    en: (p) => `Collection was closed at ${p.closedAt}; this can no longer be done.`,
    vi: (p) => `Việc thu nhận báo cáo đã kết thúc lúc ${at(p.closedAt, 'vi')}; không thể thực hiện thao tác này nữa.`,
  }),
  summary_window_invalid: refusal<{ window: string }>({
    en: (p) =>
      `Window "${p.window}" is not a summary window: write a year (2027), a quarter (2027-Q1), a half (2027-H1) or a range of at most 36 months (2027-01..2027-05).`,
    vi: (p) =>
      `Khoảng thời gian "${p.window}" không hợp lệ: hãy ghi một năm (2027), một quý (2027-Q1), sáu tháng (2027-H1) hoặc một khoảng tối đa 36 tháng (2027-01..2027-05).`,
  }),
  cut_off_invalid: refusal<{ period: string }>({
    en: (p) =>
      `"${p.period}" is not a quarterly cut-off: write the last month of a quarter (2027-03, 2027-06, 2027-09 or 2027-12).`,
    vi: (p) =>
      `"${p.period}" không phải kỳ chốt số liệu quý: hãy ghi tháng cuối của một quý (2027-03, 2027-06, 2027-09 hoặc 2027-12).`,
  }),
  unit_not_in_summary: refusal<{ unit: string; window: string }>({
    en: (p) => `Unit "${p.unit}" is in no approved monthly report of ${p.window}.`,
    vi: (p) => `Đơn vị "${p.unit}" không có trong báo cáo tháng nào đã được phê duyệt của ${p.window}.`,
  }),
  bloc_unknown: refusal<{ campaign: string; bloc: string }>({
    en: (p) => `Campaign "${p.campaign}" has no bloc "${p.bloc}".`,
    vi: (p) => `Chiến dịch "${p.campaign}" không có khối thi đua "${p.bloc}".`,
  }),
  window_outside_year: refusal<{ window: string; year: number }>({
    en: (p) => `Window "${p.window}" is not within the bloc's year ${p.year}.`,
    vi: (p) => `Khoảng thời gian "${p.window}" không thuộc năm ${p.year} của khối thi đua.`,
  }),
  criterion_unknown: refusal<{ criterion: string }>({
    en: (p) => `The scoring table has no criterion "${p.criterion}".`,
    vi: (p) => `Bảng chấm điểm không có tiêu chí "${p.criterion}".`,
  }),
  criterion_not_by_hand: refusal<{ criterion: string }>({
    en: (p) => `Criterion "${p.criterion}" is computed from the reports; only criteria scored by hand take points.`,
    vi: (p) => `Tiêu chí "${p.criterion}" được tính từ các báo cáo; chỉ tiêu chí do Hội đồng chấm mới được nhập điểm.`,
  }),
  hand_points_out_of_range: refusal<{ criterion: string; weight: number }>({
    en: (p) => `Points for "${p.criterion}" must be between 0 and ${p.weight}, with at most 2 decimals.`,
    vi: (p) => `Điểm của tiêu chí "${p.criterion}" phải từ 0 đến ${p.weight}, tối đa 2 chữ số thập phân.`,
  }),
  unit_not_in_bloc: refusal<{ unit: string; bloc: string }>({
    en: (p) => `Unit "${p.unit}" is not a member of bloc "${p.bloc}".`,
    vi: (p) => `Đơn vị "${p.unit}" không thuộc khối thi đua "${p.bloc}".`,
  }),
  ranking_frozen: refusal<{ bloc: string; window: string }>({
    en: (p) => `The ranking of bloc "${p.bloc}" over ${p.window} is frozen; its scores and table can no longer change.`,
    vi: (p) =>
      `Bảng xếp hạng của khối "${p.bloc}" (${p.window}) đã được chốt; không thể thay đổi điểm và bảng chấm điểm nữa.`,
  }),
  unit_not_in_cycle: refusal<{ unit: string }>({
    en: (p) => `Unit "${p.unit}" is not part of this cycle.`,
    vi: (p) => `Đơn vị "${p.unit}" không thuộc kỳ báo cáo này.`,
  }),
  unit_settled: refusal<{ unit: string; outcome: 'submitted' | 'not_submitted' }>({
    en: (p) =>
      `Unit "${p.unit}" has already ${p.outcome === 'submitted' ? 'submitted' : 'been closed as not submitted'}; its deadline can no longer move.`,
    vi: (p) =>
      `Đơn vị "${p.unit}" đã ${p.outcome === 'submitted' ? 'nộp báo cáo' : 'bị ghi nhận là không nộp'}; không thể gia hạn nữa.`,
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
  // Official documents.
  pdf_renderer_unavailable: refusal({
    en: () => 'PDF is not available: this server has no document renderer (LibreOffice). The DOCX download works.',
    vi: () => 'Chưa tạo được PDF: máy chủ chưa cài bộ chuyển đổi văn bản (LibreOffice). Bản DOCX vẫn tải được.',
  }),
  no_approved_proposals: refusal({
    en: () => 'The council has approved no commendation proposal in this cycle; there is no decision to draft.',
    vi: () => 'Hội đồng chưa tán thành đề nghị khen thưởng nào trong kỳ báo cáo này nên chưa có quyết định để dự thảo.',
  }),
  // The council.
  not_in_review: refusal<{ stage: string }>({
    en: (p) => `The cycle is in stage "${p.stage}"; ballots are taken only during the council's review.`,
    vi: (p) => `Kỳ báo cáo đang ở giai đoạn "${stageVi(p.stage)}"; chỉ bỏ phiếu được khi Hội đồng đang xem xét.`,
  }),
  version_not_under_review: refusal<{ version: number; reviewing: number | null }>({
    en: (p) => `Version ${p.version} is not under review; the council is reviewing version ${p.reviewing ?? '(none)'}.`,
    vi: (p) =>
      `Phiên bản ${p.version} không phải phiên bản đang được xem xét; Hội đồng đang xem xét phiên bản ${p.reviewing ?? '(chưa có)'}.`,
  }),
  units_not_in_cycle: refusal<{ units: readonly string[] }>({
    en: (p) => `Not units of this cycle: ${p.units.join(', ')}.`,
    vi: (p) => `Không phải đơn vị của kỳ báo cáo này: ${p.units.join(', ')}.`,
  }),
  units_submitted_nothing: refusal<{ units: readonly string[] }>({
    en: (p) => `These units submitted nothing to revise: ${p.units.join(', ')}.`,
    vi: (p) => `Các đơn vị sau không nộp báo cáo nên không có gì để chỉnh sửa: ${p.units.join(', ')}.`,
  }),
  proposal_unknown: refusal<{ proposalId: string; version: number }>({
    en: (p) => `Proposal "${p.proposalId}" is not in version ${p.version}.`,
    vi: (p) => `Đề nghị "${p.proposalId}" không có trong phiên bản ${p.version}.`,
  }),
  already_voted: refusal<{ proposalId: string | null; version: number }>({
    en: (p) =>
      `You have already voted on ${p.proposalId === null ? 'the report' : `proposal "${p.proposalId}"`} (version ${p.version}); a member votes once.`,
    vi: (p) =>
      `Bạn đã bỏ phiếu về ${p.proposalId === null ? 'báo cáo' : `đề nghị "${p.proposalId}"`} (phiên bản ${p.version}); mỗi thành viên chỉ bỏ phiếu một lần.`,
  }),
  version_not_consolidated: refusal<{ version: number }>({
    en: (p) => `Version ${p.version} has not been consolidated.`,
    vi: (p) => `Phiên bản ${p.version} chưa được tổng hợp.`,
  }),
  unit_codes_only_for_revision: refusal({
    en: () => 'unitCodes is only for request_revision.',
    vi: () => 'Chỉ nêu đơn vị khi đề nghị chỉnh sửa.',
  }),
  revision_needs_units: refusal({
    en: () => 'request_revision must name the units to send back in unitCodes.',
    vi: () => 'Đề nghị chỉnh sửa phải nêu các đơn vị cần trả lại.',
  }),
  not_reporting_to_you: refusal<{ unit: string }>({
    en: (p) => `Unit "${p.unit}" does not report to your unit in this cycle.`,
    vi: (p) => `Đơn vị "${p.unit}" không báo cáo lên đơn vị của anh/chị trong kỳ này.`,
  }),
  not_yet_reported: refusal<{ unit: string }>({
    en: (p) => `Unit "${p.unit}" has not handed in a report to send back.`,
    vi: (p) => `Đơn vị "${p.unit}" chưa nộp báo cáo nên chưa thể trả lại.`,
  }),
  nothing_reports_here: refusal({
    en: () => 'No unit reports to yours in this cycle.',
    vi: () => 'Trong kỳ này không có đơn vị nào báo cáo lên đơn vị của anh/chị.',
  }),
  already_reported_up: refusal({
    en: () => 'Your unit has already reported up: its units can no longer be sent back in this cycle.',
    vi: () => 'Đơn vị đã gửi báo cáo lên cấp trên: không thể trả lại báo cáo của đơn vị cấp dưới trong kỳ này nữa.',
  }),
  revision_needs_comment: refusal({
    en: () => 'request_revision needs a comment telling the units what to revise.',
    vi: () => 'Đề nghị chỉnh sửa cần có ý kiến cho đơn vị biết phải chỉnh sửa gì.',
  }),

  // Reference data.
  unit_unknown: refusal<{ unit: string }>({
    en: (p) => `There is no unit with code "${p.unit}".`,
    vi: (p) => `Không có đơn vị mã "${p.unit}".`,
  }),
  parent_is_self: refusal({
    en: () => 'parentCode must name another unit, not the unit itself.',
    vi: () => 'Đơn vị cấp trên phải là một đơn vị khác, không phải chính đơn vị này.',
  }),
  parent_unknown: refusal<{ parent: string }>({
    en: (p) => `There is no unit with code "${p.parent}" to report up to.`,
    vi: (p) => `Không có đơn vị mã "${p.parent}" để làm đơn vị cấp trên.`,
  }),
  parent_cycle: refusal<{ parent: string; unit: string }>({
    en: (p) =>
      `parentCode "${p.parent}" reports (directly or not) to "${p.unit}": a unit cannot report to its own subordinate.`,
    vi: (p) =>
      `Đơn vị "${p.parent}" là cấp dưới (trực tiếp hoặc gián tiếp) của "${p.unit}": một đơn vị không thể báo cáo lên cấp dưới của mình.`,
  }),
  template_code_unknown: refusal<{ template: string }>({
    en: (p) => `There is no template with code "${p.template}".`,
    vi: (p) => `Không có biểu mẫu mã "${p.template}".`,
  }),
  template_version_unknown: refusal<{ template: string; version: number; latest: number }>({
    en: (p) => `Template "${p.template}" has no version ${p.version}; its versions are 1 to ${p.latest}.`,
    vi: (p) => `Biểu mẫu "${p.template}" không có phiên bản ${p.version}; các phiên bản hiện có từ 1 đến ${p.latest}.`,
  }),
  policy_unknown: refusal<{ policy: string }>({
    en: (p) => `There is no policy with code "${p.policy}".`,
    vi: (p) => `Không có chính sách mã "${p.policy}".`,
  }),
  holiday_unknown: refusal<{ date: string }>({
    en: (p) => `${p.date} is not in the holiday calendar.`,
    vi: (p) => `Ngày ${p.date} không có trong lịch nghỉ lễ.`,
  }),
  no_dispatch_day: refusal({
    en: () => "This campaign's policy has no dispatch day; give dayOfMonth.",
    vi: () => 'Chính sách của chiến dịch không có ngày gửi yêu cầu; hãy nêu ngày trong tháng.',
  }),
  no_dispatch_time: refusal({
    en: () => "This campaign's policy has no dispatch time; give time.",
    vi: () => 'Chính sách của chiến dịch không có giờ gửi yêu cầu; hãy nêu giờ.',
  }),
  already_exists: refusal<{ kind: 'unit' | 'campaign' | 'policy' | 'holiday' | 'bloc'; key: string }>({
    en: (p) =>
      p.kind === 'holiday'
        ? `${p.key} is already a holiday; remove it first to rename it.`
        : `A ${p.kind} with code "${p.key}" already exists; choose another code or update that ${p.kind}.`,
    vi: (p) =>
      p.kind === 'holiday'
        ? `Ngày ${p.key} đã có trong lịch nghỉ lễ; hãy xóa trước khi đổi tên.`
        : `Đã có ${({ unit: 'đơn vị', campaign: 'chiến dịch', policy: 'chính sách', bloc: 'khối thi đua' } as const)[p.kind]} mã "${p.key}"; hãy chọn mã khác hoặc sửa bản ghi đó.`,
  }),
  written_meanwhile: refusal({
    en: () => 'Another request changed the same records at the same moment; nothing was saved. Send it again.',
    vi: () => 'Một yêu cầu khác vừa thay đổi cùng dữ liệu; chưa có gì được lưu. Vui lòng gửi lại.',
  }),
  /** A field's value breaks a rule; `problem` is the rule's English wording (see `problemVi`). */
  field_invalid: refusal<{ field: string; problem: string }>({
    en: (p) => `${p.field} ${p.problem}.`,
    vi: (p) => `${p.field}: ${problemVi(p.problem)}.`,
  }),
  form_field_unknown: refusal<{ name: string }>({
    en: (p) => `The form field "${p.name}" is not part of this report's form.`,
    vi: (p) => `Trường "${p.name}" không thuộc biểu mẫu báo cáo này.`,
  }),
  form_action_unknown: refusal({
    en: () => "The form's action is not one this page offers.",
    vi: () => 'Thao tác gửi lên không có trên trang này.',
  }),

  // Access.
  token_missing: refusal({
    en: () =>
      'Send your personal API token as "Authorization: Bearer <token>" (create one with `npm run token:create`).',
    vi: () =>
      'Hãy gửi mã truy cập cá nhân trong tiêu đề "Authorization: Bearer <mã>" (tạo mã bằng `npm run token:create`).',
  }),
  token_invalid: refusal({
    en: () => 'This API token is unknown, revoked or expired.',
    vi: () => 'Mã truy cập không tồn tại, đã bị thu hồi hoặc đã hết hạn.',
  }),
  role_forbidden: refusal<{ role: string; roles: readonly string[] }>({
    en: (p) => `The role "${p.role}" may not do this; it needs: ${p.roles.join(' or ')}.`,
    vi: (p) => `Vai trò "${p.role}" không được thực hiện việc này; cần vai trò: ${p.roles.join(' hoặc ')}.`,
  }),
  api_token_unknown: refusal<{ id: number }>({
    en: (p) => `There is no API token ${p.id}.`,
    vi: (p) => `Không có mã truy cập số ${p.id}.`,
  }),
  session_unknown: refusal<{ id: number | string }>({
    en: (p) => `There is no open session ${p.id}.`,
    vi: (p) => `Không có phiên đăng nhập đang mở số ${p.id}.`,
  }),
  person_unknown: refusal<{ id: number | string }>({
    en: (p) => `There is no person ${p.id}.`,
    vi: (p) => `Không có người dùng ${p.id}.`,
  }),
  email_taken: refusal<{ email: string }>({
    en: (p) => `Someone already has the email ${p.email}.`,
    vi: (p) => `Địa chỉ thư ${p.email} đã thuộc về một người khác.`,
  }),
  person_disabled: refusal<{ id: number }>({
    en: (p) => `Person ${p.id} is disabled.`,
    vi: (p) => `Người dùng số ${p.id} đã bị khoá.`,
  }),
  role_not_held: refusal<{ role: string }>({
    en: (p) => `This person does not hold the role "${p.role}".`,
    vi: (p) => `Người này không giữ vai trò "${p.role}".`,
  }),
  scope_forbidden: refusal<{ what: string }>({
    en: (p) => `This is outside your scope (${p.what}).`,
    vi: (p) => `Việc này nằm ngoài phạm vi được giao cho bạn (${p.what}).`,
  }),
  not_on_council: refusal<{ version: number }>({
    en: (p) => `You are not on this campaign's council for the review of version ${p.version}.`,
    vi: (p) => `Bạn không thuộc Hội đồng của chiến dịch này khi xem xét phiên bản ${p.version}.`,
  }),
  title_vote_unknown: refusal<{ campaign: string; year: number }>({
    en: (p) => `Campaign "${p.campaign}" has no title vote for ${p.year}.`,
    vi: (p) => `Chiến dịch "${p.campaign}" chưa có cuộc bỏ phiếu danh hiệu thi đua năm ${p.year}.`,
  }),
  title_vote_exists: refusal<{ campaign: string; year: number }>({
    en: (p) => `Campaign "${p.campaign}" already has a title vote for ${p.year}.`,
    vi: (p) => `Chiến dịch "${p.campaign}" đã có cuộc bỏ phiếu danh hiệu thi đua năm ${p.year}.`,
  }),
  title_vote_closed: refusal<{ year: number; closedAt: string | null }>({
    en: (p) => `The title vote of ${p.year} is closed${p.closedAt ? ` (since ${p.closedAt})` : ''}.`,
    vi: (p) =>
      `Cuộc bỏ phiếu danh hiệu thi đua năm ${p.year} đã kết thúc${p.closedAt ? ` (từ ${at(p.closedAt, 'vi')})` : ''}.`,
  }),
  title_vote_council_empty: refusal<{ campaign: string }>({
    en: (p) => `Campaign "${p.campaign}" has no council member to vote.`,
    vi: (p) => `Chiến dịch "${p.campaign}" chưa có thành viên Hội đồng nào để bỏ phiếu.`,
  }),
  not_on_title_roll: refusal<{ year: number }>({
    en: (p) => `This person was not on the council when the title vote of ${p.year} opened.`,
    vi: (p) => `Người này không thuộc Hội đồng khi mở cuộc bỏ phiếu danh hiệu thi đua năm ${p.year}.`,
  }),
  not_title_vote_secretary: refusal<{ year: number }>({
    en: (p) => `Only an administrator or the council's secretary may do this for the title vote of ${p.year}.`,
    vi: (p) =>
      `Chỉ quản trị viên hoặc Thư ký Hội đồng được thực hiện việc này đối với cuộc bỏ phiếu danh hiệu năm ${p.year}.`,
  }),
  nominee_unknown: refusal<{ nominee: number; year: number }>({
    en: (p) => `Nominee ${p.nominee} is not in the title vote of ${p.year}.`,
    vi: (p) => `Đề nghị số ${p.nominee} không có trong cuộc bỏ phiếu danh hiệu năm ${p.year}.`,
  }),
  nominee_twice: refusal<{ unitCode: string; title: string }>({
    en: (p) => `Unit "${p.unitCode}" is proposed for "${p.title}" twice.`,
    vi: (p) => `Đơn vị "${p.unitCode}" được đề nghị danh hiệu "${p.title}" hai lần.`,
  }),
  unit_not_in_campaign: refusal<{ unit: string; campaign: string }>({
    en: (p) => `Unit "${p.unit}" is not in the tree of campaign "${p.campaign}".`,
    vi: (p) => `Đơn vị "${p.unit}" không thuộc phạm vi chiến dịch "${p.campaign}".`,
  }),
  member_took_part: refusal<{ member: string }>({
    en: (p) => `${p.member} has voted in this round: a written opinion is for an absent member.`,
    vi: (p) =>
      `${p.member} đã trực tiếp bỏ phiếu trong cuộc bỏ phiếu này: ý kiến bằng văn bản chỉ dành cho thành viên vắng mặt.`,
  }),
  title_already_voted: refusal<{ nominee: number }>({
    en: (p) => `A choice on nominee ${p.nominee} is already recorded for this member; a member votes once.`,
    vi: (p) => `Thành viên này đã có phiếu về đề nghị số ${p.nominee}; mỗi thành viên chỉ bỏ phiếu một lần.`,
  }),
  closing_time_past: refusal<{ closesAt: string }>({
    en: (p) => `The closing time ${p.closesAt} has already passed.`,
    vi: (p) => `Thời điểm kết thúc ${at(p.closesAt, 'vi')} đã qua.`,
  }),

  unexpected_failure: refusal<{ message: string }>({
    en: (p) => p.message,
    vi: () => 'Không thực hiện được do lỗi ngoài dự kiến; vui lòng thử lại sau ít phút.',
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
