/** The frame of every console page: the bar with the navigation for the role, sign-out and the language switch. */
import type { Role } from '../../../db/entities/api-token.entity';
import type { TaskState } from '../../../domain/states';
import type { ConsoleUser } from '../session';
import { reachesEverything } from '../../services/scope.service';
import { html, page, type Html } from '../../pages/html';
import { TASK_STATE_LABEL, withLang, type Locale } from '../../pages/i18n';

export interface ConsoleView {
  readonly lang: Locale;
  readonly user: ConsoleUser | null;
  /** The CSRF token forms of this page carry. */
  readonly csrf: string;
  /** The page's own URL (path and query), for the language switch. */
  readonly url: string;
}

export type Section =
  | 'cycles'
  | 'units'
  | 'campaigns'
  | 'policies'
  | 'templates'
  | 'setup'
  | 'council'
  | 'summaries'
  | 'registrations'
  | 'blocs'
  | 'title-votes'
  | 'audit'
  | 'access'
  | 'none';

const NAV: Record<Locale, Record<Exclude<Section, 'none'>, string>> = {
  vi: {
    cycles: 'Kỳ báo cáo',
    units: 'Đơn vị',
    campaigns: 'Chiến dịch & lịch',
    policies: 'Chính sách',
    templates: 'Biểu mẫu',
    setup: 'Thiết lập',
    council: 'Hội đồng xem xét',
    summaries: 'Sơ kết, tổng kết',
    registrations: 'Đăng ký thi đua',
    blocs: 'Khối thi đua',
    'title-votes': 'Bỏ phiếu danh hiệu',
    audit: 'Nhật ký kiểm tra',
    access: 'Người dùng & quyền',
  },
  en: {
    cycles: 'Cycles',
    units: 'Units',
    campaigns: 'Campaigns & schedule',
    policies: 'Policies',
    templates: 'Templates',
    setup: 'Set-up',
    council: 'Council review',
    summaries: 'Summaries',
    registrations: 'Registration',
    blocs: 'Emulation blocs',
    'title-votes': 'Title votes',
    audit: 'Audit log',
    access: 'People & access',
  },
};

const SECTIONS_OF: Record<Role, readonly Exclude<Section, 'none'>[]> = {
  admin: [
    'cycles',
    'units',
    'campaigns',
    'policies',
    'templates',
    'setup',
    'council',
    'summaries',
    'registrations',
    'blocs',
    'title-votes',
    'audit',
    'access',
  ],
  council: ['council', 'summaries', 'registrations', 'blocs', 'title-votes'],
  auditor: ['audit', 'council', 'summaries', 'registrations', 'blocs', 'title-votes'],
};

/** Sections for a role over the whole installation only: a scoped role is refused them (api/http/scope.ts). */
const INSTALLATION_SECTIONS: ReadonlySet<Section> = new Set(['policies', 'templates', 'setup', 'access']);

/**
 * The reader acts in a role over the whole installation: set-up, people and what creates
 * (units, cycles) are theirs; a scoped role sees the lists within its scope.
 */
export const reachesInstallation = (v: ConsoleView): boolean => !!v.user && reachesEverything(v.user.scopes);

export const ROLE_LABEL: Record<Locale, Record<Role, string>> = {
  vi: { admin: 'Quản trị', council: 'Thành viên Hội đồng', auditor: 'Kiểm tra' },
  en: { admin: 'Administrator', council: 'Council member', auditor: 'Auditor' },
};

const L = {
  vi: {
    brand: 'Báo cáo thi đua, khen thưởng',
    signOut: 'Đăng xuất',
    actAs: 'Vai trò',
    switchRole: 'Đổi vai trò',
    nav: 'Điều hướng chính',
    lang: 'Ngôn ngữ',
    here: 'Tiếng Việt',
    other: 'English',
  },
  en: {
    brand: 'Emulation & commendation reports',
    signOut: 'Sign out',
    actAs: 'Role',
    switchRole: 'Switch role',
    nav: 'Main navigation',
    lang: 'Language',
    here: 'English',
    other: 'Tiếng Việt',
  },
} as const;

export const csrfField = (v: ConsoleView): Html => html`<input type="hidden" name="_csrf" value="${v.csrf}">`;

function bar(v: ConsoleView, current: Section): Html {
  const t = L[v.lang];
  const other: Locale = v.lang === 'vi' ? 'en' : 'vi';
  const sections = v.user
    ? SECTIONS_OF[v.user.role].filter((s) => reachesInstallation(v) || !INSTALLATION_SECTIONS.has(s))
    : [];
  return html`<header class="top"><div class="top-inner"><a class="brand" href="/console">${t.brand}</a>
${sections.length ? html`<nav aria-label="${t.nav}"><ul>${sections.map((s) => html`<li><a href="/console/${s}"${s === current ? html` aria-current="page"` : ''}>${NAV[v.lang][s]}</a></li>`)}</ul></nav>` : ''}
${v.user ? html`<span class="who">${v.user.name} · ${ROLE_LABEL[v.lang][v.user.role]}</span><form method="post" action="/console/sign-out">${csrfField(v)}<button type="submit">${t.signOut}</button></form>` : ''}
${v.user && v.user.roles.length > 1 ? html`<form method="post" action="/console/role" class="inline">${csrfField(v)}<label for="act-as">${t.actAs}</label><select id="act-as" name="role">${v.user.roles.map((r) => html`<option value="${r}"${r === v.user!.role ? html` selected` : ''}>${ROLE_LABEL[v.lang][r]}</option>`)}</select><button type="submit">${t.switchRole}</button></form>` : ''}
<span class="lang" role="group" aria-label="${t.lang}"><span aria-current="true">${t.here}</span> <a href="${withLang(v.url, other)}" lang="${other}" hreflang="${other}">${t.other}</a></span></div></header>`;
}

export function consolePage(
  v: ConsoleView,
  { title, current, body, scripts = [] }: { title: string; current: Section; body: Html; scripts?: readonly string[] },
): string {
  return page({ title: `${title} — baocao`, lang: v.lang, width: 'wide', header: bar(v, current), body, scripts });
}

/** A success or error message at the top of a page. */
export function flash(kind: 'ok' | 'error' | 'info' | 'warn', text: string | Html | null | undefined): Html | '' {
  if (!text) return '';
  return html`<div class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</div>`;
}

export const STATE_TONE: Record<TaskState, 'ok' | 'info' | 'warn' | 'bad' | ''> = {
  pending: '',
  dispatched: 'info',
  draft: 'info',
  submitted: 'ok',
  overdue: 'warn',
  escalated: 'bad',
  not_submitted: 'bad',
  revision_requested: 'warn',
  resubmitted: 'ok',
  accepted: 'ok',
};

export const stateBadge = (state: TaskState, lang: Locale): Html =>
  html`<span class="badge ${STATE_TONE[state]}">${TASK_STATE_LABEL[lang][state]}</span>`;

/** Links to the pages of a list: « 1 2 … » with the current one marked. */
export function pager(
  v: ConsoleView,
  { page: current, pages, href }: { page: number; pages: number; href: (page: number) => string },
): Html | '' {
  if (pages <= 1) return '';
  const label = v.lang === 'vi' ? 'Phân trang' : 'Pages';
  const shown = [...new Set([1, current - 2, current - 1, current, current + 1, current + 2, pages])]
    .filter((p) => p >= 1 && p <= pages)
    .sort((a, b) => a - b);
  const items: Html[] = [];
  let last = 0;
  for (const p of shown) {
    if (p - last > 1) items.push(html`<span aria-hidden="true">…</span>`);
    items.push(p === current ? html`<span aria-current="page">${p}</span>` : html`<a href="${href(p)}">${p}</a>`);
    last = p;
  }
  return html`<nav class="pager" aria-label="${label}">${current > 1 ? html`<a href="${href(current - 1)}" rel="prev">‹ ${v.lang === 'vi' ? 'Trước' : 'Previous'}</a>` : ''}${items}${current < pages ? html`<a href="${href(current + 1)}" rel="next">${v.lang === 'vi' ? 'Sau' : 'Next'} ›</a>` : ''}</nav>`;
}

/** `path` with query parameters (empty ones left out). */
export function href(path: string, params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, val] of Object.entries(params))
    if (val !== null && val !== undefined && val !== '') q.set(k, String(val));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
