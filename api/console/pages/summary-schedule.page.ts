/**
 * A campaign's summary schedule in the console: whether the quarterly cut-offs freeze the
 * summaries by themselves, when the next ones are, what earlier ones started, and (for an
 * administrator) turning it on, pausing it, or running one cut-off now.
 */
import { html } from '../../pages/html';
import { formatShort } from '../../pages/i18n';
import type { SummaryScheduleView } from '../../services/summary-schedule.service';
import type { CampaignRef } from '../../services/summary.service';
import { consolePage, csrfField, flash, type ConsoleView } from './layout';

const T = {
  vi: {
    title: 'Lịch chốt số liệu tổng hợp',
    intro:
      'Vào 08:00 ngày 15 các tháng 3, 6, 9 và 12 (ngày sau mỗi kỳ chốt số liệu quý), hệ thống tự chốt bản tổng hợp quý; tháng 6 thêm 6 tháng đầu năm, tháng 12 thêm 6 tháng cuối năm và cả năm. Mỗi bản được chốt khi mọi kỳ báo cáo tháng của nó đã kết thúc (tối đa 45 ngày), rồi gửi thư báo cho Thường trực Hội đồng.',
    none: 'Chiến dịch chưa có lịch chốt số liệu.',
    on: 'Đang hoạt động',
    paused: 'Đang tạm dừng',
    next: 'Các lần chạy tiếp theo',
    recent: 'Các lần đã chạy',
    note: 'Ghi chú',
    reason: 'Lý do (ghi vào nhật ký)',
    create: 'Bật lịch chốt số liệu',
    pause: 'Tạm dừng',
    resume: 'Tiếp tục',
    runTitle: 'Chốt số liệu một kỳ ngay',
    runHint:
      'Dùng khi một kỳ chốt bị lỡ hoặc cần chốt sớm: các bản tổng hợp kết thúc vào tháng đã chọn và chưa được chốt sẽ được chốt khi các kỳ báo cáo tháng của chúng kết thúc.',
    cutOff: 'Tháng cuối quý',
    run: 'Chốt',
    back: 'Về bản tổng hợp',
    started: 'Đã bắt đầu chốt',
    already: 'đã được chốt trước đó',
  },
  en: {
    title: 'Summary freezing schedule',
    intro:
      "At 08:00 on the 15th of March, June, September and December (the day after each quarterly cut-off) the quarter's summary is frozen; in June the first half too, in December the second half and the year. Each is frozen once all its monthly cycles have closed (at most 45 days later), and the council secretariat is emailed.",
    none: 'This campaign has no freezing schedule.',
    on: 'Active',
    paused: 'Paused',
    next: 'Next runs',
    recent: 'Earlier runs',
    note: 'Note',
    reason: 'Reason (kept on the record)',
    create: 'Turn the schedule on',
    pause: 'Pause',
    resume: 'Resume',
    runTitle: 'Run one cut-off now',
    runHint:
      'For a missed cut-off, or to freeze early: the summaries ending at the chosen month that are not frozen yet are frozen once their monthly cycles have closed.',
    cutOff: "A quarter's last month",
    run: 'Run',
    back: 'Back to the summaries',
    started: 'Freezing started',
    already: 'already frozen',
  },
} as const;

export const summarySchedulePath = (campaign: string): string =>
  `/console/summaries/${encodeURIComponent(campaign)}/schedule`;

export function summarySchedulePage(
  v: ConsoleView,
  campaign: CampaignRef,
  schedule: SummaryScheduleView | null,
  {
    year,
    notice,
    error,
    ran,
  }: {
    year: number;
    notice?: string | null | undefined;
    error?: string | undefined;
    ran?: readonly { window: string; started: boolean }[] | undefined;
  },
): string {
  const t = T[v.lang];
  const admin = v.user?.role === 'admin';
  const path = summarySchedulePath(campaign.code);
  const reason = html`<label>${t.reason} <input name="reason" required maxlength="500"></label>`;
  const cutOffs = [year - 1, year, year + 1].flatMap((y) => ['03', '06', '09', '12'].map((m) => `${y}-${m}`));
  const body = html`<h1>${t.title}</h1>
<p class="meta"><strong>${campaign.name}</strong> (${campaign.code}) · <a href="/console/summaries">${t.back}</a></p>
${flash('ok', notice ?? null)}${flash('error', error ?? null)}
${ran?.length ? html`<ul>${ran.map((r) => html`<li>${r.window}: ${r.started ? t.started : t.already}</li>`)}</ul>` : ''}
<p class="hint">${t.intro}</p>
${
  schedule
    ? html`<section class="card"><p><span class="badge ${schedule.paused ? 'warn' : 'ok'}">${schedule.paused ? t.paused : t.on}</span>${schedule.note ? html` · ${t.note}: ${schedule.note}` : ''}</p>
<h2>${t.next}</h2><ul>${schedule.nextRuns.map((r) => html`<li>${formatShort(r, v.lang)}</li>`)}</ul>
${schedule.recentRuns.length ? html`<h2>${t.recent}</h2><ul>${schedule.recentRuns.map((r) => html`<li>${formatShort(r.scheduledAt, v.lang)}: ${r.workflowId}</li>`)}</ul>` : ''}
${admin ? html`<form method="post" action="${path}" class="inline">${csrfField(v)}<input type="hidden" name="paused" value="${schedule.paused ? 'false' : 'true'}">${reason} <button type="submit">${schedule.paused ? t.resume : t.pause}</button></form>` : ''}</section>`
    : html`<p>${t.none}</p>${admin ? html`<form method="post" action="${path}" class="card">${csrfField(v)}<input type="hidden" name="paused" value="false">${reason} <button type="submit">${t.create}</button></form>` : ''}`
}
${admin ? html`<form method="post" action="${path}/cut-offs" class="card"><h2>${t.runTitle}</h2><p class="hint">${t.runHint}</p>${csrfField(v)}<label>${t.cutOff} <select name="cutOff">${cutOffs.map((c) => html`<option value="${c}">${c}</option>`)}</select></label> <button type="submit">${t.run}</button></form>` : ''}`;
  return consolePage(v, { title: t.title, current: 'summaries', body });
}
