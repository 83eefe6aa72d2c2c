/**
 * The unit head's emulation-registration page behind `/dk/<token>`: phone first, Vietnamese by
 * default, English on request, working without JavaScript. Each indicator of the round's template
 * with its measure and the template's target (offered as the figure until the unit registers its
 * own), the emulation titles as checkboxes, one button; after the deadline, what was registered.
 */
import { EMULATION_TITLE_NAMES } from '../../domain/emulation-titles';
import type { FieldError } from '../../domain/answers';
import { html, page, type Html } from '../pages/html';
import { fieldMessage, formatInstant, formatNumber, formatShort, type Locale } from '../pages/i18n';
import { targetText } from '../pages/charts';
import type { RegistrationView } from '../services/registration.service';
import { langSwitch } from './report-form.page';

const T = {
  vi: {
    title: 'Đăng ký thi đua',
    year: 'Năm',
    unit: 'Đơn vị',
    head: 'Thủ trưởng',
    deadline: 'Hạn đăng ký',
    intro:
      'Đơn vị đăng ký mức phấn đấu cho từng chỉ tiêu và các danh hiệu thi đua đơn vị đăng ký. Ô nhập đã điền sẵn chỉ tiêu chung của biểu mẫu; hãy sửa theo mức đơn vị cam kết. Trước hạn, đơn vị có thể sửa lại và gửi lại.',
    indicators: 'Chỉ tiêu đăng ký',
    templateTarget: 'Chỉ tiêu chung',
    titles: 'Danh hiệu thi đua đăng ký',
    titlesHint: 'Chọn các danh hiệu đơn vị phấn đấu đạt được trong năm (có thể không chọn).',
    submit: 'Gửi đăng ký',
    resubmit: 'Gửi đăng ký đã sửa',
    registered: 'Đơn vị đã đăng ký lúc',
    by: 'bởi',
    version: 'lần gửi thứ',
    saved: 'Đã ghi nhận đăng ký thi đua của đơn vị lúc',
    closed: 'Đã hết hạn đăng ký thi đua; nội dung dưới đây là nội dung đơn vị đã đăng ký.',
    closedNone: 'Đã hết hạn đăng ký thi đua; đơn vị chưa đăng ký.',
    errors: 'Chưa gửi được đăng ký, vui lòng sửa:',
    none: 'không đăng ký danh hiệu nào',
  },
  en: {
    title: 'Emulation registration',
    year: 'Year',
    unit: 'Unit',
    head: 'Head',
    deadline: 'Registration deadline',
    intro:
      "Register the figure your unit commits to for each indicator and the emulation titles it aims for. Each box holds the template's common target until you change it. Until the deadline you can correct and send again.",
    indicators: 'Registered targets',
    templateTarget: "Template's target",
    titles: 'Emulation titles aimed for',
    titlesHint: 'Tick the titles your unit aims for this year (none is fine).',
    submit: 'Send registration',
    resubmit: 'Send corrected registration',
    registered: 'Your unit registered at',
    by: 'by',
    version: 'submission',
    saved: "Your unit's registration was recorded at",
    closed: 'Registration has closed; below is what your unit registered.',
    closedNone: 'Registration has closed; your unit did not register.',
    errors: 'The registration was not sent; please correct:',
    none: 'no title',
  },
} as const;

export interface RegistrationPageOptions {
  /** Where the form posts (the page's own URL, with its `lang`). */
  readonly action: string;
  readonly notice?: string | undefined;
  readonly errors?: readonly FieldError[] | undefined;
  /** What was posted, shown again beside its errors (indicator code → the text typed). */
  readonly typed?: ReadonlyMap<string, string> | undefined;
  readonly ticked?: readonly string[] | undefined;
  /** Why what was sent was refused as a whole (the deadline passed). */
  readonly refusal?: string | undefined;
}

/** A figure as a person types it in their language ("0,7" in Vietnamese). */
const inputText = (n: number, lang: Locale): string => (lang === 'vi' ? String(n).replace('.', ',') : String(n));

const idOf = (field: string): string => (field.startsWith('targets.') ? `t-${field.slice(8)}` : 'titles');

export function registrationPage(view: RegistrationView, lang: Locale, opts: RegistrationPageOptions): string {
  const t = T[lang];
  const errors = new Map((opts.errors ?? []).map((e) => [e.field, fieldMessage(e.message, lang)]));
  const r = view.registration;
  const ticked = opts.ticked ?? r?.titles ?? [];
  const indicatorTitle = (code: string): string => view.indicators.find((i) => i.code === code)?.title[lang] ?? code;
  const header = html`${langSwitch(opts.action, lang)}<h1>${t.title} ${view.year}</h1>
<p class="meta">${view.campaign.name}</p>
<dl class="kv"><dt>${t.unit}</dt><dd>${view.unit.name} (${view.unit.code})</dd><dt>${t.head}</dt><dd>${view.unit.headName}</dd><dt>${t.deadline}</dt><dd><time datetime="${view.deadline}">${formatInstant(view.deadline, lang)}</time></dd></dl>
${opts.refusal ? html`<p class="error" role="alert" id="refusal">${opts.refusal}</p>` : ''}`;
  const status: Html | '' = r
    ? html`<p class="hint" id="registered-at">${t.registered} ${formatShort(r.submittedAt, lang)} ${t.by} ${r.submittedBy} (${t.version} ${r.version}).</p>`
    : '';
  if (!view.open) {
    const body = html`${header}<p class="notice warn" role="status">${r ? t.closed : t.closedNone}</p>${status}
${
  r
    ? html`<table class="data stack"><tbody>${view.indicators.map((i) => html`<tr><th scope="row">${i.code}. ${i.title[lang]}</th><td>${r.targets[i.code] === undefined ? '' : formatNumber(r.targets[i.code]!, lang, 6)} ${i.measure[lang]}</td></tr>`)}</tbody></table>
<p>${t.titles}: ${r.titles.length ? r.titles.map((x) => EMULATION_TITLE_NAMES[x][lang]).join('; ') : t.none}</p>`
    : ''
}`;
    return page({ title: `${t.title} ${view.year} — ${view.unit.name}`, lang, body });
  }
  const valueOf = (code: string, suggested: number): string =>
    opts.typed?.get(code) ??
    (r?.targets[code] !== undefined ? inputText(r.targets[code]!, lang) : inputText(suggested, lang));
  const err = (field: string): Html | '' =>
    errors.has(field) ? html`<p class="field-error" id="err-${idOf(field)}">${errors.get(field)!}</p>` : '';
  const invalid = (field: string): Html | '' =>
    errors.has(field) ? html` aria-invalid="true" aria-describedby="err-${idOf(field)}"` : '';
  const body = html`${header}
${opts.notice ? html`<p class="ok" role="status" id="notice">${opts.notice}</p>` : ''}
${opts.errors?.length ? html`<div class="error" role="alert" id="error-summary"><p><strong>${t.errors}</strong></p><ul>${opts.errors.map((e) => html`<li><a href="#${idOf(e.field)}">${e.field.startsWith('targets.') ? indicatorTitle(e.field.slice(8)) : t.titles}</a>: ${fieldMessage(e.message, lang)}</li>`)}</ul></div>` : ''}
${opts.notice ? '' : status}
<p>${t.intro}</p>
<form method="post" action="${opts.action}" id="registration-form" novalidate>
<h2>${t.indicators}</h2>
<div class="card">
${view.indicators.map(
  (i) => html`<label for="t-${i.code}">${i.code}. ${i.title[lang]} (${i.measure[lang]})</label>
<div class="with-target"><input id="t-${i.code}" name="t.${i.code}" inputmode="decimal" value="${valueOf(i.code, i.suggested)}" aria-describedby="t-${i.code}-hint"${invalid(`targets.${i.code}`)}>
<span class="target-hint" id="t-${i.code}-hint">${t.templateTarget}: ${targetText(i.target, lang)} ${i.measure[lang]}</span></div>${err(`targets.${i.code}`)}`,
)}
</div>
<fieldset id="titles"><legend>${t.titles}</legend><p class="hint">${t.titlesHint}</p>
${view.titles.map((x) => html`<label class="checkline"><input type="checkbox" name="title" value="${x}"${ticked.includes(x) ? html` checked` : ''}> ${EMULATION_TITLE_NAMES[x][lang]}</label>`)}${err('titles')}
</fieldset>
<div class="submit-bar"><button type="submit">${r ? t.resubmit : t.submit}</button></div>
</form>`;
  return page({ title: `${t.title} ${view.year} — ${view.unit.name}`, lang, body });
}

/** The notice after a registration is stored. */
export const savedNotice = (at: string, lang: Locale): string => `${T[lang].saved} ${formatShort(at, lang)}.`;
