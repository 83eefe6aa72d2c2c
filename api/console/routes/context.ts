/**
 * What every console route shares: the reader's language, the signed-in user from the session
 * cookie, the CSRF token of their forms, and the checks that throw when either is missing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../../db/entities/api-token.entity';
import { AuthError } from '../../http/errors';
import type { ConsoleView } from '../pages/layout';
import { localeOf, type Locale } from '../../pages/i18n';
import { LANG_COOKIE, SESSION_COOKIE, csrfToken, readSession, type ConsoleUser, type SessionKeys } from '../session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on a console page (session cookie); checked by `requireUser`. */
    consoleRoles?: readonly Role[];
    /** A page for every signed-in person whatever the scope of their role (switching role). */
    consoleAnyScope?: boolean;
  }
  interface FastifyRequest {
    /** Set by the console's hook on every console request. */
    consoleView?: ConsoleView;
  }
}

/** No (valid) session: pages send the reader to the sign-in page. */
export class SignInRequired extends Error {
  constructor() {
    super('Sign in first.');
    this.name = 'SignInRequired';
  }
}

/** A form came without the CSRF token of its session (or an expired one). */
export class CsrfRejected extends Error {
  constructor() {
    super('The form has expired or did not come from this site.');
    this.name = 'CsrfRejected';
  }
}

export const isSecure = (app: FastifyInstance, request: FastifyRequest): boolean =>
  request.protocol === 'https' || app.config.PUBLIC_URL.startsWith('https:');

/** Reads the language (`?lang=` wins and is remembered) and the session; fills `request.consoleView`. */
export async function loadConsoleView(
  app: FastifyInstance,
  keys: SessionKeys,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const query = (request.query ?? {}) as { lang?: unknown };
  const fallback = app.config.DEFAULT_LOCALE as Locale;
  let lang = localeOf(request.cookies[LANG_COOKIE], fallback);
  if (query.lang === 'vi' || query.lang === 'en') {
    lang = query.lang;
    reply.setCookie(LANG_COOKIE, lang, {
      path: '/console',
      sameSite: 'lax',
      httpOnly: true,
      secure: isSecure(app, request),
      maxAge: 365 * 24 * 3600,
    });
  }
  const user = await readSession(request.em, request.cookies[SESSION_COOKIE], app.now());
  request.consoleView = { lang, user, csrf: user ? csrfToken(keys, user.sid) : '', url: request.url };
}

export function viewOf(request: FastifyRequest): ConsoleView {
  if (!request.consoleView) throw new Error('console view not loaded');
  return request.consoleView;
}

/** The signed-in user when their role is one of `roles`; otherwise sign in (401) or 403. */
/**
 * The signed-in user of a console page, whose role must be one of the route's `consoleRoles`
 * (declared in the route's config, so the route × role tests read them from the route table).
 */
export function requireUser(request: FastifyRequest): ConsoleUser & { view: ConsoleView } {
  const view = viewOf(request);
  const roles = request.routeOptions.config.consoleRoles;
  if (!roles) throw new Error(`Console route ${request.routeOptions.url} declares no consoleRoles.`);
  if (!view.user) throw new SignInRequired();
  if (!roles.includes(view.user.role))
    throw new AuthError({ code: 'role_forbidden', params: { role: view.user.role, roles } }, 403);
  return { ...view.user, view };
}

/** Form fields arrive as strings (or arrays of them for repeated names): the first string, trimmed. */
export function field(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | null | undefined)?.[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s.trim() : '';
}

/** Every value of a repeated field (checkboxes). */
export function fields(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | null | undefined)?.[name];
  return (Array.isArray(v) ? v : [v])
    .filter((x): x is string => typeof x === 'string' && x.trim() !== '')
    .map((x) => x.trim());
}

/** A safe place to return to after signing in: a console path of this site, nothing else. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' &&
    /^\/console(\/[A-Za-z0-9_\-./%?=&]*)?$/.test(next) &&
    !next.includes('//') &&
    !next.includes('/..')
    ? next
    : '/console';
}

export const HTML_TYPE = 'text/html; charset=utf-8';

export const sendPage = (reply: FastifyReply, body: string, status = 200) =>
  reply.status(status).header('content-type', HTML_TYPE).send(body);
