/**
 * Pages for people: the administrator's console, the council's review, the auditor's viewer,
 * and the static assets every page (the unit head's too) uses. Server-rendered HTML: see
 * `api/pages/html.ts` for why. Everything here is encapsulated in this plugin: cookies, the
 * session and CSRF checks and an error handler that answers pages.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors';
import { UnavailableError, statusOf } from '../http/errors';
import { errorContent, errorPage, errorTitle } from '../pages/error.page';
import { localeOf, type Locale } from '../pages/i18n';
import { consolePage } from './pages/layout';
import { deriveKeys } from './session';
import { enforceScope } from '../http/scope';
import { accessPages } from './routes/access.routes';
import { setupPages } from './routes/setup.routes';
import { adminPages } from './routes/admin.routes';
import { auditPages } from './routes/audit.routes';
import { CsrfRejected, SignInRequired, loadConsoleView, requireUser, sendPage } from './routes/context';
import { councilPages } from './routes/council.routes';
import { summaryPages } from './routes/summaries.routes';
import { registrationPages } from './routes/registrations.routes';
import { blocPages } from './routes/blocs.routes';
import { titleVotePages } from './routes/title-votes.routes';
import { sessionPages, checkCsrf } from './routes/session.routes';
import { unitPages } from './routes/units.routes';

/** `api/public`: next to the sources, or copied into dist/api/public by `npm run build`. */
function publicRoot(): string | undefined {
  const dir = path.resolve(__dirname, '../public');
  return existsSync(path.join(dir, 'app.css')) ? dir : undefined;
}

function registerErrorPages(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const view = request.consoleView ?? {
      lang: localeOf(undefined, app.config.DEFAULT_LOCALE as Locale),
      user: null,
      csrf: '',
      url: request.url,
    };
    if (error instanceof SignInRequired) {
      const next = request.method === 'GET' ? request.url : '/console';
      return reply.redirect(`/console/sign-in?next=${encodeURIComponent(next)}`, 303);
    }
    let status: number;
    let message: string | undefined;
    if (error instanceof CsrfRejected) {
      status = 403;
      message =
        view.lang === 'vi'
          ? 'Biểu mẫu đã hết hạn hoặc không được gửi từ trang này. Hãy tải lại trang rồi thử lại.'
          : 'The form has expired or was not sent from this site. Reload the page and try again.';
    } else if ('validation' in error && error.validation) {
      status = 400;
      const first = error.validation[0];
      const field = [
        first?.instancePath.replace(/^\//, '').replace(/\//g, '.'),
        first?.params && 'missingProperty' in first.params ? String(first.params.missingProperty) : '',
      ]
        .filter(Boolean)
        .join('.');
      message =
        view.lang === 'vi'
          ? `Dữ liệu gửi lên không hợp lệ${field ? ` (trường “${field}”)` : ''}. Hãy kiểm tra rồi gửi lại.`
          : `What was sent is not valid: ${error.message}`;
    } else if (
      !(error instanceof DomainError) &&
      (error as FastifyError).statusCode &&
      (error as FastifyError).statusCode! < 500
    ) {
      status = (error as FastifyError).statusCode!;
    } else {
      status = statusOf(error);
      // A refusal's sentence, also for a part of the server that is missing (503: the PDF renderer).
      if ((status < 500 || error instanceof UnavailableError) && error instanceof DomainError)
        message = error.textIn(view.lang);
    }
    if (status >= 500 && !(error instanceof UnavailableError))
      request.log.error({ err: error }, 'unhandled error on a console page');
    const opts = {
      ...(message ? { message } : {}),
      back: { href: '/console', label: view.lang === 'vi' ? 'Về trang đầu' : 'Back to the start' },
    };
    const body = view.user
      ? consolePage(view, {
          title: errorTitle(status, view.lang),
          current: 'none',
          body: errorContent(status, view.lang, opts),
        })
      : errorPage(status, view.lang, { width: 'wide', ...opts });
    return sendPage(reply, body, status);
  });
}

export const consoleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const keys = deriveKeys(app.config.LINK_SECRET);
  await app.register(cookie);

  const root = publicRoot();
  if (root) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/assets/',
      index: false,
      list: false,
      dotfiles: 'deny',
      cacheControl: true,
      maxAge: '1h',
      decorateReply: false,
    });
  } else {
    app.log.warn(
      'api/public not found: pages are served without their stylesheet and scripts (build with `npm run build`, which copies api/public into dist/)',
    );
  }

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/assets/')) return;
    await loadConsoleView(app, keys, request, reply);
    // The page's roles come before the request is validated: no session or the wrong role is
    // answered as such, whatever was sent.
    if (request.routeOptions.config.consoleRoles) {
      const user = requireUser(request);
      if (!request.routeOptions.config.consoleAnyScope) await enforceScope(request.em, request, user.scopes);
    }
  });
  // Every form of a signed-in user carries the CSRF token of their session (sign-in has its own).
  app.addHook('preHandler', async (request) => {
    if (request.method !== 'POST') return;
    checkCsrf(keys, request);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
    return payload;
  });
  registerErrorPages(app);

  await app.register(sessionPages, { keys });
  await app.register(adminPages);
  await app.register(unitPages);
  await app.register(councilPages);
  await app.register(summaryPages);
  await app.register(registrationPages);
  await app.register(blocPages);
  await app.register(titleVotePages);
  await app.register(auditPages);
  await app.register(accessPages);
  await app.register(setupPages);
};
