import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, DomainError, ForbiddenError, LinkError, ValidationError } from '../../domain/errors';
import { OPEN_TASK_STATES } from '../../domain/states';
import type { Locale } from '../../domain/template';
import { InvalidReportError, statusOf } from '../http/errors';
import { formAction, formToAnswers } from '../http/form-body';
import { fieldMessage, formatShort, formatTime, localeOf, maskEmail } from '../pages/i18n';
import { errorPage } from '../pages/error.page';
import {
  fieldLabel,
  linkProblemPage,
  receiptPage,
  reportFormPage,
  submittedPage,
  type FormOptions,
} from './report-form.page';
import {
  findReplacedLink,
  latestRevisionRequest,
  linkContext,
  requestFreshLink,
  type LinkContext,
  type ReplacedLink,
} from './report-pages.service';
import { readTask, resolveHolder, saveDraft, submitReport, type TaskView } from '../services/unit-task.service';
import { createDraftLink, revokeDraftLink } from './draft-links.service';
import { startFromPrevious } from './previous-report.service';
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
/** A posted report form: every field a string, a repeated one at most five. */
const FormBody = Type.Record(
  Type.String(),
  Type.Union([Type.String({ maxLength: 20_000 }), Type.Array(Type.String({ maxLength: 20_000 }), { maxItems: 5 })]),
);

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
    ctx: LinkContext,
    token: string,
    url: string,
    extra: Partial<FormOptions> = {},
  ): Promise<FormOptions> => ({
    action: url,
    now: app.now(),
    revision: view.state === 'revision_requested' ? await latestRevisionRequest(app.orm.em.fork(), ctx.taskId) : null,
    reporting: ctx.holder.kind === 'head' ? await reportingUnits(app.orm.em.fork(), token) : null,
    previousPeriod: ctx.previousPeriod,
    draftLinks: ctx.draftLinks,
    ...extra,
  });

  /** The form as it stands now (read afresh), with what the last action said. */
  const formPage = async (
    reply: FastifyReply,
    token: string,
    url: string,
    l: Locale,
    extra: Partial<FormOptions> = {},
    status = 200,
  ) => {
    const em = app.orm.em.fork();
    const view = await readTask(em, token, app.now());
    const ctx = await linkContext(em, token);
    return htmlReply(reply, status, reportFormPage(view, l, await formOptions(view, ctx, token, url, extra)));
  };

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
    if (view.open)
      return htmlReply(reply, 200, reportFormPage(view, l, await formOptions(view, ctx, token, request.url)));
    const secretariat = app.config.SECRETARIAT_EMAIL;
    if (ctx.stage === 'cancelled')
      return htmlReply(reply, 410, linkProblemPage({ kind: 'cancelled', view }, l, { url: request.url, secretariat }));
    if (view.lastSubmission && !OPEN_TASK_STATES.has(view.state))
      return htmlReply(reply, 200, submittedPage(view, l, { url: request.url }));
    return htmlReply(reply, 410, linkProblemPage({ kind: 'closed', view }, l, { url: request.url, secretariat }));
  });

  // The link is resolved before the body is read: a link that leads nowhere gets its page
  // without its body ever being parsed, and a current one gives the template whose fields
  // alone the form may carry.
  const resolvePostedLink = async (request: FastifyRequest, reply: FastifyReply) => {
    const { token } = request.params as { token: string };
    const l = lang((request.query ?? {}) as { lang?: string });
    try {
      const { task } = await resolveHolder(request.em.fork(), token);
      request.postedLink = { kind: 'current', template: task.cycle.template.definition };
    } catch (error) {
      if (!(error instanceof LinkError)) throw error;
      const replaced = await findReplacedLink(request.em.fork(), token, app.now());
      if (!replaced) return linkFailure(reply, error, token, request.url, l);
      request.postedLink = { kind: 'replaced', replaced };
    }
  };

  app.post(
    '/r/:token',
    {
      schema: { hide: true, params: Params, querystring: Query, body: FormBody },
      // The link is resolved before the body is read: a link that leads nowhere gets its page
      // without its body ever being parsed, and a current one gives the template whose fields
      // alone the form may carry.
      onRequest: resolvePostedLink,
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

      /** An action that changes something and answers with the form and a notice, or with its refusal. */
      const act = async (field: string, run: () => Promise<string>) => {
        try {
          return await formPage(reply, token, url, l, { notice: await run() });
        } catch (error) {
          if (!(error instanceof DomainError) || error instanceof LinkError) throw error;
          const errors = [{ field: error.field ?? field, message: error.textIn(l) }];
          return formPage(reply, token, url, l, { errors }, statusOf(error));
        }
      };
      const text = (name: string): string => (typeof request.body[name] === 'string' ? request.body[name] : '');

      if (action === 'send_back') {
        const unit = text('unit');
        const reason = text('reason').trim();
        return act('reason', async () => {
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
          return l === 'vi'
            ? `Đã trả lại báo cáo của đơn vị ${unit}; đơn vị chỉnh sửa trước ${formatShort(deadline, l)}.`
            : `The report of unit ${unit} was sent back; it is due again by ${formatShort(deadline, l)}.`;
        });
      }
      if (action === 'from_previous')
        return act('report', async () => {
          const { fromPeriod } = await startFromPrevious(request.em, token, { origin: request.ip, now: app.now() });
          return l === 'vi'
            ? `Đã điền sẵn nội dung báo cáo kỳ ${fromPeriod}. Hãy cập nhật cho tháng này rồi lưu nháp hoặc nộp.`
            : `The form now holds the answers of ${fromPeriod}. Update them for this month, then save or submit.`;
        });
      if (action === 'draft_link_create') {
        let created: { token: string; holderName: string } | undefined;
        try {
          created = await createDraftLink(request.em, token, request.body.holderName, {
            origin: request.ip,
            now: app.now(),
          });
        } catch (error) {
          if (!(error instanceof DomainError) || error instanceof LinkError) throw error;
          const errors = [{ field: error.field ?? 'holderName', message: error.textIn(l) }];
          return formPage(reply, token, url, l, { errors }, statusOf(error));
        }
        return formPage(reply, token, url, l, {
          newDraftLink: { holderName: created.holderName, url: `${app.config.PUBLIC_URL}/r/${created.token}` },
        });
      }
      if (action === 'draft_link_revoke')
        return act('draftLink', async () => {
          await revokeDraftLink(request.em, token, request.body.draftLink, { origin: request.ip, now: app.now() });
          return l === 'vi' ? 'Đã thu hồi đường liên kết soạn thảo.' : 'The drafting link was withdrawn.';
        });

      const answers = formToAnswers(request.body, posted.template);
      try {
        if (action === 'add_ex' || action === 'add_pr') {
          // Without scripts, "add a row" comes here: the same form, one more empty row, nothing saved.
          const rows = (key: 'rows.ex' | 'rows.pr'): number =>
            Math.min(MAX_EMPTY_ROWS, Math.max(1, Number(request.body[key]) || 1));
          const emptyRows = {
            ex: rows('rows.ex') + (action === 'add_ex' ? 1 : 0),
            pr: rows('rows.pr') + (action === 'add_pr' ? 1 : 0),
          };
          return formPage(reply, token, url, l, { values: answers as never, emptyRows, rowAdded: true });
        }
        if (action === 'draft') {
          const { savedAt } = await saveDraft(request.em, token, answers, request.ip, app.now());
          const notice = `${l === 'vi' ? 'Đã lưu nháp lúc' : 'Draft saved at'} ${formatShort(savedAt, l)}`;
          return formPage(reply, token, url, l, { notice });
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
        if (error instanceof InvalidReportError || error instanceof ConflictError || error instanceof ForbiddenError) {
          const errors =
            error instanceof InvalidReportError ? error.errors : [{ field: 'report', message: error.textIn(l) }];
          return formPage(reply, token, url, l, { errors, values: answers as never }, statusOf(error));
        }
        return linkFailure(reply, error, token, url, l);
      }
    },
  );

  /**
   * The form saving itself (report-form.js): the same fields as the form, answered in JSON with
   * when and by whom the draft was saved, or which fields keep it from being saved. A draft-only
   * link saves here too.
   */
  app.post(
    '/r/:token/draft',
    { schema: { hide: true, params: Params, querystring: Query, body: FormBody }, onRequest: resolvePostedLink },
    async (request, reply) => {
      const l = lang(request.query);
      const posted = request.postedLink!;
      const json = (status: number, body: unknown) =>
        reply.status(status).headers({ 'cache-control': 'no-store' }).send(body);
      if (posted.kind === 'replaced')
        return json(404, {
          code: 'link_unknown',
          message: new LinkError({ code: 'link_unknown', params: {} }, 'unknown').textIn(l),
        });
      try {
        const answers = formToAnswers(request.body, posted.template);
        const { savedAt, savedBy } = await saveDraft(request.em, request.params.token, answers, request.ip, app.now(), {
          autosave: true,
        });
        return json(200, {
          savedAt,
          savedBy,
          text: `${l === 'vi' ? 'Đã lưu lúc' : 'Saved at'} ${formatTime(savedAt, l)}`,
        });
      } catch (error) {
        if (error instanceof InvalidReportError)
          return json(400, {
            code: 'invalid_report',
            errors: error.errors.map((e) => ({
              field: e.field,
              label: fieldLabel(e.field, posted.template, l),
              message: fieldMessage(e.message, l),
            })),
          });
        if (error instanceof DomainError)
          return json(statusOf(error), { code: error.refusal.code, field: error.field, message: error.textIn(l) });
        throw error;
      }
    },
  );
};
