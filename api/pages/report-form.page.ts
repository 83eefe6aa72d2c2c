/** The unit head's report form, generated from the cycle's template version. */
import type { FieldError, ReportAnswers } from '../../domain/answers';
import type { Locale } from '../../domain/template';
import { formatInstant } from '../../mail/render';
import type { Receipt, TaskView } from '../services/unit-task.service';
import { html, page, type Html } from './html';

const T = {
  vi: {
    title: 'Báo cáo định kỳ hàng tháng', unit: 'Đơn vị', period: 'Kỳ báo cáo', deadline: 'Hạn nộp', data: 'Số liệu từ', to: 'đến',
    keyTasks: 'Nhiệm vụ trọng tâm', status: 'Tình hình', text: 'Kết quả thực hiện trong tháng', evidence: 'Đường dẫn minh chứng (nếu có)',
    statuses: { not_started: 'Chưa triển khai', in_progress: 'Đang thực hiện', done: 'Đã hoàn thành' },
    indicators: 'Chỉ tiêu', target: 'Chỉ tiêu đề ra', sections: 'Các lĩnh vực', examples: 'Điển hình tiên tiến', proposals: 'Đề nghị khen thưởng',
    name: 'Tên', kind: 'Loại', description: 'Thành tích, việc làm', collective: 'Tập thể', individual: 'Cá nhân', nominee: 'Đối tượng đề nghị',
    commendationKind: 'Hình thức', adHoc: 'Đột xuất', thematic: 'Theo chuyên đề', requestedForm: 'Hình thức khen thưởng / danh hiệu đề nghị', summary: 'Tóm tắt thành tích',
    recommendations: 'Khó khăn, vướng mắc, kiến nghị', save: 'Lưu nháp', submit: 'Nộp báo cáo', saved: 'Đã lưu nháp lúc',
    errors: 'Báo cáo chưa hợp lệ, xin kiểm tra:', closed: 'Báo cáo không thể nộp qua đường liên kết này.', receipt: 'Biên nhận',
    receiptNumber: 'Số biên nhận', submittedAt: 'Thời gian nộp', onTime: 'Đúng hạn', late: 'Nộp muộn', received: 'Báo cáo đã được tiếp nhận.', optional: 'không bắt buộc',
    atLeast: 'tối thiểu', atMost: 'tối đa', between: 'từ', and: 'đến',
  },
  en: {
    title: 'Monthly report', unit: 'Unit', period: 'Period', deadline: 'Deadline', data: 'Data from', to: 'to',
    keyTasks: 'Key tasks', status: 'Status', text: 'What was done this month', evidence: 'Evidence link (optional)',
    statuses: { not_started: 'Not started', in_progress: 'In progress', done: 'Done' },
    indicators: 'Indicators', target: 'Target', sections: 'Sector fields', examples: 'Advanced examples', proposals: 'Commendation proposals',
    name: 'Name', kind: 'Kind', description: 'What they did', collective: 'Collective', individual: 'Individual', nominee: 'Nominee',
    commendationKind: 'Kind', adHoc: 'Ad hoc', thematic: 'Thematic', requestedForm: 'Requested form of commendation or title', summary: 'Achievement summary',
    recommendations: 'Difficulties and recommendations', save: 'Save draft', submit: 'Submit report', saved: 'Draft saved at',
    errors: 'The report is not valid yet; please check:', closed: 'This link no longer takes a report.', receipt: 'Receipt',
    receiptNumber: 'Receipt number', submittedAt: 'Submitted at', onTime: 'On time', late: 'Late', received: 'Your report has been received.', optional: 'optional',
    atLeast: 'at least', atMost: 'at most', between: 'between', and: 'and',
  },
} as const;

const EXTRA_ROWS = 2;

function targetText(view: TaskView, code: string, lang: Locale): string {
  const t = T[lang];
  const ind = view.template.indicators.find((i) => i.code === code)!;
  const measure = ind.measure[lang];
  switch (ind.target.kind) {
    case 'at_least': return `${t.target}: ${t.atLeast} ${ind.target.value} ${measure}`;
    case 'at_most': return `${t.target}: ${t.atMost} ${ind.target.value} ${measure}`;
    case 'between': return `${t.target}: ${t.between} ${ind.target.min} ${t.and} ${ind.target.max} ${measure}`;
  }
}

export function reportFormPage(view: TaskView, lang: Locale, opts: { action: string; errors?: readonly FieldError[]; notice?: string; values?: Partial<ReportAnswers> }): string {
  const t = T[lang];
  const values: Partial<ReportAnswers> = opts.values ?? view.draft ?? view.lastSubmission?.answers ?? {};
  const errorsFor = new Map((opts.errors ?? []).map((e) => [e.field, e.message]));
  const err = (field: string): Html | string => (errorsFor.has(field) ? html`<div class="error" role="alert">${errorsFor.get(field)}</div>` : '');
  const examples = [...(values.examples ?? []), ...Array.from({ length: EXTRA_ROWS }, () => undefined)];
  const proposals = [...(values.proposals ?? []), ...Array.from({ length: EXTRA_ROWS }, () => undefined)];
  const body = html`
<h1>${t.title}: ${view.campaign.name}</h1>
<p class="meta">${t.unit}: <strong>${view.unit.name}</strong> · ${t.period}: ${view.period} (${t.data} ${view.dataFrom} ${t.to} ${view.dataTo})<br>
${t.deadline}: <strong>${formatInstant(view.deadline, lang)}</strong></p>
${opts.notice ? html`<p class="ok" role="status">${opts.notice}</p>` : ''}
${opts.errors?.length ? html`<div class="error" role="alert"><p>${t.errors}</p><ul>${opts.errors.map((e) => html`<li>${e.field}: ${e.message}</li>`)}</ul></div>` : ''}
${view.canSubmit ? '' : html`<p class="error" role="alert">${t.closed}</p>`}
<form method="post" action="${opts.action}" novalidate>
<h2>${t.keyTasks}</h2>
${view.template.keyTasks.map((k) => {
  const a = values.keyTasks?.[k.code];
  return html`<fieldset><legend>${k.code}. ${k.title[lang]}</legend>
<label for="kt-${k.code}-status">${t.status}</label>
<select id="kt-${k.code}-status" name="kt.${k.code}.status">${(['not_started', 'in_progress', 'done'] as const).map((s) => html`<option value="${s}"${a?.status === s ? html` selected` : ''}>${t.statuses[s]}</option>`)}</select>${err(`keyTasks.${k.code}.status`)}${err(`keyTasks.${k.code}`)}
<label for="kt-${k.code}-text">${t.text}</label>
<textarea id="kt-${k.code}-text" name="kt.${k.code}.text">${a?.text ?? ''}</textarea>${err(`keyTasks.${k.code}.text`)}
<label for="kt-${k.code}-evidence">${t.evidence}</label>
<input id="kt-${k.code}-evidence" name="kt.${k.code}.evidence" type="url" value="${a?.evidenceUrl ?? ''}">${err(`keyTasks.${k.code}.evidenceUrl`)}
</fieldset>`;
})}
<h2>${t.indicators}</h2>
${view.template.indicators.map((i) => {
  const v = values.indicators?.[i.code];
  return html`<label for="ind-${i.code}">${i.title[lang]} (${i.measure[lang]})${i.required ? '' : html` <span class="hint">— ${t.optional}</span>`}</label>
<input id="ind-${i.code}" name="ind.${i.code}" inputmode="decimal" value="${v ?? ''}" aria-describedby="ind-${i.code}-target">
<div class="hint" id="ind-${i.code}-target">${targetText(view, i.code, lang)}</div>${err(`indicators.${i.code}`)}`;
})}
<h2>${t.sections}</h2>
${view.template.sections.map((s) => html`<label for="sec-${s.code}">${s.title[lang]}</label>
<textarea id="sec-${s.code}" name="sec.${s.code}">${values.sections?.[s.code] ?? ''}</textarea>${err(`sections.${s.code}`)}`)}
<h2>${t.examples}</h2>
${examples.map((e, i) => html`<fieldset><legend>${t.examples} ${i + 1}</legend>
<label for="ex-${i}-name">${t.name}</label><input id="ex-${i}-name" name="ex.${i}.name" value="${e?.name ?? ''}">${err(`examples.${i}.name`)}
<label for="ex-${i}-kind">${t.kind}</label><select id="ex-${i}-kind" name="ex.${i}.kind"><option value="collective"${e?.kind === 'collective' ? html` selected` : ''}>${t.collective}</option><option value="individual"${e?.kind === 'individual' ? html` selected` : ''}>${t.individual}</option></select>
<label for="ex-${i}-description">${t.description}</label><textarea id="ex-${i}-description" name="ex.${i}.description">${e?.description ?? ''}</textarea>${err(`examples.${i}.description`)}
</fieldset>`)}
<h2>${t.proposals}</h2>
${proposals.map((p, i) => html`<fieldset><legend>${t.proposals} ${i + 1}</legend>
<label for="pr-${i}-nominee">${t.nominee}</label><input id="pr-${i}-nominee" name="pr.${i}.nominee" value="${p?.nominee ?? ''}">${err(`proposals.${i}.nominee`)}
<label for="pr-${i}-nomineeKind">${t.kind}</label><select id="pr-${i}-nomineeKind" name="pr.${i}.nomineeKind"><option value="collective"${p?.nomineeKind === 'collective' ? html` selected` : ''}>${t.collective}</option><option value="individual"${p?.nomineeKind === 'individual' ? html` selected` : ''}>${t.individual}</option></select>
<label for="pr-${i}-commendationKind">${t.commendationKind}</label><select id="pr-${i}-commendationKind" name="pr.${i}.commendationKind"><option value="ad_hoc"${p?.commendationKind === 'ad_hoc' ? html` selected` : ''}>${t.adHoc}</option><option value="thematic"${p?.commendationKind === 'thematic' ? html` selected` : ''}>${t.thematic}</option></select>
<label for="pr-${i}-requestedForm">${t.requestedForm}</label><input id="pr-${i}-requestedForm" name="pr.${i}.requestedForm" value="${p?.requestedForm ?? ''}">${err(`proposals.${i}.requestedForm`)}
<label for="pr-${i}-summary">${t.summary}</label><textarea id="pr-${i}-summary" name="pr.${i}.summary">${p?.summary ?? ''}</textarea>${err(`proposals.${i}.summary`)}
</fieldset>`)}
<h2>${t.recommendations}</h2>
<label for="recommendations">${t.recommendations}</label>
<textarea id="recommendations" name="recommendations">${values.recommendations ?? ''}</textarea>${err('recommendations')}
${view.canSubmit ? html`<p><button type="submit" name="action" value="draft" class="secondary">${t.save}</button><button type="submit" name="action" value="submit">${t.submit}</button></p>` : ''}
</form>`;
  return page({ title: `${t.title} — ${view.unit.name}`, lang, body });
}

export function receiptPage(receipt: Receipt, lang: Locale): string {
  const t = T[lang];
  return page({
    title: `${t.receipt} ${receipt.receiptNumber}`,
    lang,
    body: html`<h1>${t.receipt}</h1><p class="ok" role="status">${t.received}</p>
<dl><dt>${t.receiptNumber}</dt><dd id="receipt-number">${receipt.receiptNumber}</dd>
<dt>${t.unit}</dt><dd>${receipt.unitName} (${receipt.unitCode})</dd>
<dt>${t.period}</dt><dd>${receipt.period}</dd>
<dt>${t.submittedAt}</dt><dd>${formatInstant(receipt.submittedAt, lang)}</dd>
<dt>${t.status}</dt><dd id="receipt-timeliness">${receipt.late ? t.late : t.onTime}</dd></dl>`,
  });
}

export function linkErrorPage(message: string, lang: Locale): string {
  return page({ title: lang === 'vi' ? 'Đường liên kết không dùng được' : 'Link unavailable', lang, body: html`<h1>${lang === 'vi' ? 'Đường liên kết không dùng được' : 'This link cannot be used'}</h1><p class="error" role="alert">${message}</p>` });
}
