/**
 * Signing in (by a one-time link sent by email, or with an API token), signing out, and the
 * console's front door.
 */
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
  switchRole,
  type SessionKeys,
} from '../session';
import { CsrfRejected, SignInRequired, field, isSecure, safeNext, sendPage, viewOf } from './context';
import { consumeSignInLink, requestSignInLink, SIGN_IN_LINK_MINUTES } from '../../services/sign-in.service';
import { deliverPending } from '../../../mail/outbox';
import { createMailTransport } from '../../../mail/transport';
import {
  OIDC_CALLBACK_PATH,
  finishOidcSignIn,
  oidcClient,
  startOidcSignIn,
  type OidcPending,
} from '../../services/oidc.service';
import { createHmac } from 'node:crypto';
import { safeEqual } from '../../../auth/tokens';

const SIGN_IN_PATH = '/console/sign-in';
const nonceSid = (nonce: string): string => `sign-in:${nonce}`;

/**
 * Every POST but the sign-in's needs a session and its CSRF token (the sign-in forms, under
 * SIGN_IN_PATH, check their own nonce).
 */
export function checkCsrf(keys: SessionKeys, request: FastifyRequest): void {
  const url = request.routeOptions.url ?? '';
  if (url === SIGN_IN_PATH || url.startsWith(`${SIGN_IN_PATH}/`)) return;
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
    byEmail: 'Đăng nhập bằng đường liên kết gửi qua thư',
    email: 'Địa chỉ thư điện tử của bạn',
    emailHint: `Chúng tôi gửi một đường liên kết dùng được một lần trong ${SIGN_IN_LINK_MINUTES} phút.`,
    send: 'Gửi đường liên kết',
    sent: `Nếu địa chỉ này thuộc một người dùng của hệ thống, một đường liên kết đăng nhập vừa được gửi tới. Đường liên kết dùng được một lần, trong ${SIGN_IN_LINK_MINUTES} phút.`,
    byToken: 'Hoặc đăng nhập bằng mã truy cập API',
    linkTitle: 'Đăng nhập bằng đường liên kết',
    linkIntro: 'Bấm nút dưới đây để đăng nhập. Đường liên kết chỉ dùng được một lần.',
    linkGone:
      'Đường liên kết này không dùng được: đã dùng rồi, đã hết hạn hoặc không đúng. Hãy yêu cầu một đường liên kết mới.',
    askAgain: 'Yêu cầu đường liên kết mới',
    byProvider: (name: string) => `Đăng nhập bằng ${name || 'nhà cung cấp định danh'}`,
    providerFailed:
      'Không đăng nhập được qua nhà cung cấp định danh. Hãy thử lại, hoặc dùng đường liên kết gửi qua thư.',
    providerDown:
      'Hiện không liên lạc được với nhà cung cấp định danh. Hãy thử lại sau, hoặc dùng đường liên kết gửi qua thư.',
    welcome: 'Bạn đã đăng nhập.',
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
    byEmail: 'Sign in with a link sent by email',
    email: 'Your email address',
    emailHint: `We send a link that works once, within ${SIGN_IN_LINK_MINUTES} minutes.`,
    send: 'Send me a link',
    sent: `If this address belongs to someone who uses the system, a sign-in link has just been sent to it. It works once, within ${SIGN_IN_LINK_MINUTES} minutes.`,
    byToken: 'Or sign in with an API token',
    linkTitle: 'Sign in with your link',
    linkIntro: 'Press the button below to sign in. The link works only once.',
    linkGone: 'This link does not work: it has been used, has expired or is wrong. Ask for a new one.',
    askAgain: 'Ask for a new link',
    byProvider: (name: string) => `Sign in with ${name || 'the identity provider'}`,
    providerFailed: 'Signing in through the identity provider did not work. Try again, or use a link sent by email.',
    providerDown: 'The identity provider cannot be reached now. Try again later, or use a link sent by email.',
    welcome: 'You are signed in.',
  },
} as const;

const OIDC_COOKIE = 'bc_oidc';

export const sessionPages: FastifyPluginAsyncTypebox<{ keys: SessionKeys }> = async (app, { keys }) => {
  const oidc = oidcClient(app.config);
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
<p>${t.intro}</p>${
        oidc
          ? html`<form method="get" action="${SIGN_IN_PATH}/oidc" class="card" id="sign-in-oidc"><input type="hidden" name="next" value="${opts.next}"><button type="submit">${t.byProvider(app.config.OIDC_NAME)}</button></form>`
          : ''
      }
<form method="post" action="${SIGN_IN_PATH}/email" class="card" id="sign-in-email">
<h2>${t.byEmail}</h2>
<input type="hidden" name="_csrf" value="${csrfToken(keys, nonceSid(opts.nonce))}">
<label for="email">${t.email}</label>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="320" aria-describedby="email-hint">
<p class="hint" id="email-hint">${t.emailHint}</p>
<button type="submit">${t.send}</button></form>
<form method="post" action="${SIGN_IN_PATH}" class="card" id="sign-in">
<h2>${t.byToken}</h2>
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
    setSessionCookie(request, reply, session.cookie, session.user.expiresAt);
    return reply.redirect(next === '/console' ? homeOf(session.user.role) : next, 303);
  });

  // The outbox's messages are sent from here too (sign-in links cannot wait for a workflow).
  const mailer = createMailTransport(app.config.SMTP_URL);
  app.addHook('onClose', async () => mailer.close());
  const pendingDeliveries = new Set<Promise<unknown>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled(pendingDeliveries);
  });

  const setSessionCookie = (request: FastifyRequest, reply: FastifyReply, cookie: string, expiresAt: number) => {
    reply.clearCookie(SIGN_IN_COOKIE, { path: SIGN_IN_PATH });
    reply.setCookie(SESSION_COOKIE, cookie, {
      path: '/console',
      httpOnly: true,
      sameSite: 'strict',
      secure: isSecure(app, request),
      maxAge: Math.max(0, expiresAt - Math.floor(app.now().getTime() / 1000)),
    });
  };

  /**
   * Asks for a sign-in link. The answer is the same page whatever the address (known or not,
   * disabled or not): the email, when there is one, is sent after the answer.
   */
  app.post(`${SIGN_IN_PATH}/email`, { schema: { hide: true } }, async (request, reply) => {
    const v = viewOf(request);
    const t = T[v.lang];
    const nonce = request.cookies[SIGN_IN_COOKIE];
    if (!nonce || !csrfValid(keys, nonceSid(nonce), field(request.body, '_csrf')))
      return sendPage(
        reply,
        signInPage(request, { error: t.expired, next: '/console', nonce: freshNonce(request, reply) }),
        403,
      );
    const key = await requestSignInLink(request.em, {
      email: field(request.body, 'email'),
      origin: request.ip,
      now: app.now(),
      secret: app.config.LINK_SECRET,
      locale: v.lang,
    });
    if (key) {
      const delivery = deliverPending(
        {
          em: app.orm.em.fork(),
          mailer,
          from: app.config.MAIL_FROM,
          publicUrl: app.config.PUBLIC_URL,
          linkSecret: app.config.LINK_SECRET,
        },
        { keys: [key] },
      )
        .catch((error: unknown) => request.log.warn({ err: error }, 'a sign-in link could not be sent'))
        .finally(() => pendingDeliveries.delete(delivery));
      pendingDeliveries.add(delivery);
    }
    return sendPage(
      reply,
      signInPage(request, { notice: t.sent, next: '/console', nonce: freshNonce(request, reply) }),
    );
  });

  const LinkParams = Type.Object({ token: Type.String({ maxLength: 100 }) });
  const linkPage = (request: FastifyRequest, reply: FastifyReply, token: string, status = 200) => {
    const v = viewOf(request);
    const t = T[v.lang];
    const nonce = freshNonce(request, reply);
    return sendPage(
      reply,
      consolePage(v, {
        title: t.linkTitle,
        current: 'none',
        body: html`<h1>${t.linkTitle}</h1><p>${t.linkIntro}</p>
<form method="post" action="${SIGN_IN_PATH}/link/${token}" class="card" id="sign-in-link">
<input type="hidden" name="_csrf" value="${csrfToken(keys, nonceSid(nonce))}">
<button type="submit">${t.submit}</button></form>`,
      }),
      status,
    );
  };
  const linkGone = (request: FastifyRequest, reply: FastifyReply) => {
    const v = viewOf(request);
    const t = T[v.lang];
    return sendPage(
      reply,
      consolePage(v, {
        title: t.linkTitle,
        current: 'none',
        body: html`<h1>${t.linkTitle}</h1>${flash('error', t.linkGone)}<p><a href="${SIGN_IN_PATH}">${t.askAgain}</a></p>`,
      }),
      410,
    );
  };

  // Opening the link shows a button; only pressing it (POST) uses the link, so a mail scanner
  // that fetches links does not use it up.
  app.get(`${SIGN_IN_PATH}/link/:token`, { schema: { hide: true, params: LinkParams } }, async (request, reply) =>
    linkPage(request, reply, request.params.token),
  );

  app.post(`${SIGN_IN_PATH}/link/:token`, { schema: { hide: true, params: LinkParams } }, async (request, reply) => {
    const nonce = request.cookies[SIGN_IN_COOKIE];
    if (!nonce || !csrfValid(keys, nonceSid(nonce), field(request.body, '_csrf')))
      return linkPage(request, reply, request.params.token, 403);
    const session = await consumeSignInLink(request.em, request.params.token, request.ip, app.now());
    if (!session) return linkGone(request, reply);
    setSessionCookie(request, reply, session.cookie, session.user.expiresAt);
    return reply.redirect(homeOf(session.user.role), 303);
  });

  // OpenID Connect: what the browser keeps between leaving for the provider and coming back, in an
  // HttpOnly cookie under a MAC (state, nonce, PKCE verifier, where to go next).
  const pendingMac = (payload: string) => createHmac('sha256', keys.csrf).update(`oidc:${payload}`).digest('base64url');
  const readPending = (value: string | undefined): OidcPending | null => {
    const [payload, mac] = (value ?? '').split('.');
    if (!payload || !mac || !safeEqual(pendingMac(payload), mac)) return null;
    try {
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as OidcPending;
    } catch {
      return null;
    }
  };

  app.get(
    `${SIGN_IN_PATH}/oidc`,
    {
      schema: {
        hide: true,
        querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 500 })) }),
      },
    },
    async (request, reply) => {
      if (!oidc) return reply.callNotFound();
      let start;
      try {
        start = await startOidcSignIn(await oidc(), app.config.PUBLIC_URL, safeNext(request.query.next));
      } catch (error) {
        request.log.warn({ err: error }, 'the identity provider could not be reached');
        const t = T[viewOf(request).lang];
        return sendPage(
          reply,
          signInPage(request, { error: t.providerDown, next: '/console', nonce: freshNonce(request, reply) }),
          502,
        );
      }
      const payload = Buffer.from(JSON.stringify(start.pending)).toString('base64url');
      // Lax: the provider sends the browser back with a top-level GET from its own site.
      reply.setCookie(OIDC_COOKIE, `${payload}.${pendingMac(payload)}`, {
        path: SIGN_IN_PATH,
        httpOnly: true,
        sameSite: 'lax',
        secure: isSecure(app, request),
        maxAge: 600,
      });
      return reply.redirect(start.url.href, 303);
    },
  );

  app.get(OIDC_CALLBACK_PATH, { schema: { hide: true } }, async (request, reply) => {
    if (!oidc) return reply.callNotFound();
    const v = viewOf(request);
    const t = T[v.lang];
    const pending = readPending(request.cookies[OIDC_COOKIE]);
    reply.clearCookie(OIDC_COOKIE, { path: SIGN_IN_PATH });
    let session;
    try {
      session = await finishOidcSignIn(request.em, await oidc(), {
        callbackUrl: new URL(request.url, app.config.PUBLIC_URL),
        pending,
        origin: request.ip,
        now: app.now(),
      });
    } catch (error) {
      request.log.warn({ err: error }, 'the identity provider could not be reached');
      session = null;
    }
    if (!session)
      return sendPage(
        reply,
        signInPage(request, { error: t.providerFailed, next: '/console', nonce: freshNonce(request, reply) }),
        401,
      );
    setSessionCookie(request, reply, session.cookie, session.user.expiresAt);
    // A page, not a redirect: coming from the provider's site, the browser would not send the
    // (SameSite=Strict) session cookie on a redirect; it does on the reader's next click.
    const next = pending && pending.next !== '/console' ? pending.next : homeOf(session.user.role);
    return sendPage(
      reply,
      consolePage(v, {
        title: t.title,
        current: 'none',
        body: html`<h1>${t.title}</h1>${flash('ok', t.welcome)}<p><a href="${next}" id="continue">${t.go}</a></p>`,
      }),
    );
  });

  // Acting in another role the person holds (an administrator who is also on the council votes).
  app.post(
    '/console/role',
    { config: { consoleRoles: ['admin', 'council', 'auditor'], consoleAnyScope: true }, schema: { hide: true } },
    async (request, reply) => {
      const user = viewOf(request).user!;
      const role = field(request.body, 'role');
      const held = (['admin', 'council', 'auditor'] as const).find((r) => r === role);
      if (!held || !(await switchRole(request.em, user, held, request.ip, app.now())))
        return reply.status(400).header('content-type', 'text/plain; charset=utf-8').send('role: not one you hold');
      return reply.redirect(homeOf(held), 303);
    },
  );

  // Ends the session on the server: its cookie, kept or copied, no longer opens anything.
  app.post('/console/sign-out', { schema: { hide: true } }, async (request, reply) => {
    await endSessionByCookie(request.em, request.cookies[SESSION_COOKIE], request.ip, app.now());
    reply.clearCookie(SESSION_COOKIE, { path: '/console' });
    return reply.redirect(`${SIGN_IN_PATH}?out=1`, 303);
  });
};
