/** Who can get in: the personal API tokens (revoke one) and the console sessions open now (end one). */
import type { SessionView, TokenView } from '../../services/access.service';
import { html } from '../../pages/html';
import { formatShort } from '../../pages/i18n';
import { ROLE_LABEL, consolePage, csrfField, flash, type ConsoleView } from './layout';

const T = {
  vi: {
    title: 'Quyền truy cập',
    tokens: 'Mã truy cập cá nhân',
    sessions: 'Phiên đăng nhập đang mở',
    holder: 'Người giữ',
    role: 'Vai trò',
    state: 'Trạng thái',
    created: 'Tạo lúc',
    expires: 'Hết hạn',
    origin: 'Địa chỉ',
    reason: 'Lý do',
    revoke: 'Thu hồi',
    end: 'Kết thúc phiên',
    none: 'Không có.',
    states: { active: 'Đang dùng', expired: 'Hết hạn', revoked: 'Đã thu hồi' },
    hint: 'Thu hồi một mã thì mọi phiên đăng nhập bằng mã đó kết thúc ngay. Cấp mã mới bằng lệnh npm run token:create.',
    revoked: 'Đã thu hồi mã.',
    ended: 'Đã kết thúc phiên.',
  },
  en: {
    title: 'Access',
    tokens: 'Personal access tokens',
    sessions: 'Console sessions open now',
    holder: 'Holder',
    role: 'Role',
    state: 'State',
    created: 'Created',
    expires: 'Expires',
    origin: 'Address',
    reason: 'Reason',
    revoke: 'Revoke',
    end: 'End the session',
    none: 'None.',
    states: { active: 'Active', expired: 'Expired', revoked: 'Revoked' },
    hint: 'Revoking a token ends every console session opened with it at once. Issue new tokens with npm run token:create.',
    revoked: 'The token is revoked.',
    ended: 'The session has ended.',
  },
} as const;

export function accessPage(
  v: ConsoleView,
  data: {
    tokens: readonly TokenView[];
    sessions: readonly SessionView[];
    ok?: string | undefined;
    error?: string | null;
  },
): string {
  const t = T[v.lang];
  const reasonInput = (id: string) =>
    html`<label for="${id}">${t.reason}</label><input id="${id}" name="reason" required minlength="3" maxlength="1000">`;
  const body = html`<h1>${t.title}</h1>${flash('ok', data.ok === 'revoked' ? t.revoked : data.ok === 'ended' ? t.ended : null)}${flash('error', data.error)}
<p class="hint">${t.hint}</p>
<h2 id="sessions">${t.sessions}</h2>${
    data.sessions.length
      ? html`<div class="table-wrap"><table class="data stack"><thead><tr><th scope="col">${t.holder}</th><th scope="col">${t.role}</th><th scope="col">${t.origin}</th><th scope="col">${t.created}</th><th scope="col">${t.expires}</th><th scope="col">${t.end}</th></tr></thead><tbody>
${data.sessions.map(
  (
    s,
  ) => html`<tr><td data-label="${t.holder}">${s.name}</td><td data-label="${t.role}">${ROLE_LABEL[v.lang][s.role]}</td><td data-label="${t.origin}">${s.origin ?? '—'}</td><td data-label="${t.created}">${formatShort(s.createdAt, v.lang)}</td><td data-label="${t.expires}">${formatShort(s.expiresAt, v.lang)}</td>
<td><form method="post" action="/console/access/sessions/${s.id}/end">${csrfField(v)}${reasonInput(`end-${s.id}`)}<button type="submit">${t.end}</button></form></td></tr>`,
)}</tbody></table></div>`
      : html`<p>${t.none}</p>`
  }
<h2 id="tokens">${t.tokens}</h2>${
    data.tokens.length
      ? html`<div class="table-wrap"><table class="data stack"><thead><tr><th scope="col">${t.holder}</th><th scope="col">${t.role}</th><th scope="col">${t.state}</th><th scope="col">${t.created}</th><th scope="col">${t.expires}</th><th scope="col">${t.revoke}</th></tr></thead><tbody>
${data.tokens.map(
  (
    k,
  ) => html`<tr><td data-label="${t.holder}">${k.name}</td><td data-label="${t.role}">${ROLE_LABEL[v.lang][k.role]}</td><td data-label="${t.state}"><span class="badge ${k.state === 'active' ? 'ok' : ''}">${t.states[k.state]}</span></td><td data-label="${t.created}">${formatShort(k.createdAt, v.lang)}</td><td data-label="${t.expires}">${formatShort(k.expiresAt, v.lang)}</td>
<td>${k.state === 'active' ? html`<form method="post" action="/console/access/tokens/${k.id}/revoke">${csrfField(v)}${reasonInput(`revoke-${k.id}`)}<button type="submit" class="danger">${t.revoke}</button></form>` : ''}</td></tr>`,
)}</tbody></table></div>`
      : html`<p>${t.none}</p>`
  }`;
  return consolePage(v, { title: t.title, current: 'access', body });
}
