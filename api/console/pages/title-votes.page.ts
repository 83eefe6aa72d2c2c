/**
 * Title votes in the console: a campaign's rounds and the form that opens one; a round (its roll,
 * nominees, the member's ballot form, the secretary's written-opinion form and close button, the
 * results once closed); and the minutes of the vote count, printable, as the document says them.
 */
import { EMULATION_TITLES, EMULATION_TITLE_NAMES } from '../../../domain/emulation-titles';
import { TITLE_CHOICES, type TitleResult } from '../../../domain/title-vote';
import type { Block, OfficialDocumentSpec } from '../../../documents/spec';
import { html, type Html } from '../../pages/html';
import { formatShort, type Locale } from '../../pages/i18n';
import type { TitleVoteView } from '../../services/title-votes.service';
import { consolePage, csrfField, flash, type ConsoleView } from './layout';

const T = {
  vi: {
    titleVotes: 'Bỏ phiếu danh hiệu thi đua',
    campaigns: 'Chọn chiến dịch',
    none: 'Chưa có cuộc bỏ phiếu nào.',
    year: 'Năm',
    status: 'Trạng thái',
    statuses: { open: 'Đang bỏ phiếu', closed: 'Đã kết thúc' },
    closesAt: 'Hạn bỏ phiếu',
    members: 'Số thành viên',
    open: 'Mở cuộc bỏ phiếu',
    openHint:
      'Mỗi dòng một đề nghị: mã đơn vị; mã danh hiệu; lý do (không bắt buộc). Danh sách Hội đồng và quy định của từng danh hiệu được ghi lại khi mở phiếu.',
    nominees: 'Đề nghị',
    remindHours: 'Nhắc thành viên chưa bỏ phiếu trước hạn (giờ)',
    titleCodes: 'Mã danh hiệu',
    roll: 'Thành viên Hội đồng (khi mở phiếu)',
    position: 'Chức danh',
    positions: { chair: 'Chủ tịch', vice_chair: 'Phó Chủ tịch', member: 'Ủy viên', secretary: 'Thư ký' },
    tookPart: 'Tham gia',
    yes: 'có',
    no: 'chưa',
    unit: 'Đơn vị',
    title: 'Danh hiệu',
    voted: 'Đã bỏ phiếu',
    written: 'Ý kiến bằng văn bản',
    rule: 'Quy định',
    result: 'Kết quả',
    choices: { agree: 'Tán thành', disagree: 'Không tán thành', abstain: 'Không biểu quyết' },
    outcomes: { passed: 'Đạt', failed: 'Không đạt', no_quorum: 'Không đủ số thành viên tham gia' },
    yourBallot: 'Phiếu của bạn',
    secretNote: 'Bỏ phiếu kín: không trang nào cho biết ai chọn gì.',
    cast: 'Gửi phiếu',
    allVoted: 'Bạn đã bỏ phiếu cho tất cả các đề nghị.',
    writtenForm: 'Ghi ý kiến bằng văn bản của thành viên vắng mặt',
    member: 'Thành viên',
    record: 'Ghi ý kiến',
    close: 'Kết thúc bỏ phiếu và kiểm phiếu ngay',
    minutes: 'Biên bản kiểm phiếu',
    downloads: 'Tải xuống',
    print: 'Xem để in',
    counted: 'tán thành / không / không biểu quyết',
    ok: 'Đã ghi nhận.',
    skip: '(bỏ qua)',
  },
  en: {
    titleVotes: 'Emulation title votes',
    campaigns: 'Choose a campaign',
    none: 'No title vote yet.',
    year: 'Year',
    status: 'Status',
    statuses: { open: 'Voting', closed: 'Closed' },
    closesAt: 'Voting closes',
    members: 'Members',
    open: 'Open a title vote',
    openHint:
      'One nomination a line: unit code; title code; reason (optional). The council and each title’s rule are recorded when the vote opens.',
    nominees: 'Nominations',
    remindHours: 'Remind members who have not voted before it closes (hours)',
    titleCodes: 'Title codes',
    roll: 'Council members (when the vote opened)',
    position: 'Position',
    positions: { chair: 'Chair', vice_chair: 'Vice-chair', member: 'Member', secretary: 'Secretary' },
    tookPart: 'Took part',
    yes: 'yes',
    no: 'not yet',
    unit: 'Unit',
    title: 'Title',
    voted: 'Voted',
    written: 'Written opinions',
    rule: 'Rule',
    result: 'Result',
    choices: { agree: 'Agree', disagree: 'Disagree', abstain: 'Abstain' },
    outcomes: { passed: 'Passed', failed: 'Failed', no_quorum: 'No quorum' },
    yourBallot: 'Your ballot',
    secretNote: 'Secret ballot: no page tells who chose what.',
    cast: 'Cast ballot',
    allVoted: 'You have voted on every nomination.',
    writtenForm: 'Record the written opinion of an absent member',
    member: 'Member',
    record: 'Record',
    close: 'Close the vote and count now',
    minutes: 'Minutes of the vote count',
    downloads: 'Downloads',
    print: 'Printable view',
    counted: 'agree / disagree / abstain',
    ok: 'Recorded.',
    skip: '(skip)',
  },
} as const;

export const titleVotesPath = (campaign: string, year?: number): string =>
  `/console/title-votes/${encodeURIComponent(campaign)}${year === undefined ? '' : `/${year}`}`;

export function titleVotesIndexPage(v: ConsoleView, campaigns: readonly { code: string; name: string }[]): string {
  const t = T[v.lang];
  const body = html`<h1>${t.titleVotes}</h1><h2>${t.campaigns}</h2><ul>${campaigns.map((c) => html`<li><a href="${titleVotesPath(c.code)}">${c.name}</a> <span class="hint">${c.code}</span></li>`)}</ul>`;
  return consolePage(v, { title: t.titleVotes, current: 'title-votes', body });
}

export interface OpenForm {
  readonly year: string;
  readonly closesAt: string;
  readonly remindHours: string;
  readonly nominees: string;
}

export function titleVoteListPage(
  v: ConsoleView,
  list: {
    campaign: { code: string; name: string };
    rounds: readonly { year: number; status: 'open' | 'closed'; closesAt: string; members: number }[];
  },
  opts: { canOpen: boolean; form?: OpenForm; error?: string | null },
): string {
  const t = T[v.lang];
  const f = opts.form ?? { year: '', closesAt: '', remindHours: '24', nominees: '' };
  const body = html`<h1>${t.titleVotes}: ${list.campaign.name}</h1>${flash('error', opts.error)}
${
  list.rounds.length
    ? html`<table class="data"><thead><tr><th scope="col">${t.year}</th><th scope="col">${t.status}</th><th scope="col">${t.closesAt}</th><th scope="col" class="num">${t.members}</th></tr></thead><tbody>${list.rounds.map((r) => html`<tr><th scope="row"><a href="${titleVotesPath(list.campaign.code, r.year)}">${r.year}</a></th><td>${t.statuses[r.status]}</td><td>${formatShort(r.closesAt, v.lang)}</td><td class="num">${r.members}</td></tr>`)}</tbody></table>`
    : html`<p>${t.none}</p>`
}
${
  opts.canOpen
    ? html`<h2>${t.open}</h2><form method="post" action="${titleVotesPath(list.campaign.code)}" class="card" id="open">${csrfField(v)}
<label for="tv-year">${t.year}</label><input id="tv-year" name="year" type="number" min="2000" max="2100" required value="${f.year}">
<label for="tv-closes">${t.closesAt}</label><input id="tv-closes" name="closesAt" type="datetime-local" required value="${f.closesAt}">
<label for="tv-remind">${t.remindHours}</label><input id="tv-remind" name="remindHours" type="number" min="1" max="720" value="${f.remindHours}">
<label for="tv-nominees">${t.nominees}</label><p class="hint" id="tv-nominees-hint">${t.openHint}</p><textarea id="tv-nominees" name="nominees" rows="6" required aria-describedby="tv-nominees-hint tv-codes">${f.nominees}</textarea>
<p class="hint" id="tv-codes">${t.titleCodes}: ${EMULATION_TITLES.map((c, i) => html`${i ? '; ' : ''}<code>${c}</code> (${EMULATION_TITLE_NAMES[c][v.lang]})`)}</p>
<button type="submit">${t.open}</button></form>`
    : ''
}`;
  return consolePage(v, { title: `${t.titleVotes}: ${list.campaign.name}`, current: 'title-votes', body });
}

const counts = (r: TitleResult, lang: Locale): string =>
  `${r.counted.agree} / ${r.counted.disagree} / ${r.counted.abstain} (${r.participants}/${r.members}) — ${T[lang].outcomes[r.outcome]}`;

const choiceRadios = (lang: Locale, n: number, withSkip: boolean): Html =>
  html`<fieldset><legend>${lang === 'vi' ? 'Đề nghị số' : 'Nomination'} ${n}</legend>${TITLE_CHOICES.map((c) => html`<label><input type="radio" name="choice.${n}" value="${c}"> ${T[lang].choices[c]}</label>`)}${withSkip ? html`<label><input type="radio" name="choice.${n}" value="" checked> ${T[lang].skip}</label>` : ''}</fieldset>`;

export function titleVotePage(
  v: ConsoleView,
  view: TitleVoteView,
  opts: {
    /** Nominees the reader (a member on the roll) has voted on; null when not on the roll. */
    done: ReadonlySet<number> | null;
    secretary: boolean;
    ok?: boolean;
    error?: string | null;
  },
): string {
  const t = T[v.lang];
  const lang = v.lang;
  const base = titleVotesPath(view.campaign.code, view.year);
  const open = view.status === 'open';
  const left = opts.done ? view.nominees.filter((n) => !opts.done!.has(n.nominee)) : [];
  const took = new Set(view.tookPart);
  const body = html`<h1>${t.titleVotes} ${view.year}: ${view.campaign.name}</h1>
${opts.ok ? flash('ok', t.ok) : ''}${flash('error', opts.error)}
<p>${t.statuses[view.status]} · ${t.closesAt}: ${formatShort(view.closedAt ?? view.closesAt, lang)}</p>
<h2>${t.roll}</h2><table class="data"><thead><tr><th scope="col">${t.member}</th><th scope="col">${t.position}</th><th scope="col">${t.tookPart}</th></tr></thead><tbody>${view.roll.map((m) => html`<tr><th scope="row">${m.name}</th><td>${t.positions[m.position]}</td><td>${took.has(m.name) ? t.yes : t.no}</td></tr>`)}</tbody></table>
<h2>${t.nominees}</h2><div class="table-wrap"><table class="data" id="nominees"><thead><tr><th scope="col">#</th><th scope="col">${t.unit}</th><th scope="col">${t.title}</th><th scope="col">${t.voted}</th><th scope="col">${t.written}</th><th scope="col">${t.result} (${t.counted})</th></tr></thead><tbody>${view.nominees.map((n) => html`<tr><td>${n.nominee}</td><th scope="row">${n.unitName} <span class="hint">${n.unitCode}</span>${n.reason ? html`<br><span class="hint">${n.reason}</span>` : ''}</th><td>${EMULATION_TITLE_NAMES[n.title][lang]}${n.rule.secretBallot ? html`<br><span class="badge">${lang === 'vi' ? 'phiếu kín' : 'secret'}</span>` : ''}</td><td>${n.voted.length}</td><td>${n.writtenOpinions.length}</td><td>${n.result ? counts(n.result, lang) : '—'}</td></tr>`)}</tbody></table></div>
${
  open && opts.done
    ? left.length
      ? html`<h2>${t.yourBallot}</h2><form method="post" action="${base}/ballots" class="card" id="ballot">${csrfField(v)}${left.map((n) => html`<p><strong>${n.nominee}. ${n.unitName} — ${EMULATION_TITLE_NAMES[n.title][lang]}</strong>${n.rule.secretBallot ? html` <span class="hint">${t.secretNote}</span>` : ''}</p>${choiceRadios(lang, n.nominee, true)}`)}<button type="submit">${t.cast}</button></form>`
      : html`<p>${t.allVoted}</p>`
    : ''
}
${
  open && opts.secretary
    ? html`<h2>${t.writtenForm}</h2><form method="post" action="${base}/written-opinions" class="card" id="written">${csrfField(v)}
<label for="wo-member">${t.member}</label><select id="wo-member" name="personId" required>${view.roll.filter((m) => !took.has(m.name)).map((m) => html`<option value="${m.personId}">${m.name}</option>`)}</select>
${view.nominees.map((n) => html`<p><strong>${n.nominee}. ${n.unitName} — ${EMULATION_TITLE_NAMES[n.title][lang]}</strong></p>${choiceRadios(lang, n.nominee, true)}`)}<button type="submit">${t.record}</button></form>
<form method="post" action="${base}/close" class="card" id="close">${csrfField(v)}<button type="submit">${t.close}</button></form>`
    : ''
}
<h2>${t.minutes}</h2><ul><li><a href="${base}/minutes">${t.print}</a></li>${(['minutes.docx', 'minutes.pdf', 'results.csv', 'results.xlsx'] as const).map((f) => html`<li><a href="${base}/download/${f}">${f}</a></li>`)}</ul>`;
  return consolePage(v, { title: `${t.titleVotes} ${view.year}`, current: 'title-votes', body });
}

function blockHtml(b: Block): Html {
  switch (b.kind) {
    case 'heading':
      return html`<h3>${b.text}</h3>`;
    case 'paragraph':
      return b.bold ? html`<p><strong>${b.text}</strong></p>` : html`<p>${b.text}</p>`;
    case 'item':
      return html`<li>${b.text}</li>`;
    case 'table':
      return html`<div class="table-wrap"><table class="data"><thead><tr>${b.columns.map((c) => html`<th scope="col">${c.title}</th>`)}</tr></thead><tbody>${b.rows.map((r) => html`<tr>${r.map((cell) => html`<td>${cell ?? ''}</td>`)}</tr>`)}</tbody></table></div>`;
  }
}

/** The minutes as the document says them, on one page to read or print. */
export function titleVoteMinutesPage(v: ConsoleView, spec: OfficialDocumentSpec, back: string): string {
  const body = html`<p><a class="back" href="${back}">← ${v.lang === 'vi' ? 'Cuộc bỏ phiếu' : 'The vote'}</a></p><article class="document" id="minutes">
<p><strong>${spec.parentBody}</strong><br><strong>${spec.issuingBody}</strong><br>${spec.number}</p>
<p><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong><br><strong>Độc lập - Tự do - Hạnh phúc</strong><br><em>${spec.placeAndDate}</em></p>
<h1>${spec.type}</h1><p><strong>${spec.summary}</strong></p>
${spec.body.map(blockHtml)}
<table class="signatures"><tbody><tr><td>${spec.countersigner ? html`<strong>${spec.countersigner.position}</strong><br><br><br><strong>${spec.countersigner.name}</strong>` : ''}</td><td><strong>${spec.signerPosition}</strong><br><br><br><strong>${spec.signerName}</strong></td></tr></tbody></table>
<p><em><strong>Nơi nhận:</strong></em></p><ul>${spec.recipients.map((r) => html`<li>${r}</li>`)}</ul></article>`;
  return consolePage(v, { title: spec.summary, current: 'title-votes', body });
}
