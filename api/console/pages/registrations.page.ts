/**
 * Emulation registration in the console: the rounds of each campaign with a form to open one
 * (administrators), and a round's status per unit — registered or not, when, by whom, its targets
 * and titles — with its CSV and XLSX downloads.
 */
import { EMULATION_TITLE_NAMES } from '../../../domain/emulation-titles';
import { html } from '../../pages/html';
import { formatNumber, formatShort } from '../../pages/i18n';
import type { RoundListRow, RoundStatus } from '../../services/registration.service';
import { REGISTRATION_LABELS } from '../services/registration-tables';
import { consolePage, csrfField, flash, type ConsoleView } from './layout';

const T = {
  vi: {
    title: 'Đăng ký thi đua',
    intro:
      'Đầu năm, mỗi đơn vị đăng ký mức phấn đấu cho từng chỉ tiêu và các danh hiệu thi đua qua đường liên kết riêng gửi tới thủ trưởng; đơn vị chưa đăng ký được nhắc trước hạn. Khi sơ kết, tổng kết, kết quả của đơn vị được so với mức đã đăng ký.',
    rounds: 'Các đợt đăng ký',
    noRound: 'Chưa có đợt đăng ký nào.',
    noCampaign: 'Chưa có chiến dịch nào trong phạm vi của bạn.',
    open: 'Mở đợt đăng ký',
    year: 'Năm',
    deadline: 'Hạn đăng ký (giờ Việt Nam)',
    remindersHint: 'Thư nhắc gửi tới đơn vị chưa đăng ký 3 ngày và 1 ngày trước hạn.',
    start: 'Mở đợt và gửi thư',
    registeredOf: 'đã đăng ký',
    closed: 'đã kết thúc',
    openNow: 'đang nhận đăng ký',
    status: 'Tình trạng theo đơn vị',
    downloads: 'Tải về',
    opened: 'Đã mở đợt đăng ký; thư đang được gửi tới thủ trưởng các đơn vị.',
    back: 'Các đợt đăng ký',
    closesAt: 'Hạn đăng ký',
    closedAt: 'Đã đóng lúc',
    template: 'Biểu mẫu phiên bản',
    targets: 'Mức đăng ký',
  },
  en: {
    title: 'Emulation registration',
    intro:
      "At the start of a year each unit registers the figure it commits to for each indicator and the emulation titles it aims for, through a personal link emailed to its head; units that have not registered are reminded before the deadline. Summaries compare the unit's results with what it registered.",
    rounds: 'Rounds',
    noRound: 'No round yet.',
    noCampaign: 'No campaign within your scope.',
    open: 'Open a round',
    year: 'Year',
    deadline: 'Deadline (Vietnam time)',
    remindersHint: 'Units that have not registered are reminded 3 days and 1 day before the deadline.',
    start: 'Open and send the emails',
    registeredOf: 'registered',
    closed: 'closed',
    openNow: 'open',
    status: 'Status per unit',
    downloads: 'Download',
    opened: 'The round is open; the emails to the unit heads are on their way.',
    back: 'Rounds',
    closesAt: 'Deadline',
    closedAt: 'Closed at',
    template: 'Template version',
    targets: 'Registered targets',
  },
} as const;

export const roundPath = (campaign: string, year: number): string =>
  `/console/registrations/${encodeURIComponent(campaign)}/${year}`;

export function registrationsIndexPage(
  v: ConsoleView,
  campaigns: readonly { code: string; name: string }[],
  rounds: readonly RoundListRow[],
  { canOpen, year, error }: { canOpen: boolean; year: number; error?: string | null },
): string {
  const t = T[v.lang];
  const body = html`<h1>${t.title}</h1><p class="hint">${t.intro}</p>
${flash('error', error)}
${
  campaigns.length === 0
    ? html`<p>${t.noCampaign}</p>`
    : campaigns.map((c) => {
        const own = rounds.filter((r) => r.campaignCode === c.code);
        return html`<section class="card" aria-labelledby="c-${c.code}"><h2 id="c-${c.code}">${c.name} (${c.code})</h2>
${own.length === 0 ? html`<p>${t.noRound}</p>` : html`<ul>${own.map((r) => html`<li><a href="${roundPath(c.code, r.year)}">${t.year} ${r.year}</a>: ${r.registered}/${r.expected} ${t.registeredOf} · ${r.closedAt ? t.closed : t.openNow} · ${t.closesAt} ${formatShort(r.deadline, v.lang)}</li>`)}</ul>`}
${
  canOpen
    ? html`<form method="post" action="/console/registrations/${c.code}" class="inline-form">${csrfField(v)}<h3>${t.open}</h3>
<label for="y-${c.code}">${t.year}</label><input id="y-${c.code}" name="year" type="number" min="2000" max="2100" value="${year}" required>
<label for="d-${c.code}">${t.deadline}</label><input id="d-${c.code}" name="deadline" type="datetime-local" required>
<p class="hint">${t.remindersHint}</p><button type="submit">${t.start}</button></form>`
    : ''
}</section>`;
      })
}`;
  return consolePage(v, { title: t.title, current: 'registrations', body });
}

export function roundPage(v: ConsoleView, s: RoundStatus, notice: string | null): string {
  const t = T[v.lang];
  const h = REGISTRATION_LABELS[v.lang];
  const base = roundPath(s.campaign.code, s.year);
  const body = html`<p><a href="/console/registrations">← ${t.back}</a></p>
<h1>${t.title} ${s.year}: ${s.campaign.name}</h1>
${flash('ok', notice)}
<p class="meta">${t.closesAt}: <strong>${formatShort(s.deadline, v.lang)}</strong> · ${s.closedAt ? html`${t.closedAt} ${formatShort(s.closedAt, v.lang)}` : s.open ? t.openNow : t.closed} · ${t.template} ${s.templateVersion} · <strong id="registered-count">${s.registered}/${s.expected}</strong> ${t.registeredOf}</p>
<p>${t.downloads}: <a href="${base}/tables/registrations.csv" download>CSV</a> · <a href="${base}/tables/registrations.xlsx" download>XLSX</a></p>
<section aria-labelledby="status-h"><h2 id="status-h">${t.status}</h2>
<div class="table-wrap"><table class="data stack" id="registrations"><thead><tr><th scope="col">${h.unitName}</th><th scope="col">${h.status}</th><th scope="col">${h.submittedAt}</th><th scope="col">${h.titles}</th>${s.indicators.map((i) => html`<th scope="col">${i.code} (${i.measure[v.lang]})</th>`)}</tr></thead><tbody>
${s.units.map(
  (u) =>
    html`<tr data-unit="${u.unitCode}"><th scope="row" data-label="${h.unitName}">${u.unitName} <span class="hint">(${u.unitCode})</span></th><td data-label="${h.status}"><span class="badge ${u.registered ? 'ok' : 'warn'}">${u.registered ? h.registered : h.notYet}</span>${u.remindersSent ? html` <span class="hint">${h.reminders}: ${u.remindersSent}</span>` : ''}</td><td data-label="${h.submittedAt}">${u.submittedAt ? html`${formatShort(u.submittedAt, v.lang)} <span class="hint">${u.submittedBy ?? ''} · ${h.version}: ${u.version}</span>` : ''}</td><td data-label="${h.titles}">${u.titles.map((x) => EMULATION_TITLE_NAMES[x][v.lang]).join('; ')}</td>${s.indicators.map((i) => html`<td data-label="${i.code} (${i.measure[v.lang]})">${u.targets?.[i.code] === undefined ? '' : formatNumber(u.targets[i.code]!, v.lang, 6)}</td>`)}</tr>`,
)}</tbody></table></div></section>`;
  return consolePage(v, { title: `${t.title} ${s.year}`, current: 'registrations', body });
}

export const openedNotice = (v: ConsoleView): string => T[v.lang].opened;
