/**
 * Who can get in: people (add, change, disable, roles over a scope), council seats per campaign,
 * API tokens (create: shown once; revoke) and the console sessions open now (end one).
 */
import type { SessionView, TokenView } from '../../services/access.service';
import type { CouncilSeatView, PersonView } from '../../services/people.service';
import { html, type Html } from '../../pages/html';
import { formatShort, type Locale } from '../../pages/i18n';
import { ROLE_LABEL, consolePage, csrfField, flash, type ConsoleView } from './layout';

const T = {
  vi: {
    title: 'Người dùng và quyền truy cập',
    people: 'Người dùng',
    name: 'Họ và tên',
    email: 'Thư điện tử',
    roles: 'Vai trò và phạm vi',
    addPerson: 'Thêm người dùng',
    add: 'Thêm',
    giveRole: 'Giao vai trò',
    give: 'Giao',
    removeRole: 'Bỏ',
    scope: 'Phạm vi',
    target: 'Mã chiến dịch hoặc mã đơn vị (khi phạm vi không phải toàn hệ thống)',
    scopes: { installation: 'Toàn hệ thống', campaign: 'Một chiến dịch', unit: 'Một đơn vị và các đơn vị trực thuộc' },
    disable: 'Khoá',
    enable: 'Mở khoá',
    statuses: { active: 'Đang hoạt động', disabled: 'Đã khoá' },
    council: 'Hội đồng theo chiến dịch',
    councilHint:
      'Số đại biểu và tỷ lệ biểu quyết tính theo những người có tên ở đây khi mở biểu quyết. Chiến dịch chưa có danh sách thì dùng những người giữ vai trò Hội đồng.',
    campaign: 'Chiến dịch',
    person: 'Người',
    position: 'Chức danh',
    positions: { chair: 'Chủ tịch', vice_chair: 'Phó Chủ tịch', member: 'Ủy viên', secretary: 'Thư ký' },
    seat: 'Xếp vào Hội đồng',
    unseat: 'Bỏ khỏi Hội đồng',
    newToken: 'Tạo mã truy cập API',
    tokenName: 'Tên mã (dùng để làm gì)',
    days: 'Số ngày hiệu lực (1–366)',
    create: 'Tạo mã',
    shownOnce: 'Mã truy cập mới — chỉ hiện một lần. Hãy sao chép và cất giữ ngay:',
    tokens: 'Mã truy cập API',
    sessions: 'Phiên đăng nhập đang mở',
    holder: 'Người giữ',
    role: 'Vai trò',
    state: 'Trạng thái',
    created: 'Tạo lúc',
    expires: 'Hết hạn',
    origin: 'Địa chỉ',
    method: 'Cách đăng nhập',
    methods: { token: 'Mã truy cập', email: 'Liên kết qua thư', oidc: 'Nhà cung cấp định danh' } as Record<
      string,
      string
    >,
    reason: 'Lý do',
    revoke: 'Thu hồi',
    end: 'Kết thúc phiên',
    none: 'Không có.',
    states: { active: 'Đang dùng', expired: 'Hết hạn', revoked: 'Đã thu hồi' },
    hint: 'Khoá một người thì mọi phiên đăng nhập và mã truy cập của họ ngừng hoạt động ngay. Thu hồi một mã thì mọi phiên mở bằng mã đó kết thúc.',
    ok: {
      revoked: 'Đã thu hồi mã.',
      ended: 'Đã kết thúc phiên.',
      person: 'Đã lưu người dùng.',
      role: 'Đã cập nhật vai trò.',
      status: 'Đã cập nhật trạng thái.',
      council: 'Đã cập nhật Hội đồng.',
    } as Record<string, string>,
  },
  en: {
    title: 'People and access',
    people: 'People',
    name: 'Full name',
    email: 'Email',
    roles: 'Roles and scopes',
    addPerson: 'Add a person',
    add: 'Add',
    giveRole: 'Give a role',
    give: 'Give',
    removeRole: 'Remove',
    scope: 'Scope',
    target: "Campaign's or unit's code (when the scope is not the whole installation)",
    scopes: { installation: 'Whole installation', campaign: 'One campaign', unit: 'A unit and the units below it' },
    disable: 'Disable',
    enable: 'Enable',
    statuses: { active: 'Active', disabled: 'Disabled' },
    council: "Campaigns' councils",
    councilHint:
      'Quorum and thresholds count the people listed here when a vote opens. A campaign without a list uses the people holding the council role.',
    campaign: 'Campaign',
    person: 'Person',
    position: 'Position',
    positions: { chair: 'Chair', vice_chair: 'Vice-chair', member: 'Member', secretary: 'Secretary' },
    seat: 'Seat on the council',
    unseat: 'Remove from the council',
    newToken: 'Create an API token',
    tokenName: 'Token name (what it is for)',
    days: 'Days it works (1–366)',
    create: 'Create the token',
    shownOnce: 'The new token — shown only this once. Copy it and keep it safe now:',
    tokens: 'API tokens',
    sessions: 'Console sessions open now',
    holder: 'Holder',
    role: 'Role',
    state: 'State',
    created: 'Created',
    expires: 'Expires',
    origin: 'Address',
    method: 'Signed in by',
    methods: { token: 'API token', email: 'Emailed link', oidc: 'Identity provider' } as Record<string, string>,
    reason: 'Reason',
    revoke: 'Revoke',
    end: 'End the session',
    none: 'None.',
    states: { active: 'Active', expired: 'Expired', revoked: 'Revoked' },
    hint: 'Disabling a person stops all their sessions and tokens at once. Revoking a token ends every session opened with it.',
    ok: {
      revoked: 'The token is revoked.',
      ended: 'The session has ended.',
      person: 'The person is saved.',
      role: 'The roles are updated.',
      status: 'The status is updated.',
      council: 'The council is updated.',
    } as Record<string, string>,
  },
} as const;

const ROLES = ['admin', 'council', 'auditor'] as const;
const SCOPE_KINDS = ['installation', 'campaign', 'unit'] as const;
const POSITIONS = ['chair', 'vice_chair', 'member', 'secretary'] as const;

export interface AccessPageData {
  readonly people: readonly PersonView[];
  readonly seats: readonly CouncilSeatView[];
  readonly campaigns: readonly { code: string; name: string }[];
  readonly tokens: readonly TokenView[];
  readonly sessions: readonly SessionView[];
  readonly ok?: string | undefined;
  readonly error?: string | null;
  /** A token just created: shown once. */
  readonly newToken?: { token: string; holder: string; expiresAt: string } | undefined;
}

const select = (id: string, name: string, label: string, options: readonly (readonly [string, string])[]): Html =>
  html`<label for="${id}">${label}</label><select id="${id}" name="${name}" required>${options.map(([value, text]) => html`<option value="${value}">${text}</option>`)}</select>`;

function roleScopeFields(lang: Locale, prefix: string): Html {
  const t = T[lang];
  return html`${select(
    `${prefix}-role`,
    'role',
    t.role,
    ROLES.map((r) => [r, ROLE_LABEL[lang][r]] as const),
  )}
${select(
  `${prefix}-scope`,
  'scope',
  t.scope,
  SCOPE_KINDS.map((s) => [s, t.scopes[s]] as const),
)}
<label for="${prefix}-target">${t.target}</label><input id="${prefix}-target" name="target" maxlength="64">`;
}

export function accessPage(v: ConsoleView, data: AccessPageData): string {
  const t = T[v.lang];
  const reasonInput = (id: string) =>
    html`<label for="${id}">${t.reason}</label><input id="${id}" name="reason" required minlength="3" maxlength="1000">`;
  const personOptions = data.people
    .filter((p) => p.status === 'active')
    .map((p) => [String(p.id), `${p.name} <${p.email}>`] as const);
  const scopeText = (r: PersonView['roles'][number]) =>
    `${ROLE_LABEL[v.lang][r.role]} · ${t.scopes[r.scope]}${r.target ? ` ${r.target}` : ''}`;

  const people = html`<h2 id="people">${t.people}</h2>${
    data.people.length
      ? html`<div class="table-wrap"><table class="data stack"><thead><tr><th scope="col">${t.name}</th><th scope="col">${t.email}</th><th scope="col">${t.state}</th><th scope="col">${t.roles}</th><th scope="col">${t.disable}</th></tr></thead><tbody>
${data.people.map(
  (
    p,
  ) => html`<tr><td data-label="${t.name}">${p.name}</td><td data-label="${t.email}">${p.email}</td><td data-label="${t.state}"><span class="badge ${p.status === 'active' ? 'ok' : ''}">${t.statuses[p.status]}</span></td>
<td data-label="${t.roles}"><ul class="plain">${p.roles.map((r) => html`<li>${scopeText(r)} <form method="post" action="/console/access/people/${p.id}/roles/${r.id}/remove" class="inline">${csrfField(v)}<button type="submit" class="link">${t.removeRole}</button></form></li>`)}</ul>
<details><summary>${t.giveRole}</summary><form method="post" action="/console/access/people/${p.id}/roles">${csrfField(v)}${roleScopeFields(v.lang, `give-${p.id}`)}<button type="submit">${t.give}</button></form></details></td>
<td><form method="post" action="/console/access/people/${p.id}/status">${csrfField(v)}<input type="hidden" name="status" value="${p.status === 'active' ? 'disabled' : 'active'}">${reasonInput(`status-${p.id}`)}<button type="submit"${p.status === 'active' ? html` class="danger"` : ''}>${p.status === 'active' ? t.disable : t.enable}</button></form></td></tr>`,
)}</tbody></table></div>`
      : html`<p>${t.none}</p>`
  }
<details class="card" id="add-person"><summary>${t.addPerson}</summary><form method="post" action="/console/access/people">${csrfField(v)}
<label for="person-name">${t.name}</label><input id="person-name" name="name" required maxlength="200">
<label for="person-email">${t.email}</label><input id="person-email" name="email" type="email" required maxlength="320">
${roleScopeFields(v.lang, 'person')}<button type="submit">${t.add}</button></form></details>`;

  const council = html`<h2 id="council">${t.council}</h2><p class="hint">${t.councilHint}</p>${
    data.seats.length
      ? html`<div class="table-wrap"><table class="data stack"><thead><tr><th scope="col">${t.campaign}</th><th scope="col">${t.person}</th><th scope="col">${t.position}</th><th scope="col">${t.unseat}</th></tr></thead><tbody>
${data.seats.map(
  (
    s,
  ) => html`<tr><td data-label="${t.campaign}">${s.campaignName} (${s.campaign})</td><td data-label="${t.person}">${s.name}</td><td data-label="${t.position}">${t.positions[s.position]}</td>
<td><form method="post" action="/console/access/council/remove">${csrfField(v)}<input type="hidden" name="campaign" value="${s.campaign}"><input type="hidden" name="person" value="${String(s.personId)}"><button type="submit">${t.unseat}</button></form></td></tr>`,
)}</tbody></table></div>`
      : html`<p>${t.none}</p>`
  }
<form method="post" action="/console/access/council" class="card" id="seat">${csrfField(v)}
${select(
  'seat-campaign',
  'campaign',
  t.campaign,
  data.campaigns.map((c) => [c.code, `${c.name} (${c.code})`] as const),
)}
${select('seat-person', 'person', t.person, personOptions)}
${select(
  'seat-position',
  'position',
  t.position,
  POSITIONS.map((p) => [p, t.positions[p]] as const),
)}
<button type="submit">${t.seat}</button></form>`;

  const newToken = html`<h2 id="new-token">${t.newToken}</h2>${
    data.newToken
      ? html`<div class="notice ok" role="status"><p>${t.shownOnce}</p><p><code id="created-token">${data.newToken.token}</code></p><p>${t.holder}: ${data.newToken.holder} · ${t.expires}: ${formatShort(data.newToken.expiresAt, v.lang)}</p></div>`
      : ''
  }
<form method="post" action="/console/access/tokens" class="card" id="create-token">${csrfField(v)}
${select('token-person', 'person', t.person, personOptions)}
${select(
  'token-role',
  'role',
  t.role,
  ROLES.map((r) => [r, ROLE_LABEL[v.lang][r]] as const),
)}
<label for="token-name">${t.tokenName}</label><input id="token-name" name="name" required maxlength="200">
<label for="token-days">${t.days}</label><input id="token-days" name="days" type="number" min="1" max="366" value="90" required>
<button type="submit">${t.create}</button></form>`;

  const sessions = html`<h2 id="sessions">${t.sessions}</h2>${
    data.sessions.length
      ? html`<div class="table-wrap"><table class="data stack"><thead><tr><th scope="col">${t.holder}</th><th scope="col">${t.role}</th><th scope="col">${t.method}</th><th scope="col">${t.origin}</th><th scope="col">${t.created}</th><th scope="col">${t.expires}</th><th scope="col">${t.end}</th></tr></thead><tbody>
${data.sessions.map(
  (
    s,
  ) => html`<tr><td data-label="${t.holder}">${s.name}</td><td data-label="${t.role}">${ROLE_LABEL[v.lang][s.role]}</td><td data-label="${t.method}">${t.methods[s.method] ?? s.method}</td><td data-label="${t.origin}">${s.origin ?? '—'}</td><td data-label="${t.created}">${formatShort(s.createdAt, v.lang)}</td><td data-label="${t.expires}">${formatShort(s.expiresAt, v.lang)}</td>
<td><form method="post" action="/console/access/sessions/${s.id}/end">${csrfField(v)}${reasonInput(`end-${s.id}`)}<button type="submit">${t.end}</button></form></td></tr>`,
)}</tbody></table></div>`
      : html`<p>${t.none}</p>`
  }`;

  const tokens = html`<h2 id="tokens">${t.tokens}</h2>${
    data.tokens.length
      ? html`<div class="table-wrap"><table class="data stack"><thead><tr><th scope="col">${t.holder}</th><th scope="col">${t.tokenName}</th><th scope="col">${t.role}</th><th scope="col">${t.state}</th><th scope="col">${t.created}</th><th scope="col">${t.expires}</th><th scope="col">${t.revoke}</th></tr></thead><tbody>
${data.tokens.map(
  (
    k,
  ) => html`<tr><td data-label="${t.holder}">${k.holder}</td><td data-label="${t.tokenName}">${k.name}</td><td data-label="${t.role}">${ROLE_LABEL[v.lang][k.role]}</td><td data-label="${t.state}"><span class="badge ${k.state === 'active' ? 'ok' : ''}">${t.states[k.state]}</span></td><td data-label="${t.created}">${formatShort(k.createdAt, v.lang)}</td><td data-label="${t.expires}">${formatShort(k.expiresAt, v.lang)}</td>
<td>${k.state === 'active' ? html`<form method="post" action="/console/access/tokens/${k.id}/revoke">${csrfField(v)}${reasonInput(`revoke-${k.id}`)}<button type="submit" class="danger">${t.revoke}</button></form>` : ''}</td></tr>`,
)}</tbody></table></div>`
      : html`<p>${t.none}</p>`
  }`;

  const body = html`<h1>${t.title}</h1>${flash('ok', data.ok ? (t.ok[data.ok] ?? null) : null)}${flash('error', data.error)}
<p class="hint">${t.hint}</p>
${newToken}${people}${council}${sessions}${tokens}`;
  return consolePage(v, { title: t.title, current: 'access', body });
}
