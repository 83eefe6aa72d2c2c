/** The auditor's viewer: cycles, then the timeline of a cycle or of one unit, read-only, with exports. */
import type { ICycle } from '../../../db/entities/cycle.entity';
import type { EmailKind } from '../../../db/entities/email.entity';
import type { ArchivedHistory } from '../../services/cycle-record.service';
import type { TimelineItem } from '../services/audit.service';
import type { CycleListRow } from '../services/cycles.service';
import { html, type Html } from '../../pages/html';
import { STAGE_LABEL, formatNumber, formatPrecise, formatShort, type Locale } from '../../pages/i18n';
import { consolePage, href, pager, type ConsoleView } from './layout';

const ACTIONS: Record<Locale, Record<string, string>> = {
  vi: {
    'cycle.opened': 'Mở kỳ báo cáo',
    'task.dispatched': 'Gửi yêu cầu báo cáo cho đơn vị',
    'task.draft_saved': 'Đơn vị lưu nháp',
    'task.submitted': 'Đơn vị nộp báo cáo',
    'task.reminded': 'Nhắc nhở đơn vị',
    'task.overdue': 'Đơn vị quá hạn',
    'cycle.escalated.level1': 'Báo cáo lãnh đạo phụ trách (cấp 1)',
    'cycle.escalated.level2': 'Báo cáo Thường trực Hội đồng (cấp 2)',
    'task.not_submitted': 'Ghi nhận đơn vị không nộp',
    'task.link_resent': 'Gửi lại đường liên kết',
    'task.extended': 'Gia hạn cho đơn vị',
    'cycle.collection_closed': 'Kết thúc thu nhận báo cáo sớm',
    'cycle.consolidated': 'Tổng hợp báo cáo',
    'cycle.consolidating': 'Chuyển sang tổng hợp',
    'cycle.review_opened': 'Mở phiên xem xét của Hội đồng',
    'cycle.review_expired': 'Hết thời hạn xem xét',
    'ballot.cast': 'Thành viên Hội đồng bỏ phiếu',
    'cycle.revision_requested': 'Hội đồng yêu cầu chỉnh sửa',
    'task.revision_requested': 'Đơn vị được yêu cầu chỉnh sửa',
    'task.revision_expired': 'Hết hạn chỉnh sửa (giữ báo cáo trước)',
    'cycle.published': 'Công bố kết quả',
    'cycle.publishing': 'Chuyển sang công bố',
    'cycle.closed': 'Kết thúc kỳ',
    'cycle.cancel_requested': 'Yêu cầu hủy kỳ',
    'cycle.cancelled': 'Hủy kỳ',
    'workflow.history_archived': 'Lưu trữ lịch sử quy trình',
    'access.refused': 'Từ chối truy cập',
  },
  en: {
    'cycle.opened': 'Cycle opened',
    'task.dispatched': 'Task dispatched to the unit',
    'task.draft_saved': 'Draft saved by the unit',
    'task.submitted': 'Report submitted by the unit',
    'task.reminded': 'Unit reminded',
    'task.overdue': 'Unit overdue',
    'cycle.escalated.level1': 'Escalated to supervisors (level 1)',
    'cycle.escalated.level2': 'Escalated to the secretariat (level 2)',
    'task.not_submitted': 'Unit recorded as not submitted',
    'task.link_resent': 'Link re-sent',
    'task.extended': "Unit's deadline extended",
    'cycle.collection_closed': 'Collection closed early',
    'cycle.consolidated': 'Reports consolidated',
    'cycle.consolidating': 'Consolidation started',
    'cycle.review_opened': 'Council review opened',
    'cycle.review_expired': 'Review window ended',
    'ballot.cast': 'Council member voted',
    'cycle.revision_requested': 'Council asked for revision',
    'task.revision_requested': 'Unit asked to revise',
    'task.revision_expired': 'Revision window ended (previous report stands)',
    'cycle.published': 'Results published',
    'cycle.publishing': 'Publication started',
    'cycle.closed': 'Cycle closed',
    'cycle.cancel_requested': 'Cancellation requested',
    'cycle.cancelled': 'Cycle cancelled',
    'workflow.history_archived': 'Workflow history archived',
    'access.refused': 'Access refused',
  },
};

/** Every kind of email by name: a new kind without its names does not compile. */
const EMAIL_KINDS: Record<Locale, Record<EmailKind, string>> = {
  vi: {
    dispatch: 'Thư yêu cầu báo cáo',
    reminder: 'Thư nhắc nhở',
    escalation_supervisor: 'Thư báo cáo lãnh đạo phụ trách',
    escalation_secretariat: 'Thư báo cáo Thường trực Hội đồng',
    revision: 'Thư đề nghị chỉnh sửa',
    publication: 'Thư công bố kết quả',
    link_resent: 'Thư gửi lại đường liên kết',
    review_expired: 'Thư báo hết hạn xem xét',
    summary_frozen: 'Thư báo đã chốt số liệu tổng hợp',
    sign_in: 'Thư đăng nhập',
    registration_dispatch: 'Thư đề nghị đăng ký thi đua',
    registration_reminder: 'Thư nhắc đăng ký thi đua',
    title_vote_opened: 'Thư mời bỏ phiếu danh hiệu',
    title_vote_reminder: 'Thư nhắc bỏ phiếu danh hiệu',
  },
  en: {
    dispatch: 'Task email',
    reminder: 'Reminder',
    escalation_supervisor: 'Escalation to supervisor',
    escalation_secretariat: 'Escalation to secretariat',
    revision: 'Revision request',
    publication: 'Publication',
    link_resent: 'Link re-sent',
    review_expired: 'Review expired notice',
    summary_frozen: 'Summary frozen notice',
    sign_in: 'Sign-in link',
    registration_dispatch: 'Registration request',
    registration_reminder: 'Registration reminder',
    title_vote_opened: 'Title vote invitation',
    title_vote_reminder: 'Title vote reminder',
  },
};

const T = {
  vi: {
    audit: 'Nhật ký kiểm tra',
    intro:
      'Chỉ đọc. Mọi thay đổi trạng thái là một sự kiện trong nhật ký nối chuỗi bằng mã băm; mọi thư đã gửi đều được ghi lại.',
    campaign: 'Chiến dịch',
    period: 'Kỳ',
    stage: 'Giai đoạn',
    open: 'Xem nhật ký',
    none: 'Chưa có kỳ báo cáo nào.',
    title: 'Nhật ký',
    scope: 'Phạm vi',
    wholeCycle: 'Cả kỳ',
    unit: 'Mã đơn vị',
    show: 'Xem',
    unitOf: 'Đơn vị',
    events: 'sự kiện',
    emails: 'thư',
    export: 'Xuất dữ liệu',
    csv: 'Tải CSV',
    jsonl: 'Tải JSON Lines',
    integrityOk: 'Mọi sự kiện trên trang này khớp mã băm và nối đúng với sự kiện liền trước.',
    integrityBad: 'sự kiện trên trang này KHÔNG khớp mã băm hoặc chuỗi — cần kiểm tra.',
    time: 'Thời gian',
    kind: 'Loại',
    what: 'Nội dung',
    who: 'Người thực hiện / người nhận',
    status: 'Trạng thái',
    check: 'Kiểm tra',
    event: 'Sự kiện',
    email: 'Thư',
    before: 'Trước',
    after: 'Sau',
    details: 'Chi tiết',
    hash: 'Mã băm',
    verified: 'khớp',
    mismatch: 'KHÔNG khớp',
    sent: 'đã gửi',
    pending: 'đang chờ',
    failed: 'lỗi',
    attempts: 'lần gửi',
    from: 'từ',
    empty: 'Không có gì trong phạm vi này.',
    temporal: 'Quy trình Temporal',
    temporalCycle: 'Quy trình của kỳ trong Temporal Web UI',
    temporalUnit: 'Quy trình của đơn vị trong Temporal Web UI',
    histories: 'Lịch sử quy trình đã lưu trữ',
    noHistories: 'Chưa lưu trữ (lịch sử được lưu vào PostgreSQL khi kỳ kết thúc).',
    download: 'Tải JSON',
    eventsCount: 'sự kiện',
    actorKinds: { user: 'người dùng', link: 'đường liên kết của đơn vị', system: 'hệ thống' } as Record<string, string>,
  },
  en: {
    audit: 'Audit log',
    intro: 'Read-only. Every state change is an event in a hash-chained log; every email sent is recorded.',
    campaign: 'Campaign',
    period: 'Period',
    stage: 'Stage',
    open: 'Open the log',
    none: 'No cycle yet.',
    title: 'Audit log',
    scope: 'Scope',
    wholeCycle: 'Whole cycle',
    unit: 'Unit code',
    show: 'Show',
    unitOf: 'Unit',
    events: 'events',
    emails: 'emails',
    export: 'Export',
    csv: 'Download CSV',
    jsonl: 'Download JSON Lines',
    integrityOk: 'Every event on this page matches its hash and links to the event before it.',
    integrityBad: 'events on this page do NOT match their hash or chain — investigate.',
    time: 'Time',
    kind: 'Kind',
    what: 'What',
    who: 'Who / recipient',
    status: 'Status',
    check: 'Check',
    event: 'Event',
    email: 'Email',
    before: 'Before',
    after: 'After',
    details: 'Details',
    hash: 'Hash',
    verified: 'verified',
    mismatch: 'MISMATCH',
    sent: 'sent',
    pending: 'pending',
    failed: 'failed',
    attempts: 'attempts',
    from: 'from',
    empty: 'Nothing in this scope.',
    temporal: 'Temporal workflows',
    temporalCycle: "The cycle's workflow in the Temporal Web UI",
    temporalUnit: "The unit's workflow in the Temporal Web UI",
    histories: 'Archived workflow histories',
    noHistories: 'Not archived yet (histories are stored in PostgreSQL when the cycle ends).',
    download: 'Download JSON',
    eventsCount: 'events',
    actorKinds: { user: 'user', link: "unit's link", system: 'system' } as Record<string, string>,
  },
} as const;

const auditPath = (campaign: string, period: string): string =>
  `/console/audit/${encodeURIComponent(campaign)}/${encodeURIComponent(period)}`;

export function auditListPage(v: ConsoleView, rows: readonly CycleListRow[]): string {
  const t = T[v.lang];
  const body = html`<h1>${t.audit}</h1><p>${t.intro}</p>${
    rows.length === 0
      ? html`<p>${t.none}</p>`
      : html`<div class="table-wrap"><table class="data stack"><thead><tr><th scope="col">${t.campaign}</th><th scope="col">${t.period}</th><th scope="col">${t.stage}</th><th scope="col"><span class="hint">${t.open}</span></th></tr></thead><tbody>
${rows.map((r) => html`<tr><td data-label="${t.campaign}">${r.campaignName}</td><td data-label="${t.period}">${r.period}</td><td data-label="${t.stage}">${STAGE_LABEL[v.lang][r.stage]}</td><td data-label=""><a href="${auditPath(r.campaign, r.period)}">${t.open}</a></td></tr>`)}</tbody></table></div>`
  }`;
  return consolePage(v, { title: t.audit, current: 'audit', body });
}

const json = (x: unknown): string => JSON.stringify(x, null, 2);

function itemRow(v: ConsoleView, item: TimelineItem): Html {
  const t = T[v.lang];
  if (item.source === 'event') {
    const label = ACTIONS[v.lang][item.action] ?? item.action;
    return html`<tr class="ev"><td data-label="${t.time}"><time datetime="${item.at}">${formatPrecise(item.at, v.lang)}</time></td><td data-label="${t.kind}"><span class="badge info">${t.event}</span> <span class="hint">#${item.id}</span></td>
<td data-label="${t.what}"><strong>${label}</strong> <span class="hint">(${item.action}; ${item.subjectType} ${item.subjectId})</span>
${item.before !== null || item.after !== null ? html`<details><summary>${t.details}</summary>${item.before !== null ? html`<p class="hint">${t.before}</p><pre class="pre">${json(item.before)}</pre>` : ''}${item.after !== null ? html`<p class="hint">${t.after}</p><pre class="pre">${json(item.after)}</pre>` : ''}</details>` : ''}</td>
<td data-label="${t.who}">${item.actorId} <span class="hint">(${t.actorKinds[item.actorKind] ?? item.actorKind}${item.origin ? `, ${t.from} ${item.origin}` : ''})</span></td><td data-label="${t.status}">—</td>
<td data-label="${t.check}"><span class="badge ${item.verified ? 'ok' : 'bad'}">${item.verified ? t.verified : t.mismatch}</span><br><span class="hint" title="${item.hash}">${t.hash} ${item.hash.slice(0, 12)}…</span></td></tr>`;
  }
  const status = item.status === 'sent' ? t.sent : item.status === 'failed' ? t.failed : t.pending;
  return html`<tr class="em"><td data-label="${t.time}"><time datetime="${item.at}">${formatPrecise(item.at, v.lang)}</time></td><td data-label="${t.kind}"><span class="badge">${t.email}</span> <span class="hint">#${item.id}</span></td>
<td data-label="${t.what}"><strong>${EMAIL_KINDS[v.lang][item.kind as EmailKind] ?? item.kind}</strong><br>${item.subject ?? ''}${item.lastError ? html`<br><span class="field-error">${item.lastError}</span>` : ''}</td>
<td data-label="${t.who}">${item.recipient}</td><td data-label="${t.status}"><span class="badge ${item.status === 'sent' ? 'ok' : item.status === 'failed' ? 'bad' : 'warn'}">${status}</span> <span class="hint">${item.attempts} ${t.attempts}</span></td>
<td data-label="${t.check}">${item.bodySha256 ? html`<span class="hint" title="${item.bodySha256}">SHA-256 ${item.bodySha256.slice(0, 12)}…</span>` : '—'}</td></tr>`;
}

export function auditPage(
  v: ConsoleView,
  opts: {
    cycle: ICycle;
    unit: { code: string; name: string; workflowId: string } | null;
    units: readonly { code: string; name: string }[];
    counts: { events: number; emails: number };
    items: readonly TimelineItem[];
    page: number;
    pages: number;
    histories: readonly ArchivedHistory[];
    temporalUiLink: (id: string) => string;
  },
): string {
  const t = T[v.lang];
  const { cycle } = opts;
  const base = auditPath(cycle.campaign.code, cycle.period);
  const unitQ = opts.unit?.code;
  const bad = opts.items.filter((i) => i.source === 'event' && !i.verified).length;
  const body = html`<p class="hint"><a href="/console/audit">← ${t.audit}</a></p>
<h1>${t.title}: ${cycle.campaign.name} — ${cycle.period}${opts.unit ? html` · ${t.unitOf} ${opts.unit.name} (${opts.unit.code})` : ''}</h1>
<p class="meta">${STAGE_LABEL[v.lang][cycle.stage]} · ${formatNumber(opts.counts.events, v.lang)} ${t.events} · ${formatNumber(opts.counts.emails, v.lang)} ${t.emails}</p>
<form method="get" action="${base}" class="filters" role="search"><div><label for="scope-unit">${t.unit}</label><input id="scope-unit" name="unit" list="cycle-units" value="${unitQ ?? ''}" autocomplete="off"><datalist id="cycle-units">${opts.units.slice(0, 1000).map((u) => html`<option value="${u.code}">${u.name}</option>`)}</datalist></div>
<div><button type="submit" class="small">${t.show}</button>${opts.unit ? html` <a href="${base}">${t.wholeCycle}</a>` : ''}</div></form>
<p class="no-print">${t.export}: <a class="button secondary small" href="${href(`${base}/timeline.csv`, { unit: unitQ })}" download>${t.csv}</a> <a class="button secondary small" href="${href(`${base}/timeline.jsonl`, { unit: unitQ })}" download>${t.jsonl}</a></p>
${opts.items.some((i) => i.source === 'event') ? html`<p class="notice ${bad ? 'error' : 'ok'}" id="integrity">${bad ? html`${bad} ${t.integrityBad}` : t.integrityOk}</p>` : ''}
${
  opts.items.length === 0
    ? html`<p>${t.empty}</p>`
    : html`<div class="table-wrap"><table class="data stack" id="timeline"><thead><tr><th scope="col">${t.time}</th><th scope="col">${t.kind}</th><th scope="col">${t.what}</th><th scope="col">${t.who}</th><th scope="col">${t.status}</th><th scope="col">${t.check}</th></tr></thead>
<tbody>${opts.items.map((i) => itemRow(v, i))}</tbody></table></div>`
}
${pager(v, { page: opts.page, pages: opts.pages, href: (p) => href(base, { unit: unitQ, page: p }) })}
<h2>${t.temporal}</h2><ul><li><a href="${opts.temporalUiLink(cycle.workflowId)}" rel="noopener noreferrer" target="_blank">${t.temporalCycle}</a> <span class="hint">(${cycle.workflowId})</span></li>
${opts.unit ? html`<li><a href="${opts.temporalUiLink(opts.unit.workflowId)}" rel="noopener noreferrer" target="_blank">${t.temporalUnit}</a> <span class="hint">(${opts.unit.workflowId})</span></li>` : ''}</ul>
<h3>${t.histories}</h3>${opts.histories.length ? html`<ul>${opts.histories.map((h) => html`<li>${h.workflowId} — ${formatNumber(h.events, v.lang)} ${t.eventsCount}, ${h.status}, ${formatShort(h.archivedAt, v.lang)} · <a href="${base}/histories/${encodeURIComponent(h.workflowId)}.json" download>${t.download}</a> <span class="hint">SHA-256 ${h.sha256.slice(0, 12)}…</span></li>`)}</ul>` : html`<p class="hint">${t.noHistories}</p>`}`;
  return consolePage(v, { title: `${t.title} ${cycle.period}`, current: 'audit', body });
}
