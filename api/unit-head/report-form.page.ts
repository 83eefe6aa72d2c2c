/**
 * The unit head's pages behind the emailed link: the report form generated from the cycle's
 * template version, the receipt, the report as submitted, and clear pages for links that no
 * longer take a report. Every text a person typed is escaped by `html`.
 */
import type { AdvancedExample, CommendationProposal, FieldError, ReportAnswers } from '../../domain/answers';
import type { Locale, TemplateDefinition } from '../../domain/template';
import type { Receipt, TaskView } from '../services/unit-task.service';
import { reportingUnitsSection } from './reporting-units.page';
import type { ReportingUnits } from './reporting-units.service';
import type { RevisionRequest } from './report-pages.service';
import type { DraftLinkView } from './draft-links.service';
import { html, page, type Html } from '../pages/html';
import { fieldMessage, formatDuration, formatInstant, formatNumber, formatShort, withLang } from '../pages/i18n';

const T = {
  vi: {
    title: 'Báo cáo định kỳ hàng tháng',
    unit: 'Đơn vị',
    period: 'Kỳ báo cáo',
    deadline: 'Hạn nộp',
    data: 'Số liệu từ',
    to: 'đến',
    keyTasks: 'Nhiệm vụ trọng tâm',
    status: 'Tình hình',
    text: 'Kết quả thực hiện trong tháng',
    evidence: 'Đường dẫn minh chứng (nếu có)',
    statuses: { not_started: 'Chưa triển khai', in_progress: 'Đang thực hiện', done: 'Đã hoàn thành' },
    indicators: 'Chỉ tiêu',
    target: 'Chỉ tiêu đề ra',
    sections: 'Các lĩnh vực',
    examples: 'Điển hình tiên tiến',
    proposals: 'Đề nghị khen thưởng',
    example: 'Điển hình',
    proposal: 'Đề nghị',
    name: 'Tên',
    kind: 'Loại',
    description: 'Thành tích, việc làm',
    collective: 'Tập thể',
    individual: 'Cá nhân',
    nominee: 'Đối tượng đề nghị',
    commendationKind: 'Hình thức',
    adHoc: 'Đột xuất',
    thematic: 'Theo chuyên đề',
    requestedForm: 'Hình thức khen thưởng / danh hiệu đề nghị',
    summary: 'Tóm tắt thành tích',
    recommendations: 'Khó khăn, vướng mắc, kiến nghị',
    save: 'Lưu nháp',
    submit: 'Nộp báo cáo',
    saved: 'Đã lưu nháp lúc',
    errors: 'Báo cáo chưa hợp lệ, xin kiểm tra:',
    closed: 'Báo cáo không thể nộp qua đường liên kết này.',
    receipt: 'Biên nhận',
    receiptNumber: 'Số biên nhận',
    submittedAt: 'Thời gian nộp',
    onTime: 'Đúng hạn',
    late: 'Nộp muộn',
    received: 'Báo cáo đã được tiếp nhận.',
    optional: 'không bắt buộc',
    atLeast: 'tối thiểu',
    atMost: 'tối đa',
    between: 'từ',
    and: 'đến',
    timeLeft: 'Thời gian còn lại',
    overdueBy: 'Đã quá hạn',
    lateUntil: 'Bạn vẫn có thể nộp (tính là nộp muộn) đến',
    closesAt: 'Đường liên kết đóng lúc',
    addExample: 'Thêm một điển hình',
    addProposal: 'Thêm một đề nghị',
    rowAdded: 'Đã thêm một dòng mới.',
    emptyRowHint: 'Để trống cả dòng nếu không dùng; dòng trống không được lưu.',
    confirmSubmit: 'Nộp báo cáo? Sau khi nộp, bạn chỉ sửa được khi Hội đồng yêu cầu chỉnh sửa.',
    draftHint: 'Lưu nháp để làm tiếp sau; bản nháp chưa được gửi cho Hội đồng.',
    lastDraft: 'Bản nháp lưu gần nhất',
    revisionTitle: 'Hội đồng đề nghị chỉnh sửa báo cáo',
    revisionBy: 'đề nghị chỉnh sửa báo cáo',
    revisionComment: 'Ý kiến của Hội đồng',
    revisionDeadline: 'Hạn nộp lại',
    revisionPrefilled: 'Biểu mẫu đã điền sẵn nội dung bạn nộp lần trước; sửa những phần cần thiết rồi nộp lại.',
    print: 'In biên nhận',
    backToForm: 'Về trang báo cáo',
    version: 'Lần nộp',
    submittedTitle: 'Báo cáo đã nộp',
    submittedNote: 'Báo cáo của đơn vị đã được nộp. Bạn chỉ cần nộp lại khi Hội đồng đề nghị chỉnh sửa.',
    content: 'Nội dung đã nộp',
    none: '(không có)',
    langName: 'Tiếng Việt',
    other: 'English',
    langLabel: 'Ngôn ngữ',
    secretariat: 'Thường trực Hội đồng Thi đua - Khen thưởng',
    required: 'bắt buộc',
    timeliness: 'Thời hạn',
    savedBy: 'bởi',
    staffBanner: 'Bạn đang soạn báo cáo giúp thủ trưởng đơn vị, với tên',
    staffNote: 'Bản nháp được lưu dưới tên bạn; thủ trưởng đơn vị xem lại và nộp báo cáo bằng đường liên kết của mình.',
    fromPreviousTitle: 'Bắt đầu từ báo cáo tháng trước',
    fromPreviousText: 'Điền sẵn biểu mẫu bằng nội dung đơn vị đã báo cáo kỳ',
    fromPreviousNote: 'Điển hình và đề nghị khen thưởng không được chép lại. Bạn sửa lại cho tháng này trước khi nộp.',
    fromPreviousButton: 'Điền sẵn từ báo cáo kỳ',
    helpersTitle: 'Người soạn thảo giúp',
    helpersText:
      'Gửi cho cán bộ một đường liên kết chỉ để soạn thảo: họ lưu được bản nháp (ghi tên họ), nhưng chỉ đường liên kết của bạn mới nộp được báo cáo.',
    helperName: 'Họ tên cán bộ soạn thảo',
    helperCreate: 'Tạo đường liên kết soạn thảo',
    helperRevoke: 'Thu hồi',
    helperSince: 'tạo lúc',
    newLinkTitle: 'Đường liên kết soạn thảo cho',
    newLinkNote: 'Đường liên kết chỉ hiện một lần. Hãy sao chép và gửi cho cán bộ (qua thư điện tử hoặc tin nhắn).',
    autosaving: 'Đang lưu…',
    autosaveOffline: 'Mất kết nối: các thay đổi được giữ trên máy này và sẽ được lưu khi có mạng trở lại.',
    autosaveInvalid: 'Chưa lưu được, xin kiểm tra:',
    autosaveLeave: 'Còn thay đổi chưa được lưu. Rời trang?',
    autosaveRestored: 'Đã khôi phục các thay đổi chưa kịp lưu trên máy này.',
  },
  en: {
    title: 'Monthly report',
    unit: 'Unit',
    period: 'Period',
    deadline: 'Deadline',
    data: 'Data from',
    to: 'to',
    keyTasks: 'Key tasks',
    status: 'Status',
    text: 'What was done this month',
    evidence: 'Evidence link (optional)',
    statuses: { not_started: 'Not started', in_progress: 'In progress', done: 'Done' },
    indicators: 'Indicators',
    target: 'Target',
    sections: 'Sector fields',
    examples: 'Advanced examples',
    proposals: 'Commendation proposals',
    example: 'Example',
    proposal: 'Proposal',
    name: 'Name',
    kind: 'Kind',
    description: 'What they did',
    collective: 'Collective',
    individual: 'Individual',
    nominee: 'Nominee',
    commendationKind: 'Kind',
    adHoc: 'Ad hoc',
    thematic: 'Thematic',
    requestedForm: 'Requested form of commendation or title',
    summary: 'Achievement summary',
    recommendations: 'Difficulties and recommendations',
    save: 'Save draft',
    submit: 'Submit report',
    saved: 'Draft saved at',
    errors: 'The report is not valid yet; please check:',
    closed: 'This link no longer takes a report.',
    receipt: 'Receipt',
    receiptNumber: 'Receipt number',
    submittedAt: 'Submitted at',
    onTime: 'On time',
    late: 'Late',
    received: 'Your report has been received.',
    optional: 'optional',
    atLeast: 'at least',
    atMost: 'at most',
    between: 'between',
    and: 'and',
    timeLeft: 'Time left',
    overdueBy: 'Overdue by',
    lateUntil: 'You can still submit (counted as late) until',
    closesAt: 'The link closes at',
    addExample: 'Add an example',
    addProposal: 'Add a proposal',
    rowAdded: 'A new row was added.',
    emptyRowHint: 'Leave a whole row empty if you do not need it; empty rows are not saved.',
    confirmSubmit: 'Submit the report? After submitting you can change it only if the council asks for a revision.',
    draftHint: 'Save a draft to continue later; a draft is not sent to the council.',
    lastDraft: 'Last draft saved',
    revisionTitle: 'The council asks you to revise the report',
    revisionBy: 'asks you to revise the report',
    revisionComment: "The council's comment",
    revisionDeadline: 'Resubmit by',
    revisionPrefilled: 'The form holds what you submitted last time; change what is needed and submit again.',
    print: 'Print the receipt',
    backToForm: 'Back to the report page',
    version: 'Submission',
    submittedTitle: 'Report submitted',
    submittedNote:
      "Your unit's report has been submitted. You only need to submit again if the council asks for a revision.",
    content: 'What was submitted',
    none: '(none)',
    langName: 'English',
    other: 'Tiếng Việt',
    langLabel: 'Language',
    secretariat: 'the Emulation & Commendation Council secretariat',
    required: 'required',
    timeliness: 'Timeliness',
    savedBy: 'by',
    staffBanner: 'You are preparing this report for the unit head, under the name',
    staffNote: 'Drafts are saved under your name; the unit head reviews the report and submits it with their own link.',
    fromPreviousTitle: "Start from last month's answers",
    fromPreviousText: 'Fill the form with what your unit reported for',
    fromPreviousNote:
      'Advanced examples and commendation proposals are not copied. Update everything for this month before submitting.',
    fromPreviousButton: 'Fill from the report of',
    helpersTitle: 'Staff preparing the report',
    helpersText:
      'Give a staff member a link that only prepares the report: they can save drafts (under their name), but only your link submits.',
    helperName: "Staff member's name",
    helperCreate: 'Create a drafting link',
    helperRevoke: 'Withdraw',
    helperSince: 'created',
    newLinkTitle: 'Drafting link for',
    newLinkNote: 'This link is shown only once. Copy it and send it to the staff member (by email or message).',
    autosaving: 'Saving…',
    autosaveOffline: 'Offline: your changes are kept on this device and will be saved when the connection returns.',
    autosaveInvalid: 'Not saved yet; please check:',
    autosaveLeave: 'Some changes are not saved yet. Leave the page?',
    autosaveRestored: 'Changes that had not been saved were restored from this device.',
  },
} as const;

type Texts = (typeof T)[Locale];

/** The language switch at the top of the unit head's pages. */
export function langSwitch(url: string, lang: Locale): Html {
  const other: Locale = lang === 'vi' ? 'en' : 'vi';
  return html`<nav class="lang-bar" aria-label="${T[lang].langLabel}"><span aria-current="true">${T[lang].langName}</span><a href="${withLang(url, other)}" lang="${other}" hreflang="${other}">${T[lang].other}</a></nav>`;
}

function targetText(view: TaskView, code: string, lang: Locale): string {
  const t = T[lang];
  const ind = view.template.indicators.find((i) => i.code === code)!;
  const measure = ind.measure[lang];
  const n = (x: number): string => formatNumber(x, lang, 6);
  switch (ind.target.kind) {
    case 'at_least':
      return `${t.target}: ${t.atLeast} ${n(ind.target.value)} ${measure}`;
    case 'at_most':
      return `${t.target}: ${t.atMost} ${n(ind.target.value)} ${measure}`;
    case 'between':
      return `${t.target}: ${t.between} ${n(ind.target.min)} ${t.and} ${n(ind.target.max)} ${measure}`;
  }
}

/** The id of the input a validation error is about, so the summary can link to it. */
function inputIdOf(field: string): string {
  const [group, key, sub] = field.split('.');
  if (group === 'keyTasks' && key) return `kt-${key}-${sub === 'evidenceUrl' ? 'evidence' : (sub ?? 'status')}`;
  if (group === 'indicators' && key) return `ind-${key}`;
  if (group === 'sections' && key) return `sec-${key}`;
  if (group === 'examples' && key) return `ex-${key}-${sub ?? 'name'}`;
  if (group === 'proposals' && key) return `pr-${key}-${sub ?? 'nominee'}`;
  if (group === 'recommendations') return 'recommendations';
  if (group === 'holderName') return 'holder-name';
  return 'report-form';
}

/** What a person calls the field an error is about: the key task, indicator or section's title. */
export function fieldLabel(field: string, template: TemplateDefinition, lang: Locale): string {
  const t = T[lang];
  const [group, key, sub] = field.split('.');
  if (group === 'keyTasks') {
    const task = template.keyTasks.find((k) => k.code === key);
    const part = sub === 'text' ? t.text : sub === 'evidenceUrl' ? t.evidence : t.status;
    return `${key}${task ? ` ${task.title[lang]}` : ''} — ${part}`;
  }
  if (group === 'indicators') return template.indicators.find((i) => i.code === key)?.title[lang] ?? field;
  if (group === 'sections') return template.sections.find((s) => s.code === key)?.title[lang] ?? field;
  if (group === 'examples') return `${t.example} ${Number(key) + 1}`;
  if (group === 'proposals') return `${t.proposal} ${Number(key) + 1}`;
  if (group === 'recommendations') return t.recommendations;
  if (group === 'holderName') return t.helperName;
  return field;
}

export interface DeadlineInfo {
  readonly deadline: string;
  readonly hardClose: string;
  readonly now: Date;
}

/** The deadline, the time left (or how late it is) and until when a late report is taken. */
export function deadlineBox({ deadline, hardClose, now }: DeadlineInfo, lang: Locale): Html {
  const t = T[lang];
  const left = Date.parse(deadline) - now.getTime();
  if (left > 0) {
    return html`<p class="deadline" id="deadline"><span>${t.deadline}: <strong><time datetime="${deadline}">${formatInstant(deadline, lang)}</time></strong></span><span>${t.timeLeft}: <strong class="left">${formatDuration(left, lang)}</strong></span></p>`;
  }
  const closes = Date.parse(hardClose) > Date.parse(deadline);
  return html`<p class="deadline late" id="deadline"><span>${t.deadline}: <strong><time datetime="${deadline}">${formatInstant(deadline, lang)}</time></strong></span><span>${t.overdueBy}: <strong class="left">${formatDuration(-left, lang)}</strong></span>${closes ? html`<span>${t.lateUntil} <time datetime="${hardClose}">${formatInstant(hardClose, lang)}</time>.</span>` : ''}</p>`;
}

export interface FormOptions {
  /** Where the form posts (the page's own URL, with its `lang`). */
  readonly action: string;
  readonly now: Date;
  readonly errors?: readonly FieldError[];
  readonly notice?: string;
  readonly values?: Partial<ReportAnswers>;
  readonly revision?: RevisionRequest | null;
  /** Empty rows to offer after the filled ones (the no-script "add a row" asks for one more). */
  readonly emptyRows?: { readonly ex: number; readonly pr: number };
  readonly rowAdded?: boolean;
  /** For a unit that others report to: them, and its subtree's figures. */
  readonly reporting?: ReportingUnits | null;
  /** The period of the unit's previous report, offered as a starting point. */
  readonly previousPeriod?: string | null;
  /** The draft-only links the head gave (the head's page only). */
  readonly draftLinks?: readonly DraftLinkView[];
  /** A draft-only link just created: shown this once. */
  readonly newDraftLink?: { readonly holderName: string; readonly url: string };
  /** The template editor's preview: the same form, disabled, posting nothing. */
  readonly preview?: boolean;
}

const selected = (on: boolean): Html | '' => (on ? html` selected` : '');

function exampleRow(
  t: Texts,
  i: number | '__i__',
  e: Partial<AdvancedExample> | undefined,
  err: (f: string) => Html | '',
  invalid: (f: string) => Html | '',
): Html {
  const n = i === '__i__' ? '__n__' : i + 1;
  return html`<fieldset data-index="${i}"><legend>${t.example} ${n}</legend><div class="row-grid">
<div><label for="ex-${i}-name">${t.name}</label><input id="ex-${i}-name" name="ex.${i}.name" value="${e?.name ?? ''}"${invalid(`examples.${i}.name`)}>${err(`examples.${i}.name`)}</div>
<div><label for="ex-${i}-kind">${t.kind}</label><select id="ex-${i}-kind" name="ex.${i}.kind"><option value="collective"${selected(e?.kind === 'collective')}>${t.collective}</option><option value="individual"${selected(e?.kind === 'individual')}>${t.individual}</option></select></div>
<div class="span3"><label for="ex-${i}-description">${t.description}</label><textarea id="ex-${i}-description" name="ex.${i}.description"${invalid(`examples.${i}.description`)}>${e?.description ?? ''}</textarea>${err(`examples.${i}.description`)}</div>
</div></fieldset>`;
}

function proposalRow(
  t: Texts,
  i: number | '__i__',
  p: Partial<CommendationProposal> | undefined,
  err: (f: string) => Html | '',
  invalid: (f: string) => Html | '',
): Html {
  const n = i === '__i__' ? '__n__' : i + 1;
  return html`<fieldset data-index="${i}"><legend>${t.proposal} ${n}</legend><div class="row-grid">
<div><label for="pr-${i}-nominee">${t.nominee}</label><input id="pr-${i}-nominee" name="pr.${i}.nominee" value="${p?.nominee ?? ''}"${invalid(`proposals.${i}.nominee`)}>${err(`proposals.${i}.nominee`)}</div>
<div><label for="pr-${i}-nomineeKind">${t.kind}</label><select id="pr-${i}-nomineeKind" name="pr.${i}.nomineeKind"><option value="collective"${selected(p?.nomineeKind === 'collective')}>${t.collective}</option><option value="individual"${selected(p?.nomineeKind === 'individual')}>${t.individual}</option></select></div>
<div><label for="pr-${i}-commendationKind">${t.commendationKind}</label><select id="pr-${i}-commendationKind" name="pr.${i}.commendationKind"><option value="ad_hoc"${selected(p?.commendationKind === 'ad_hoc')}>${t.adHoc}</option><option value="thematic"${selected(p?.commendationKind === 'thematic')}>${t.thematic}</option></select></div>
<div class="span3"><label for="pr-${i}-requestedForm">${t.requestedForm}</label><input id="pr-${i}-requestedForm" name="pr.${i}.requestedForm" value="${p?.requestedForm ?? ''}"${invalid(`proposals.${i}.requestedForm`)}>${err(`proposals.${i}.requestedForm`)}</div>
<div class="span3"><label for="pr-${i}-summary">${t.summary}</label><textarea id="pr-${i}-summary" name="pr.${i}.summary"${invalid(`proposals.${i}.summary`)}>${p?.summary ?? ''}</textarea>${err(`proposals.${i}.summary`)}</div>
</div></fieldset>`;
}

/** Where the form saves itself: the page's path + `/draft`, with its query (`lang`). */
function autosaveUrl(action: string): string {
  const [path, query] = action.split('?');
  return `${path}/draft${query ? `?${query}` : ''}`;
}

function fromPreviousSection(t: Texts, action: string, period: string): Html {
  return html`<section class="card" aria-labelledby="from-previous-title" id="from-previous"><h2 id="from-previous-title">${t.fromPreviousTitle}</h2>
<p>${t.fromPreviousText} <strong>${period}</strong>. ${t.fromPreviousNote}</p>
<form method="post" action="${action}"><button type="submit" name="action" value="from_previous" class="secondary">${t.fromPreviousButton} ${period}</button></form></section>`;
}

/** The head's drafting links: the one just created (shown once), those given, and a form for another. */
function draftLinksSection(t: Texts, lang: Locale, opts: FormOptions): Html {
  const links = opts.draftLinks ?? [];
  return html`<section class="card" aria-labelledby="helpers-title" id="draft-links"><h2 id="helpers-title">${t.helpersTitle}</h2>
<p class="hint">${t.helpersText}</p>
${opts.newDraftLink ? html`<div class="notice ok" role="status"><p>${t.newLinkTitle} <strong>${opts.newDraftLink.holderName}</strong>:</p><p><input id="new-draft-link" readonly value="${opts.newDraftLink.url}" aria-label="${t.newLinkTitle} ${opts.newDraftLink.holderName}"></p><p class="hint">${t.newLinkNote}</p></div>` : ''}
${links.length ? html`<ul class="texts">${links.map((link) => html`<li><form method="post" action="${opts.action}" class="inline"><span class="who">${link.holderName}</span> <span class="hint">${t.helperSince} ${formatShort(link.createdAt, lang)}</span> <input type="hidden" name="draftLink" value="${link.id}"><button type="submit" name="action" value="draft_link_revoke" class="secondary small">${t.helperRevoke}</button></form></li>`)}</ul>` : ''}
<form method="post" action="${opts.action}"><label for="holder-name">${t.helperName}</label><input id="holder-name" name="holderName" maxlength="200" autocomplete="off" required>
<button type="submit" name="action" value="draft_link_create" class="secondary">${t.helperCreate}</button></form></section>`;
}

function taskHeader(view: TaskView, lang: Locale): Html {
  const t = T[lang];
  return html`<p class="meta">${t.unit}: <strong>${view.unit.name}</strong> · ${t.period}: <strong>${view.period}</strong> (${t.data} ${view.dataFrom} ${t.to} ${view.dataTo})</p>`;
}

export function reportFormPage(view: TaskView, lang: Locale, opts: FormOptions): string {
  const t = T[lang];
  return page({
    title: `${t.title} — ${view.unit.name}`,
    lang,
    body: reportForm(view, lang, opts),
    scripts: ['report-form.js'],
  });
}

/**
 * The form of `template` as a unit head will see it, for the template editor's preview: the same
 * markup, every field disabled, nothing to post.
 */
export function formPreview(template: TemplateDefinition, lang: Locale, now: Date): Html {
  const month = now.toISOString().slice(0, 7);
  const view: TaskView = {
    unit: { code: '—', name: lang === 'vi' ? '(đơn vị)' : '(unit)', headName: '' },
    campaign: { code: '—', name: template.title[lang] },
    period: month,
    dataFrom: `${month}-01`,
    dataTo: `${month}-14`,
    deadline: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
    hardClose: new Date(now.getTime() + 10 * 86_400_000).toISOString(),
    revisionDeadline: null,
    state: 'dispatched',
    holder: { kind: 'head' },
    open: true,
    canSubmit: true,
    template,
    draft: null,
    draftSavedAt: null,
    draftSavedBy: null,
    lastSubmission: null,
  };
  return reportForm(view, lang, { action: '', now, preview: true });
}

function reportForm(view: TaskView, lang: Locale, opts: FormOptions): Html {
  const t = T[lang];
  const values: Partial<ReportAnswers> = opts.values ?? view.draft ?? view.lastSubmission?.answers ?? {};
  const errorsFor = new Map((opts.errors ?? []).map((e) => [e.field, e.message]));
  const errId = (field: string): string => `err-${inputIdOf(field)}`;
  const err = (field: string): Html | '' =>
    errorsFor.has(field)
      ? html`<p class="field-error" id="${errId(field)}">${fieldMessage(errorsFor.get(field)!, lang)}</p>`
      : '';
  const invalid = (field: string): Html | '' =>
    errorsFor.has(field) ? html` aria-invalid="true" aria-describedby="${errId(field)}"` : '';
  const empty = opts.emptyRows ?? { ex: 1, pr: 1 };
  const examples = [...(values.examples ?? []), ...Array.from({ length: empty.ex }, () => undefined)];
  const proposals = [...(values.proposals ?? []), ...Array.from({ length: empty.pr }, () => undefined)];
  const revision = view.state === 'revision_requested' ? opts.revision : null;
  const noop = (): '' => '';

  const preview = opts.preview === true;
  const body = html`${preview ? '' : langSwitch(opts.action, lang)}
<h1>${t.title}: ${view.campaign.name}</h1>
${taskHeader(view, lang)}
${
  view.state === 'revision_requested' && view.revisionDeadline
    ? deadlineBox({ deadline: view.revisionDeadline, hardClose: view.revisionDeadline, now: opts.now }, lang)
    : deadlineBox({ deadline: view.deadline, hardClose: view.hardClose, now: opts.now }, lang)
}
${
  revision
    ? html`<section class="notice warn" aria-labelledby="revision-title"><h2 id="revision-title">${revision.by ? `${revision.by} ${t.revisionBy}` : t.revisionTitle}</h2>
${revision.comment ? html`<p>${t.revisionComment}:</p><blockquote class="comment" id="revision-comment">${revision.comment}</blockquote>` : ''}
${revision.deadline ? html`<p>${t.revisionDeadline}: <strong>${formatInstant(revision.deadline, lang)}</strong></p>` : ''}
<p>${t.revisionPrefilled}</p></section>`
    : ''
}
${opts.notice ? html`<p class="ok" role="status">${opts.notice}</p>` : ''}
${opts.errors?.length ? html`<div class="error" role="alert" id="error-summary"><p><strong>${t.errors}</strong></p><ul>${opts.errors.map((e) => html`<li><a href="#${inputIdOf(e.field)}">${fieldLabel(e.field, view.template, lang)}</a>: ${fieldMessage(e.message, lang)} <span class="hint">(${e.field})</span></li>`)}</ul></div>` : ''}
${view.open ? '' : html`<p class="error" role="alert">${t.closed}</p>`}
${view.holder.kind === 'staff' ? html`<p class="notice info" id="staff-banner">${t.staffBanner} <strong>${view.holder.name}</strong>. ${t.staffNote}</p>` : ''}
${view.draftSavedAt && !opts.notice ? html`<p class="hint" id="last-draft">${t.lastDraft}: ${formatShort(view.draftSavedAt, lang)}${view.draftSavedBy ? ` ${t.savedBy} ${view.draftSavedBy}` : ''}</p>` : ''}
${opts.reporting ? reportingUnitsSection(opts.reporting, lang, opts.action) : ''}
${view.open && opts.previousPeriod ? fromPreviousSection(t, opts.action, opts.previousPeriod) : ''}
${
  preview
    ? html`<form id="report-form-preview" aria-label="${t.title}"><fieldset disabled>`
    : html`<form method="post" action="${opts.action}" id="report-form" novalidate data-autosave="${autosaveUrl(opts.action)}" data-saving="${t.autosaving}" data-offline="${t.autosaveOffline}" data-invalid="${t.autosaveInvalid}" data-leave="${t.autosaveLeave}" data-restored="${t.autosaveRestored}">`
}
<h2>${t.keyTasks}</h2>
${view.template.keyTasks.map((k) => {
  const a = values.keyTasks?.[k.code];
  const statusInvalid = errorsFor.has(`keyTasks.${k.code}.status`)
    ? invalid(`keyTasks.${k.code}.status`)
    : invalid(`keyTasks.${k.code}`);
  return html`<fieldset><legend>${k.code}. ${k.title[lang]}</legend>
<label for="kt-${k.code}-status">${t.status}</label>
<select id="kt-${k.code}-status" name="kt.${k.code}.status"${statusInvalid}>${(['not_started', 'in_progress', 'done'] as const).map((s) => html`<option value="${s}"${selected(a?.status === s)}>${t.statuses[s]}</option>`)}</select>${err(`keyTasks.${k.code}.status`)}${err(`keyTasks.${k.code}`)}
<label for="kt-${k.code}-text">${t.text}</label>
<textarea id="kt-${k.code}-text" name="kt.${k.code}.text"${invalid(`keyTasks.${k.code}.text`)}>${a?.text ?? ''}</textarea>${err(`keyTasks.${k.code}.text`)}
<label for="kt-${k.code}-evidence">${t.evidence}</label>
<input id="kt-${k.code}-evidence" name="kt.${k.code}.evidence" type="url" inputmode="url" value="${a?.evidenceUrl ?? ''}"${invalid(`keyTasks.${k.code}.evidenceUrl`)}>${err(`keyTasks.${k.code}.evidenceUrl`)}
</fieldset>`;
})}
<h2>${t.indicators}</h2>
<div class="card">
${view.template.indicators.map((i) => {
  const v = values.indicators?.[i.code];
  // No digit grouping in an input: "1.234" would read back as 1.234 (see parseNumber).
  const shown = typeof v === 'number' ? (lang === 'vi' ? String(v).replace('.', ',') : String(v)) : (v ?? '');
  const describedBy = errorsFor.has(`indicators.${i.code}`)
    ? `ind-${i.code}-target ${errId(`indicators.${i.code}`)}`
    : `ind-${i.code}-target`;
  return html`<label for="ind-${i.code}">${i.title[lang]} (${i.measure[lang]})${i.required ? html` <span class="hint">— ${t.required}</span>` : html` <span class="hint">— ${t.optional}</span>`}</label>
<div class="with-target"><input id="ind-${i.code}" name="ind.${i.code}" inputmode="decimal" value="${shown}" aria-describedby="${describedBy}"${errorsFor.has(`indicators.${i.code}`) ? html` aria-invalid="true"` : ''}>
<span class="target-hint" id="ind-${i.code}-target">${targetText(view, i.code, lang)}</span></div>${err(`indicators.${i.code}`)}`;
})}
</div>
<h2>${t.sections}</h2>
${view.template.sections.map(
  (s) => html`<label for="sec-${s.code}">${s.title[lang]}</label>
<textarea id="sec-${s.code}" name="sec.${s.code}"${invalid(`sections.${s.code}`)}>${values.sections?.[s.code] ?? ''}</textarea>${err(`sections.${s.code}`)}`,
)}
<h2 id="examples">${t.examples}</h2>
<p class="hint">${t.emptyRowHint}</p>
<div class="row-list" data-rows="ex">${examples.map((e, i) => exampleRow(t, i, e, err, invalid))}</div>
<template id="tpl-ex">${exampleRow(t, '__i__', undefined, noop, noop)}</template>
<input type="hidden" name="rows.ex" value="${empty.ex}">
<p class="row-tools"><button type="submit" name="action" value="add_ex" class="secondary small" data-add-row="ex" data-added="${t.rowAdded}" formnovalidate>+ ${t.addExample}</button></p>
<h2 id="proposals">${t.proposals}</h2>
<p class="hint">${t.emptyRowHint}</p>
<div class="row-list" data-rows="pr">${proposals.map((p, i) => proposalRow(t, i, p, err, invalid))}</div>
<template id="tpl-pr">${proposalRow(t, '__i__', undefined, noop, noop)}</template>
<input type="hidden" name="rows.pr" value="${empty.pr}">
<p class="row-tools"><button type="submit" name="action" value="add_pr" class="secondary small" data-add-row="pr" data-added="${t.rowAdded}" formnovalidate>+ ${t.addProposal}</button></p>
<p id="rows-status" class="hint" role="status">${opts.rowAdded ? t.rowAdded : ''}</p>
<h2>${t.recommendations}</h2>
<label for="recommendations">${t.recommendations}</label>
<textarea id="recommendations" name="recommendations"${invalid('recommendations')}>${values.recommendations ?? ''}</textarea>${err('recommendations')}
${preview ? html`</fieldset>` : ''}
${view.open && !preview ? html`<p class="hint">${t.draftHint}</p><p id="autosave-status" class="hint" role="status" aria-live="polite"></p><div class="submit-bar"><button type="submit" name="action" value="draft" class="secondary">${t.save}</button>${view.canSubmit ? html`<button type="submit" name="action" value="submit" data-confirm="${t.confirmSubmit}">${t.submit}</button>` : ''}</div>` : ''}
</form>
${view.open && view.holder.kind === 'head' && !preview ? draftLinksSection(t, lang, opts) : ''}`;
  return body;
}

function receiptCard(receipt: Receipt, lang: Locale): Html {
  const t = T[lang];
  return html`<section class="receipt" aria-labelledby="receipt-title"><h1 id="receipt-title">${t.receipt}</h1><p class="ok" role="status">${t.received}</p>
<dl class="kv"><dt>${t.receiptNumber}</dt><dd id="receipt-number" class="number">${receipt.receiptNumber}</dd>
<dt>${t.unit}</dt><dd>${receipt.unitName} (${receipt.unitCode})</dd>
<dt>${t.period}</dt><dd>${receipt.period}</dd>
<dt>${t.version}</dt><dd>${receipt.version}</dd>
<dt>${t.submittedAt}</dt><dd><time datetime="${receipt.submittedAt}">${formatInstant(receipt.submittedAt, lang)}</time></dd>
<dt>${receipt.version > 1 ? t.revisionDeadline : t.deadline}</dt><dd id="receipt-deadline"><time datetime="${receipt.deadline}">${formatInstant(receipt.deadline, lang)}</time></dd>
<dt>${t.timeliness}</dt><dd id="receipt-timeliness"><span class="badge ${receipt.late ? 'warn' : 'ok'}">${receipt.late ? t.late : t.onTime}</span></dd></dl>
<p class="no-print"><button type="button" data-print hidden>${t.print}</button></p></section>`;
}

/** The receipt after submitting (and on `?view=receipt`): printable, with the way back to the form. */
export function receiptPage(receipt: Receipt, lang: Locale, opts: { formUrl?: string } = {}): string {
  const t = T[lang];
  const url = opts.formUrl;
  return page({
    title: `${t.receipt} ${receipt.receiptNumber}`,
    lang,
    scripts: ['report-form.js'],
    body: html`${url ? langSwitch(`${url.split('?')[0]}?view=receipt`, lang) : ''}${receiptCard(receipt, lang)}${url ? html`<p class="no-print"><a href="${withLang(url.split('?')[0]!, lang)}">${t.backToForm}</a></p>` : ''}`,
  });
}

function answersSummary(view: TaskView, answers: ReportAnswers, lang: Locale): Html {
  const t = T[lang];
  const n = (v: number | null | undefined): string => (typeof v === 'number' ? formatNumber(v, lang, 6) : '—');
  return html`<h2>${t.content}</h2>
<h3>${t.keyTasks}</h3><dl class="answers">${view.template.keyTasks.map((k) => {
    const a = answers.keyTasks[k.code];
    return html`<dt>${k.code}. ${k.title[lang]} — <span class="badge ${a?.status === 'done' ? 'ok' : a?.status === 'in_progress' ? 'info' : ''}">${a ? t.statuses[a.status] : '—'}</span></dt><dd>${a?.text || t.none}${a?.evidenceUrl ? html`<br><a href="${a.evidenceUrl}" rel="noopener noreferrer nofollow">${a.evidenceUrl}</a>` : ''}</dd>`;
  })}</dl>
<h3>${t.indicators}</h3><dl class="answers">${view.template.indicators.map((i) => html`<dt>${i.title[lang]}</dt><dd>${n(answers.indicators[i.code])} ${i.measure[lang]} <span class="hint">(${targetText(view, i.code, lang)})</span></dd>`)}</dl>
${Object.keys(answers.sections).length ? html`<h3>${t.sections}</h3><dl class="answers">${view.template.sections.filter((s) => answers.sections[s.code]).map((s) => html`<dt>${s.title[lang]}</dt><dd>${answers.sections[s.code]}</dd>`)}</dl>` : ''}
<h3>${t.examples}</h3>${answers.examples.length ? html`<ul class="texts">${answers.examples.map((e) => html`<li><span class="who">${e.name} · ${e.kind === 'collective' ? t.collective : t.individual}</span>${e.description}</li>`)}</ul>` : html`<p>${t.none}</p>`}
<h3>${t.proposals}</h3>${answers.proposals.length ? html`<ul class="texts">${answers.proposals.map((p) => html`<li><span class="who">${p.nominee} · ${p.nomineeKind === 'collective' ? t.collective : t.individual} · ${p.commendationKind === 'ad_hoc' ? t.adHoc : t.thematic} · ${p.requestedForm}</span>${p.summary}</li>`)}</ul>` : html`<p>${t.none}</p>`}
<h3>${t.recommendations}</h3><p class="pre">${answers.recommendations || t.none}</p>`;
}

/** The link of a unit that has submitted (and is not asked to revise): the receipt and the report. */
export function submittedPage(view: TaskView, lang: Locale, opts: { url: string }): string {
  const t = T[lang];
  const last = view.lastSubmission!;
  return page({
    title: `${t.submittedTitle} — ${view.unit.name}`,
    lang,
    scripts: ['report-form.js'],
    body: html`${langSwitch(opts.url, lang)}<p class="meta">${t.title}: ${view.campaign.name}</p>${taskHeader(view, lang)}<p class="notice info">${t.submittedNote}</p>${receiptCard(last, lang)}${answersSummary(view, last.answers, lang)}`,
  });
}

export type LinkProblem =
  | { readonly kind: 'unknown'; readonly detail: string }
  | {
      readonly kind: 'replaced';
      readonly maskedEmail: string;
      readonly canRequest: boolean;
      readonly sentAt?: string | null;
    }
  | { readonly kind: 'closed' | 'cancelled'; readonly view: TaskView };

const LINK_TEXT = {
  vi: {
    unknownTitle: 'Đường liên kết không hợp lệ',
    unknown:
      'Không tìm thấy báo cáo nào ứng với đường liên kết này. Hãy kiểm tra đường liên kết đã được sao chép đầy đủ từ thư điện tử, hoặc dùng thư mới nhất.',
    replacedTitle: 'Đường liên kết đã được thay thế',
    replaced:
      'Đường liên kết này đã được thay bằng một đường liên kết mới, gửi tới địa chỉ thư điện tử đã đăng ký của thủ trưởng đơn vị. Hãy mở thư mới nhất.',
    ask: 'Không tìm thấy thư? Hệ thống có thể gửi một đường liên kết mới — chỉ tới địa chỉ đã đăng ký',
    askButton: 'Gửi cho tôi đường liên kết mới',
    alreadySent: 'Một đường liên kết mới đã được gửi lúc',
    checkInbox: 'Vui lòng kiểm tra hộp thư (cả thư mục thư rác).',
    cannotRequest: 'Báo cáo này không còn nhận nộp nên không thể gửi đường liên kết mới.',
    closedTitle: 'Kỳ báo cáo đã đóng',
    closed: 'Thời hạn nộp báo cáo của kỳ này đã kết thúc; không thể nộp báo cáo qua đường liên kết này nữa.',
    cancelledTitle: 'Kỳ báo cáo đã bị hủy',
    cancelled: 'Kỳ báo cáo này đã bị hủy; đơn vị không cần nộp báo cáo.',
    contact: 'Nếu cần hỗ trợ, xin liên hệ',
  },
  en: {
    unknownTitle: 'This link is not valid',
    unknown:
      'No report belongs to this link. Check that it was copied completely from the email, or use the most recent email.',
    replacedTitle: 'This link has been replaced',
    replaced:
      "This link has been replaced by a new one, sent to the unit head's registered email address. Please open the most recent email.",
    ask: 'Cannot find it? We can send a fresh link — only to the registered address',
    askButton: 'Send me a fresh link',
    alreadySent: 'A fresh link was sent at',
    checkInbox: 'Please check the inbox (and the spam folder).',
    cannotRequest: 'This report no longer takes submissions, so no fresh link can be sent.',
    closedTitle: 'The reporting period is closed',
    closed: 'The period for this report has ended; reports can no longer be submitted through this link.',
    cancelledTitle: 'The reporting cycle was cancelled',
    cancelled: 'This reporting cycle was cancelled; nothing needs to be submitted.',
    contact: 'For help, contact',
  },
} as const;

/** A clear page for a link that does not (or no longer) take a report; `url` posts the fresh-link request. */
export function linkProblemPage(
  problem: LinkProblem,
  lang: Locale,
  opts: { url: string; secretariat: string; notice?: string },
): string {
  const t = LINK_TEXT[lang];
  const contact = html`<p>${t.contact} ${T[lang].secretariat}: <a href="mailto:${opts.secretariat}">${opts.secretariat}</a>.</p>`;
  let title: string;
  let body: Html;
  switch (problem.kind) {
    case 'unknown':
      title = t.unknownTitle;
      // The English detail stays on the Vietnamese page too: it is what the API answers, word for word.
      body = html`<p class="error" role="alert">${t.unknown}</p>${lang === 'vi' ? html`<p class="hint" lang="en">${problem.detail}</p>` : ''}${contact}`;
      break;
    case 'replaced':
      title = t.replacedTitle;
      body = html`<p class="notice warn" role="alert">${t.replaced}</p>
${opts.notice ? html`<p class="ok" role="status">${opts.notice}</p>` : ''}
${problem.sentAt ? html`<p class="notice info">${t.alreadySent} ${formatShort(problem.sentAt, lang)}. ${t.checkInbox}</p>` : ''}
${problem.canRequest && !problem.sentAt ? html`<form method="post" action="${opts.url}"><p>${t.ask} (<strong>${problem.maskedEmail}</strong>).</p><button type="submit" name="action" value="fresh_link">${t.askButton}</button></form>` : ''}
${!problem.canRequest ? html`<p>${t.cannotRequest}</p>` : ''}${contact}`;
      break;
    case 'closed':
    case 'cancelled':
      title = problem.kind === 'closed' ? t.closedTitle : t.cancelledTitle;
      body = html`${taskHeader(problem.view, lang)}<p class="error" role="alert">${problem.kind === 'closed' ? t.closed : t.cancelled}</p>${contact}`;
      break;
  }
  return page({ title, lang, body: html`${langSwitch(opts.url, lang)}<h1>${title}</h1>${body}` });
}
