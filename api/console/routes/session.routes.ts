/** Signing in with a personal token, signing out, and the console's front door. */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../../pages/html';
import { ROLE_LABEL, consolePage, flash } from '../pages/layout';
import {
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
  csrfToken,
  csrfValid,
  endSessionByCookie,
  newNonce,
  signIn,
  type SessionKeys,
} from '../session';
import { CsrfRejected, SignInRequired, field, isSecure, safeNext, sendPage, viewOf } from './context';

const SIGN_IN_PATH = '/console/sign-in';
const nonceSid = (nonce: string): string => `sign-in:${nonce}`;

/** Every POST but the sign-in needs a session and its CSRF token (the sign-in checks its own nonce). */
export function checkCsrf(keys: SessionKeys, request: FastifyRequest): void {
  if (request.routeOptions.url === SIGN_IN_PATH) return;
  const view = viewOf(request);
  if (!view.user) throw new SignInRequired();
  if (!csrfValid(keys, view.user.sid, field(request.body, '_csrf'))) throw new CsrfRejected();
}

const T = {
  vi: {
    title: 'Đăng nhập',
    intro:
      'Dành cho Văn phòng (quản trị), thành viên Hội đồng Thi đua - Khen thưởng và người kiểm tra. Thủ trưởng đơn vị không cần đăng nhập: hãy dùng đường liên kết trong thư điện tử.',
    token: 'Mã truy cập cá nhân',
    tokenHint:
      'Mã bắt đầu bằng “bc_”, do quản trị viên cấp (lệnh npm run token:create). Mã không được lưu trên máy này; phiên đăng nhập kết thúc khi bạn đăng xuất, và chậm nhất sau 10 giờ.',
    submit: 'Đăng nhập',
    wrong: 'Mã truy cập không đúng, đã bị thu hồi hoặc đã hết hạn.',
    signedIn: 'Bạn đang đăng nhập với tên',
    go: 'Tiếp tục',
    signedOut: 'Bạn đã đăng xuất.',
    expired: 'Biểu mẫu đăng nhập đã hết hạn; hãy thử lại.',
  },
  en: {
    title: 'Sign in',
    intro:
      'For the secretariat (administrators), members of the Emulation & Commendation Council and auditors. Unit heads need no account: use the link in your email.',
    token: 'Personal access token',
    tokenHint:
      'It starts with “bc_” and is issued by an administrator (npm run token:create). It is not stored on this device; the session ends when you sign out, and after 10 hours at the latest.',
    submit: 'Sign in',
    wrong: 'This token is wrong, revoked or expired.',
    signedIn: 'You are signed in as',
    go: 'Continue',
    signedOut: 'You have signed out.',
    expired: 'The sign-in form has expired; please try again.',
  },
} as const;

export const sessionPages: FastifyPluginAsyncTypebox<{ keys: SessionKeys }> = async (app, { keys }) => {
  const homeOf = (role: string): string =>
    role === 'admin' ? '/console/cycles' : role === 'council' ? '/console/council' : '/console/audit';

  app.get('/console', { schema: { hide: true } }, async (request, reply) => {
    const view = viewOf(request);
    if (!view.user) throw new SignInRequired();
    return reply.redirect(homeOf(view.user.role), 303);
  });

  const signInPage = (
    request: FastifyRequest,
    opts: { error?: string; notice?: string; next: string; nonce: string },
  ) => {
    const v = viewOf(request);
    const t = T[v.lang];
    return consolePage(v, {
      title: t.title,
      current: 'none',
      body: html`<h1>${t.title}</h1>${flash('error', opts.error)}${flash('ok', opts.notice)}
${v.user ? html`<p class="notice info">${t.signedIn} <strong>${v.user.name}</strong> (${ROLE_LABEL[v.lang][v.user.role]}). <a href="${opts.next}">${t.go}</a></p>` : ''}
<p>${t.intro}</p>
<form method="post" action="${SIGN_IN_PATH}" class="card" id="sign-in">
<input type="hidden" name="_csrf" value="${csrfToken(keys, nonceSid(opts.nonce))}"><input type="hidden" name="next" value="${opts.next}">
<label for="token">${t.token}</label>
<input id="token" name="token" type="password" autocomplete="off" spellcheck="false" autocapitalize="off" required aria-describedby="token-hint"${opts.error ? html` aria-invalid="true"` : ''}>
<p class="hint" id="token-hint">${t.tokenHint}</p>
<button type="submit">${t.submit}</button></form>`,
    });
  };

  const freshNonce = (request: FastifyRequest, reply: FastifyReply) => {
    const nonce = newNonce();
    reply.setCookie(SIGN_IN_COOKIE, nonce, {
      path: SIGN_IN_PATH,
      httpOnly: true,
      sameSite: 'strict',
      secure: isSecure(app, request),
      maxAge: 3600,
    });
    return nonce;
  };

  app.get(
    SIGN_IN_PATH,
    {
      schema: {
        hide: true,
        querystring: Type.Object({
          next: Type.Optional(Type.String({ maxLength: 500 })),
          out: Type.Optional(Type.String({ maxLength: 5 })),
          lang: Type.Optional(Type.String({ maxLength: 5 })),
        }),
      },
    },
    async (request, reply) => {
      const nonce = freshNonce(request, reply);
      const t = T[viewOf(request).lang];
      return sendPage(
        reply,
        signInPage(request, {
          next: safeNext(request.query.next),
          nonce,
          ...(request.query.out ? { notice: t.signedOut } : {}),
        }),
      );
    },
  );

  app.post(SIGN_IN_PATH, { schema: { hide: true } }, async (request, reply) => {
    const t = T[viewOf(request).lang];
    const next = safeNext(field(request.body, 'next'));
    const nonce = request.cookies[SIGN_IN_COOKIE];
    if (!nonce || !csrfValid(keys, nonceSid(nonce), field(request.body, '_csrf'))) {
      return sendPage(reply, signInPage(request, { error: t.expired, next, nonce: freshNonce(request, reply) }), 403);
    }
    const session = await signIn(request.em, field(request.body, 'token'), request.ip, app.now());
    if (!session)
      return sendPage(reply, signInPage(request, { error: t.wrong, next, nonce: freshNonce(request, reply) }), 401);
    reply.clearCookie(SIGN_IN_COOKIE, { path: SIGN_IN_PATH });
    const maxAge = Math.max(0, session.user.expiresAt - Math.floor(app.now().getTime() / 1000));
    reply.setCookie(SESSION_COOKIE, session.cookie, {
      path: '/console',
      httpOnly: true,
      sameSite: 'strict',
      secure: isSecure(app, request),
      maxAge,
    });
    return reply.redirect(next === '/console' ? homeOf(session.user.role) : next, 303);
  });

  // Ends the session on the server: its cookie, kept or copied, no longer opens anything.
  app.post('/console/sign-out', { schema: { hide: true } }, async (request, reply) => {
    await endSessionByCookie(request.em, request.cookies[SESSION_COOKIE], request.ip, app.now());
    reply.clearCookie(SESSION_COOKIE, { path: '/console' });
    return reply.redirect(`${SIGN_IN_PATH}?out=1`, 303);
  });
};
