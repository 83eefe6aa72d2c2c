/** Words, dates and numbers as people read them here: Vietnamese by default, English on request. */
import type { Locale } from '../../domain/template';
import type { TaskState, CycleStage } from '../../domain/states';

export type { Locale };

export const TIME_ZONE = 'Asia/Ho_Chi_Minh';
const intlLocale = (lang: Locale): string => (lang === 'vi' ? 'vi-VN' : 'en-GB');

/** "17:00, Thứ Sáu, 20/11/2026" / "Friday 20 November 2026 at 17:00", in Vietnam's time. */
export function formatInstant(iso: string | Date, lang: Locale): string {
  if (lang === 'en')
    return new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, dateStyle: 'full', timeStyle: 'short' }).format(
      new Date(iso),
    );
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('vi-VN', {
      timeZone: TIME_ZONE,
      weekday: 'long',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  const weekday = (parts.weekday ?? '').replace(/^./, (c) => c.toUpperCase());
  return `${parts.hour}:${parts.minute}, ${weekday}, ${parts.day}/${parts.month}/${parts.year}`;
}

/** "20/11/2026 17:00" in Vietnam's time. */
export function formatShort(iso: string | Date | null | undefined, lang: Locale): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(intlLocale(lang), {
    timeZone: TIME_ZONE,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/** "17:05" in Vietnam's time: when something was saved today. */
export function formatTime(iso: string | Date, lang: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(lang), {
    timeZone: TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/** With seconds, for timelines. */
export function formatPrecise(iso: string | Date, lang: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(lang), {
    timeZone: TIME_ZONE,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

export function formatNumber(n: number, lang: Locale, maxFraction = 2): string {
  return new Intl.NumberFormat(intlLocale(lang), { maximumFractionDigits: maxFraction }).format(n);
}

export function formatPercent(ratio: number, lang: Locale): string {
  return new Intl.NumberFormat(intlLocale(lang), { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

/** "2 ngày 3 giờ" / "2 days 3 hours"; minutes only under a day; "dưới 1 phút" under a minute. */
export function formatDuration(ms: number, lang: Locale): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const part = (n: number, vi: string, en: string): string =>
    lang === 'vi' ? `${n} ${vi}` : `${n} ${en}${n === 1 ? '' : 's'}`;
  if (minutes === 0) return lang === 'vi' ? 'dưới 1 phút' : 'less than a minute';
  const parts =
    days > 0
      ? [part(days, 'ngày', 'day'), hours > 0 ? part(hours, 'giờ', 'hour') : '']
      : [hours > 0 ? part(hours, 'giờ', 'hour') : '', mins > 0 ? part(mins, 'phút', 'minute') : ''];
  return parts.filter(Boolean).join(' ');
}

export const TASK_STATE_LABEL: Readonly<Record<Locale, Readonly<Record<TaskState, string>>>> = {
  vi: {
    pending: 'Chờ gửi',
    dispatched: 'Đã gửi',
    draft: 'Đang soạn',
    submitted: 'Đã nộp',
    overdue: 'Quá hạn',
    escalated: 'Đã báo cáo cấp trên',
    not_submitted: 'Không nộp',
    revision_requested: 'Được yêu cầu chỉnh sửa',
    resubmitted: 'Đã nộp lại',
    accepted: 'Đã chấp thuận',
  },
  en: {
    pending: 'Pending',
    dispatched: 'Dispatched',
    draft: 'Draft',
    submitted: 'Submitted',
    overdue: 'Overdue',
    escalated: 'Escalated',
    not_submitted: 'Not submitted',
    revision_requested: 'Revision requested',
    resubmitted: 'Resubmitted',
    accepted: 'Accepted',
  },
};

export const STAGE_LABEL: Readonly<Record<Locale, Readonly<Record<CycleStage, string>>>> = {
  vi: {
    collecting: 'Đang thu báo cáo',
    consolidating: 'Đang tổng hợp',
    review: 'Hội đồng đang xem xét',
    revision: 'Đang chỉnh sửa',
    publishing: 'Đang công bố',
    closed: 'Đã kết thúc',
    cancelled: 'Đã hủy',
  },
  en: {
    collecting: 'Collecting reports',
    consolidating: 'Consolidating',
    review: 'Under council review',
    revision: 'Under revision',
    publishing: 'Publishing',
    closed: 'Closed',
    cancelled: 'Cancelled',
  },
};

/** Validation messages of `domain/answers.ts` (English) in the reader's language. */
export function fieldMessage(message: string, lang: Locale): string {
  if (lang === 'en') return message;
  const rules: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^is required$/, () => 'chưa điền (bắt buộc)'],
    [/^must be a number$/, () => 'phải là một số'],
    [/^must be between (\S+) and (\S+)$/, (m) => `phải nằm trong khoảng từ ${m[1]} đến ${m[2]}`],
    [/^must be an http\(s\) link$/, () => 'phải là đường dẫn bắt đầu bằng http:// hoặc https://'],
    [/^must be at most (\d+) characters$/, (m) => `tối đa ${m[1]} ký tự`],
    [/^must have at most (\d+) rows$/, (m) => `tối đa ${m[1]} dòng`],
    [/^must be one of: (.+)$/, (m) => `phải là một trong: ${m[1]}`],
    [/^must be text$/, () => 'phải là văn bản'],
    [/^contains invalid Unicode$/, () => 'chứa ký tự không hợp lệ'],
    [/^is not a field of this report$/, () => 'không thuộc báo cáo này'],
  ];
  for (const [re, to] of rules) {
    const m = re.exec(message);
    if (m) return to(m);
  }
  return message;
}

/** Keeps only a language the product speaks. */
export const localeOf = (value: unknown, fallback: Locale): Locale =>
  value === 'vi' || value === 'en' ? value : fallback;

/** `url` with `lang` set (other query parameters kept). */
export function withLang(url: string, lang: Locale): string {
  const [path, query = ''] = url.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.set('lang', lang);
  return `${path}?${params.toString()}`;
}

/** Masks an address for a page anyone holding an old link can see: "h***@units.example.org". */
export function maskEmail(address: string): string {
  const [local = '', domain = ''] = address.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}
