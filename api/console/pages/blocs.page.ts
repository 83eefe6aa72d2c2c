/**
 * Emulation blocs in the console: a campaign's blocs, a bloc's units and scoring table (add,
 * remove, reorder criteria and weights, without JavaScript), and its ranking over a window with
 * each unit's breakdown (every share, the monthly reports it was read from, linked to their
 * cycle's report) and the council's hand-score form.
 */
import { CRITERION_KINDS, type Criterion, type CriterionScore } from '../../../domain/scoring';
import type { SummaryWindow } from '../../../domain/summary-window';
import type { IndicatorTarget } from '../../../domain/template';
import { html, type Html } from '../../pages/html';
import { formatNumber, type Locale } from '../../pages/i18n';
import type { BlocRanking, BlocView } from '../../services/scoring.service';
import { KIND_LABELS } from '../services/ranking-tables';
import { consolePage, csrfField, flash, type ConsoleView } from './layout';
import { titleVotesPath } from './title-votes.page';

const T = {
  vi: {
    blocs: 'Khối thi đua',
    intro:
      'Khối thi đua là nhóm đơn vị của một chiến dịch trong một năm, có bảng chấm điểm riêng. Điểm được tính từ các báo cáo tháng đã được Hội đồng phê duyệt, cộng điểm Hội đồng chấm.',
    campaigns: 'Chọn chiến dịch',
    noCampaign: 'Chưa có chiến dịch nào.',
    none: 'Chiến dịch chưa có khối thi đua nào.',
    code: 'Mã khối',
    criterionCode: 'Mã tiêu chí',
    name: 'Tên khối',
    year: 'Năm',
    units: 'Đơn vị thành viên',
    criteria: 'Tiêu chí',
    create: 'Tạo khối thi đua',
    save: 'Lưu',
    edit: 'Khối và đơn vị thành viên',
    table: 'Bảng chấm điểm',
    tableHint:
      'Thứ tự các tiêu chí cũng là thứ tự phân định khi tổng điểm bằng nhau. Trọng số là số điểm nguyên tối đa của tiêu chí.',
    label: 'Tên tiêu chí',
    weight: 'Trọng số (điểm)',
    kind: 'Cách tính',
    add: 'Thêm tiêu chí',
    remove: 'Xóa',
    up: 'Lên',
    down: 'Xuống',
    total: 'Tổng trọng số',
    rankings: 'Xếp hạng theo kỳ',
    frozenWindows: 'Đã chốt',
    ranking: 'Xếp hạng',
    rank: 'Hạng',
    unit: 'Đơn vị',
    score: 'Tổng điểm',
    breakdown: 'Chi tiết điểm của từng đơn vị',
    share: 'Tử số / mẫu số',
    points: 'Điểm',
    reports: 'Báo cáo tháng được sử dụng',
    counted: 'được tính',
    notCounted: 'không được tính',
    version: 'bản tổng hợp',
    submission: 'lần nộp',
    noSubmission: 'không nộp',
    sentBack: 'bị trả lại để chỉnh sửa',
    status: { on_time: 'đúng hạn', late: 'muộn', missing: 'không nộp' },
    indicators: 'Chỉ tiêu',
    met: 'đạt',
    notMet: 'chưa đạt',
    registered: 'chỉ tiêu đăng ký',
    keyTasks: 'Nhiệm vụ trọng tâm trong tháng',
    noKeyTasks: 'Không có báo cáo nào trong kỳ.',
    hand: 'Điểm Hội đồng chấm',
    handNone: 'Chưa chấm.',
    by: 'người chấm',
    at: 'lúc',
    reason: 'Lý do',
    handForm: 'Hội đồng chấm điểm',
    handHint: 'Điểm từ 0 đến trọng số của tiêu chí, tối đa 2 chữ số thập phân; bắt buộc ghi lý do.',
    handSave: 'Ghi điểm',
    noHand: 'Bảng chấm điểm không có tiêu chí do Hội đồng chấm.',
    download: 'Tải xuống',
    xlsx: 'Xếp hạng và chi tiết (Excel)',
    rankingCsv: 'Xếp hạng (CSV)',
    breakdownCsv: 'Chi tiết (CSV)',
    frozen: 'Bảng xếp hạng đã được chốt lúc',
    nominate: 'Đề nghị danh hiệu từ bảng xếp hạng này',
    nominateHint:
      'Mở phiên bỏ phiếu danh hiệu với danh sách đề nghị lập sẵn: theo thứ hạng, mỗi đơn vị với các danh hiệu đơn vị đã đăng ký thi đua; Thường trực sửa danh sách trước khi mở phiên.',
    freeze: 'Chốt bảng xếp hạng',
    freezeHint:
      'Lưu bảng xếp hạng như hiện nay, kèm mã băm trong nhật ký kiểm tra; sau khi chốt, không sửa được điểm Hội đồng chấm và bảng chấm điểm.',
    rounding:
      'Điểm được tính chính xác (phân số) và chỉ làm tròn một lần khi hiển thị, đến 2 chữ số thập phân. Khi tổng điểm bằng nhau, đơn vị có điểm cao hơn ở tiêu chí đứng trước trong bảng chấm điểm xếp trên; nếu vẫn bằng nhau thì đồng hạng.',
    shared: 'đồng hạng',
    noTable: 'Khối chưa có bảng chấm điểm.',
    data: 'Số liệu từ',
    until: 'đến',
    back: 'Về khối thi đua',
  },
  en: {
    blocs: 'Emulation blocs',
    intro:
      "An emulation bloc is a set of a campaign's units for one year, with its own scoring table. Scores come from the monthly reports the council approved, plus the council's own points.",
    campaigns: 'Choose a campaign',
    noCampaign: 'There is no campaign yet.',
    none: 'This campaign has no bloc yet.',
    code: 'Bloc code',
    criterionCode: 'Criterion code',
    name: 'Bloc name',
    year: 'Year',
    units: 'Member units',
    criteria: 'Criteria',
    create: 'Create a bloc',
    save: 'Save',
    edit: 'Bloc and member units',
    table: 'Scoring table',
    tableHint: "The criteria's order is also the order that breaks ties. A weight is the criterion's whole points.",
    label: 'Criterion',
    weight: 'Weight (points)',
    kind: 'Computed as',
    add: 'Add a criterion',
    remove: 'Remove',
    up: 'Up',
    down: 'Down',
    total: 'Total weight',
    rankings: 'Rankings by window',
    frozenWindows: 'Frozen',
    ranking: 'Ranking',
    rank: 'Rank',
    unit: 'Unit',
    score: 'Score',
    breakdown: "Each unit's breakdown",
    share: 'Numerator / denominator',
    points: 'Points',
    reports: 'Monthly reports used',
    counted: 'counted',
    notCounted: 'not counted',
    version: 'consolidated version',
    submission: 'submission',
    noSubmission: 'nothing handed in',
    sentBack: 'sent back for revision',
    status: { on_time: 'on time', late: 'late', missing: 'missing' },
    indicators: 'Indicators',
    met: 'met',
    notMet: 'not met',
    registered: 'registered target',
    keyTasks: 'Key tasks in the month',
    noKeyTasks: 'No report in the window.',
    hand: "The council's points",
    handNone: 'Not scored yet.',
    by: 'by',
    at: 'at',
    reason: 'Reason',
    handForm: 'Score by the council',
    handHint: "Points from 0 to the criterion's weight, at most 2 decimals; a reason is required.",
    handSave: 'Record the points',
    noHand: 'The scoring table has no criterion scored by the council.',
    download: 'Download',
    xlsx: 'Ranking and breakdown (Excel)',
    rankingCsv: 'Ranking (CSV)',
    breakdownCsv: 'Breakdown (CSV)',
    frozen: 'This ranking was frozen at',
    nominate: 'Propose titles from this ranking',
    nominateHint:
      'Opens the title vote form with the list filled in: in rank order, each unit with the titles it registered for; the secretariat edits it before opening the vote.',
    freeze: 'Freeze this ranking',
    freezeHint:
      "Stores the ranking as it is now, with its hash in the audit log; afterwards the council's points and the scoring table no longer change.",
    rounding:
      'Scores are computed exactly (as fractions) and rounded once, for display, to 2 decimals. When scores tie, the unit with more points on the earlier criterion of the table ranks higher; units still tied share a rank.',
    shared: 'shared',
    noTable: 'This bloc has no scoring table yet.',
    data: 'Data from',
    until: 'to',
    back: 'Back to the bloc',
  },
} as const;

const enc = encodeURIComponent;
export const blocsPath = (campaign: string): string => `/console/blocs/${enc(campaign)}`;
export const blocPath = (campaign: string, bloc: string): string => `${blocsPath(campaign)}/${enc(bloc)}`;
export const rankingPath = (campaign: string, bloc: string, window: string): string =>
  `${blocPath(campaign, bloc)}/rankings/${enc(window)}`;
const reportPath = (campaign: string, period: string, version: number): string =>
  `/console/council/${enc(campaign)}/${enc(period)}?v=${version}`;

/** A score as displayed: the one rounding is done; Vietnamese writes the decimal comma. */
const points = (display: string, lang: Locale): string => (lang === 'vi' ? display.replace('.', ',') : display);
const windowsOf = (year: number): string[] => [
  `${year}-Q1`,
  `${year}-Q2`,
  `${year}-Q3`,
  `${year}-Q4`,
  `${year}-H1`,
  `${year}-H2`,
  String(year),
];

/** The campaigns whose blocs the reader may open. */
export function blocsIndexPage(v: ConsoleView, campaigns: readonly { code: string; name: string }[]): string {
  const t = T[v.lang];
  const body = html`<h1>${t.blocs}</h1><p class="hint">${t.intro}</p><h2>${t.campaigns}</h2>
${campaigns.length ? html`<ul>${campaigns.map((c) => html`<li><a href="${blocsPath(c.code)}">${c.name}</a> (${c.code})</li>`)}</ul>` : html`<p>${t.noCampaign}</p>`}`;
  return consolePage(v, { title: t.blocs, current: 'blocs', body });
}

function unitChoices(
  v: ConsoleView,
  units: readonly { code: string; name: string }[],
  chosen: ReadonlySet<string>,
  id: string,
): Html {
  const t = T[v.lang];
  return html`<fieldset><legend>${t.units}</legend><div class="choices">${units.map((u) => html`<label><input type="checkbox" name="unitCodes" value="${u.code}"${chosen.has(u.code) ? html` checked` : ''} id="${id}-${u.code}"> ${u.name} (${u.code})</label>`)}</div></fieldset>`;
}

/** A campaign's blocs, with the form creating one (administrators). */
export function blocsPage(
  v: ConsoleView,
  campaign: { code: string; name: string },
  blocs: readonly BlocView[],
  extra: {
    units: readonly { code: string; name: string }[];
    canEdit: boolean;
    year: number;
    error?: string | null;
    ok?: string | null;
  },
): string {
  const t = T[v.lang];
  const body = html`<h1>${t.blocs}: ${campaign.name}</h1><p class="hint">${t.intro}</p>
${flash('error', extra.error)}${flash('ok', extra.ok)}
${
  blocs.length
    ? html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">${t.code}</th><th scope="col">${t.name}</th><th scope="col" class="num">${t.year}</th><th scope="col" class="num">${t.units}</th><th scope="col" class="num">${t.criteria}</th><th scope="col">${t.rankings}</th></tr></thead><tbody>
${blocs.map((b) => html`<tr><td><a href="${blocPath(campaign.code, b.code)}">${b.code}</a></td><td>${b.name}</td><td class="num">${b.year}</td><td class="num">${b.units.length}</td><td class="num">${b.criteria.length}</td><td>${windowsOf(b.year).map((w, i) => html`${i ? ' · ' : ''}<a href="${rankingPath(campaign.code, b.code, w)}">${w}</a>`)}</td></tr>`)}
</tbody></table></div>`
    : html`<p>${t.none}</p>`
}
${
  extra.canEdit
    ? html`<h2>${t.create}</h2><form method="post" action="${blocsPath(campaign.code)}" class="card">${csrfField(v)}
<label for="b-code">${t.code}</label><input id="b-code" name="code" required maxlength="64" pattern="[A-Za-z0-9_\\-]{1,64}">
<label for="b-name">${t.name}</label><input id="b-name" name="name" required maxlength="300">
<label for="b-year">${t.year}</label><input id="b-year" name="year" type="number" min="2000" max="2999" value="${extra.year}" required>
${unitChoices(v, extra.units, new Set(), 'new')}
<button type="submit">${t.create}</button></form>`
    : ''
}`;
  return consolePage(v, { title: `${t.blocs}: ${campaign.name}`, current: 'blocs', body });
}

/** A row of the scoring-table editor: what was typed, kept as typed when a save is refused. */
export interface CriterionRow {
  readonly code: string;
  readonly vi: string;
  readonly en: string;
  readonly weight: string;
  readonly kind: string;
}

export const rowsOf = (criteria: readonly Criterion[]): CriterionRow[] =>
  criteria.map((c) => ({ code: c.code, vi: c.label.vi, en: c.label.en, weight: String(c.weight), kind: c.kind }));

/** A bloc: its name and units, its scoring table editor and its rankings. */
export function blocPage(
  v: ConsoleView,
  bloc: BlocView,
  extra: {
    units: readonly { code: string; name: string }[];
    rows: readonly CriterionRow[];
    canEdit: boolean;
    error?: string | null;
    ok?: string | null;
  },
): string {
  const t = T[v.lang];
  const base = blocPath(bloc.campaign, bloc.code);
  const frozen = new Set(bloc.frozenWindows);
  const body = html`<p><a href="${blocsPath(bloc.campaign)}">${t.blocs}</a></p><h1>${bloc.name} (${bloc.code}) · ${bloc.year}</h1>
${flash('error', extra.error)}${flash('ok', extra.ok)}
<h2>${t.rankings}</h2><p class="actions">${windowsOf(bloc.year).map((w, i) => html`${i ? ' · ' : ''}<a href="${rankingPath(bloc.campaign, bloc.code, w)}">${w}</a>${frozen.has(w) ? html` (${t.frozenWindows})` : ''}`)}</p>
<h2>${t.edit}</h2>
${
  extra.canEdit
    ? html`<form method="post" action="${base}" class="card">${csrfField(v)}<label for="e-name">${t.name}</label><input id="e-name" name="name" required maxlength="300" value="${bloc.name}">
${unitChoices(
  v,
  extra.units,
  new Set(bloc.units.map((u) => u.code)),
  'edit',
)}<button type="submit">${t.save}</button></form>`
    : html`<ul>${bloc.units.map((u) => html`<li>${u.name} (${u.code})</li>`)}</ul>`
}
<h2>${t.table}</h2><p class="hint">${t.tableHint}</p>
${
  extra.canEdit
    ? html`<form method="post" action="${base}/scoring-table" class="card">${csrfField(v)}
<div class="table-wrap"><table class="data"><thead><tr><th scope="col">#</th><th scope="col">${t.criterionCode}</th><th scope="col">${t.label} (vi)</th><th scope="col">${t.label} (en)</th><th scope="col">${t.weight}</th><th scope="col">${t.kind}</th><th scope="col"></th></tr></thead><tbody>
${extra.rows.map(
  (r, i) =>
    html`<tr><td>${i + 1}</td><td><input name="c${i}.code" value="${r.code}" maxlength="64" aria-label="${t.criterionCode} ${i + 1}"></td><td><input name="c${i}.vi" value="${r.vi}" maxlength="300" aria-label="${t.label} (vi) ${i + 1}"></td><td><input name="c${i}.en" value="${r.en}" maxlength="300" aria-label="${t.label} (en) ${i + 1}"></td><td><input name="c${i}.weight" value="${r.weight}" inputmode="numeric" size="5" aria-label="${t.weight} ${i + 1}"></td>
<td><select name="c${i}.kind" aria-label="${t.kind} ${i + 1}">${CRITERION_KINDS.map((k) => html`<option value="${k}"${r.kind === k ? html` selected` : ''}>${KIND_LABELS[v.lang][k]}</option>`)}</select></td>
<td><button type="submit" name="action" value="up:${i}"${i === 0 ? html` disabled` : ''}>${t.up}</button> <button type="submit" name="action" value="down:${i}"${i === extra.rows.length - 1 ? html` disabled` : ''}>${t.down}</button> <button type="submit" name="action" value="remove:${i}">${t.remove}</button></td></tr>`,
)}
</tbody></table></div>
<p>${t.total}: ${extra.rows.reduce((s, r) => s + (Number(r.weight) || 0), 0)}</p>
<p class="actions"><button type="submit" name="action" value="add">${t.add}</button> <button type="submit" name="action" value="save">${t.save}</button></p>
</form>`
    : readOnlyTable(v, bloc.criteria)
}`;
  return consolePage(v, { title: bloc.name, current: 'blocs', body });
}

function readOnlyTable(v: ConsoleView, criteria: readonly Criterion[]): Html {
  const t = T[v.lang];
  if (!criteria.length) return html`<p>${t.noTable}</p>`;
  return html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">#</th><th scope="col">${t.criterionCode}</th><th scope="col">${t.label}</th><th scope="col" class="num">${t.weight}</th><th scope="col">${t.kind}</th></tr></thead><tbody>
${criteria.map((c, i) => html`<tr><td>${i + 1}</td><td>${c.code}</td><td>${c.label[v.lang]}</td><td class="num">${c.weight}</td><td>${KIND_LABELS[v.lang][c.kind]}</td></tr>`)}
</tbody></table></div><p>${t.total}: ${criteria.reduce((sum, c) => sum + c.weight, 0)}</p>`;
}

/** A local date `YYYY-MM-DD` as Vietnamese write it (dd/mm/yyyy). */
const day = (d: string, lang: Locale): string =>
  lang === 'vi' ? `${d.slice(8)}/${d.slice(5, 7)}/${d.slice(0, 4)}` : d;

const targetText = (target: IndicatorTarget): string =>
  target.kind === 'at_least'
    ? `≥ ${target.value}`
    : target.kind === 'at_most'
      ? `≤ ${target.value}`
      : `${target.min}–${target.max}`;

function criterionDetail(v: ConsoleView, campaign: string, c: CriterionScore): Html {
  const t = T[v.lang];
  const reports = c.reports.length
    ? html`<ul>${c.reports.map((r) => html`<li><a href="${reportPath(campaign, r.period, r.consolidatedVersion)}">${r.period}</a>: ${t.version} ${r.consolidatedVersion}, ${r.submissionVersion === null ? t.noSubmission : html`${t.submission} ${r.submissionVersion}`} · ${t.status[r.status]}${r.sentBack ? html` · ${t.sentBack}` : ''} · <strong>${r.counts ? t.counted : t.notCounted}</strong></li>`)}</ul>`
    : html``;
  switch (c.kind) {
    case 'indicator_attainment':
      return html`${reports}<ul>${c.indicators.map((i) => html`<li>${i.code}: ${i.value === null ? '—' : formatNumber(i.value, v.lang, 6)} (${targetText(i.target)}${i.registered ? html`, ${t.registered}` : ''}) · <strong>${i.met ? t.met : t.notMet}</strong></li>`)}</ul>`;
    case 'key_tasks_done':
      return c.period
        ? html`${reports}<p>${t.keyTasks} ${c.period}: ${c.keyTasks.map((k, i) => html`${i ? ', ' : ''}${k.code} ${k.status === 'done' ? '✓' : '·'}`)}</p>`
        : html`<p>${t.noKeyTasks}</p>`;
    case 'hand':
      return c.hand
        ? html`<p>${t.reason}: ${c.hand.reason} (${t.by} ${c.hand.by}, ${t.at} ${c.hand.at})</p>`
        : html`<p>${t.handNone}</p>`;
    default:
      return reports;
  }
}

/** A bloc's ranking over a window with every unit's breakdown, the hand-score form and downloads. */
export function rankingPage(
  v: ConsoleView,
  r: BlocRanking,
  extra: { canScore: boolean; canFreeze: boolean; error?: string | null; ok?: string | null },
): string {
  const t = T[v.lang];
  const base = rankingPath(r.campaign.code, r.bloc.code, r.window.code);
  const hand = r.criteria.filter((c) => c.kind === 'hand');
  const w: SummaryWindow = r.window;
  const body = html`<p><a href="${blocPath(r.campaign.code, r.bloc.code)}">${t.back}</a></p>
<h1>${t.ranking}: ${r.bloc.name} · ${w.code}</h1>
<p class="meta">${r.campaign.name} (${r.campaign.code}) · ${t.data} ${day(w.dataFrom, v.lang)} ${t.until} ${day(w.dataTo, v.lang)}</p>
<nav aria-label="${t.rankings}"><p class="actions">${windowsOf(r.bloc.year).map((code, i) => html`${i ? ' · ' : ''}${code === w.code ? html`<strong aria-current="page">${code}</strong>` : html`<a href="${rankingPath(r.campaign.code, r.bloc.code, code)}">${code}</a>`}`)}</p></nav>
${flash('error', extra.error)}${flash('ok', extra.ok)}
${r.frozen ? flash('info', html`${t.frozen} ${r.frozen.frozenAt} (${r.frozen.frozenBy}, SHA-256 ${r.frozen.sha256.slice(0, 16)}…)`) : ''}
<p class="hint">${t.rounding}</p>
${
  r.criteria.length === 0
    ? html`<p>${t.noTable}</p>`
    : html`<p class="actions"><strong>${t.download}:</strong> <a href="${base}/tables/ranking.xlsx" download>${t.xlsx}</a> · <a href="${base}/tables/ranking.csv" download>${t.rankingCsv}</a> · <a href="${base}/tables/breakdown.csv" download>${t.breakdownCsv}</a></p>
<div class="table-wrap"><table class="data" id="ranking"><thead><tr><th scope="col" class="num">${t.rank}</th><th scope="col">${t.unit}</th><th scope="col" class="num">${t.score}</th>${r.criteria.map((c) => html`<th scope="col" class="num" title="${KIND_LABELS[v.lang][c.kind]}">${c.label[v.lang]} (${c.weight})</th>`)}</tr></thead><tbody>
${r.rows.map((u) => html`<tr data-unit="${u.unitCode}"><td class="num">${u.rank}${u.shared ? html` <small>(${t.shared})</small>` : ''}</td><td><a href="#u-${u.unitCode}">${u.unitName}</a> (${u.unitCode})</td><td class="num"><strong>${points(u.scoreDisplay, v.lang)}</strong></td>${u.criteria.map((c) => html`<td class="num">${points(c.pointsDisplay, v.lang)}</td>`)}</tr>`)}
</tbody></table></div>
<h2>${t.breakdown}</h2>
${r.rows.map(
  (
    u,
  ) => html`<details id="u-${u.unitCode}"><summary>${u.rank}. ${u.unitName} (${u.unitCode}) · ${points(u.scoreDisplay, v.lang)} = ${u.score}</summary>
<div class="table-wrap"><table class="data"><thead><tr><th scope="col">${t.criteria}</th><th scope="col">${t.kind}</th><th scope="col" class="num">${t.share}</th><th scope="col" class="num">${t.points}</th><th scope="col">${t.reports}</th></tr></thead><tbody>
${u.criteria.map((c) => html`<tr><td>${c.label[v.lang]} (${c.weight})</td><td>${KIND_LABELS[v.lang][c.kind]}</td><td class="num">${c.numerator} / ${c.denominator}</td><td class="num">${points(c.pointsDisplay, v.lang)} = ${c.weight} × ${c.numerator}/${c.denominator || 1}${c.denominator === 0 ? ' (0)' : ''}</td><td>${criterionDetail(v, r.campaign.code, c)}</td></tr>`)}
</tbody></table></div></details>`,
)}`
}
${
  extra.canScore && !r.frozen && r.criteria.length
    ? hand.length
      ? html`<h2>${t.handForm}</h2><p class="hint">${t.handHint}</p><form method="post" action="${base}/hand-scores" class="card">${csrfField(v)}
<label for="h-unit">${t.unit}</label><select id="h-unit" name="unitCode">${r.rows.map((u) => html`<option value="${u.unitCode}">${u.unitName} (${u.unitCode})</option>`)}</select>
<label for="h-criterion">${t.criteria}</label><select id="h-criterion" name="criterionCode">${hand.map((c) => html`<option value="${c.code}">${c.label[v.lang]} (0–${c.weight})</option>`)}</select>
<label for="h-points">${t.points}</label><input id="h-points" name="points" inputmode="decimal" required>
<label for="h-reason">${t.reason}</label><textarea id="h-reason" name="reason" required maxlength="2000" rows="3"></textarea>
<button type="submit">${t.handSave}</button></form>`
      : html`<p>${t.noHand}</p>`
    : ''
}
${
  r.criteria.length
    ? html`<p class="actions"><a href="${titleVotesPath(r.campaign.code)}?bloc=${encodeURIComponent(r.bloc.code)}&amp;window=${encodeURIComponent(w.code)}#open">${t.nominate}</a> <span class="hint">${t.nominateHint}</span></p>`
    : ''
}
${
  extra.canFreeze && !r.frozen && r.criteria.length
    ? html`<form method="post" action="${base}/freeze" class="card">${csrfField(v)}<p class="hint">${t.freezeHint}</p><button type="submit">${t.freeze}</button></form>`
    : ''
}`;
  return consolePage(v, { title: `${t.ranking}: ${r.bloc.name} · ${w.code}`, current: 'blocs', body });
}
