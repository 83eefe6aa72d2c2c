/**
 * A new version of a report template, from the previous one, without JSON: key tasks, sections and
 * indicators as rows (reorder by number, remove by a tick, add in the blank rows), indicators with
 * their unit, target and aggregation; a preview of what a unit head will be asked. Saving always
 * makes a new version: versions already used by cycles never change.
 */
import type { TemplateDefinition } from '../../../domain/template';
import { html, type Html } from '../../pages/html';
import { formPreview } from '../../unit-head/report-form.page';
import { consolePage, csrfField, flash, type ConsoleView } from './layout';

const T = {
  vi: {
    title: 'Phiên bản mới của biểu mẫu',
    from: 'Từ phiên bản',
    formTitle: 'Tên biểu mẫu',
    keyTasks: 'Nhiệm vụ trọng tâm',
    sections: 'Phần nội dung theo lĩnh vực',
    indicators: 'Chỉ tiêu',
    order: 'Thứ tự',
    code: 'Mã',
    vi: 'Tiếng Việt',
    en: 'Tiếng Anh',
    measure: 'Đơn vị tính',
    target: 'Chỉ tiêu phải đạt',
    targets: { at_least: 'Tối thiểu', at_most: 'Tối đa', between: 'Trong khoảng' },
    value: 'Giá trị',
    min: 'Nhỏ nhất',
    max: 'Lớn nhất',
    aggregation: 'Cách tổng hợp',
    boundsMin: 'Câu trả lời nhỏ nhất',
    boundsMax: 'Câu trả lời lớn nhất',
    aggregations: { sum: 'Cộng', average: 'Trung bình', min: 'Nhỏ nhất', max: 'Lớn nhất', latest: 'Số mới nhất' },
    indicator: 'Chỉ tiêu',
    newIndicator: 'mới',
    required: 'Bắt buộc',
    remove: 'Bỏ',
    limits: 'Giới hạn',
    textMax: 'Độ dài tối đa của mỗi ô chữ',
    maxRows: 'Số dòng tối đa của danh sách',
    preview: 'Xem trước',
    save: 'Lưu thành phiên bản mới',
    previewTitle: 'Biểu mẫu đơn vị sẽ nhận',
    previewHint: 'Xem trước đúng như thủ trưởng đơn vị thấy khi mở đường liên kết (chưa lưu gì).',
    hint: 'Để trống mã ở các dòng trống thì dòng đó bị bỏ qua. Đánh số thứ tự để sắp xếp lại.',
    saved: 'Đã lưu phiên bản',
  },
  en: {
    title: 'A new version of a template',
    from: 'From version',
    formTitle: 'Template title',
    keyTasks: 'Key tasks',
    sections: 'Sector sections',
    indicators: 'Indicators',
    order: 'Order',
    code: 'Code',
    vi: 'Vietnamese',
    en: 'English',
    measure: 'Unit of measure',
    target: 'Target',
    targets: { at_least: 'At least', at_most: 'At most', between: 'Between' },
    value: 'Value',
    min: 'Min',
    max: 'Max',
    aggregation: 'Aggregation',
    boundsMin: 'Smallest accepted answer',
    boundsMax: 'Largest accepted answer',
    aggregations: { sum: 'Sum', average: 'Average', min: 'Minimum', max: 'Maximum', latest: 'Latest' },
    indicator: 'Indicator',
    newIndicator: 'new',
    required: 'Required',
    remove: 'Remove',
    limits: 'Limits',
    textMax: 'Longest text in a field',
    maxRows: 'Most rows in a list',
    preview: 'Preview',
    save: 'Save as a new version',
    previewTitle: 'The form units will receive',
    previewHint: 'A preview exactly as a unit head sees it on opening the link (nothing is saved).',
    hint: 'Rows left without a code are ignored. Number the rows to reorder them.',
    saved: 'Saved version',
  },
} as const;

const AGGREGATIONS = ['sum', 'average', 'min', 'max', 'latest'] as const;
const BLANK_ROWS = 2;

/** A cell of a row of the table `table`, named for a screen reader with the table and the row: "Key tasks 3: Code". */
const cell = (row: string, name: string, label: string, value: string | number, attrs: Html | '' = '') =>
  html`<td data-label="${label}"><input name="${name}" value="${String(value)}" aria-label="${row}: ${label}"${attrs}></td>`;

export function templateEditorPage(
  v: ConsoleView,
  data: {
    code: string;
    fromVersion: number;
    definition: TemplateDefinition;
    /** Show the form as a unit head will see it, dated as of `now`. */
    preview?: { now: Date };
    saved?: number | undefined;
    error?: string | null;
  },
): string {
  const t = T[v.lang];
  const d = data.definition;
  const blankText = { vi: '', en: '' };
  const simpleRows = (
    prefix: string,
    table: string,
    rows: readonly { code: string; title: { vi: string; en: string } }[],
  ) =>
    [...rows, ...Array.from({ length: BLANK_ROWS }, () => ({ code: '', title: blankText }))].map((r, i) => {
      const row = `${table} ${i + 1}`;
      return html`<tr>${cell(row, `${prefix}.${i}.order`, t.order, i + 1, html` type="number" min="1" class="narrow"`)}${cell(row, `${prefix}.${i}.code`, t.code, r.code, html` maxlength="64"`)}${cell(row, `${prefix}.${i}.vi`, t.vi, r.title.vi, html` maxlength="500"`)}${cell(row, `${prefix}.${i}.en`, t.en, r.title.en, html` maxlength="500"`)}<td><label><input type="checkbox" name="${prefix}.${i}.remove" value="on" aria-label="${row}: ${t.remove}"> ${t.remove}</label></td></tr>`;
    });
  const head = html`<thead><tr><th scope="col">${t.order}</th><th scope="col">${t.code}</th><th scope="col">${t.vi}</th><th scope="col">${t.en}</th><th scope="col">${t.remove}</th></tr></thead>`;
  const blankIndicator = {
    code: '',
    title: blankText,
    measure: blankText,
    target: { kind: 'at_least' as const, value: 0 },
    aggregation: 'sum' as const,
    min: 0,
    max: 100,
    required: true,
  };
  const indicatorRows = [...d.indicators, ...Array.from({ length: BLANK_ROWS }, () => blankIndicator)].map((ind, i) => {
    const p = `ind.${i}`;
    const target = ind.target;
    return html`<fieldset class="card"><legend>${t.indicator} ${String(i + 1)}: ${ind.code || t.newIndicator}</legend>
<label>${t.order} <input name="${p}.order" type="number" min="1" value="${String(i + 1)}"></label>
<label>${t.code} <input name="${p}.code" value="${ind.code}" maxlength="64"></label>
<label>${t.vi} <input name="${p}.vi" value="${ind.title.vi}" maxlength="500"></label>
<label>${t.en} <input name="${p}.en" value="${ind.title.en}" maxlength="500"></label>
<label>${t.measure} (vi) <input name="${p}.measureVi" value="${ind.measure.vi}" maxlength="100"></label>
<label>${t.measure} (en) <input name="${p}.measureEn" value="${ind.measure.en}" maxlength="100"></label>
<label>${t.target} <select name="${p}.targetKind">${(['at_least', 'at_most', 'between'] as const).map((k) => html`<option value="${k}"${target.kind === k ? html` selected` : ''}>${t.targets[k]}</option>`)}</select></label>
<label>${t.value} <input name="${p}.targetValue" value="${target.kind === 'between' ? '' : String(target.value)}"></label>
<label>${t.min} <input name="${p}.targetMin" value="${target.kind === 'between' ? String(target.min) : ''}"></label>
<label>${t.max} <input name="${p}.targetMax" value="${target.kind === 'between' ? String(target.max) : ''}"></label>
<label>${t.aggregation} <select name="${p}.aggregation">${AGGREGATIONS.map((a) => html`<option value="${a}"${ind.aggregation === a ? html` selected` : ''}>${t.aggregations[a]}</option>`)}</select></label>
<label>${t.boundsMin} <input name="${p}.min" value="${String(ind.min)}"></label> <label>${t.boundsMax} <input name="${p}.max" value="${String(ind.max)}"></label>
<label><input type="checkbox" name="${p}.required" value="on"${ind.required ? html` checked` : ''}> ${t.required}</label>
<label><input type="checkbox" name="${p}.remove" value="on"> ${t.remove}</label></fieldset>`;
  });
  const preview = data.preview
    ? html`<section class="card" id="template-preview" aria-labelledby="template-preview-title"><h2 id="template-preview-title">${t.previewTitle}</h2>
<p class="hint">${t.previewHint}</p>${formPreview(d, v.lang, data.preview.now)}</section>`
    : '';
  const body = html`<h1>${t.title}: ${data.code}</h1>${flash('ok', data.saved ? `${t.saved} ${data.saved}.` : null)}${flash('error', data.error)}
<p>${t.from} ${String(data.fromVersion)}. ${t.hint}</p>${preview}
<form method="post" action="/console/setup/templates/${data.code}" id="template-editor">${csrfField(v)}
<input type="hidden" name="fromVersion" value="${String(data.fromVersion)}">
<label for="tpl-vi">${t.formTitle} (vi)</label><input id="tpl-vi" name="title.vi" value="${d.title.vi}" required maxlength="500">
<label for="tpl-en">${t.formTitle} (en)</label><input id="tpl-en" name="title.en" value="${d.title.en}" required maxlength="500">
<h2>${t.keyTasks}</h2><div class="table-wrap"><table class="data stack">${head}<tbody>${simpleRows('kt', t.keyTasks, d.keyTasks)}</tbody></table></div>
<h2>${t.sections}</h2><div class="table-wrap"><table class="data stack">${head}<tbody>${simpleRows('sec', t.sections, d.sections)}</tbody></table></div>
<h2>${t.indicators}</h2>${indicatorRows}
<h2>${t.limits}</h2>
<label for="tpl-text">${t.textMax}</label><input id="tpl-text" name="textMaxLength" type="number" min="1" value="${String(d.limits.textMaxLength)}">
<label for="tpl-rows">${t.maxRows}</label><input id="tpl-rows" name="maxRows" type="number" min="1" value="${String(d.limits.maxRows)}">
<p><button type="submit" name="action" value="preview">${t.preview}</button> <button type="submit" name="action" value="save">${t.save}</button></p></form>`;
  return consolePage(v, { title: t.title, current: 'setup', body });
}
