/** Read views of the reference data: campaigns with their schedule, policies, holidays, templates. */
import type { CyclePolicy } from '../../../domain/policy';
import type { TemplateDefinition } from '../../../domain/template';
import type { CampaignView } from '../../services/admin-campaigns.service';
import type { HolidayView } from '../../services/admin-holidays.service';
import type { PolicyView } from '../../services/admin-policies.service';
import type { TemplateSummary } from '../../services/admin-templates.service';
import type { ScheduleView } from '../../services/schedule.service';
import { html, type Html } from '../../pages/html';
import { formatDuration, formatNumber, formatShort, type Locale } from '../../pages/i18n';
import { consolePage, csrfField, flash, reachesInstallation, type ConsoleView } from './layout';

const T = {
  vi: {
    campaigns: 'Chiến dịch thi đua',
    code: 'Mã',
    name: 'Tên',
    template: 'Biểu mẫu',
    policy: 'Chính sách',
    active: 'Hoạt động',
    yes: 'Có',
    no: 'Không',
    schedule: 'Lịch tự động',
    noSchedule: 'Chưa có lịch',
    paused: 'Đang tạm dừng',
    running: 'Đang chạy',
    next: 'Lần chạy tới',
    open: 'Xem',
    scheduleTitle: 'Lịch tự động hằng tháng',
    runsAt: 'Chạy vào',
    day: 'ngày',
    at: 'lúc',
    tz: 'Múi giờ',
    note: 'Ghi chú',
    nextRuns: 'Các lần chạy tới',
    recentRuns: 'Các lần chạy gần đây',
    none: '(không có)',
    reason: 'Lý do',
    pause: 'Tạm dừng lịch',
    unpause: 'Chạy lại lịch',
    trigger: 'Chạy ngay một lần',
    triggerHint: 'Bắt đầu kỳ báo cáo của tháng hiện tại ngay bây giờ (nếu chưa có).',
    noScheduleHint: 'Chiến dịch chưa có lịch tự động. Tạo lịch qua API: PUT /api/v1/campaigns/{mã}/schedule.',
    unreachable: 'Không đọc được lịch từ Temporal',
    startCycle: 'Bắt đầu kỳ báo cáo',
    documents: 'Thiết lập văn bản',
    documentsHint:
      'Dùng cho báo cáo tổng hợp, biên bản biểu quyết và dự thảo quyết định khen thưởng (thể thức theo Nghị định 30/2020/NĐ-CP).',
    parentBody: 'Cơ quan chủ quản',
    issuingBody: 'Cơ quan ban hành',
    numberPattern: 'Số, ký hiệu (sau “Số:”; {type} là BC, BB hoặc QĐ)',
    signerAuthority: 'Thẩm quyền ký (TM., KT. …)',
    signerPosition: 'Chức vụ người ký',
    signerName: 'Họ tên người ký',
    place: 'Địa danh',
    recipients: 'Nơi nhận (mỗi dòng một nơi)',
    save: 'Lưu thiết lập',
    back: 'Chiến dịch',
    month: 'Tháng báo cáo',
    policies: 'Chính sách kỳ báo cáo',
    timing: 'Lịch trong kỳ',
    calendar: 'Theo lịch tháng',
    relative: 'Tương đối (giây, dùng cho thử nghiệm)',
    dispatch: 'Gửi yêu cầu',
    deadline: 'Hạn nộp',
    reminders: 'Nhắc nhở',
    escalation: 'Báo cáo cấp trên',
    hardClose: 'Khóa sổ',
    review: 'Hội đồng xem xét',
    revision: 'Chỉnh sửa',
    maxReminders: 'Số lần nhắc tối đa',
    quorum: 'Túc số',
    approval: 'Ngưỡng thông qua',
    secret: 'Bỏ phiếu kín',
    workingDaysAfter: 'ngày làm việc sau hạn',
    daysBefore: 'ngày trước hạn',
    workingDays: 'ngày làm việc',
    seconds: 'giây',
    ofMembers: 'số thành viên',
    moreThan: 'hơn',
    ofPresent: 'số thành viên bỏ phiếu',
    holidays: 'Ngày nghỉ lễ',
    date: 'Ngày',
    templates: 'Biểu mẫu báo cáo',
    newVersion: 'Tạo phiên bản mới',
    editPolicy: 'Sửa chính sách',
    newPolicy: 'Tạo chính sách',
    editHolidays: 'Sửa ngày nghỉ lễ',
    version: 'Phiên bản',
    created: 'Tạo lúc',
    keyTasks: 'Nhiệm vụ trọng tâm',
    indicators: 'Chỉ tiêu',
    sections: 'Lĩnh vực',
    measure: 'Đơn vị tính',
    target: 'Chỉ tiêu',
    aggregation: 'Cách tổng hợp',
    bounds: 'Giới hạn',
    required: 'Bắt buộc',
    limits: 'Giới hạn',
    textMax: 'Độ dài văn bản tối đa',
    maxRows: 'Số dòng tối đa',
    agg: { sum: 'tổng', average: 'trung bình', min: 'nhỏ nhất', max: 'lớn nhất', latest: 'mới nhất' },
    tgt: { at_least: 'tối thiểu', at_most: 'tối đa', between: 'trong khoảng' },
  },
  en: {
    campaigns: 'Emulation campaigns',
    code: 'Code',
    name: 'Name',
    template: 'Template',
    policy: 'Policy',
    active: 'Active',
    yes: 'Yes',
    no: 'No',
    schedule: 'Schedule',
    noSchedule: 'No schedule',
    paused: 'Paused',
    running: 'Running',
    next: 'Next run',
    open: 'Open',
    scheduleTitle: 'Monthly schedule',
    runsAt: 'Runs on',
    day: 'day',
    at: 'at',
    tz: 'Time zone',
    note: 'Note',
    nextRuns: 'Next runs',
    recentRuns: 'Recent runs',
    none: '(none)',
    reason: 'Reason',
    pause: 'Pause the schedule',
    unpause: 'Unpause the schedule',
    trigger: 'Run once now',
    triggerHint: "Starts the current month's cycle now (if it does not exist yet).",
    noScheduleHint:
      'This campaign has no schedule yet. Create one through the API: PUT /api/v1/campaigns/{code}/schedule.',
    unreachable: 'Could not read the schedule from Temporal',
    startCycle: 'Start a cycle',
    documents: 'Document settings',
    documentsHint:
      'Used by the monthly report, the minutes of the vote and the draft commendation decision (Decree 30/2020 layout).',
    parentBody: 'Parent body',
    issuingBody: 'Issuing body',
    numberPattern: 'Number and symbol (after “Số:”; {type} is BC, BB or QĐ)',
    signerAuthority: 'Signing authority (TM., KT. …)',
    signerPosition: "Signer's position",
    signerName: "Signer's name",
    place: 'Place',
    recipients: 'Recipients (one per line)',
    save: 'Save settings',
    back: 'Campaigns',
    month: 'Reporting month',
    policies: 'Cycle policies',
    timing: 'Timing',
    calendar: 'Monthly calendar',
    relative: 'Relative (seconds, for trials)',
    dispatch: 'Dispatch',
    deadline: 'Deadline',
    reminders: 'Reminders',
    escalation: 'Escalations',
    hardClose: 'Hard close',
    review: 'Council review',
    revision: 'Revision',
    maxReminders: 'Most reminders',
    quorum: 'Quorum',
    approval: 'Approval threshold',
    secret: 'Secret ballots',
    workingDaysAfter: 'working days after the deadline',
    daysBefore: 'days before the deadline',
    workingDays: 'working days',
    seconds: 'seconds',
    ofMembers: 'of the members',
    moreThan: 'more than',
    ofPresent: 'of the members voting',
    holidays: 'Public holidays',
    date: 'Date',
    templates: 'Report templates',
    newVersion: 'Make a new version',
    editPolicy: 'Edit the policy',
    newPolicy: 'Create a policy',
    editHolidays: 'Edit the holidays',
    version: 'Version',
    created: 'Created',
    keyTasks: 'Key tasks',
    indicators: 'Indicators',
    sections: 'Sector fields',
    measure: 'Measure',
    target: 'Target',
    aggregation: 'Aggregation',
    bounds: 'Bounds',
    required: 'Required',
    limits: 'Limits',
    textMax: 'Longest text',
    maxRows: 'Most rows',
    agg: { sum: 'sum', average: 'average', min: 'minimum', max: 'maximum', latest: 'latest' },
    tgt: { at_least: 'at least', at_most: 'at most', between: 'between' },
  },
} as const;

export function campaignsPage(
  v: ConsoleView,
  rows: readonly { campaign: CampaignView; schedule: ScheduleView | null }[],
): string {
  const t = T[v.lang];
  // A campaign's own page, its template and its policy are for roles over the whole installation.
  const everywhere = reachesInstallation(v);
  const body = html`<h1>${t.campaigns}</h1><div class="table-wrap"><table class="data stack"><thead><tr><th scope="col">${t.code}</th><th scope="col">${t.name}</th><th scope="col">${t.template}</th><th scope="col">${t.policy}</th><th scope="col">${t.active}</th><th scope="col">${t.schedule}</th><th scope="col">${t.next}</th></tr></thead><tbody>
${rows.map(
  ({
    campaign: c,
    schedule: s,
  }) => html`<tr><td data-label="${t.code}">${everywhere ? html`<a href="/console/campaigns/${encodeURIComponent(c.code)}">${c.code}</a>` : c.code}</td><td data-label="${t.name}">${c.name}</td><td data-label="${t.template}">${everywhere ? html`<a href="/console/templates#tpl-${c.templateCode}">${c.templateCode}</a>` : c.templateCode}</td>
<td data-label="${t.policy}">${everywhere ? html`<a href="/console/policies#policy-${c.policyCode}">${c.policyCode}</a>` : c.policyCode}</td><td data-label="${t.active}">${c.active ? t.yes : t.no}</td>
<td data-label="${t.schedule}">${s ? html`<span class="badge ${s.paused ? 'warn' : 'ok'}">${s.paused ? t.paused : t.running}</span>` : html`<span class="hint">${t.noSchedule}</span>`}</td><td data-label="${t.next}">${s?.nextRuns[0] ? formatShort(s.nextRuns[0], v.lang) : '—'}</td></tr>`,
)}
</tbody></table></div>`;
  return consolePage(v, { title: t.campaigns, current: 'campaigns', body });
}

export function campaignPage(
  v: ConsoleView,
  opts: {
    campaign: CampaignView;
    schedule: ScheduleView | null;
    scheduleError?: string;
    notice?: string | null;
    error?: string | null;
    defaultPeriod: string;
  },
): string {
  const t = T[v.lang];
  const c = opts.campaign;
  const s = opts.schedule;
  const base = `/console/campaigns/${encodeURIComponent(c.code)}/schedule`;
  const verbForm = (
    verb: 'pause' | 'unpause' | 'trigger',
    label: string,
    hint?: string,
  ): Html => html`<form method="post" action="${base}/${verb}" class="card">${csrfField(v)}<h3>${label}</h3>${hint ? html`<p class="hint">${hint}</p>` : ''}
<label for="${verb}-reason">${t.reason}</label><input id="${verb}-reason" name="reason" required minlength="3" maxlength="1000"><button type="submit" class="${verb === 'trigger' ? '' : 'secondary'}">${label}</button></form>`;
  const body = html`<p class="hint"><a href="/console/campaigns">← ${t.back}</a></p><h1>${c.name}</h1>${flash('ok', opts.notice)}${flash('error', opts.error)}
<dl class="kv card"><dt>${t.code}</dt><dd>${c.code}</dd><dt>${t.template}</dt><dd><a href="/console/templates#tpl-${c.templateCode}">${c.templateCode}</a></dd><dt>${t.policy}</dt><dd><a href="/console/policies#policy-${c.policyCode}">${c.policyCode}</a></dd><dt>${t.active}</dt><dd>${c.active ? t.yes : t.no}</dd></dl>
<h2>${t.scheduleTitle}</h2>
${opts.scheduleError ? flash('error', `${t.unreachable}: ${opts.scheduleError}`) : ''}
${
  s
    ? html`<dl class="kv card" id="schedule"><dt>${t.schedule}</dt><dd><span class="badge ${s.paused ? 'warn' : 'ok'}">${s.paused ? t.paused : t.running}</span></dd>
<dt>${t.runsAt}</dt><dd>${s.calendars.map((cal) => `${t.day} ${cal.dayOfMonth} ${t.at} ${cal.time}`).join('; ') || '—'}</dd><dt>${t.tz}</dt><dd>${s.timezone ?? '—'}</dd>${s.note ? html`<dt>${t.note}</dt><dd>${s.note}</dd>` : ''}
<dt>${t.nextRuns}</dt><dd>${s.nextRuns.length ? html`<ul>${s.nextRuns.slice(0, 5).map((r) => html`<li>${formatShort(r, v.lang)}</li>`)}</ul>` : t.none}</dd>
<dt>${t.recentRuns}</dt><dd>${s.recentRuns.length ? html`<ul>${s.recentRuns.map((r) => html`<li>${formatShort(r.scheduledAt, v.lang)} — ${r.workflowId}</li>`)}</ul>` : t.none}</dd></dl>
<div class="grid2">${s.paused ? verbForm('unpause', t.unpause) : verbForm('pause', t.pause)}${verbForm('trigger', t.trigger, t.triggerHint)}</div>`
    : html`<p class="notice info">${t.noScheduleHint}</p>`
}
<h2 id="documents">${t.documents}</h2>
<form method="post" action="/console/campaigns/${encodeURIComponent(c.code)}/documents" class="card">${csrfField(v)}<p class="hint">${t.documentsHint}</p>
${(
  ['parentBody', 'issuingBody', 'numberPattern', 'signerAuthority', 'signerPosition', 'signerName', 'place'] as const
).map(
  (k) =>
    html`<label for="doc-${k}">${t[k]}</label><input id="doc-${k}" name="${k}" maxlength="200" value="${c.documentSettings[k]}">`,
)}
<label for="doc-recipients">${t.recipients}</label><textarea id="doc-recipients" name="recipients" rows="4">${c.documentSettings.recipients.join('\n')}</textarea>
<button type="submit">${t.save}</button></form>
<h2>${t.startCycle}</h2>
<form method="post" action="/console/cycles" class="inline-form card">${csrfField(v)}<input type="hidden" name="campaign" value="${c.code}">
<div><label for="start-period">${t.month}</label><input id="start-period" name="period" type="month" required value="${opts.defaultPeriod}"></div><div><button type="submit">${t.startCycle}</button></div></form>`;
  return consolePage(v, { title: c.name, current: 'campaigns', body });
}

function timingRows(p: CyclePolicy, lang: Locale): Html {
  const t = T[lang];
  const tm = p.timing;
  if (tm.kind === 'calendar') {
    return html`<dt>${t.timing}</dt><dd>${t.calendar} (${tm.timeZone})</dd>
<dt>${t.dispatch}</dt><dd>${t.day} ${tm.dispatchDay} ${t.at} ${tm.dispatchTime}</dd>
<dt>${t.deadline}</dt><dd>${t.day} ${tm.deadlineDay} ${t.at} ${tm.deadlineTime}</dd>
<dt>${t.reminders}</dt><dd>${tm.reminderDaysBefore.join(', ')} ${t.daysBefore}, ${t.at} ${tm.reminderTime}</dd>
<dt>${t.escalation}</dt><dd>${tm.escalationWorkingDaysAfter.join(' / ')} ${t.workingDaysAfter}</dd>
<dt>${t.hardClose}</dt><dd>${tm.hardCloseWorkingDaysAfter} ${t.workingDaysAfter}</dd>
<dt>${t.review}</dt><dd>${tm.reviewWorkingDays} ${t.workingDays}</dd><dt>${t.revision}</dt><dd>${tm.revisionWorkingDays} ${t.workingDays}</dd>`;
  }
  const secs = (n: number): string => `${formatDuration(n * 1000, lang)} (${formatNumber(n, lang)} ${t.seconds})`;
  return html`<dt>${t.timing}</dt><dd>${t.relative}</dd><dt>${t.deadline}</dt><dd>+${secs(tm.deadlineAfterSeconds)}</dd>
<dt>${t.reminders}</dt><dd>${tm.reminderSecondsBefore.length ? tm.reminderSecondsBefore.map(secs).join('; ') : '—'}</dd><dt>${t.escalation}</dt><dd>${tm.escalationSecondsAfter.map((n) => `+${secs(n)}`).join('; ')}</dd>
<dt>${t.hardClose}</dt><dd>+${secs(tm.hardCloseSecondsAfter)}</dd><dt>${t.review}</dt><dd>${secs(tm.reviewWindowSeconds)}</dd><dt>${t.revision}</dt><dd>${secs(tm.revisionWindowSeconds)}</dd>`;
}

export function policiesPage(
  v: ConsoleView,
  policies: readonly PolicyView[],
  holidays: readonly HolidayView[],
): string {
  const t = T[v.lang];
  const body = html`<h1>${t.policies}</h1><p><a class="button" href="/console/setup/policies">${t.newPolicy}</a></p>
${policies.map(
  (
    p,
  ) => html`<section class="card" id="policy-${p.code}" aria-labelledby="policy-${p.code}-h"><h2 id="policy-${p.code}-h">${p.code}</h2><dl class="kv">${timingRows(p.definition, v.lang)}
<dt>${t.maxReminders}</dt><dd>${p.definition.maxReminders}</dd>
<dt>${t.quorum}</dt><dd>${p.definition.quorum.numerator}/${p.definition.quorum.denominator} ${t.ofMembers}</dd>
<dt>${t.approval}</dt><dd>${t.moreThan} ${p.definition.approvalThreshold.numerator}/${p.definition.approvalThreshold.denominator} ${t.ofPresent}</dd>
<dt>${t.secret}</dt><dd>${p.definition.secretBallots ? t.yes : t.no}</dd></dl>
<p><a href="/console/setup/policies?code=${encodeURIComponent(p.code)}" aria-label="${t.editPolicy} ${p.code}">${t.editPolicy}</a></p></section>`,
)}
<h2>${t.holidays}</h2><p><a href="/console/setup/holidays">${t.editHolidays}</a></p>${holidays.length ? html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">${t.date}</th><th scope="col">${t.name}</th></tr></thead><tbody>${holidays.map((h) => html`<tr><td>${h.date}</td><td>${h.name}</td></tr>`)}</tbody></table></div>` : html`<p>${t.none}</p>`}`;
  return consolePage(v, { title: t.policies, current: 'policies', body });
}

export function templatesPage(
  v: ConsoleView,
  list: readonly TemplateSummary[],
  latest: readonly { code: string; version: number; definition: TemplateDefinition }[],
): string {
  const t = T[v.lang];
  const n = (x: number): string => formatNumber(x, v.lang, 6);
  const body = html`<h1>${t.templates}</h1><div class="table-wrap"><table class="data stack"><thead><tr><th scope="col">${t.code}</th><th scope="col">${t.version}</th><th scope="col">${t.name}</th><th scope="col">${t.created}</th></tr></thead><tbody>
${list.map((s) => html`<tr><td data-label="${t.code}">${s.code}</td><td data-label="${t.version}">${s.version}</td><td data-label="${t.name}">${s.title[v.lang]}</td><td data-label="${t.created}">${formatShort(s.createdAt, v.lang)}</td></tr>`)}</tbody></table></div>
${latest.map(
  ({
    code,
    version,
    definition: d,
  }) => html`<section id="tpl-${code}"><h2>${d.title[v.lang]} <span class="hint">(${code} v${version})</span></h2>
<p><a class="button" href="/console/setup/templates/${encodeURIComponent(code)}" aria-label="${t.newVersion}: ${code}">${t.newVersion}</a></p>
<h3>${t.keyTasks}</h3><ol>${d.keyTasks.map((k) => html`<li><strong>${k.code}</strong> ${k.title[v.lang]}</li>`)}</ol>
<h3>${t.indicators}</h3><div class="table-wrap"><table class="data stack"><thead><tr><th scope="col">${t.code}</th><th scope="col">${t.name}</th><th scope="col">${t.measure}</th><th scope="col">${t.target}</th><th scope="col">${t.aggregation}</th><th scope="col">${t.bounds}</th><th scope="col">${t.required}</th></tr></thead><tbody>
${d.indicators.map(
  (
    i,
  ) => html`<tr><td data-label="${t.code}">${i.code}</td><td data-label="${t.name}">${i.title[v.lang]}</td><td data-label="${t.measure}">${i.measure[v.lang]}</td>
<td data-label="${t.target}">${t.tgt[i.target.kind]} ${i.target.kind === 'between' ? `${n(i.target.min)}–${n(i.target.max)}` : n(i.target.value)}</td><td data-label="${t.aggregation}">${t.agg[i.aggregation]}</td><td data-label="${t.bounds}">${n(i.min)} … ${n(i.max)}</td><td data-label="${t.required}">${i.required ? t.yes : t.no}</td></tr>`,
)}</tbody></table></div>
<h3>${t.sections}</h3><ul>${d.sections.map((s) => html`<li><strong>${s.code}</strong> ${s.title[v.lang]}</li>`)}</ul>
<p class="hint">${t.limits}: ${t.textMax} ${n(d.limits.textMaxLength)}; ${t.maxRows} ${n(d.limits.maxRows)}.</p></section>`,
)}`;
  return consolePage(v, { title: t.templates, current: 'templates', body });
}
