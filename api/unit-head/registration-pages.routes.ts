/**
 * The pages behind a unit's emulation-registration link: `GET /dk/:token` (the form, or what was
 * registered once the round is closed) and `POST /dk/:token` (register or correct). A link that
 * leads nowhere gets its page before any body is read; a registration after the deadline is
 * refused with 410 and its sentence in the reader's language.
 */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { DomainError, LinkError, ValidationError } from '../../domain/errors';
import type { Locale } from '../../domain/template';
import { statusOf } from '../http/errors';
import { parseNumber } from '../http/form-body';
import { errorPage } from '../pages/error.page';
import { localeOf } from '../pages/i18n';
import {
  readRegistration,
  requireRegistrationLink,
  submitRegistration,
  type RegistrationView,
} from '../services/registration.service';
import { linkProblemPage } from './report-form.page';
import { registrationPage, savedNotice } from './registration.page';

const Params = Type.Object({ token: Type.String({ maxLength: 200 }) });
const Query = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 10 })) });
/** A posted registration: `t.<indicator code>` figures and repeated `title` checkboxes. */
const FormBody = Type.Record(
  Type.String({ maxLength: 80 }),
  Type.Union([Type.String({ maxLength: 100 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 10 })]),
  { maxProperties: 510 },
);

/** The figures and titles of a posted form; any other field is refused (a form this site rendered never sends one). */
function formToRegistration(form: Readonly<Record<string, string | readonly string[]>>): {
  typed: Map<string, string>;
  targets: Map<string, unknown>;
  titles: string[];
} {
  const typed = new Map<string, string>();
  const targets = new Map<string, unknown>();
  const titles: string[] = [];
  for (const [name, raw] of Object.entries(form)) {
    const values = typeof raw === 'string' ? [raw] : raw;
    if (name === 'title') titles.push(...values);
    else if (name.startsWith('t.') && name.length > 2) {
      typed.set(name.slice(2), values[0] ?? '');
      targets.set(name.slice(2), parseNumber(values[0]));
    } else throw new ValidationError({ code: 'form_field_unknown', params: { name: name.slice(0, 100) } }, name);
  }
  return { typed, targets, titles };
}

export const registrationPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const lang = (q: { lang?: string }): Locale => localeOf(q.lang, app.config.DEFAULT_LOCALE as Locale);
  const htmlReply = (reply: FastifyReply, status: number, body: string) =>
    reply
      .status(status)
      .headers({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .send(body);
  const secretariat = app.config.SECRETARIAT_EMAIL;

  app.setErrorHandler((error, request, reply) => {
    const l = lang((request.query ?? {}) as { lang?: string });
    const url = request.url;
    if (error instanceof LinkError && error.reason === 'unknown')
      return htmlReply(
        reply,
        404,
        linkProblemPage({ kind: 'unknown', detail: error.textIn(l) }, l, { url, secretariat }),
      );
    const fastifyStatus = (error as { statusCode?: number }).statusCode;
    const status = fastifyStatus && fastifyStatus >= 400 && fastifyStatus < 500 ? fastifyStatus : statusOf(error);
    if (status >= 500) request.log.error({ err: error }, 'unhandled error on a registration page');
    return htmlReply(
      reply,
      status,
      errorPage(status, l, error instanceof DomainError && status < 500 ? { message: error.textIn(l) } : {}),
    );
  });

  app.get('/dk/:token', { schema: { hide: true, params: Params, querystring: Query } }, async (request, reply) => {
    const view = await readRegistration(request.em, request.params.token, app.now());
    return htmlReply(reply, 200, registrationPage(view, lang(request.query), { action: request.url }));
  });

  app.post(
    '/dk/:token',
    {
      schema: { hide: true, params: Params, querystring: Query, body: FormBody },
      onRequest: async (request) => {
        await requireRegistrationLink(request.em.fork(), (request.params as { token: string }).token);
      },
    },
    async (request, reply) => {
      const l = lang(request.query);
      const { token } = request.params;
      const url = request.url;
      const form = formToRegistration(request.body);
      let view: RegistrationView;
      try {
        view = await submitRegistration(request.em, token, form, request.ip, app.now());
      } catch (error) {
        if (!(error instanceof DomainError) || (error instanceof LinkError && error.reason === 'unknown')) throw error;
        const current = await readRegistration(app.orm.em.fork(), token, app.now());
        const errors = [{ field: error.field ?? 'registration', message: error.textIn(l) }];
        // After the deadline: what was registered, with the refusal on top.
        if (!current.open)
          return htmlReply(
            reply,
            statusOf(error),
            registrationPage(current, l, { action: url, refusal: error.textIn(l) }),
          );
        return htmlReply(
          reply,
          statusOf(error),
          registrationPage(current, l, { action: url, errors, typed: form.typed, ticked: form.titles }),
        );
      }
      return htmlReply(
        reply,
        200,
        registrationPage(view, l, { action: url, notice: savedNotice(view.registration!.submittedAt, l) }),
      );
    },
  );
};
