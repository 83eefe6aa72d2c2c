import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { ConflictError, DomainError, LinkError, ValidationError } from '../../domain/errors';
import { OPEN_TASK_STATES } from '../../domain/states';
import type { Locale } from '../../domain/template';
import { InvalidReportError, statusOf } from '../http/errors';
import { formAction, formToAnswers } from '../http/form-body';
import { formatShort, localeOf, maskEmail } from '../pages/i18n';
import { errorPage } from '../pages/error.page';
import { linkProblemPage, receiptPage, reportFormPage, submittedPage, type FormOptions } from './report-form.page';
import {
  findReplacedLink,
  latestRevisionRequest,
  linkContext,
  requestFreshLink,
  type ReplacedLink,
} from './report-pages.service';
import { readTask, resolveLink, saveDraft, submitReport, type TaskView } from '../services/unit-task.service';
import type { TemplateDefinition } from '../../domain/template';
import { reportingUnits, sendBackUnit } from './reporting-units.service';

/** What a posted form's link leads to, resolved before its body is read. */
type PostedLink =
  | { readonly kind: 'current'; readonly template: TemplateDefinition }
  | { readonly kind: 'replaced'; readonly replaced: ReplacedLink };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on `POST /r/:token` before the body is read. */
    postedLink?: PostedLink;
  }
}

const Params = Type.Object({ token: Type.String({ maxLength: 200 }) });
// Loose on purpose: an odd `?lang=` or `?view=` falls back to the defaults instead of a JSON 400.
const Query = Type.Object({
  lang: Type.Optional(Type.String({ maxLength: 10 })),
  view: Type.Optional(Type.String({ maxLength: 20 })),
});
const MAX_EMPTY_ROWS = 20;

/**
 * The pages behind the emailed link: the form, draft saving, submission, the receipt, and clear
 * pages for links that are replaced, closed or unknown. Only `GET` and `POST /r/:token` exist:
 * what to do travels in `?view=` and the form's `action` field.
 */
export const pageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const lang = (q: { lang?: string }): Locale => localeOf(q.lang, app.config.DEFAULT_LOCALE as Locale);
  const htmlReply = (reply: FastifyReply, status: number, body: string) =>
    reply
      .status(status)
      .headers({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .send(body);

  /** The page for a link that does not resolve: replaced (with a fresh-link button) or unknown. */
  const linkFailure = async (
    reply: FastifyReply,
    error: unknown,
    token: string,
    url: string,
    l: Locale,
    notice?: string,
  ) => {
    if (!(error instanceof LinkError)) throw error;
    const replaced = await findReplacedLink(app.orm.em.fork(), token, app.now());
    const secretariat = app.config.SECRETARIAT_EMAIL;
    if (replaced) {
      return htmlReply(
        reply,
        404,
        linkProblemPage(
          {
            kind: 'replaced',
            maskedEmail: maskEmail(replaced.headEmail),
            canRequest: replaced.open,
            sentAt: replaced.recentlySentAt,
          },
          l,
          { url, secretariat, ...(notice ? { notice } : {}) },
        ),
      );
    }
    return htmlReply(
      reply,
      error.reason === 'unknown' ? 404 : 410,
      linkProblemPage({ kind: 'unknown', detail: error.textIn(l) }, l, { url, secretariat }),
    );
  };

  // These are pages: a failure is a page too (the JSON API keeps its own error handler).
  app.setErrorHandler((error, request, reply) => {
    const fastifyStatus = (error as { statusCode?: number }).statusCode;
    const status = fastifyStatus && fastifyStatus >= 400 && fastifyStatus < 500 ? fastifyStatus : statusOf(error);
    if (status >= 500) request.log.error({ err: error }, 'unhandled error on a unit head page');
    const l = lang((request.query ?? {}) as { lang?: string });
    return htmlReply(
      reply,
      status,
      errorPage(status, l, error instanceof DomainError && status < 500 ? { message: error.textIn(l) } : {}),
    );
  });

  const formOptions = async (
    view: TaskView,
    link: { taskId: number; token: string },
    url: string,
    extra: Partial<FormOptions> = {},
  ): Promise<FormOptions> => ({
    action: url,
    now: app.now(),
    revision: view.state === 'revision_requested' ? await latestRevisionRequest(app.orm.em.fork(), link.taskId) : null,
    reporting: await reportingUnits(app.orm.em.fork(), link.token),
    ...extra,
  });

  app.get('/r/:token', { schema: { hide: true, params: Params, querystring: Query } }, async (request, reply) => {
    const l = lang(request.query);
    const { token } = request.params;
    let view: TaskView;
    let ctx: Awaited<ReturnType<typeof linkContext>>;
    try {
      view = await readTask(request.em, token, app.now());
      ctx = await linkContext(request.em, token);
    } catch (error) {
      return linkFailure(reply, error, token, request.url, l);
    }
    const formUrl = request.url.replace(/([?&])view=receipt&?/, '$1').replace(/[?&]$/, '');
    if (request.query.view === 'receipt' && view.lastSubmission)
      return htmlReply(reply, 200, receiptPage(view.lastSubmission, l, { formUrl }));
    if (view.canSubmit)
      return htmlReply(
        reply,
        200,
        reportFormPage(view, l, await formOptions(view, { taskId: ctx.taskId, token }, request.url)),
      );
    const secretariat = app.config.SECRETARIAT_EMAIL;
    if (ctx.stage === 'cancelled')
      return htmlReply(reply, 410, linkProblemPage({ kind: 'cancelled', view }, l, { url: request.url, secretariat }));
    if (view.lastSubmission && !OPEN_TASK_STATES.has(view.state))
      return htmlReply(reply, 200, submittedPage(view, l, { url: request.url }));
    return htmlReply(reply, 410, linkProblemPage({ kind: 'closed', view }, l, { url: request.url, secretariat }));
  });

  app.post(
    '/r/:token',
    {
      schema: {
        hide: true,
        params: Params,
        querystring: Query,
        body: Type.Record(
          Type.String(),
          Type.Union([
            Type.String({ maxLength: 20_000 }),
            Type.Array(Type.String({ maxLength: 20_000 }), { maxItems: 5 }),
          ]),
        ),
      },
      // The link is resolved before the body is read: a link that leads nowhere gets its page
      // without its body ever being parsed, and a current one gives the template whose fields
      // alone the form may carry.
      onRequest: async (request, reply) => {
        const { token } = request.params as { token: string };
        const l = lang((request.query ?? {}) as { lang?: string });
        try {
          const task = await resolveLink(request.em.fork(), token);
          request.postedLink = { kind: 'current', template: task.cycle.template.definition };
        } catch (error) {
          if (!(error instanceof LinkError)) throw error;
          const replaced = await findReplacedLink(request.em.fork(), token, app.now());
          if (!replaced) return linkFailure(reply, error, token, request.url, l);
          request.postedLink = { kind: 'replaced', replaced };
        }
      },
    },
    async (request, reply) => {
      const l = lang(request.query);
      const { token } = request.params;
      const action = formAction(request.body);
      const url = request.url;
      const posted = request.postedLink!;

      if (action === 'fresh_link') {
        if (posted.kind !== 'replaced') return reply.redirect(url, 303); // a current link: show what it is
        const { replaced } = posted;
        let notice: string | undefined;
        if (replaced.open && !replaced.recentlySentAt) {
          const outcome = await requestFreshLink(app.temporal, replaced);
          if (outcome === 'sent') {
            notice =
              l === 'vi'
                ? `Đã gửi đường liên kết mới tới ${maskEmail(replaced.headEmail)} lúc ${formatShort(app.now(), l)}. Vui lòng kiểm tra hộp thư.`
                : `A fresh link was sent to ${maskEmail(replaced.headEmail)} at ${formatShort(app.now(), l)}. Please check the inbox.`;
          }
        }
        return linkFailure(
          reply,
          new LinkError({ code: 'link_unknown', params: {} }, 'unknown'),
          token,
          url,
          l,
          notice,
        );
      }
      if (posted.kind === 'replaced')
        return linkFailure(reply, new LinkError({ code: 'link_unknown', params: {} }, 'unknown'), token, url, l);

      if (action === 'send_back') {
        const unit = typeof request.body.unit === 'string' ? request.body.unit : '';
        const reason = typeof request.body.reason === 'string' ? request.body.reason.trim() : '';
        let notice: string | undefined;
        let errors: { field: string; message: string }[] | undefined;
        let status = 200;
        try {
          if (reason.length < 3 || reason.length > 1000)
            throw new ValidationError(
              { code: 'field_invalid', params: { field: 'reason', problem: 'must be 3 to 1000 characters' } },
              'reason',
            );
          const { deadline } = await sendBackUnit(
            { em: request.em, temporal: app.temporal },
            token,
            unit,
            reason,
            request.ip,
          );
          notice =
            l === 'vi'
              ? `Đã trả lại báo cáo của đơn vị ${unit}; đơn vị chỉnh sửa trước ${formatShort(deadline, l)}.`
              : `The report of unit ${unit} was sent back; it is due again by ${formatShort(deadline, l)}.`;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          status = statusOf(error);
          errors = [{ field: 'reason', message: error.textIn(l) }];
        }
        const view = await readTask(request.em.fork(), token, app.now());
        const ctx = await linkContext(request.em.fork(), token);
        return htmlReply(
          reply,
          status,
          reportFormPage(
            view,
            l,
            await formOptions(view, { taskId: ctx.taskId, token }, url, {
              ...(notice ? { notice } : {}),
              ...(errors ? { errors } : {}),
            }),
          ),
        );
      }
      const answers = formToAnswers(request.body, posted.template);
      try {
        if (action === 'add_ex' || action === 'add_pr') {
          // Without scripts, "add a row" comes here: the same form, one more empty row, nothing saved.
          const view = await readTask(request.em, token, app.now());
          const ctx = await linkContext(request.em, token);
          const rows = (key: 'rows.ex' | 'rows.pr'): number =>
            Math.min(MAX_EMPTY_ROWS, Math.max(1, Number(request.body[key]) || 1));
          const emptyRows = {
            ex: rows('rows.ex') + (action === 'add_ex' ? 1 : 0),
            pr: rows('rows.pr') + (action === 'add_pr' ? 1 : 0),
          };
          return htmlReply(
            reply,
            200,
            reportFormPage(
              view,
              l,
              await formOptions(view, { taskId: ctx.taskId, token }, url, {
                values: answers as never,
                emptyRows,
                rowAdded: true,
              }),
            ),
          );
        }
        if (action === 'draft') {
          const { savedAt } = await saveDraft(request.em, token, answers, request.ip, app.now());
          const view = await readTask(request.em.fork(), token, app.now());
          const ctx = await linkContext(request.em.fork(), token);
          const notice = `${l === 'vi' ? 'Đã lưu nháp lúc' : 'Draft saved at'} ${formatShort(savedAt, l)}`;
          return htmlReply(
            reply,
            200,
            reportFormPage(view, l, await formOptions(view, { taskId: ctx.taskId, token }, url, { notice })),
          );
        }
        const { receipt, wake } = await submitReport(
          request.em,
          app.afterReport,
          token,
          answers,
          request.ip,
          app.now(),
        );
        if (wake) app.wake(wake.workflowId, wake.signal);
        return htmlReply(reply, 201, receiptPage(receipt, l, { formUrl: url }));
      } catch (error) {
        if (error instanceof InvalidReportError || error instanceof ConflictError) {
          const view = await readTask(request.em.fork(), token, app.now());
          const ctx = await linkContext(request.em.fork(), token);
          const errors =
            error instanceof InvalidReportError ? error.errors : [{ field: 'report', message: error.textIn(l) }];
          return htmlReply(
            reply,
            error instanceof InvalidReportError ? 400 : 409,
            reportFormPage(
              view,
              l,
              await formOptions(view, { taskId: ctx.taskId, token }, url, { errors, values: answers as never }),
            ),
          );
        }
        return linkFailure(reply, error, token, url, l);
      }
    },
  );
};
