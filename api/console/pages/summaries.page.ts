/**
 * Periodic summaries (sơ kết, tổng kết) in the console: choosing a campaign and a window, the
 * summary of a campaign or of a node of its tree (reporting by month, each indicator's trend
 * against its target, key tasks month by month, every unit's history), and one unit's summary
 * (its timeliness, indicators, key tasks and every text it reported, by month).
 */
import type { PeriodSummary, Timeliness, UnitSummary } from '../../../domain/summary';
import { type SummaryWindow, windowLabel, windowsAround } from '../../../domain/summary-window';
import type { Period } from '../../../domain/period';
import {
  rateChart,
  targetText,
  timelinessChart,
  trendChart,
  type TimelinessCell,
  type TrendPoint,
} from '../../pages/charts';
import { html, type Html } from '../../pages/html';
import { formatNumber, formatPercent, formatShort, type Locale } from '../../pages/i18n';
import { SUMMARY_LABELS, SUMMARY_TABLES, UNIT_SUMMARY_TABLES } from '../services/summary-tables';
import type { CampaignRef, Frozen } from '../../services/summary.service';
import { consolePage, csrfField, flash, href, pager, type ConsoleView } from './layout';
import { summarySchedulePath } from './summary-schedule.page';

const T = {
  vi: {
    summaries: 'Sơ kết, tổng kết',
    intro:
      'Tổng hợp theo quý, 6 tháng, năm hoặc một khoảng tháng bất kỳ từ các báo cáo tháng đã được Hội đồng phê duyệt (Nghị định 09/2019/NĐ-CP, Điều 12: số liệu từ ngày 15 tháng trước kỳ đến ngày 14 tháng cuối kỳ). Không yêu cầu đơn vị báo cáo lại.',
    campaign: 'Chiến dịch',
    window: 'Kỳ tổng hợp',
    show: 'Xem',
    custom: 'Khoảng tháng tùy chọn',
    from: 'Từ tháng',
    to: 'Đến tháng',
    noCampaign: 'Chưa có chiến dịch nào.',
    data: 'Số liệu từ',
    until: 'đến',
    node: 'Chỉ các đơn vị báo cáo lên đơn vị (mã)',
    whole: 'Toàn chiến dịch',
    scopeNode: 'Các đơn vị báo cáo lên',
    reporting: 'Tình hình nộp báo cáo theo tháng',
    completenessChart: 'Tỷ lệ đã nộp theo tháng',
    unitsWord: 'đơn vị',
    overall: 'Cả kỳ',
    indicators: 'Chỉ tiêu: diễn biến theo tháng so với chỉ tiêu',
    keyTasks: 'Nhiệm vụ trọng tâm theo tháng',
    keyTasksHint:
      'Mỗi ô: hoàn thành / đang thực hiện / chưa thực hiện; “—”: nhiệm vụ không có trong biểu mẫu tháng đó.',
    units: 'Các đơn vị: nộp báo cáo theo tháng',
    sections: 'Lĩnh vực trong biểu mẫu',
    download: 'Tải xuống',
    all: 'Tất cả các bảng (Excel)',
    table: {
      months: 'Theo tháng (CSV)',
      indicators: 'Chỉ tiêu (CSV)',
      'key-tasks': 'Nhiệm vụ (CSV)',
      units: 'Đơn vị (CSV)',
      texts: 'Nội dung (CSV)',
    },
    openUnit: 'Xem đơn vị',
    notInTemplate: 'không có trong biểu mẫu tháng này',
    aggregateWindow: 'Cả kỳ',
    target: 'Chỉ tiêu',
    met: 'đạt',
    notMet: 'chưa đạt',
    registered: (year: number) => `Mức đăng ký thi đua năm ${year}`,
    notRegistered: (year: number) => `Đơn vị chưa đăng ký thi đua năm ${year} cho chỉ tiêu này`,
    noData: 'chưa có số liệu',
    existed: 'Có trong các tháng',
    back: 'Về bản tổng hợp',
    timeliness: 'Nộp báo cáo theo tháng',
    texts: 'Nội dung báo cáo theo tháng',
    noText: 'Không có nội dung.',
    status: 'Tình trạng',
    keyTaskUnit: 'Nhiệm vụ trọng tâm: tiến độ theo tháng',
    frozen: 'Bản tổng hợp đã được chốt lúc',
    frozenHint: 'Số liệu là số liệu tại thời điểm chốt (mã băm SHA-256 trong nhật ký kiểm tra).',
    schedule: 'Lịch chốt số liệu',
    freeze: 'Chốt bản tổng hợp',
    freezeHint:
      'Lưu bản tổng hợp như hiện nay, kèm mã băm trong nhật ký kiểm tra; sau khi chốt, trang này luôn hiển thị bản đã chốt. Mỗi kỳ tổng hợp chỉ chốt một lần.',
  },
  en: {
    summaries: 'Period summaries',
    intro:
      'Summaries by quarter, half-year, year or any range of months, built from the monthly reports the council approved (Decree 09/2019/NĐ-CP art. 12: data from the 15th of the month before the period to the 14th of its last month). Units are never asked again.',
    campaign: 'Campaign',
    window: 'Window',
    show: 'Show',
    custom: 'Custom range of months',
    from: 'From',
    to: 'To',
    noCampaign: 'There is no campaign yet.',
    data: 'Data from',
    until: 'to',
    node: 'Only the units reporting to (code)',
    whole: 'Whole campaign',
    scopeNode: 'Units reporting to',
    reporting: 'Reporting month by month',
    completenessChart: 'Completeness by month',
    unitsWord: 'units',
    overall: 'Whole window',
    indicators: 'Indicators: month by month against the target',
    keyTasks: 'Key tasks month by month',
    keyTasksHint: 'Each cell: done / in progress / not started; "—": not in that month\'s template.',
    units: 'Units: reporting month by month',
    sections: 'Sector fields in the template',
    download: 'Download',
    all: 'Every table (Excel)',
    table: {
      months: 'By month (CSV)',
      indicators: 'Indicators (CSV)',
      'key-tasks': 'Key tasks (CSV)',
      units: 'Units (CSV)',
      texts: 'Texts (CSV)',
    },
    openUnit: 'Open unit',
    notInTemplate: "not in this month's template",
    aggregateWindow: 'Whole window',
    target: 'Target',
    met: 'met',
    notMet: 'not met',
    registered: (year: number) => `Registered for ${year}`,
    notRegistered: (year: number) => `No registered target for ${year}`,
    noData: 'no data',
    existed: 'In the months',
    back: 'Back to the summary',
    timeliness: 'Reporting month by month',
    texts: 'Report texts by month',
    noText: 'Nothing written.',
    status: 'Status',
    keyTaskUnit: 'Key tasks: progress month by month',
    frozen: 'This summary was frozen at',
    frozenHint: 'Its figures are those at that moment (SHA-256 in the audit log).',
    schedule: 'Freezing schedule',
    freeze: 'Freeze this summary',
    freezeHint:
      'Stores the summary as it is now, with its hash in the audit log; from then on this page shows the frozen one. A window is frozen once.',
  },
} as const;

export const summaryPath = (campaign: string, window: string): string =>
  `/console/summaries/${encodeURIComponent(campaign)}/${encodeURIComponent(window)}`;

const dateVi = (d: string, lang: Locale): string =>
  lang === 'vi' ? `${d.slice(8)}/${d.slice(5, 7)}/${d.slice(0, 4)}` : d;
const monthLabel = (p: Period): string => p.slice(5);
const TONE: Record<Timeliness, TimelinessCell['tone']> = {
  on_time: 'ok',
  late: 'warn',
  missing: 'bad',
  not_expected: 'none',
};
const BADGE: Record<Timeliness, string> = { on_time: 'ok', late: 'warn', missing: 'bad', not_expected: '' };

function downloads(v: ConsoleView, base: string, tables: readonly string[], query: Record<string, string>): Html {
  const t = T[v.lang];
  return html`<p class="actions"><strong>${t.download}:</strong> <a href="${href(`${base}/tables/summary.xlsx`, query)}" download>${t.all}</a>${tables.map((name) => html` · <a href="${href(`${base}/tables/${name}.csv`, query)}" download>${t.table[name as keyof typeof t.table]}</a>`)}</p>`;
}

function windowHeader(v: ConsoleView, campaign: CampaignRef, window: SummaryWindow, node?: Html): Html {
  const t = T[v.lang];
  const others = windowsAround(window.to);
  const year = Number(window.to.slice(0, 4));
  const quarters = [1, 2, 3, 4].map((q) => `${year}-Q${q}`);
  const codes = [...new Set([...quarters, `${year}-H1`, `${year}-H2`, String(year), ...others.map((w) => w.code)])];
  return html`<p class="meta">${t.campaign}: <strong>${campaign.name}</strong> (${campaign.code}) · ${t.data} ${dateVi(window.dataFrom, v.lang)} ${t.until} ${dateVi(window.dataTo, v.lang)} · <a href="${summarySchedulePath(campaign.code)}">${t.schedule}</a></p>
<nav aria-label="${t.window}"><p class="actions">${codes.map((code, i) => html`${i ? ' · ' : ''}${code === window.code ? html`<strong aria-current="page">${code}</strong>` : html`<a href="${summaryPath(campaign.code, code)}">${code}</a>`}`)}</p></nav>
<form method="get" action="/console/summaries" class="filters"><input type="hidden" name="campaign" value="${campaign.code}"><label>${t.from} <input type="month" name="from" value="${window.from}" required></label> <label>${t.to} <input type="month" name="to" value="${window.to}" required></label> <button type="submit">${t.show}</button></form>
${node ?? ''}`;
}

/** The chooser: every campaign, with this year's windows. */
export function summariesIndexPage(
  v: ConsoleView,
  campaigns: readonly CampaignRef[],
  year: number,
  error?: string | null,
): string {
  const t = T[v.lang];
  const codes = [`${year}-Q1`, `${year}-Q2`, `${year}-Q3`, `${year}-Q4`, `${year}-H1`, `${year}-H2`, String(year)];
  const body = html`<h1>${t.summaries}</h1><p class="hint">${t.intro}</p>
${error ? html`<div class="notice error" role="alert">${error}</div>` : ''}
${
  campaigns.length === 0
    ? html`<p>${t.noCampaign}</p>`
    : html`<form method="get" action="/console/summaries" class="card"><label for="s-campaign">${t.campaign}</label><select id="s-campaign" name="campaign">${campaigns.map((c) => html`<option value="${c.code}">${c.name} (${c.code})</option>`)}</select>
<label for="s-window">${t.window}</label><select id="s-window" name="window">${codes.map((c) => html`<option value="${c}">${c}</option>`)}</select>
<fieldset><legend>${t.custom}</legend><label>${t.from} <input type="month" name="from"></label> <label>${t.to} <input type="month" name="to"></label></fieldset>
<button type="submit">${t.show}</button></form>
<ul>${campaigns.map((c) => html`<li><strong>${c.name}</strong>: ${codes.map((code, i) => html`${i ? ' · ' : ''}<a href="${summaryPath(c.code, code)}">${code}</a>`)}</li>`)}</ul>`
}`;
  return consolePage(v, { title: t.summaries, current: 'summaries', body });
}

const indicatorTitle = (i: { title: { vi: string; en: string }; code: string }, lang: Locale) =>
  `${i.code}. ${i.title[lang]}`;

function trendPoints(
  months: readonly { period: Period; value: number | null; target: TrendPoint['target']; met: boolean | null }[],
): TrendPoint[] {
  return months.map((m) => ({
    label: monthLabel(m.period),
    period: m.period,
    value: m.value,
    target: m.target,
    met: m.met,
  }));
}

/** A unit's indicator against what it registered for the year: the registered target and whether it is met. */
function registeredLine(v: ConsoleView, i: UnitSummary['indicators'][number], year: number): Html {
  const t = T[v.lang];
  if (!i.registered) return html`<p class="meta">${t.notRegistered(year)}</p>`;
  const { target, met } = i.registered;
  return html`<p class="meta">${t.registered(year)}: <strong>${targetText(target, v.lang)}</strong> ${i.measure[v.lang]}${met === null ? '' : html` · <span class="badge ${met ? 'ok' : 'bad'}">${met ? t.met : t.notMet}</span>`}</p>`;
}

function indicatorCards(
  v: ConsoleView,
  indicators: PeriodSummary['indicators'] | UnitSummary['indicators'],
  registrationYear?: number,
): Html {
  const t = T[v.lang];
  const h = SUMMARY_LABELS[v.lang];
  return html`<ul class="chart-list">${indicators.map(
    (i) =>
      html`<li><h3>${indicatorTitle(i, v.lang)}</h3>${trendChart({ title: `${indicatorTitle(i, v.lang)} (${i.measure[v.lang]})`, measure: i.measure[v.lang], points: trendPoints(i.months) }, v.lang)}<p class="meta">${t.aggregateWindow} (${h.agg[i.aggregation]}): <strong>${i.value === null ? t.noData : formatNumber(i.value, v.lang)}</strong> ${i.measure[v.lang]} · ${i.met === null ? '' : html`<span class="badge ${i.met ? 'ok' : 'bad'}">${i.met ? t.met : t.notMet}</span>`} · ${t.existed}: ${i.periods.join(', ')}</p>${registrationYear !== undefined && 'registered' in i ? registeredLine(v, i, registrationYear) : ''}</li>`,
  )}</ul>`;
}

export function summaryPage(
  v: ConsoleView,
  campaign: CampaignRef,
  s: PeriodSummary,
  {
    page,
    pageSize,
    frozen,
    notice,
  }: { page: number; pageSize: number; frozen?: Frozen | undefined; notice?: string | null },
): string {
  const t = T[v.lang];
  const h = SUMMARY_LABELS[v.lang];
  const lang = v.lang;
  const base = summaryPath(campaign.code, s.window.code);
  const query: Record<string, string> = s.node ? { node: s.node.unitCode } : {};
  const title = `${t.summaries}: ${windowLabel(s.window, lang)}`;
  const nodeForm = html`<form method="get" action="${base}" class="filters"><label>${t.node} <input name="node" value="${s.node?.unitCode ?? ''}" maxlength="64" pattern="[A-Za-z0-9_\\-]{1,64}"></label> <button type="submit">${t.show}</button>${s.node ? html` <a href="${base}">${t.whole}</a>` : ''}</form>`;
  const pages = Math.max(1, Math.ceil(s.units.length / pageSize));
  const shown = s.units.slice((page - 1) * pageSize, page * pageSize);
  const keyTaskCell = (c: { done: number; in_progress: number; not_started: number } | null): Html =>
    c
      ? html`<span class="badge ok">${c.done}</span> <span class="badge info">${c.in_progress}</span> <span class="badge">${c.not_started}</span>`
      : html`<span title="${t.notInTemplate}">—</span>`;
  const body = html`<h1>${title}${s.node ? html` — ${t.scopeNode} ${s.node.unitName}` : ''}</h1>
${flash('ok', notice)}
${windowHeader(v, campaign, s.window, nodeForm)}
${
  frozen
    ? html`<p class="notice info">${t.frozen} <strong>${formatShort(frozen.frozenAt, lang)}</strong>. ${t.frozenHint}</p>`
    : v.user?.role === 'admin' && !s.node
      ? html`<form method="post" action="${base}/freeze" class="inline">${csrfField(v)}<button type="submit">${t.freeze}</button> <span class="hint">${t.freezeHint}</span></form>`
      : ''
}
${downloads(v, base, SUMMARY_TABLES, query)}
<section class="card" aria-labelledby="rep-h"><h2 id="rep-h">${t.reporting}</h2>
${rateChart({
  title: t.completenessChart,
  lang,
  rows: s.months.map((m) => ({
    label: m.period,
    ratio: m.completeness,
    detail: m.state === 'accepted' ? `${m.submitted}/${m.expected} · ${h.onTime} ${m.onTime}` : h.monthState[m.state],
    tone: m.state !== 'accepted' ? 'info' : m.completeness === 1 ? 'ok' : 'warn',
  })),
})}
<div class="table-wrap"><table class="data stack"><thead><tr><th scope="col">${h.month}</th><th scope="col">${h.state}</th><th scope="col" class="num">${h.expected}</th><th scope="col" class="num">${h.submitted}</th><th scope="col" class="num">${h.onTime}</th><th scope="col" class="num">${h.completeness}</th><th scope="col" class="num">${h.onTimeRate}</th></tr></thead><tbody>
${s.months.map((m) => html`<tr><td data-label="${h.month}">${m.period}</td><td data-label="${h.state}">${h.monthState[m.state]}${m.version ? html` (v${m.version}, ${h.templateVersion} ${m.templateVersion})` : ''}</td><td class="num" data-label="${h.expected}">${m.expected}</td><td class="num" data-label="${h.submitted}">${m.submitted}</td><td class="num" data-label="${h.onTime}">${m.onTime}</td><td class="num" data-label="${h.completeness}">${formatPercent(m.completeness, lang)}</td><td class="num" data-label="${h.onTimeRate}">${formatPercent(m.onTimeRate, lang)}</td></tr>`)}
<tr><th scope="row" data-label="">${t.overall}</th><td data-label=""></td><td class="num" data-label="${h.expected}">${s.reporting.expected}</td><td class="num" data-label="${h.submitted}">${s.reporting.submitted}</td><td class="num" data-label="${h.onTime}">${s.reporting.onTime}</td><td class="num" data-label="${h.completeness}">${formatPercent(s.reporting.completeness, lang)}</td><td class="num" data-label="${h.onTimeRate}">${formatPercent(s.reporting.onTimeRate, lang)}</td></tr></tbody></table></div></section>
<section aria-labelledby="ind-h"><h2 id="ind-h">${t.indicators}</h2>${indicatorCards(v, s.indicators)}</section>
<section class="card" aria-labelledby="kt-h"><h2 id="kt-h">${t.keyTasks}</h2><p class="hint">${t.keyTasksHint}</p>
<div class="table-wrap"><table class="data"><thead><tr><th scope="col">${h.title}</th>${s.months.map((m) => html`<th scope="col">${m.period}</th>`)}</tr></thead><tbody>
${s.keyTasks.map((k) => html`<tr><th scope="row" data-label="${h.title}">${k.code}. ${k.title[lang]}</th>${k.months.map((m) => html`<td data-label="${m.period}" class="nowrap">${keyTaskCell(m.counts)}</td>`)}</tr>`)}</tbody></table></div>
${s.sections.length ? html`<p class="meta">${t.sections}: ${s.sections.map((x, i) => html`${i ? '; ' : ''}${x.title[lang]} (${x.periods.join(', ')})`)}</p>` : ''}</section>
<section class="card" aria-labelledby="units-h"><h2 id="units-h">${t.units}</h2>
<div class="table-wrap"><table class="data"><thead><tr><th scope="col">${h.unit}</th>${s.months.map((m) => html`<th scope="col">${monthLabel(m.period)}</th>`)}<th scope="col" class="num">${h.onTime}</th><th scope="col" class="num">${h.late}</th><th scope="col" class="num">${h.missing}</th><th scope="col" class="num">${h.streak}</th></tr></thead><tbody>
${shown.map((u) => html`<tr><th scope="row" data-label="${h.unit}"><a href="${summaryPath(campaign.code, s.window.code)}/units/${encodeURIComponent(u.unitCode)}">${u.unitName}</a> <span class="hint">${u.unitCode}</span></th>${u.months.map((m) => html`<td data-label="${m.period}">${m.status ? html`<span class="badge ${BADGE[m.status]}">${h.timeliness[m.status]}</span>` : '·'}</td>`)}<td class="num" data-label="${h.onTime}">${u.onTime}</td><td class="num" data-label="${h.late}">${u.late}</td><td class="num" data-label="${h.missing}">${u.missing}</td><td class="num" data-label="${h.streak}">${u.streak}</td></tr>`)}</tbody></table></div>
${pager(v, { page, pages, href: (p) => href(base, { ...query, page: p }) })}</section>`;
  return consolePage(v, { title, current: 'summaries', body });
}

export function unitSummaryPage(v: ConsoleView, campaign: CampaignRef, s: UnitSummary): string {
  const t = T[v.lang];
  const h = SUMMARY_LABELS[v.lang];
  const lang = v.lang;
  const back = summaryPath(campaign.code, s.window.code);
  const base = `${back}/units/${encodeURIComponent(s.unitCode)}`;
  const title = `${s.unitName}: ${windowLabel(s.window, lang)}`;
  const cells: TimelinessCell[] = s.months.map((m) => ({
    label: monthLabel(m.period),
    period: m.period,
    tone: m.status ? TONE[m.status] : 'none',
    text: m.status ? h.timeliness[m.status] : h.monthState[m.state],
  }));
  const body = html`<p><a href="${back}">← ${t.back}</a></p><h1>${title}</h1>
${windowHeader(v, campaign, s.window)}
${downloads(v, base, UNIT_SUMMARY_TABLES, {})}
<section class="card" aria-labelledby="time-h"><h2 id="time-h">${t.timeliness}</h2>
${timelinessChart({ title: `${t.timeliness}: ${s.unitName}`, cells })}
<p class="meta"><span class="badge ok">${h.onTime} ${s.onTime}</span> <span class="badge warn">${h.late} ${s.late}</span> <span class="badge bad">${h.missing} ${s.missing}</span> · ${h.streak}: <strong>${s.streak}</strong> · ${h.longest}: ${s.longestStreak}</p>
<div class="table-wrap"><table class="data stack"><thead><tr><th scope="col">${h.month}</th><th scope="col">${h.status}</th><th scope="col">${h.submittedAt}</th><th scope="col">${h.deadline}</th><th scope="col">${h.templateVersion}</th></tr></thead><tbody>
${s.months.map((m) => html`<tr><td data-label="${h.month}">${m.period}</td><td data-label="${h.status}">${m.status ? html`<span class="badge ${BADGE[m.status]}">${h.timeliness[m.status]}</span>` : h.monthState[m.state]}</td><td data-label="${h.submittedAt}">${m.submittedAt ? formatShort(m.submittedAt, lang) : ''}</td><td data-label="${h.deadline}">${m.deadline ? formatShort(m.deadline, lang) : ''}</td><td data-label="${h.templateVersion}">${m.templateVersion ?? ''}</td></tr>`)}</tbody></table></div></section>
<section aria-labelledby="ind-h"><h2 id="ind-h">${t.indicators}</h2>${indicatorCards(v, s.indicators, s.registrationYear)}</section>
<section class="card" aria-labelledby="kt-h"><h2 id="kt-h">${t.keyTaskUnit}</h2>
${s.keyTasks.map((k) => html`<details><summary><strong>${k.code}.</strong> ${k.title[lang]} ${k.months.map((m) => (m.status ? html`<span class="badge ${m.status === 'done' ? 'ok' : m.status === 'in_progress' ? 'info' : ''}" title="${m.period}">${monthLabel(m.period)}: ${h.keyTask[m.status]}</span> ` : ''))}</summary><dl>${k.months.map((m) => (m.status ? html`<dt>${m.period} — ${h.keyTask[m.status]}</dt><dd>${m.text || t.noText}${m.evidenceUrl ? html` <span class="hint">(${h.evidence}: ${m.evidenceUrl})</span>` : ''}</dd>` : ''))}</dl></details>`)}</section>
<section class="card" aria-labelledby="texts-h"><h2 id="texts-h">${t.texts}</h2>
${s.months
  .filter((m) => m.status && m.status !== 'not_expected' && m.status !== 'missing')
  .map(
    (m) =>
      html`<h3>${m.period}</h3><dl>${m.sections.map((x) => html`<dt>${h.section}: ${x.title[lang]}</dt><dd>${x.text}</dd>`)}${m.examples.map((x) => html`<dt>${h.example}: ${x.name}</dt><dd>${x.description}</dd>`)}${m.proposals.map((x) => html`<dt>${h.proposal}: ${x.nominee} — ${x.requestedForm}</dt><dd>${x.summary}</dd>`)}${m.recommendations ? html`<dt>${h.recommendation}</dt><dd>${m.recommendations}</dd>` : ''}</dl>`,
  )}</section>`;
  return consolePage(v, { title, current: 'summaries', body });
}
