/** The council's review: the consolidated report for reading, with charts; votes; who has voted. */
import type { ICycle } from '../../../db/entities/cycle.entity';
import type { ConsolidatedReportContent } from '../../../domain/consolidation';
import type { CycleListRow } from '../services/cycles.service';
import type { CouncilView } from '../services/council.service';
import { indicatorChart, progressBar, rateChart, stackedBarChart } from '../../pages/charts';
import { html, type Html } from '../../pages/html';
import { STAGE_LABEL, formatShort, type Locale } from '../../pages/i18n';
import { consolePage, csrfField, flash, href, type ConsoleView } from './layout';

const T = {
  vi: {
    council: 'Hội đồng Thi đua - Khen thưởng xem xét',
    cycles: 'Các kỳ báo cáo',
    none: 'Chưa có báo cáo tổng hợp nào.',
    period: 'Kỳ',
    campaign: 'Chiến dịch',
    stage: 'Giai đoạn',
    open: 'Xem báo cáo',
    report: 'Báo cáo tổng hợp',
    version: 'Phiên bản',
    underReview: 'đang được xem xét',
    versions: 'Các phiên bản',
    notYet: 'Kỳ này chưa có báo cáo tổng hợp (các đơn vị đang nộp báo cáo).',
    download: 'Tải xuống',
    csv: 'Tải CSV',
    xlsx: 'Tải Excel (XLSX)',
    documents: 'Văn bản (thể thức Nghị định 30)',
    monthlyReport: 'Báo cáo tổng hợp',
    monthlyReportEn: 'Báo cáo tổng hợp (tiếng Anh)',
    minutes: 'Biên bản biểu quyết',
    decision: 'Dự thảo quyết định khen thưởng',
    review: 'Tình hình biểu quyết',
    reviewEnds: 'Hạn xem xét',
    voted: 'Đã bỏ phiếu',
    members: 'thành viên',
    quorum: 'Túc số',
    quorumYes: 'Đã đủ túc số',
    quorumNo: 'Chưa đủ túc số',
    needed: 'cần ít nhất',
    outOf: 'trên',
    whoVoted: 'Thành viên đã bỏ phiếu',
    nobody: 'Chưa có ai bỏ phiếu.',
    secret: 'Bỏ phiếu kín: trang chỉ cho biết ai đã bỏ phiếu, không cho biết bỏ phiếu thế nào.',
    ballots: 'Các phiếu',
    subject: 'Nội dung',
    choice: 'Lựa chọn',
    units: 'Đơn vị',
    comment: 'Ý kiến',
    at: 'Lúc',
    reportSubject: 'Báo cáo',
    submission: 'Tình hình nộp báo cáo',
    completeness: 'Đã nộp',
    onTime: 'Đúng hạn',
    unitsWord: 'đơn vị',
    lateUnits: 'Đơn vị nộp muộn',
    missingUnits: 'Đơn vị chưa nộp',
    revisions: 'Đơn vị được yêu cầu chỉnh sửa',
    revisionDeadline: 'hạn chỉnh sửa',
    resubmitted: 'nộp lại',
    revisedInTime: 'đúng hạn',
    revisedLate: 'muộn',
    notResubmitted: 'không nộp lại, giữ báo cáo trước',
    deadline: 'hạn',
    submittedAt: 'nộp lúc',
    indicators: 'Chỉ tiêu so với mục tiêu',
    keyTasks: 'Nhiệm vụ trọng tâm',
    keyTaskChart: 'Số đơn vị theo tình hình thực hiện từng nhiệm vụ',
    done: 'Đã hoàn thành',
    inProgress: 'Đang thực hiện',
    notStarted: 'Chưa triển khai',
    evidence: 'minh chứng',
    unitCount: 'Số đơn vị',
    sections: 'Các lĩnh vực',
    examples: 'Điển hình tiên tiến',
    proposals: 'Đề nghị khen thưởng',
    recommendations: 'Khó khăn, vướng mắc, kiến nghị',
    noEntries: '(không có)',
    noText: 'Chưa đơn vị nào báo cáo về',
    nominee: 'Đối tượng',
    kind: 'Loại',
    collective: 'Tập thể',
    individual: 'Cá nhân',
    adHoc: 'Đột xuất',
    thematic: 'Theo chuyên đề',
    requestedForm: 'Hình thức đề nghị',
    summary: 'Tóm tắt thành tích',
    fromUnit: 'Đơn vị đề nghị',
    votes: 'Phiếu',
    approve: 'Tán thành',
    reject: 'Không tán thành',
    youVoted: 'Bạn đã bỏ phiếu',
    votedBy: 'Đã bỏ phiếu',
    approvals: 'tán thành',
    rejections: 'không tán thành',
    voteTitle: 'Biểu quyết báo cáo tổng hợp',
    voteLegend: 'Ý kiến của bạn về báo cáo tổng hợp phiên bản',
    approveReport: 'Tán thành, thông qua báo cáo',
    revise: 'Đề nghị các đơn vị dưới đây chỉnh sửa',
    reviseUnits: 'Đơn vị cần chỉnh sửa',
    reviseCodes: 'Mã các đơn vị cần chỉnh sửa, cách nhau bởi dấu phẩy',
    commentLabel: 'Ý kiến (bắt buộc khi đề nghị chỉnh sửa; gửi tới các đơn vị)',
    send: 'Gửi phiếu',
    alreadyVoted: 'Bạn đã bỏ phiếu về báo cáo này lúc',
    yourChoice: 'lựa chọn của bạn',
    notOpen: 'Chỉ bỏ phiếu được khi Hội đồng đang xem xét phiên bản này.',
    readOnly: 'Bạn xem với vai trò chỉ đọc.',
    decisions: 'Quyết định khen thưởng',
    approved: 'Được chấp thuận',
    notApproved: 'Không được chấp thuận',
    jump: 'Đi tới phần biểu quyết',
    decisionTbl: 'Kết quả',
    request_revision: 'Đề nghị chỉnh sửa',
  },
  en: {
    council: 'Emulation & Commendation Council review',
    cycles: 'Reporting cycles',
    none: 'No consolidated report yet.',
    period: 'Period',
    campaign: 'Campaign',
    stage: 'Stage',
    open: 'Read the report',
    report: 'Consolidated report',
    version: 'Version',
    underReview: 'under review',
    versions: 'Versions',
    notYet: 'This cycle has no consolidated report yet (units are still reporting).',
    download: 'Download',
    csv: 'Download CSV',
    xlsx: 'Download Excel (XLSX)',
    documents: 'Documents (Decree 30 layout)',
    monthlyReport: 'Monthly report',
    monthlyReportEn: 'Monthly report (English)',
    minutes: 'Minutes of the vote',
    decision: 'Draft commendation decision',
    review: 'Where the vote stands',
    reviewEnds: 'Review ends',
    voted: 'Voted',
    members: 'members',
    quorum: 'Quorum',
    quorumYes: 'Quorum reached',
    quorumNo: 'Quorum not reached',
    needed: 'needs at least',
    outOf: 'of',
    whoVoted: 'Members who have voted',
    nobody: 'Nobody has voted yet.',
    secret: 'Secret ballots: this page shows who has voted, never how.',
    ballots: 'Ballots',
    subject: 'Subject',
    choice: 'Choice',
    units: 'Units',
    comment: 'Comment',
    at: 'At',
    reportSubject: 'Report',
    submission: 'Submission',
    completeness: 'Submitted',
    onTime: 'On time',
    unitsWord: 'units',
    lateUnits: 'Late units',
    missingUnits: 'Units that did not submit',
    revisions: 'Units sent back for revision',
    revisionDeadline: 'revision deadline',
    resubmitted: 'resubmitted',
    revisedInTime: 'in time',
    revisedLate: 'late',
    notResubmitted: 'not resubmitted, previous report stands',
    deadline: 'deadline',
    submittedAt: 'submitted',
    indicators: 'Indicators against their targets',
    keyTasks: 'Key tasks',
    keyTaskChart: 'Units by status, for each key task',
    done: 'Done',
    inProgress: 'In progress',
    notStarted: 'Not started',
    evidence: 'evidence',
    unitCount: 'Units',
    sections: 'Sector fields',
    examples: 'Advanced examples',
    proposals: 'Commendation proposals',
    recommendations: 'Difficulties and recommendations',
    noEntries: '(none)',
    noText: 'No unit reported on',
    nominee: 'Nominee',
    kind: 'Kind',
    collective: 'Collective',
    individual: 'Individual',
    adHoc: 'Ad hoc',
    thematic: 'Thematic',
    requestedForm: 'Requested form',
    summary: 'Achievement summary',
    fromUnit: 'Proposed by',
    votes: 'Votes',
    approve: 'Approve',
    reject: 'Reject',
    youVoted: 'You voted',
    votedBy: 'Voted',
    approvals: 'approve',
    rejections: 'reject',
    voteTitle: 'Vote on the consolidated report',
    voteLegend: 'Your vote on consolidated version',
    approveReport: 'Approve the report',
    revise: 'Ask the units below to revise',
    reviseUnits: 'Units to revise',
    reviseCodes: 'Codes of the units to revise, separated by commas',
    commentLabel: 'Comment (required to ask for a revision; sent to the units)',
    send: 'Cast my vote',
    alreadyVoted: 'You voted on this report at',
    yourChoice: 'your choice',
    notOpen: 'Votes are taken only while the council reviews this version.',
    readOnly: 'You are reading; your role does not vote.',
    decisions: 'Commendation decisions',
    approved: 'Approved',
    notApproved: 'Not approved',
    jump: 'Go to the vote',
    decisionTbl: 'Result',
    request_revision: 'Revision requested',
  },
} as const;

type Texts = (typeof T)[Locale];
const councilPath = (campaign: string, period: string): string =>
  `/console/council/${encodeURIComponent(campaign)}/${encodeURIComponent(period)}`;

export function councilListPage(v: ConsoleView, rows: readonly CycleListRow[]): string {
  const t = T[v.lang];
  const body = html`<h1>${t.council}</h1>${
    rows.length === 0
      ? html`<p>${t.none}</p>`
      : html`<div class="table-wrap"><table class="data stack"><caption>${t.cycles}</caption><thead><tr><th scope="col">${t.campaign}</th><th scope="col">${t.period}</th><th scope="col">${t.stage}</th><th scope="col">${t.version}</th><th scope="col"><span class="hint">${t.open}</span></th></tr></thead><tbody>
${rows.map((r) => html`<tr><td data-label="${t.campaign}">${r.campaignName}</td><td data-label="${t.period}">${r.period}</td><td data-label="${t.stage}"><span class="badge ${r.stage === 'review' ? 'warn' : ''}">${STAGE_LABEL[v.lang][r.stage]}</span></td><td data-label="${t.version}">${r.reviewVersion ?? '—'}</td><td data-label=""><a href="${councilPath(r.campaign, r.period)}">${t.open}</a></td></tr>`)}
</tbody></table></div>`
  }`;
  return consolePage(v, { title: t.council, current: 'council', body });
}

function choiceLabel(t: Texts, choice: string): string {
  return choice === 'approve' ? t.approve : choice === 'reject' ? t.reject : t.request_revision;
}

function reviewCard(v: ConsoleView, cycle: ICycle, view: CouncilView): Html {
  const t = T[v.lang];
  const r = view.review;
  const q = cycle.policy.quorum;
  const needed = Math.ceil((q.numerator * r.members) / q.denominator);
  return html`<section class="card" aria-labelledby="review-h" id="review"><h2 id="review-h">${t.review}</h2>
<dl class="kv"><dt>${t.stage}</dt><dd><span class="badge ${cycle.stage === 'review' ? 'warn' : ''}">${STAGE_LABEL[v.lang][cycle.stage]}</span>${r.version ? html` — ${t.version} ${r.version}` : ''}</dd>
${r.reviewEndsAt ? html`<dt>${t.reviewEnds}</dt><dd>${formatShort(r.reviewEndsAt, v.lang)}</dd>` : ''}
<dt>${t.quorum}</dt><dd><span class="badge ${r.quorumReached ? 'ok' : 'warn'}" id="quorum">${r.quorumReached ? t.quorumYes : t.quorumNo}</span> <span class="hint">(${t.needed} ${needed} ${t.outOf} ${r.members} ${t.members} — ${t.quorum.toLowerCase()} ${q.numerator}/${q.denominator})</span></dd></dl>
${progressBar({ ratio: r.members ? r.voted.length / r.members : 0, label: t.voted, detail: `${r.voted.length} / ${r.members} ${t.members}`, lang: v.lang, tone: r.quorumReached ? 'ok' : 'info' })}
<h3>${t.whoVoted}</h3>${r.voted.length ? html`<ul id="voters">${r.voted.map((n) => html`<li>${n}</li>`)}</ul>` : html`<p>${t.nobody}</p>`}
${r.secretBallots ? html`<p class="hint">${t.secret}</p>` : ''}
${
  r.ballots?.length
    ? html`<details><summary>${t.ballots} (${r.ballots.length})</summary><div class="table-wrap"><table class="data stack"><thead><tr><th scope="col">${t.votedBy}</th><th scope="col">${t.subject}</th><th scope="col">${t.choice}</th><th scope="col">${t.units}</th><th scope="col">${t.comment}</th><th scope="col">${t.at}</th></tr></thead><tbody>
${r.ballots.map((b) => html`<tr><td data-label="${t.votedBy}">${b.voter}</td><td data-label="${t.subject}">${b.subject === 'report' ? t.reportSubject : b.subject}</td><td data-label="${t.choice}">${choiceLabel(t, b.choice)}</td><td data-label="${t.units}">${(b.unitCodes ?? []).join(', ')}</td><td data-label="${t.comment}" class="pre">${b.comment ?? ''}</td><td data-label="${t.at}">${formatShort(b.castAt, v.lang)}</td></tr>`)}</tbody></table></div></details>`
    : ''
}
</section>`;
}

function reportBody(
  v: ConsoleView,
  c: ConsolidatedReportContent,
  opts: { canVote: boolean; view: CouncilView; action: (id: string) => string; version: number },
): Html {
  const t = T[v.lang];
  const lang = v.lang;
  const statusRows = c.keyTasks.map((k) => ({
    label: k.code,
    hint: k.title[lang],
    values: { done: k.counts.done, in_progress: k.counts.in_progress, not_started: k.counts.not_started },
  }));
  const kindText = (k: string): string => (k === 'collective' ? t.collective : t.individual);
  const entries = (list: readonly { unitCode: string; unitName: string; text: string }[]): Html =>
    list.length
      ? html`<ul class="texts">${list.map((e) => html`<li><span class="who">${e.unitName} (${e.unitCode})</span>${e.text}</li>`)}</ul>`
      : html`<p class="hint">${t.noEntries}</p>`;
  return html`<h2 id="submission">${t.submission}</h2>
<div class="card">${rateChart({
    title: t.submission,
    lang,
    rows: [
      { label: t.completeness, ratio: c.completeness, detail: `${c.submitted}/${c.expected}`, tone: 'ok' },
      { label: t.onTime, ratio: c.onTimeRate, detail: `${c.onTime}/${c.expected}`, tone: 'info' },
    ],
  })}
<div class="grid2"><div><h3>${t.lateUnits} (${c.lateUnits.length})</h3>${c.lateUnits.length ? html`<ul>${c.lateUnits.map((u) => html`<li>${u.unitName} (${u.unitCode}) — ${t.submittedAt} ${formatShort(u.submittedAt, lang)}, ${t.deadline} ${formatShort(u.deadline, lang)}</li>`)}</ul>` : html`<p class="hint">${t.noEntries}</p>`}</div>
<div><h3>${t.missingUnits} (${c.missingUnits.length})</h3>${c.missingUnits.length ? html`<ul>${c.missingUnits.map((u) => html`<li>${u.unitName} (${u.unitCode})</li>`)}</ul>` : html`<p class="hint">${t.noEntries}</p>`}</div></div>
${c.revisions.length ? html`<h3>${t.revisions} (${c.revisions.length})</h3><ul id="revisions">${c.revisions.map((u) => html`<li>${u.unitName} (${u.unitCode}) — ${t.revisionDeadline} ${formatShort(u.deadline, lang)}: ${u.resubmittedAt ? html`${t.resubmitted} ${formatShort(u.resubmittedAt, lang)}, <span class="badge ${u.inTime ? 'ok' : 'warn'}">${u.inTime ? t.revisedInTime : t.revisedLate}</span>` : t.notResubmitted}</li>`)}</ul>` : ''}</div>
<h2 id="indicators">${t.indicators}</h2>
<ul class="chart-list">${c.indicators.map((ind) => html`<li><h3>${ind.code}. ${ind.title[lang]}</h3>${indicatorChart({ title: ind.title[lang], measure: ind.measure[lang], target: ind.target, value: ind.value, met: ind.met, values: ind.values }, lang)}</li>`)}</ul>
<h2 id="key-tasks">${t.keyTasks}</h2>
<div class="card">${stackedBarChart({
    title: t.keyTaskChart,
    lang,
    unitWord: t.unitCount,
    max: Math.max(1, ...c.keyTasks.map((k) => k.counts.done + k.counts.in_progress + k.counts.not_started)),
    segments: [
      { key: 'done', label: t.done, tone: 'ok' },
      { key: 'in_progress', label: t.inProgress, tone: 'info' },
      { key: 'not_started', label: t.notStarted, tone: 'muted' },
    ],
    rows: statusRows,
  })}</div>
${c.keyTasks.map(
  (
    k,
  ) => html`<details class="card"><summary><strong>${k.code}.</strong> ${k.title[lang]} — <span class="badge ok">${t.done} ${k.counts.done}</span> <span class="badge info">${t.inProgress} ${k.counts.in_progress}</span> <span class="badge">${t.notStarted} ${k.counts.not_started}</span></summary>
${(['done', 'in_progress', 'not_started'] as const).map((s) => {
  const list = k.entries.filter((e) => e.status === s);
  return list.length
    ? html`<h4>${s === 'done' ? t.done : s === 'in_progress' ? t.inProgress : t.notStarted} (${list.length})</h4><ul class="texts">${list.map((e) => html`<li><span class="who">${e.unitName} (${e.unitCode})</span>${e.text}${e.evidenceUrl ? html`<br><a href="${e.evidenceUrl}" rel="noopener noreferrer nofollow" target="_blank">${t.evidence}</a>` : ''}</li>`)}</ul>`
    : '';
})}</details>`,
)}
<h2 id="sections">${t.sections}</h2>
${c.sections.filter((s) => s.entries.length).map((s) => html`<h3>${s.title[lang]}</h3>${entries(s.entries)}`)}
${
  c.sections.some((s) => !s.entries.length)
    ? html`<p class="hint">${t.noText}: ${c.sections
        .filter((s) => !s.entries.length)
        .map((s) => s.title[lang])
        .join('; ')}.</p>`
    : ''
}
<h2 id="examples">${t.examples}</h2>
${c.examples.length ? html`<ul class="texts">${c.examples.map((e) => html`<li><span class="who">${e.name} · ${kindText(e.kind)} — ${e.unitName} (${e.unitCode})</span>${e.description}</li>`)}</ul>` : html`<p class="hint">${t.noEntries}</p>`}
<h2 id="proposals">${t.proposals}</h2>
${
  c.proposals.length
    ? html`<div class="table-wrap"><table class="data stack" id="proposals-table"><thead><tr><th scope="col">#</th><th scope="col">${t.nominee}</th><th scope="col">${t.kind}</th><th scope="col">${t.requestedForm}</th><th scope="col">${t.summary}</th><th scope="col">${t.fromUnit}</th><th scope="col">${t.votes}</th></tr></thead><tbody>
${c.proposals.map((p, i) => {
  const votes = opts.view.proposalVotes.get(p.id);
  const decided = opts.view.decisions.find((d) => d.proposalId === p.id);
  return html`<tr id="proposal-${p.id}"><td data-label="#">${i + 1}</td><td data-label="${t.nominee}"><strong>${p.nominee}</strong></td><td data-label="${t.kind}">${kindText(p.nomineeKind)}; ${p.commendationKind === 'ad_hoc' ? t.adHoc : t.thematic}</td><td data-label="${t.requestedForm}">${p.requestedForm}</td>
<td data-label="${t.summary}" class="pre">${p.summary}</td><td data-label="${t.fromUnit}">${p.unitName} (${p.unitCode})</td>
<td data-label="${t.votes}">${decided ? html`<span class="badge ${decided.approved ? 'ok' : 'bad'}">${decided.approved ? t.approved : t.notApproved}</span> <span class="hint">${decided.approvals} ${t.approvals}, ${decided.rejections} ${t.rejections}</span><br>` : ''}
${votes ? html`<span class="hint">${t.votedBy}: ${votes.voters.join(', ')}${votes.approvals !== undefined ? ` (${votes.approvals} ${t.approvals}, ${votes.rejections} ${t.rejections})` : ''}</span>` : ''}
${
  votes?.mine
    ? html`<br><strong>${t.youVoted}: ${choiceLabel(t, votes.mine)}</strong>`
    : opts.canVote
      ? html`<form method="post" action="${opts.action(p.id)}">${csrfField(v)}<input type="hidden" name="version" value="${opts.version}">
<button type="submit" name="choice" value="approve" class="small" aria-label="${t.approve}: ${p.nominee}">${t.approve}</button><button type="submit" name="choice" value="reject" class="small secondary" aria-label="${t.reject}: ${p.nominee}">${t.reject}</button></form>`
      : ''
}</td></tr>`;
})}</tbody></table></div>`
    : html`<p class="hint">${t.noEntries}</p>`
}
<h2 id="recommendations">${t.recommendations}</h2>
${entries(c.recommendations)}`;
}

export function councilPage(
  v: ConsoleView,
  cycle: ICycle,
  view: CouncilView,
  opts: {
    notice?: string | null;
    error?: string | null;
    form?: { choice?: string; units?: readonly string[]; comment?: string };
  },
): string {
  const t = T[v.lang];
  const base = councilPath(cycle.campaign.code, cycle.period);
  const version = view.version;
  const canVote =
    v.user?.role === 'council' && cycle.stage === 'review' && version !== null && version === cycle.reviewVersion;
  const units = opts.form?.units ?? [];
  const many = view.revisable.length > 200;
  const voteSection = (): Html => {
    if (v.user?.role !== 'council') return html`<p class="hint">${t.readOnly}</p>`;
    if (view.myReportBallot && version === cycle.reviewVersion)
      return html`<p class="notice ok" id="my-ballot">${t.alreadyVoted} ${formatShort(view.myReportBallot.castAt, v.lang)} (${t.yourChoice}: ${choiceLabel(t, view.myReportBallot.choice)}).</p>`;
    if (!canVote) return html`<p class="hint">${t.notOpen}</p>`;
    return html`<form method="post" action="${base}/ballot" class="card" id="vote-form">${csrfField(v)}<input type="hidden" name="version" value="${version}">
<fieldset><legend>${t.voteLegend} ${version}</legend>
<label class="checkline"><input type="radio" name="choice" value="approve"${opts.form?.choice === 'approve' ? html` checked` : ''} required> ${t.approveReport}</label>
<label class="checkline"><input type="radio" name="choice" value="request_revision"${opts.form?.choice === 'request_revision' ? html` checked` : ''}> ${t.revise}</label>
${
  many
    ? html`<label for="unit-codes">${t.reviseCodes}</label><input id="unit-codes" name="unitCodes" value="${units.join(', ')}">`
    : html`<fieldset><legend>${t.reviseUnits}</legend>${view.revisable.map((u) => html`<label class="checkline"><input type="checkbox" name="unit" value="${u.code}"${units.includes(u.code) ? html` checked` : ''}> ${u.name} (${u.code})</label>`)}</fieldset>`
}
<label for="comment">${t.commentLabel}</label><textarea id="comment" name="comment" maxlength="5000">${opts.form?.comment ?? ''}</textarea>
<button type="submit">${t.send}</button></fieldset></form>`;
  };
  const body = html`<p class="hint"><a href="/console/council">← ${t.council}</a></p>
<h1>${t.report}: ${cycle.campaign.name} — ${cycle.period}</h1>
${flash('ok', opts.notice)}${flash('error', opts.error)}
${
  version === null
    ? html`<p class="notice info">${t.notYet}</p>`
    : html`<p class="meta">${t.version} <strong>${version}</strong>${version === cycle.reviewVersion && cycle.stage === 'review' ? html` (${t.underReview})` : ''}${view.versions.length > 1 ? html` · ${t.versions}: ${view.versions.map((n, i) => html`${i ? ', ' : ''}${n === version ? html`<strong>${n}</strong>` : html`<a href="${href(base, { v: n })}">${n}</a>`}`)}` : ''}</p>
<p class="no-print">${t.download}: <a class="button secondary small" href="${href(`${base}/report.csv`, { v: version })}" download>${t.csv}</a> <a class="button secondary small" href="${href(`${base}/report.xlsx`, { v: version })}" download>${t.xlsx}</a>${canVote ? html` · <a href="#vote">${t.jump}</a>` : ''}</p>
${documentLinks(
  v,
  base,
  version,
  view.decisions.some((d) => d.approved),
)}`
}
${reviewCard(v, cycle, view)}
${view.content ? reportBody(v, view.content, { canVote, view, version: version!, action: (id) => `${base}/proposals/${encodeURIComponent(id)}/ballot` }) : ''}
${view.decisions.length ? html`<h2>${t.decisions}</h2><div class="table-wrap"><table class="data stack"><thead><tr><th scope="col">#</th><th scope="col">${t.decisionTbl}</th><th scope="col">${t.votes}</th></tr></thead><tbody>${view.decisions.map((d) => html`<tr><td data-label="#">${d.proposalId}</td><td data-label="${t.decisionTbl}"><span class="badge ${d.approved ? 'ok' : 'bad'}">${d.approved ? t.approved : t.notApproved}</span></td><td data-label="${t.votes}">${d.approvals} ${t.approvals}, ${d.rejections} ${t.rejections} / ${d.members}</td></tr>`)}</tbody></table></div>` : ''}
${version !== null ? html`<h2 id="vote">${t.voteTitle}</h2>${voteSection()}` : ''}`;
  return consolePage(v, { title: `${t.report} ${cycle.period}`, current: 'council', body });
}

/** Links to the cycle's official documents (DOCX and PDF), for `base` = the cycle's council page. */
export function documentLinks(v: ConsoleView, base: string, version: number, decision: boolean) {
  const t = T[v.lang];
  const pair = (label: string, file: string, query: Record<string, string | number>) =>
    html`<li>${label}: <a href="${href(`${base}/documents/${file}.docx`, query)}" download>DOCX</a> · <a href="${href(`${base}/documents/${file}.pdf`, query)}" download>PDF</a></li>`;
  return html`<div class="no-print card" id="documents"><h3>${t.documents}</h3><ul>${pair(t.monthlyReport, 'monthly-report', { v: version })}${pair(t.monthlyReportEn, 'monthly-report', { v: version, doclang: 'en' })}${pair(t.minutes, 'council-minutes', { v: version })}${decision ? pair(t.decision, 'commendation-decision', {}) : ''}</ul></div>`;
}
