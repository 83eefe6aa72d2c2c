/** Units: the list, the edit form, and the CSV import with its preview of problems before saving. */
import { problemVi } from '../../../domain/refusals';
import type { ImportResult } from '../../services/units-import.service';
import type { UnitView } from '../../services/admin-units.service';
import { html, type Html } from '../../pages/html';
import { formatNumber, formatShort, type Locale } from '../../pages/i18n';
import { consolePage, csrfField, flash, href, pager, reachesInstallation, type ConsoleView } from './layout';

const T = {
  vi: {
    units: 'Đơn vị báo cáo',
    newUnit: 'Thêm đơn vị',
    import: 'Nhập từ tệp CSV',
    search: 'Tìm theo mã, tên hoặc thư điện tử',
    status: 'Tình trạng',
    all: 'Tất cả',
    active: 'Đang hoạt động',
    inactive: 'Ngừng hoạt động',
    apply: 'Lọc',
    clear: 'Bỏ lọc',
    of: 'trên tổng số',
    code: 'Mã',
    name: 'Tên đơn vị',
    head: 'Thủ trưởng',
    headName: 'Họ tên thủ trưởng',
    headEmail: 'Thư điện tử của thủ trưởng',
    supervisor: 'Lãnh đạo phụ trách',
    supervisorName: 'Họ tên lãnh đạo phụ trách',
    supervisorEmail: 'Thư điện tử của lãnh đạo phụ trách',
    supervisorHint: 'Nhận thư báo cáo cấp trên khi đơn vị quá hạn. Điền cả hai hoặc để trống cả hai.',
    parent: 'Đơn vị cấp trên (mã)',
    tree: 'Xem dạng cây',
    parentHint: 'Không bắt buộc; để trống nếu không có.',
    edit: 'Sửa',
    save: 'Lưu',
    cancel: 'Hủy',
    updated: 'Cập nhật',
    activeLabel: 'Đơn vị đang hoạt động (nhận yêu cầu báo cáo ở các kỳ mới)',
    codeHint: 'Chữ, số, “-” hoặc “_”, tối đa 64 ký tự; không đổi được sau khi tạo.',
    problems: 'Chưa lưu được, xin kiểm tra:',
    editTitle: 'Sửa đơn vị',
    none: 'Không có đơn vị nào.',
    importTitle: 'Nhập đơn vị từ tệp CSV',
    importIntro:
      'Mỗi dòng là một đơn vị, khớp theo mã: mã mới thì tạo, mã đã có thì cập nhật. Hệ thống kiểm tra toàn bộ tệp trước; chưa có gì được lưu cho đến khi bạn bấm “Lưu”.',
    columns: 'Các cột (dòng tiêu đề)',
    optionalActive: 'cột active không bắt buộc (mặc định true)',
    file: 'Chọn tệp CSV (UTF-8)',
    paste: 'Nội dung CSV',
    pasteHint: 'Dán nội dung tệp vào đây, hoặc chọn tệp ở trên.',
    preview: 'Kiểm tra trước',
    confirm: 'Lưu các đơn vị này',
    previewTitle: 'Kết quả kiểm tra',
    willCreate: 'Tạo mới',
    willUpdate: 'Cập nhật',
    unchanged: 'Không đổi',
    errorsTitle: 'Các lỗi cần sửa (chưa có gì được lưu)',
    line: 'Dòng',
    field: 'Cột',
    problem: 'Vấn đề',
    noErrors: 'Tệp hợp lệ. Kiểm tra số lượng ở trên rồi bấm “Lưu các đơn vị này”.',
    fixAndRetry: 'Sửa nội dung trong ô bên dưới (hoặc chọn lại tệp) rồi kiểm tra lại.',
    example: 'Ví dụ',
  },
  en: {
    units: 'Reporting units',
    newUnit: 'Add a unit',
    import: 'Import from CSV',
    search: 'Search code, name or email',
    status: 'Status',
    all: 'All',
    active: 'Active',
    inactive: 'Inactive',
    apply: 'Filter',
    clear: 'Clear',
    of: 'of',
    code: 'Code',
    name: 'Unit name',
    head: 'Head',
    headName: "Head's name",
    headEmail: "Head's email",
    supervisor: 'Supervisor',
    supervisorName: "Supervisor's name",
    supervisorEmail: "Supervisor's email",
    supervisorHint: 'Receives the escalation when the unit is overdue. Give both or neither.',
    parent: 'Parent unit (code)',
    tree: 'Tree view',
    parentHint: 'Optional; leave empty when there is none.',
    edit: 'Edit',
    save: 'Save',
    cancel: 'Cancel',
    updated: 'Updated',
    activeLabel: 'The unit is active (gets a task in new cycles)',
    codeHint: 'Letters, digits, “-” or “_”, at most 64; it cannot change later.',
    problems: 'Not saved; please check:',
    editTitle: 'Edit unit',
    none: 'No units.',
    importTitle: 'Import units from a CSV file',
    importIntro:
      'One unit per line, matched by code: a new code creates a unit, a known code updates it. The whole file is checked first; nothing is saved until you press “Save”.',
    columns: 'Columns (header line)',
    optionalActive: 'the active column is optional (default true)',
    file: 'Choose a CSV file (UTF-8)',
    paste: 'CSV content',
    pasteHint: 'Paste the file here, or choose it above.',
    preview: 'Check first',
    confirm: 'Save these units',
    previewTitle: 'Check result',
    willCreate: 'New',
    willUpdate: 'Updated',
    unchanged: 'Unchanged',
    errorsTitle: 'Problems to fix (nothing was saved)',
    line: 'Line',
    field: 'Column',
    problem: 'Problem',
    noErrors: 'The file is valid. Check the counts above, then press “Save these units”.',
    fixAndRetry: 'Correct the content below (or choose the file again) and check again.',
    example: 'Example',
  },
} as const;

/** A CSV row's problem in the reader's language. */
const problemText = (message: string, lang: Locale): string => (lang === 'en' ? message : problemVi(message));

export function unitsPage(
  v: ConsoleView,
  opts: {
    rows: readonly UnitView[];
    total: number;
    all: number;
    q?: string;
    active?: boolean;
    page: number;
    pages: number;
    notice?: string | null;
  },
): string {
  const t = T[v.lang];
  const status = opts.active === undefined ? '' : opts.active ? 'true' : 'false';
  const body = html`<h1>${t.units}</h1>${flash('ok', opts.notice)}
<p>${reachesInstallation(v) ? html`<a class="button" href="/console/units/new">${t.newUnit}</a> <a class="button secondary" href="/console/units/import">${t.import}</a> ` : ''}<a class="button secondary" href="/console/units/tree">${t.tree}</a></p>
<form method="get" action="/console/units" class="filters" role="search"><div><label for="u-q">${t.search}</label><input id="u-q" name="q" value="${opts.q ?? ''}"></div>
<div><label for="u-active">${t.status}</label><select id="u-active" name="active"><option value="">${t.all}</option><option value="true"${status === 'true' ? html` selected` : ''}>${t.active}</option><option value="false"${status === 'false' ? html` selected` : ''}>${t.inactive}</option></select></div>
<div><button type="submit" class="small">${t.apply}</button>${opts.q || status ? html` <a href="/console/units">${t.clear}</a>` : ''}</div></form>
<p class="hint">${formatNumber(opts.total, v.lang)} ${t.of} ${formatNumber(opts.all, v.lang)}</p>
${
  opts.rows.length === 0
    ? html`<p>${t.none}</p>`
    : html`<div class="table-wrap"><table class="data stack" id="units"><thead><tr><th scope="col">${t.code}</th><th scope="col">${t.name}</th><th scope="col">${t.head}</th><th scope="col">${t.supervisor}</th><th scope="col">${t.status}</th><th scope="col">${t.updated}</th><th scope="col"><span class="hint">${t.edit}</span></th></tr></thead><tbody>
${opts.rows.map(
  (
    u,
  ) => html`<tr><td data-label="${t.code}"><strong>${u.code}</strong></td><td data-label="${t.name}">${u.name}</td><td data-label="${t.head}">${u.headName}<br><span class="hint">${u.headEmail}</span></td>
<td data-label="${t.supervisor}">${u.supervisorName ? html`${u.supervisorName}<br><span class="hint">${u.supervisorEmail}</span>` : '—'}</td>
<td data-label="${t.status}"><span class="badge ${u.active ? 'ok' : ''}">${u.active ? t.active : t.inactive}</span></td><td data-label="${t.updated}">${formatShort(u.updatedAt, v.lang)}</td>
<td data-label=""><a href="/console/units/${encodeURIComponent(u.code)}" aria-label="${t.edit} ${u.code}">${t.edit}</a></td></tr>`,
)}</tbody></table></div>`
}
${pager(v, { page: opts.page, pages: opts.pages, href: (p) => href('/console/units', { q: opts.q, active: status, page: p }) })}`;
  return consolePage(v, { title: t.units, current: 'units', body });
}

export interface UnitFormValues {
  readonly code: string;
  readonly name: string;
  readonly headName: string;
  readonly headEmail: string;
  readonly supervisorName: string;
  readonly supervisorEmail: string;
  readonly parentCode: string;
  readonly active: boolean;
}

export function unitFormPage(
  v: ConsoleView,
  opts: { mode: 'new' | 'edit'; values: UnitFormValues; error?: { field?: string; message: string } | null },
): string {
  const t = T[v.lang];
  const val = opts.values;
  const errField = opts.error?.field;
  const inv = (f: string): Html | '' => (errField === f ? html` aria-invalid="true" aria-describedby="err-${f}"` : '');
  const err = (f: string): Html | '' =>
    errField === f ? html`<p class="field-error" id="err-${f}">${opts.error!.message}</p>` : '';
  const input = (f: keyof UnitFormValues, label: string, type = 'text', extra: Html | '' = ''): Html =>
    html`<label for="unit-${f}">${label}</label><input id="unit-${f}" name="${f}" type="${type}" value="${String(val[f])}"${inv(f)}${extra}>${err(f)}`;
  const title = opts.mode === 'new' ? t.newUnit : `${t.editTitle} ${val.code}`;
  const action = opts.mode === 'new' ? '/console/units' : `/console/units/${encodeURIComponent(val.code)}`;
  const body = html`<p class="hint"><a href="/console/units">← ${t.units}</a></p><h1>${title}</h1>
${opts.error ? flash('error', html`${t.problems} ${opts.error.message}`) : ''}
<form method="post" action="${action}" class="card" novalidate>${csrfField(v)}
${opts.mode === 'new' ? html`${input('code', t.code, 'text', html` required maxlength="64" aria-describedby="code-hint"`)}<p class="hint" id="code-hint">${t.codeHint}</p>` : html`<p><strong>${t.code}:</strong> ${val.code}</p>`}
${input('name', t.name, 'text', html` required maxlength="300"`)}
${input('headName', t.headName, 'text', html` required maxlength="200"`)}
${input('headEmail', t.headEmail, 'email', html` required maxlength="320" autocomplete="off"`)}
<fieldset><legend>${t.supervisor}</legend><p class="hint">${t.supervisorHint}</p>${input('supervisorName', t.supervisorName)}${input('supervisorEmail', t.supervisorEmail, 'email')}</fieldset>
${input('parentCode', t.parent, 'text', html` maxlength="64" aria-describedby="parent-hint"`)}<p class="hint" id="parent-hint">${t.parentHint}</p>
<label class="checkline"><input type="checkbox" name="active" value="true"${val.active ? html` checked` : ''}> ${t.activeLabel}</label>
<p class="actions"><button type="submit">${t.save}</button> <a href="/console/units">${t.cancel}</a></p></form>`;
  return consolePage(v, { title, current: 'units', body });
}

const EXAMPLE =
  'code,name,headName,headEmail,supervisorName,supervisorEmail,active\nSTTTT-AG,Sở Thông tin và Truyền thông An Giang,Nguyễn Văn A,giamdoc@stttt.angiang.gov.vn,Trần Thị B,phochutich@angiang.gov.vn,true';

export function importPage(
  v: ConsoleView,
  opts: {
    csv: string;
    result?: ImportResult | null;
    columns: readonly string[];
    notice?: string | null;
    error?: string | null;
  },
): string {
  const t = T[v.lang];
  const r = opts.result;
  const ok = r && r.errors.length === 0;
  const body = html`<p class="hint"><a href="/console/units">← ${t.units}</a></p><h1>${t.importTitle}</h1>${flash('ok', opts.notice)}${flash('error', opts.error)}
<p>${t.importIntro}</p>
<p class="hint">${t.columns}: <code>${opts.columns.join(',')}</code> — ${t.optionalActive}.</p>
<details><summary>${t.example}</summary><pre class="pre">${EXAMPLE}</pre></details>
${
  r
    ? html`<section class="card" aria-labelledby="preview-title" id="preview"><h2 id="preview-title">${t.previewTitle}</h2>
<ul class="stats"><li><strong>${formatNumber(r.created, v.lang)}</strong>${t.willCreate}</li><li><strong>${formatNumber(r.updated, v.lang)}</strong>${t.willUpdate}</li><li><strong>${formatNumber(r.unchanged, v.lang)}</strong>${t.unchanged}</li></ul>
${
  ok
    ? html`<p class="notice ok" role="status">${t.noErrors}</p>`
    : html`<div class="notice error" role="alert"><p><strong>${t.errorsTitle}</strong></p><p>${t.fixAndRetry}</p></div>
<div class="table-wrap"><table class="data stack" id="import-errors"><thead><tr><th scope="col">${t.line}</th><th scope="col">${t.field}</th><th scope="col">${t.problem}</th></tr></thead><tbody>
${r.errors.map((e) => html`<tr><td data-label="${t.line}" class="num">${e.line}</td><td data-label="${t.field}">${e.field}</td><td data-label="${t.problem}">${problemText(e.message, v.lang)}</td></tr>`)}</tbody></table></div>`
}</section>`
    : ''
}
<form method="post" action="/console/units/import" class="card" id="import-form">${csrfField(v)}
<label for="csv-file" hidden>${t.file}</label><input id="csv-file" type="file" accept=".csv,text/csv" hidden>
<label for="csv">${t.paste}</label><textarea id="csv" name="csv" class="csv" spellcheck="false" aria-describedby="csv-hint">${opts.csv}</textarea><p class="hint" id="csv-hint">${t.pasteHint}</p>
<p class="actions"><button type="submit" name="action" value="preview" class="${ok ? 'secondary' : ''}">${t.preview}</button>${ok ? html`<button type="submit" name="action" value="confirm">${t.confirm}</button>` : ''}</p></form>`;
  return consolePage(v, { title: t.importTitle, current: 'units', body, scripts: ['console.js'] });
}
