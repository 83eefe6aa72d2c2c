/**
 * The part of the report page a unit that others report to adds above its own form: who reports
 * to it and where each stands, what its subtree's figures come to, and a form per report that
 * can still be sent back with a reason. Works without scripts (plain forms posting to the page).
 */
import type { Locale } from '../../domain/template';
import { SUBMITTED_TASK_STATES } from '../../domain/states';
import { html, type Html } from '../pages/html';
import { TASK_STATE_LABEL, formatNumber, formatShort } from '../pages/i18n';
import type { ReportingUnits } from './reporting-units.service';

const T = {
  vi: {
    title: 'Các đơn vị báo cáo lên',
    intro: 'Kiểm tra báo cáo của các đơn vị trước khi tổng hợp và gửi báo cáo của đơn vị lên cấp trên.',
    submitted: 'Đã nộp',
    onTime: 'Đúng hạn',
    leaves: 'Đơn vị cơ sở đã nộp',
    unit: 'Đơn vị',
    state: 'Trạng thái',
    at: 'Nộp lúc',
    late: 'muộn',
    figures: 'Số liệu tổng hợp của các đơn vị cấp dưới',
    indicator: 'Chỉ tiêu',
    value: 'Giá trị',
    reported: 'Số đơn vị báo cáo',
    sendBack: 'Trả lại để chỉnh sửa',
    reason: 'Lý do trả lại',
    reasonHint: 'Đơn vị sẽ nhận được lý do này qua thư điện tử cùng đường liên kết để chỉnh sửa.',
  },
  en: {
    title: 'Units reporting to yours',
    intro: "Check their reports before consolidating them and sending your unit's report up.",
    submitted: 'Submitted',
    onTime: 'On time',
    leaves: 'Reporting units below that submitted',
    unit: 'Unit',
    state: 'State',
    at: 'Submitted at',
    late: 'late',
    figures: 'Consolidated figures of the units below',
    indicator: 'Indicator',
    value: 'Value',
    reported: 'Units reporting',
    sendBack: 'Send back for revision',
    reason: 'Reason',
    reasonHint: 'The unit receives this reason by email with its link to revise the report.',
  },
} as const;

export function reportingUnitsSection(r: ReportingUnits, lang: Locale, action: string): Html {
  const t = T[lang];
  const c = r.consolidation;
  const tree = c.tree;
  const leaves = tree?.levels[0] ?? { submitted: c.submitted, expected: c.expected };
  const direct = {
    submitted: r.units.filter((u) => SUBMITTED_TASK_STATES.has(u.state)).length,
    onTime: r.units.filter((u) => u.late === false).length,
  };
  return html`<section id="reporting-units" aria-labelledby="reporting-units-title">
<h2 id="reporting-units-title">${t.title}</h2>
<p class="hint">${t.intro}</p>
<ul class="stats">
<li><strong>${formatNumber(direct.submitted, lang)}/${formatNumber(r.units.length, lang)}</strong> ${t.submitted}</li>
<li><strong>${formatNumber(direct.onTime, lang)}/${formatNumber(r.units.length, lang)}</strong> ${t.onTime}</li>
<li><strong>${formatNumber(leaves.submitted, lang)}/${formatNumber(leaves.expected, lang)}</strong> ${t.leaves}</li>
</ul>
<table id="reporting-units-table"><thead><tr><th scope="col">${t.unit}</th><th scope="col">${t.state}</th><th scope="col">${t.at}</th><th scope="col">${t.sendBack}</th></tr></thead><tbody>
${r.units.map(
  (u) => html`<tr data-unit="${u.code}"><td>${u.name} <span class="hint">(${u.code})</span></td>
<td>${TASK_STATE_LABEL[lang][u.state]}${u.late ? html` <span class="badge late">${t.late}</span>` : ''}</td>
<td>${u.submittedAt ? formatShort(u.submittedAt, lang) : '—'}</td>
<td>${
    SUBMITTED_TASK_STATES.has(u.state)
      ? html`<form method="post" action="${action}" class="send-back"><input type="hidden" name="action" value="send_back"><input type="hidden" name="unit" value="${u.code}">
<label for="reason-${u.code}">${t.reason}</label><textarea id="reason-${u.code}" name="reason" rows="2" minlength="3" maxlength="1000" required aria-describedby="reason-hint"></textarea>
<button type="submit">${t.sendBack}</button></form>`
      : ''
  }</td></tr>`,
)}
</tbody></table>
<p class="hint" id="reason-hint">${t.reasonHint}</p>
<h3>${t.figures}</h3>
<table id="reporting-units-figures"><thead><tr><th scope="col">${t.indicator}</th><th scope="col">${t.value}</th><th scope="col">${t.reported}</th></tr></thead><tbody>
${c.indicators.map(
  (i) =>
    html`<tr data-indicator="${i.code}"><td>${i.title[lang]}</td><td>${i.value === null ? '—' : formatNumber(i.value, lang)}</td><td>${formatNumber(i.reported, lang)}</td></tr>`,
)}
</tbody></table>
</section>`;
}
