/**
 * Set-up without JSON: campaigns (create, edit), policies (calendar or relative timing,
 * reminders, escalations, quorum and threshold, with a preview of the next cycle's dates from the
 * real calendar and holidays) and holidays (a year's list, add, remove, import lines of CSV).
 */
import type { CampaignView } from '../../services/admin-campaigns.service';
import type { HolidayView } from '../../services/admin-holidays.service';
import type { PolicyView } from '../../services/admin-policies.service';
import type { CalendarTiming, CyclePolicy, RelativeTiming } from '../../../domain/policy';
import type { CyclePlan } from '../../../domain/calendar';
import { DEFAULT_POLICY } from '../../../domain/policy';
import { EMULATION_TITLES, EMULATION_TITLE_NAMES } from '../../../domain/emulation-titles';
import { TIE_OUTCOMES, TITLE_VOTE_BASES, TITLE_VOTE_COMPARISONS, titleVoteRules } from '../../../domain/title-vote';
import { html, type Html } from '../../pages/html';
import { formatShort } from '../../pages/i18n';
import { consolePage, csrfField, flash, type ConsoleView } from './layout';

const T = {
  vi: {
    title: 'Thiết lập',
    campaigns: 'Chiến dịch',
    policies: 'Chính sách kỳ báo cáo',
    holidays: 'Ngày nghỉ lễ',
    code: 'Mã',
    name: 'Tên',
    template: 'Mẫu báo cáo',
    policy: 'Chính sách',
    active: 'Đang hoạt động',
    root: 'Mã đơn vị gốc của cây tham gia (để trống: mọi đơn vị)',
    councilLink: 'Hội đồng của từng chiến dịch (chủ tịch, phó chủ tịch, ủy viên, thư ký) được xếp ở trang',
    create: 'Tạo',
    save: 'Lưu',
    preview: 'Xem trước lịch kỳ tới',
    newCampaign: 'Tạo chiến dịch',
    newPolicy: 'Tạo hoặc sửa chính sách',
    edit: 'Sửa',
    kind: 'Cách tính thời gian',
    kinds: { calendar: 'Theo lịch tháng (ngày làm việc, ngày lễ)', relative: 'Tương đối, tính bằng giây (thử nghiệm)' },
    timeZone: 'Múi giờ',
    dispatchDay: 'Ngày gửi yêu cầu trong tháng',
    dispatchTime: 'Giờ gửi',
    deadlineDay: 'Ngày hạn nộp',
    deadlineTime: 'Giờ hạn nộp',
    reminderDaysBefore: 'Nhắc trước hạn (số ngày, cách nhau bằng dấu phẩy)',
    reminderTime: 'Giờ nhắc',
    escalation1: 'Báo cấp trên sau hạn (ngày làm việc)',
    escalation2: 'Báo Thường trực Hội đồng sau hạn (ngày làm việc)',
    hardClose: 'Khoá nhận báo cáo sau hạn (ngày làm việc)',
    reviewDays: 'Thời gian Hội đồng xem xét (ngày làm việc)',
    revisionDays: 'Thời gian đơn vị sửa báo cáo (ngày làm việc)',
    deadlineAfterSeconds: 'Hạn nộp sau khi bắt đầu (giây)',
    reminderSecondsBefore: 'Nhắc trước hạn (giây, cách nhau bằng dấu phẩy)',
    escalation1s: 'Báo cấp trên sau hạn (giây)',
    escalation2s: 'Báo Thường trực sau hạn (giây)',
    hardCloseS: 'Khoá nhận sau hạn (giây)',
    reviewS: 'Thời gian xem xét (giây)',
    revisionS: 'Thời gian sửa (giây)',
    maxReminders: 'Số lần nhắc tối đa',
    quorum: 'Số đại biểu tối thiểu (tử số / mẫu số)',
    threshold: 'Tỷ lệ tán thành phải vượt (tử số / mẫu số)',
    numerator: 'tử số',
    quorumShort: 'Túc số',
    thresholdShort: 'Tỷ lệ tán thành',
    denominator: 'mẫu số',
    secret: 'Bỏ phiếu kín',
    titleVotes: 'Bỏ phiếu danh hiệu thi đua (từng danh hiệu)',
    tvThreshold: 'Tỷ lệ tán thành',
    tvBase: 'Tính trên',
    tvComparison: 'So sánh',
    tvQuorum: 'Số thành viên tham gia tối thiểu',
    tvSecret: 'Bỏ phiếu kín',
    tvWritten: 'Tính ý kiến bằng văn bản của thành viên vắng mặt',
    tvTie: 'Khi số phiếu tán thành bằng số phiếu không tán thành',
    planFor: 'Lịch dự kiến của kỳ',
    dataRange: 'Số liệu từ',
    deadline: 'Hạn nộp',
    reminders: 'Nhắc',
    escalations: 'Báo cáo chậm',
    hardCloseAt: 'Khoá nhận',
    year: 'Năm',
    show: 'Xem',
    date: 'Ngày (YYYY-MM-DD)',
    add: 'Thêm',
    remove: 'Bỏ',
    csv: 'Nhập nhiều ngày: mỗi dòng “YYYY-MM-DD,Tên ngày lễ”',
    import: 'Nhập',
    none: 'Không có.',
    ok: 'Đã lưu.',
  },
  en: {
    title: 'Set-up',
    campaigns: 'Campaigns',
    policies: 'Cycle policies',
    holidays: 'Public holidays',
    code: 'Code',
    name: 'Name',
    template: 'Report template',
    policy: 'Policy',
    active: 'Active',
    root: 'Code of the unit at the root of the taking-part tree (empty: every unit)',
    councilLink: "Each campaign's council (chair, vice-chair, members, secretary) is seated on the page",
    create: 'Create',
    save: 'Save',
    preview: "Preview the next cycle's dates",
    newCampaign: 'Create a campaign',
    newPolicy: 'Create or edit a policy',
    edit: 'Edit',
    kind: 'Timing',
    kinds: { calendar: 'Monthly calendar (working days, holidays)', relative: 'Relative, in seconds (trials)' },
    timeZone: 'Time zone',
    dispatchDay: 'Dispatch day of the month',
    dispatchTime: 'Dispatch time',
    deadlineDay: 'Deadline day',
    deadlineTime: 'Deadline time',
    reminderDaysBefore: 'Reminders before the deadline (days, comma-separated)',
    reminderTime: 'Reminder time',
    escalation1: 'Tell the supervisor after the deadline (working days)',
    escalation2: 'Tell the secretariat after the deadline (working days)',
    hardClose: 'Stop accepting reports after the deadline (working days)',
    reviewDays: "Council's review (working days)",
    revisionDays: 'Revision by units (working days)',
    deadlineAfterSeconds: 'Deadline after the start (seconds)',
    reminderSecondsBefore: 'Reminders before the deadline (seconds, comma-separated)',
    escalation1s: 'Tell the supervisor after the deadline (seconds)',
    escalation2s: 'Tell the secretariat after the deadline (seconds)',
    hardCloseS: 'Stop accepting after the deadline (seconds)',
    reviewS: 'Review window (seconds)',
    revisionS: 'Revision window (seconds)',
    maxReminders: 'Most reminders',
    quorum: 'Quorum (numerator / denominator)',
    threshold: 'Approval must exceed (numerator / denominator)',
    numerator: 'numerator',
    quorumShort: 'Quorum',
    thresholdShort: 'Approval',
    denominator: 'denominator',
    secret: 'Secret ballots',
    titleVotes: 'Title votes (per emulation title)',
    tvThreshold: 'Share that must agree',
    tvBase: 'Share of',
    tvComparison: 'Comparison',
    tvQuorum: 'Quorum (share of all members)',
    tvSecret: 'Secret ballot',
    tvWritten: 'Count written opinions of absent members',
    tvTie: 'When as many agree as disagree',
    planFor: 'Planned dates of the cycle',
    dataRange: 'Data from',
    deadline: 'Deadline',
    reminders: 'Reminders',
    escalations: 'Escalations',
    hardCloseAt: 'Closes',
    year: 'Year',
    show: 'Show',
    date: 'Date (YYYY-MM-DD)',
    add: 'Add',
    remove: 'Remove',
    csv: 'Import several: one “YYYY-MM-DD,Holiday name” per line',
    import: 'Import',
    none: 'None.',
    ok: 'Saved.',
  },
} as const;

type Lang = keyof typeof T;

const input = (id: string, name: string, label: string, value: string | number, attrs: Html | '' = '') =>
  html`<label for="${id}">${label}</label><input id="${id}" name="${name}" value="${String(value)}"${attrs}>`;

const choices = (id: string, name: string, label: string, options: readonly string[], selected: string) =>
  html`<label for="${id}">${label}</label><select id="${id}" name="${name}">${options.map((o) => html`<option value="${o}"${o === selected ? html` selected` : ''}>${o}</option>`)}</select>`;

function shell(v: ConsoleView, t: (typeof T)[Lang], body: Html, data: { ok?: boolean; error?: string | null }) {
  const nav = html`<nav class="tabs" aria-label="${t.title}"><a href="/console/setup/campaigns">${t.campaigns}</a> · <a href="/console/setup/policies">${t.policies}</a> · <a href="/console/setup/holidays">${t.holidays}</a> · <a href="/console/setup/templates">${t.template}</a></nav>`;
  return consolePage(v, {
    title: t.title,
    current: 'setup',
    body: html`<h1>${t.title}</h1>${nav}${flash('ok', data.ok ? t.ok : null)}${flash('error', data.error)}${body}`,
  });
}

export function setupCampaignsPage(
  v: ConsoleView,
  data: {
    campaigns: readonly CampaignView[];
    templates: readonly string[];
    policies: readonly string[];
    ok?: boolean;
    error?: string | null;
  },
): string {
  const t = T[v.lang];
  const form = (c: CampaignView | null) => {
    const id = c ? `c-${c.code}` : 'new';
    return html`<form method="post" action="/console/setup/campaigns${c ? html`/${c.code}` : ''}" class="card" id="campaign-${id}">${csrfField(v)}
${c ? html`<p><strong>${c.code}</strong></p>` : input(`${id}-code`, 'code', t.code, '', html` required maxlength="64" pattern="[A-Za-z0-9_\\-]+"`)}
${input(`${id}-name`, 'name', t.name, c?.name ?? '', html` required maxlength="300"`)}
${choices(`${id}-template`, 'templateCode', t.template, data.templates, c?.templateCode ?? data.templates[0] ?? '')}
${choices(`${id}-policy`, 'policyCode', t.policy, data.policies, c?.policyCode ?? data.policies[0] ?? '')}
${input(`${id}-root`, 'rootCode', t.root, c?.rootCode ?? '', html` maxlength="64"`)}
<label><input type="checkbox" name="active" value="on"${!c || c.active ? html` checked` : ''}> ${t.active}</label>
<button type="submit">${c ? t.save : t.create}</button></form>`;
  };
  const body = html`<h2>${t.campaigns}</h2><p class="hint">${t.councilLink} <a href="/console/access#council">${v.lang === 'vi' ? 'Người dùng & quyền' : 'People & access'}</a>.</p>${data.campaigns.length ? data.campaigns.map((c) => html`<details><summary>${c.name} (${c.code})</summary>${form(c)}</details>`) : html`<p>${t.none}</p>`}
<h2>${t.newCampaign}</h2>${form(null)}`;
  return shell(v, t, body, data);
}

/** The form's values: the policy being edited, or the defaults. */
export function setupPoliciesPage(
  v: ConsoleView,
  data: {
    policies: readonly PolicyView[];
    code: string;
    definition: CyclePolicy;
    preview?: { period: string; plan: CyclePlan } | undefined;
    ok?: boolean;
    error?: string | null;
  },
): string {
  const t = T[v.lang];
  const d = data.definition;
  const cal: CalendarTiming = d.timing.kind === 'calendar' ? d.timing : (DEFAULT_POLICY.timing as CalendarTiming);
  const rel: RelativeTiming =
    d.timing.kind === 'relative'
      ? d.timing
      : {
          kind: 'relative',
          deadlineAfterSeconds: 600,
          reminderSecondsBefore: [300],
          escalationSecondsAfter: [60, 120],
          hardCloseSecondsAfter: 180,
          reviewWindowSeconds: 600,
          revisionWindowSeconds: 600,
        };
  const num = html` type="number" required`;
  const preview = data.preview
    ? html`<section class="card" id="preview"><h2>${t.planFor} ${data.preview.period}</h2><dl>
<dt>${t.dataRange}</dt><dd>${data.preview.plan.dataFrom} – ${data.preview.plan.dataTo}</dd>
<dt>${t.deadline}</dt><dd>${formatShort(data.preview.plan.schedule.deadline, v.lang)}</dd>
<dt>${t.reminders}</dt><dd>${data.preview.plan.schedule.reminders.map((r) => formatShort(r, v.lang)).join('; ') || '—'}</dd>
<dt>${t.escalations}</dt><dd>${data.preview.plan.schedule.escalations.map((r) => formatShort(r, v.lang)).join('; ')}</dd>
<dt>${t.hardCloseAt}</dt><dd>${formatShort(data.preview.plan.schedule.hardClose, v.lang)}</dd></dl></section>`
    : '';
  const body = html`<h2>${t.policies}</h2>${
    data.policies.length
      ? html`<ul>${data.policies.map((p) => html`<li><a href="/console/setup/policies?code=${p.code}">${p.code}</a> (${t.kinds[p.definition.timing.kind]})</li>`)}</ul>`
      : html`<p>${t.none}</p>`
  }
${preview}
<h2>${t.newPolicy}</h2>
<form method="post" action="/console/setup/policies" class="card" id="policy">${csrfField(v)}
${input('p-code', 'code', t.code, data.code, html` required maxlength="64" pattern="[A-Za-z0-9_\\-]+"`)}
<fieldset><legend>${t.kind}</legend>${(['calendar', 'relative'] as const).map((k) => html`<label><input type="radio" name="kind" value="${k}"${d.timing.kind === k ? html` checked` : ''}> ${t.kinds[k]}</label>`)}</fieldset>
<fieldset><legend>${t.kinds.calendar}</legend>
${input('p-tz', 'timeZone', t.timeZone, cal.timeZone)}
${input('p-dispatchDay', 'dispatchDay', t.dispatchDay, cal.dispatchDay, html` type="number" min="1" max="28"`)}
${input('p-dispatchTime', 'dispatchTime', t.dispatchTime, cal.dispatchTime, html` type="time"`)}
${input('p-deadlineDay', 'deadlineDay', t.deadlineDay, cal.deadlineDay, html` type="number" min="1" max="28"`)}
${input('p-deadlineTime', 'deadlineTime', t.deadlineTime, cal.deadlineTime, html` type="time"`)}
${input('p-reminderDays', 'reminderDaysBefore', t.reminderDaysBefore, cal.reminderDaysBefore.join(', '))}
${input('p-reminderTime', 'reminderTime', t.reminderTime, cal.reminderTime, html` type="time"`)}
${input('p-esc1', 'escalationDay1', t.escalation1, cal.escalationWorkingDaysAfter[0], html` type="number" min="0"`)}
${input('p-esc2', 'escalationDay2', t.escalation2, cal.escalationWorkingDaysAfter[1], html` type="number" min="0"`)}
${input('p-hardClose', 'hardCloseWorkingDaysAfter', t.hardClose, cal.hardCloseWorkingDaysAfter, html` type="number" min="0"`)}
${input('p-review', 'reviewWorkingDays', t.reviewDays, cal.reviewWorkingDays, html` type="number" min="1"`)}
${input('p-revision', 'revisionWorkingDays', t.revisionDays, cal.revisionWorkingDays, html` type="number" min="1"`)}
</fieldset>
<fieldset><legend>${t.kinds.relative}</legend>
${input('p-deadlineS', 'deadlineAfterSeconds', t.deadlineAfterSeconds, rel.deadlineAfterSeconds, html` type="number" min="1"`)}
${input('p-reminderS', 'reminderSecondsBefore', t.reminderSecondsBefore, rel.reminderSecondsBefore.join(', '))}
${input('p-esc1s', 'escalationSecond1', t.escalation1s, rel.escalationSecondsAfter[0], html` type="number" min="0"`)}
${input('p-esc2s', 'escalationSecond2', t.escalation2s, rel.escalationSecondsAfter[1], html` type="number" min="0"`)}
${input('p-hardCloseS', 'hardCloseSecondsAfter', t.hardCloseS, rel.hardCloseSecondsAfter, html` type="number" min="0"`)}
${input('p-reviewS', 'reviewWindowSeconds', t.reviewS, rel.reviewWindowSeconds, html` type="number" min="1"`)}
${input('p-revisionS', 'revisionWindowSeconds', t.revisionS, rel.revisionWindowSeconds, html` type="number" min="1"`)}
</fieldset>
${input('p-maxReminders', 'maxReminders', t.maxReminders, d.maxReminders, num)}
<fieldset><legend>${t.quorum}</legend>${input('p-qn', 'quorumNumerator', `${t.quorumShort}: ${t.numerator}`, d.quorum.numerator, num)}${input('p-qd', 'quorumDenominator', `${t.quorumShort}: ${t.denominator}`, d.quorum.denominator, num)}</fieldset>
<fieldset><legend>${t.threshold}</legend>${input('p-tn', 'thresholdNumerator', `${t.thresholdShort}: ${t.numerator}`, d.approvalThreshold.numerator, num)}${input('p-td', 'thresholdDenominator', `${t.thresholdShort}: ${t.denominator}`, d.approvalThreshold.denominator, num)}</fieldset>
<label><input type="checkbox" name="secretBallots" value="on"${d.secretBallots ? html` checked` : ''}> ${t.secret}</label>
<fieldset id="title-votes"><legend>${t.titleVotes}</legend>${EMULATION_TITLES.map((title) => {
    const r = titleVoteRules(d.titleVotes)[title];
    const id = `tv-${title}`;
    const name = (f: string) => `titleVotes.${title}.${f}`;
    // Each title's fields say which title they are for: a label read alone (a screen reader, voice control) is unambiguous.
    const label = (what: string, part: string) => `${EMULATION_TITLE_NAMES[title][v.lang]} — ${what}: ${part}`;
    return html`<fieldset><legend>${EMULATION_TITLE_NAMES[title][v.lang]}</legend>
${input(`${id}-tn`, name('thresholdNumerator'), label(t.tvThreshold, t.numerator), r.threshold.numerator, num)}${input(`${id}-td`, name('thresholdDenominator'), label(t.tvThreshold, t.denominator), r.threshold.denominator, num)}
${choices(`${id}-base`, name('base'), t.tvBase, TITLE_VOTE_BASES, r.base)}${choices(`${id}-cmp`, name('comparison'), t.tvComparison, TITLE_VOTE_COMPARISONS, r.comparison)}
${input(`${id}-qn`, name('quorumNumerator'), label(t.tvQuorum, t.numerator), r.quorum.numerator, num)}${input(`${id}-qd`, name('quorumDenominator'), label(t.tvQuorum, t.denominator), r.quorum.denominator, num)}
<label><input type="checkbox" name="${name('secretBallot')}" value="on"${r.secretBallot ? html` checked` : ''}> ${t.tvSecret}</label>
<label><input type="checkbox" name="${name('writtenOpinionsCount')}" value="on"${r.writtenOpinionsCount ? html` checked` : ''}> ${t.tvWritten}</label>
${choices(`${id}-tie`, name('tie'), t.tvTie, TIE_OUTCOMES, r.tie)}</fieldset>`;
  })}</fieldset>
<button type="submit" name="action" value="preview">${t.preview}</button> <button type="submit" name="action" value="save">${t.save}</button></form>`;
  return shell(v, t, body, data);
}

export function setupHolidaysPage(
  v: ConsoleView,
  data: { year: number; holidays: readonly HolidayView[]; ok?: boolean; error?: string | null },
): string {
  const t = T[v.lang];
  const body = html`<h2>${t.holidays} ${data.year}</h2>
<form method="get" action="/console/setup/holidays" class="inline">${input('h-year', 'year', t.year, data.year, html` type="number" min="2000" max="2100"`)}<button type="submit">${t.show}</button></form>
${
  data.holidays.length
    ? html`<table class="data"><tbody>${data.holidays.map((h) => html`<tr><td>${h.date}</td><td>${h.name}</td><td><form method="post" action="/console/setup/holidays/${h.date}/remove">${csrfField(v)}<button type="submit">${t.remove}</button></form></td></tr>`)}</tbody></table>`
    : html`<p>${t.none}</p>`
}
<form method="post" action="/console/setup/holidays" class="card" id="holiday">${csrfField(v)}
${input('h-date', 'date', t.date, '', html` required pattern="\\d{4}-\\d{2}-\\d{2}"`)}${input('h-name', 'name', t.name, '', html` required maxlength="200"`)}
<button type="submit">${t.add}</button></form>
<form method="post" action="/console/setup/holidays/import" class="card" id="holiday-import">${csrfField(v)}
<label for="h-csv">${t.csv}</label><textarea id="h-csv" name="csv" rows="6" required></textarea>
<button type="submit">${t.import}</button></form>`;
  return shell(v, t, body, data);
}
