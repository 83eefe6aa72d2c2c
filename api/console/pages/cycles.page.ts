/** The administrator's cycles: the list with "start a cycle", and the live status board of one cycle. */
import { treeSection } from './tree.page';
import { DateTime } from 'luxon';
import { TASK_STATES, type TaskState } from '../../../domain/states';
import type { Board, CycleListRow } from '../services/cycles.service';
import { progressBar } from '../../pages/charts';
import { html, type Html } from '../../pages/html';
import { STAGE_LABEL, TASK_STATE_LABEL, TIME_ZONE, formatNumber, formatShort } from '../../pages/i18n';
import {
  consolePage,
  csrfField,
  flash,
  href,
  pager,
  reachesInstallation,
  stateBadge,
  type ConsoleView,
} from './layout';

const T = {
  vi: {
    cycles: 'Kỳ báo cáo',
    start: 'Bắt đầu một kỳ báo cáo',
    campaign: 'Chiến dịch',
    period: 'Tháng báo cáo',
    startButton: 'Bắt đầu kỳ báo cáo',
    startHint:
      'Mỗi đơn vị đang hoạt động nhận một thư có đường liên kết cá nhân. Mỗi chiến dịch chỉ có một kỳ cho mỗi tháng.',
    stage: 'Giai đoạn',
    progress: 'Đã nộp',
    started: 'Bắt đầu lúc',
    open: 'Mở',
    board: 'Bảng theo dõi',
    council: 'Hội đồng',
    audit: 'Nhật ký',
    temporal: 'Temporal',
    none: 'Chưa có kỳ báo cáo nào.',
    inactive: '(ngừng hoạt động)',
    boardTitle: 'Bảng theo dõi',
    unitDeadline: 'Hạn nộp',
    template: 'Biểu mẫu phiên bản',
    deadline: 'Hạn nộp chung',
    hardClose: 'Khóa sổ',
    dataPeriod: 'Số liệu',
    temporalLink: 'Mở quy trình của kỳ trong Temporal Web UI',
    councilLink: 'Trang Hội đồng',
    documentsLabel: 'Văn bản (thể thức Nghị định 30)',
    docReport: 'Báo cáo tổng hợp',
    docMinutes: 'Biên bản biểu quyết',
    docDecision: 'Dự thảo quyết định khen thưởng',
    auditLink: 'Nhật ký của kỳ',
    progressTitle: 'Tiến độ',
    completeness: 'Tỷ lệ đã nộp',
    onTime: 'Nộp đúng hạn',
    units: 'đơn vị',
    byState: 'Đơn vị theo trạng thái',
    unitsTitle: 'Các đơn vị',
    filter: 'Lọc',
    state: 'Trạng thái',
    all: 'Tất cả',
    search: 'Mã hoặc tên đơn vị',
    apply: 'Lọc',
    clear: 'Bỏ lọc',
    matching: 'đơn vị phù hợp',
    unit: 'Đơn vị',
    dispatched: 'Đã gửi thư',
    reminded: 'Đã nhắc',
    escalated: 'Đã báo cáo cấp trên',
    submitted: 'Đã nộp',
    level: 'cấp',
    late: 'muộn',
    onTimeShort: 'đúng hạn',
    actions: 'Thao tác',
    openActions: 'Thao tác',
    extend: 'Gia hạn cho đơn vị',
    newDeadline: 'Hạn mới (giờ Việt Nam)',
    reason: 'Lý do',
    extendButton: 'Gia hạn',
    resend: 'Gửi lại đường liên kết',
    resendHint: 'Đường liên kết cũ sẽ hết hiệu lực; thư mới chỉ gửi tới địa chỉ đã đăng ký của thủ trưởng.',
    resendButton: 'Gửi lại đường liên kết',
    noActions: 'Không còn thao tác (đơn vị đã nộp hoặc kỳ đã qua giai đoạn thu báo cáo).',
    closeCollection: 'Tổng hợp ngay',
    closeCollectionHint:
      'Kết thúc thu nhận báo cáo ngay bây giờ thay vì chờ đến hạn khóa sổ: các đơn vị chưa nộp được ghi là không nộp và hệ thống tổng hợp những báo cáo đã có.',
    closeCollectionButton: 'Kết thúc thu nhận và tổng hợp',
    cancel: 'Hủy kỳ báo cáo',
    cancelHint: 'Hủy là không thể hoàn tác: các đơn vị không cần nộp nữa, mọi đường liên kết ngừng nhận báo cáo.',
    cancelButton: 'Hủy kỳ báo cáo này',
    live: 'Trang tự làm mới sau mỗi 30 giây khi bạn không nhập liệu.',
    refresh: 'Làm mới',
    unitWord: 'Số đơn vị',
    times: 'lần',
  },
  en: {
    cycles: 'Cycles',
    start: 'Start a cycle',
    campaign: 'Campaign',
    period: 'Reporting month',
    startButton: 'Start the cycle',
    startHint: 'Every active unit receives an email with a personal link. A campaign has one cycle per month.',
    stage: 'Stage',
    progress: 'Submitted',
    started: 'Started',
    open: 'Open',
    board: 'Status board',
    council: 'Council',
    audit: 'Audit log',
    temporal: 'Temporal',
    none: 'No cycle yet.',
    inactive: '(inactive)',
    boardTitle: 'Status board',
    unitDeadline: 'Deadline',
    template: 'Template version',
    deadline: 'Common deadline',
    hardClose: 'Hard close',
    dataPeriod: 'Data',
    temporalLink: "Open the cycle's workflow in the Temporal Web UI",
    councilLink: 'Council page',
    documentsLabel: 'Documents (Decree 30 layout)',
    docReport: 'Monthly report',
    docMinutes: 'Minutes of the vote',
    docDecision: 'Draft commendation decision',
    auditLink: "The cycle's audit log",
    progressTitle: 'Progress',
    completeness: 'Completeness',
    onTime: 'On time',
    units: 'units',
    byState: 'Units by state',
    unitsTitle: 'Units',
    filter: 'Filter',
    state: 'State',
    all: 'All',
    search: 'Unit code or name',
    apply: 'Filter',
    clear: 'Clear',
    matching: 'matching units',
    unit: 'Unit',
    dispatched: 'Dispatched',
    reminded: 'Reminded',
    escalated: 'Escalated',
    submitted: 'Submitted',
    level: 'level',
    late: 'late',
    onTimeShort: 'on time',
    actions: 'Actions',
    openActions: 'Actions',
    extend: "Extend the unit's deadline",
    newDeadline: 'New deadline (Vietnam time)',
    reason: 'Reason',
    extendButton: 'Extend',
    resend: 'Re-send the link',
    resendHint: "The old link stops working; the new one goes only to the head's registered address.",
    resendButton: 'Re-send the link',
    noActions: 'No action left (the unit has submitted, or the cycle is past collection).',
    closeCollection: 'Consolidate now',
    closeCollectionHint:
      'End collection now instead of at the hard close: units that have not reported are recorded as not submitted and the reports already in are consolidated.',
    closeCollectionButton: 'End collection and consolidate',
    cancel: 'Cancel the cycle',
    cancelHint: 'Cancelling cannot be undone: units no longer need to report and every link stops taking reports.',
    cancelButton: 'Cancel this cycle',
    live: 'The page refreshes every 30 seconds while you are not typing.',
    refresh: 'Refresh',
    unitWord: 'Units',
    times: 'times',
  },
} as const;

const boardPath = (campaign: string, period: string): string =>
  `/console/cycles/${encodeURIComponent(campaign)}/${encodeURIComponent(period)}`;
export { boardPath };

export function cyclesPage(
  v: ConsoleView,
  opts: {
    rows: readonly CycleListRow[];
    campaigns: readonly { code: string; name: string; active: boolean }[];
    page: number;
    pages: number;
    notice?: string | null;
    error?: string | null;
    form?: { campaign?: string; period?: string };
    temporalUiLink: (id: string) => string;
    defaultPeriod: string;
  },
): string {
  const t = T[v.lang];
  const active = opts.campaigns.filter((c) => c.active);
  const body = html`<h1>${t.cycles}</h1>${flash('ok', opts.notice)}${flash('error', opts.error)}
${
  reachesInstallation(v)
    ? html`<section class="card" aria-labelledby="start-title"><h2 id="start-title">${t.start}</h2>
<form method="post" action="/console/cycles" class="inline-form">${csrfField(v)}
<div><label for="start-campaign">${t.campaign}</label><select id="start-campaign" name="campaign" required>${active.map((c) => html`<option value="${c.code}"${opts.form?.campaign === c.code ? html` selected` : ''}>${c.name} (${c.code})</option>`)}</select></div>
<div><label for="start-period">${t.period}</label><input id="start-period" name="period" type="month" required pattern="\\d{4}-\\d{2}" value="${opts.form?.period ?? opts.defaultPeriod}" aria-describedby="start-hint"></div>
<div><button type="submit">${t.startButton}</button></div></form><p class="hint" id="start-hint">${t.startHint}</p></section>`
    : ''
}
${
  opts.rows.length === 0
    ? html`<p>${t.none}</p>`
    : html`<div class="table-wrap"><table class="data stack"><caption>${t.cycles}</caption><thead><tr><th scope="col">${t.campaign}</th><th scope="col">${t.period}</th><th scope="col">${t.stage}</th><th scope="col" class="num">${t.progress}</th><th scope="col">${t.started}</th><th scope="col">${t.open}</th></tr></thead><tbody>
${opts.rows.map(
  (
    r,
  ) => html`<tr><td data-label="${t.campaign}">${r.campaignName} <span class="hint">(${r.campaign})</span></td><td data-label="${t.period}"><a href="${boardPath(r.campaign, r.period)}">${r.period}</a></td>
<td data-label="${t.stage}">${STAGE_LABEL[v.lang][r.stage]}</td><td data-label="${t.progress}" class="num">${r.submitted} / ${r.expected}</td><td data-label="${t.started}">${formatShort(r.startedAt, v.lang)}</td>
<td data-label="${t.open}"><a href="${boardPath(r.campaign, r.period)}">${t.board}</a> · <a href="/console/council/${encodeURIComponent(r.campaign)}/${encodeURIComponent(r.period)}">${t.council}</a> · <a href="/console/audit/${encodeURIComponent(r.campaign)}/${encodeURIComponent(r.period)}">${t.audit}</a> · <a href="${opts.temporalUiLink(r.workflowId)}" rel="noopener noreferrer" target="_blank">${t.temporal}</a></td></tr>`,
)}
</tbody></table></div>${pager(v, { page: opts.page, pages: opts.pages, href: (p) => href('/console/cycles', { page: p }) })}`
}`;
  return consolePage(v, { title: t.cycles, current: 'cycles', body });
}

/** `datetime-local` value in Vietnam's time, some days after `iso`. */
export function localInput(iso: string, plusDays = 0): string {
  return DateTime.fromISO(iso).setZone(TIME_ZONE).plus({ days: plusDays }).toFormat("yyyy-LL-dd'T'HH:mm");
}

export interface BoardFilter {
  readonly state?: TaskState;
  readonly q?: string;
  /** The unit whose subtree the board is narrowed to (cycles of several levels). */
  readonly node?: string;
  readonly page: number;
  readonly pages: number;
}

export function boardPage(
  v: ConsoleView,
  board: Board,
  opts: {
    filter: BoardFilter;
    notice?: string | null;
    error?: string | null;
    temporalUiLink: (id: string) => string;
    now: Date;
  },
): string {
  const t = T[v.lang];
  const { cycle } = board;
  const campaign = cycle.campaign.code;
  const base = boardPath(campaign, cycle.period);
  const here = href(base, {
    state: opts.filter.state,
    q: opts.filter.q,
    node: opts.filter.node,
    page: opts.filter.page > 1 ? opts.filter.page : null,
  });
  const ratio = (n: number): number => (board.expected ? n / board.expected : 0);
  const plan = cycle.plan;
  const closedStage = cycle.stage === 'closed' || cycle.stage === 'cancelled';
  const stateCounts = TASK_STATES.filter((s) => board.byState[s] > 0);
  const unitCell = (r: Board['rows'][number]): Html => html`<strong>${r.code}</strong><br>${r.name}`;
  const rowHtml = (r: Board['rows'][number]): Html => {
    const id = r.code.replace(/[^A-Za-z0-9_-]/g, '_');
    return html`<tr id="unit-${id}"><td data-label="${t.unit}">${unitCell(r)}</td>
<td data-label="${t.state}">${stateBadge(r.state, v.lang)}</td>
<td data-label="${t.unitDeadline}">${formatShort(r.deadline, v.lang)}</td>
<td data-label="${t.dispatched}">${formatShort(r.dispatchedAt, v.lang)}</td>
<td data-label="${t.reminded}">${r.remindersSent ? html`${r.remindersSent} ${t.times}<br><span class="hint">${formatShort(r.lastReminderAt, v.lang)}</span>` : '—'}</td>
<td data-label="${t.escalated}">${r.escalationLevel ? html`${t.level} ${r.escalationLevel}<br><span class="hint">${formatShort(r.escalatedAt, v.lang)}</span>` : '—'}</td>
<td data-label="${t.submitted}">${r.submittedAt ? html`${formatShort(r.submittedAt, v.lang)}<br><span class="badge ${r.late ? 'warn' : 'ok'}">${r.late ? t.late : t.onTimeShort}</span>` : '—'}</td>
<td data-label="${t.temporal}" class="nowrap"><a href="${opts.temporalUiLink(r.workflowId)}" rel="noopener noreferrer" target="_blank" aria-label="${t.temporal}: ${r.code}">${t.temporal}</a></td>
<td data-label="${t.actions}">${
      r.canExtend || r.canResend
        ? html`<details class="actions-menu"><summary>${t.openActions}<span class="hint"> — ${r.code}</span></summary>
${
  r.canExtend
    ? html`<form method="post" action="${base}/units/${encodeURIComponent(r.code)}/extend">${csrfField(v)}<input type="hidden" name="returnTo" value="${here}">
<fieldset><legend>${t.extend}</legend><label for="ext-${id}-deadline">${t.newDeadline}</label><input id="ext-${id}-deadline" name="newDeadline" type="datetime-local" required value="${localInput(r.deadline, 2)}">
<label for="ext-${id}-reason">${t.reason}</label><input id="ext-${id}-reason" name="reason" required minlength="3" maxlength="1000">
<button type="submit" class="small">${t.extendButton}</button></fieldset></form>`
    : ''
}
${
  r.canResend
    ? html`<form method="post" action="${base}/units/${encodeURIComponent(r.code)}/link">${csrfField(v)}<input type="hidden" name="returnTo" value="${here}">
<fieldset><legend>${t.resend}</legend><p class="hint">${t.resendHint}</p><label for="link-${id}-reason">${t.reason}</label><input id="link-${id}-reason" name="reason" required minlength="3" maxlength="1000">
<button type="submit" class="small secondary">${t.resendButton}</button></fieldset></form>`
    : ''
}</details>`
        : html`<span class="hint">${t.noActions}</span>`
    }</td></tr>`;
  };

  const body = html`<p class="hint"><a href="/console/cycles">← ${t.cycles}</a></p>
<h1>${t.boardTitle}: ${cycle.campaign.name} — ${cycle.period}</h1>
${flash('ok', opts.notice)}${flash('error', opts.error)}
<dl class="kv card"><dt>${t.stage}</dt><dd><span class="badge ${closedStage ? '' : 'info'}" id="cycle-stage">${STAGE_LABEL[v.lang][cycle.stage]}</span></dd>
<dt>${t.dataPeriod}</dt><dd>${plan.dataFrom} → ${plan.dataTo}</dd>
<dt>${t.deadline}</dt><dd>${formatShort(plan.schedule.deadline, v.lang)}</dd>
<dt>${t.hardClose}</dt><dd>${formatShort(plan.schedule.hardClose, v.lang)}</dd>
<dt>${t.template}</dt><dd>${cycle.template.code} v${cycle.template.version}</dd>
<dt>Temporal</dt><dd><a href="${opts.temporalUiLink(cycle.workflowId)}" rel="noopener noreferrer" target="_blank">${t.temporalLink}</a> <span class="hint">(${cycle.workflowId})</span></dd></dl>
<p><a href="/console/council/${encodeURIComponent(campaign)}/${encodeURIComponent(cycle.period)}">${t.councilLink}</a> · <a href="/console/audit/${encodeURIComponent(campaign)}/${encodeURIComponent(cycle.period)}">${t.auditLink}</a></p>
${
  ['review', 'revision', 'publishing', 'closed'].includes(cycle.stage)
    ? html`<p class="no-print" id="documents">${t.documentsLabel}: ${(
        [
          [t.docReport, 'monthly-report'],
          [t.docMinutes, 'council-minutes'],
          ...(cycle.stage === 'publishing' || cycle.stage === 'closed'
            ? [[t.docDecision, 'commendation-decision']]
            : []),
        ] as const
      ).map(
        ([label, file], i) =>
          html`${i ? ' · ' : ''}${label} <a href="/console/council/${encodeURIComponent(campaign)}/${encodeURIComponent(cycle.period)}/documents/${file}.docx" download>DOCX</a> <a href="/console/council/${encodeURIComponent(campaign)}/${encodeURIComponent(cycle.period)}/documents/${file}.pdf" download>PDF</a>`,
      )}</p>`
    : ''
}
<h2>${t.progressTitle}</h2>
<div class="card">${progressBar({ ratio: ratio(board.submitted), label: t.completeness, detail: `${formatNumber(board.submitted, v.lang)} / ${formatNumber(board.expected, v.lang)} ${t.units}`, lang: v.lang })}
${progressBar({ ratio: ratio(board.onTime), label: t.onTime, detail: `${formatNumber(board.onTime, v.lang)} / ${formatNumber(board.expected, v.lang)} ${t.units}`, lang: v.lang, tone: 'info' })}
<ul class="stats" aria-label="${t.byState}">${stateCounts.map((s) => html`<li><a href="${href(base, { state: s })}"><strong>${formatNumber(board.byState[s], v.lang)}</strong>${TASK_STATE_LABEL[v.lang][s]}</a></li>`)}</ul>
<p class="hint no-print">${t.live} <a href="${here}">${t.refresh}</a></p></div>
${board.tree ? treeSection(board.tree, base, v.lang) : ''}
<h2 id="units">${t.unitsTitle}</h2>
<form method="get" action="${base}" class="filters" role="search"><div><label for="f-state">${t.state}</label><select id="f-state" name="state"><option value="">${t.all}</option>${TASK_STATES.map((s) => html`<option value="${s}"${opts.filter.state === s ? html` selected` : ''}>${TASK_STATE_LABEL[v.lang][s]}</option>`)}</select></div>
<div><label for="f-q">${t.search}</label><input id="f-q" name="q" value="${opts.filter.q ?? ''}"></div><div><button type="submit" class="small">${t.apply}</button>${opts.filter.state || opts.filter.q ? html` <a href="${base}">${t.clear}</a>` : ''}</div></form>
<p class="hint">${formatNumber(board.matching, v.lang)} ${t.matching}</p>
<div class="table-wrap"><table class="data stack" id="board"><thead><tr><th scope="col">${t.unit}</th><th scope="col">${t.state}</th><th scope="col">${t.unitDeadline}</th><th scope="col">${t.dispatched}</th><th scope="col">${t.reminded}</th><th scope="col">${t.escalated}</th><th scope="col">${t.submitted}</th><th scope="col">${t.temporal}</th><th scope="col">${t.actions}</th></tr></thead>
<tbody>${board.rows.map(rowHtml)}</tbody></table></div>
${pager(v, { page: opts.filter.page, pages: opts.filter.pages, href: (p) => href(base, { state: opts.filter.state, q: opts.filter.q, node: opts.filter.node, page: p }) })}
${
  cycle.stage === 'collecting'
    ? html`<h2>${t.closeCollection}</h2><form method="post" action="${base}/close-collection" class="card">${csrfField(v)}<p>${t.closeCollectionHint}</p>
<label for="close-reason">${t.reason}</label><textarea id="close-reason" name="reason" required minlength="3" maxlength="1000"></textarea>
<button type="submit" data-confirm="${t.closeCollectionHint}">${t.closeCollectionButton}</button></form>`
    : ''
}
${
  closedStage
    ? ''
    : html`<h2>${t.cancel}</h2><form method="post" action="${base}/cancel" class="card danger-zone">${csrfField(v)}<p>${t.cancelHint}</p>
<label for="cancel-reason">${t.reason}</label><textarea id="cancel-reason" name="reason" required minlength="3" maxlength="1000"></textarea>
<button type="submit" class="danger">${t.cancelButton}</button></form>`
}`;
  return consolePage(v, { title: `${t.boardTitle} ${cycle.period}`, current: 'cycles', body, scripts: ['console.js'] });
}
