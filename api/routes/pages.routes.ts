import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { LinkError, ConflictError } from '../../domain/errors';
import type { Locale } from '../../domain/template';
import { InvalidReportError } from '../errors';
import { formToAnswers } from '../pages/form-body';
import { linkErrorPage, receiptPage, reportFormPage } from '../pages/report-form.page';
import { readTask, saveDraft, submitReport } from '../services/unit-task.service';

const Params = Type.Object({ token: Type.String({ maxLength: 200 }) });
const Query = Type.Object({ lang: Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')])) });

/** The pages behind the emailed link: the form, draft saving, submission and the receipt. */
export const pageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const lang = (q: { lang?: Locale }): Locale => q.lang ?? (app.config.DEFAULT_LOCALE as Locale);
  const htmlReply = (reply: FastifyReply, status: number, body: string) =>
    reply.status(status).header('content-type', 'text/html; charset=utf-8').header('referrer-policy', 'no-referrer').header('cache-control', 'no-store').send(body);

  const failPage = (reply: FastifyReply, error: unknown, l: Locale) => {
    if (error instanceof LinkError) return htmlReply(reply, error.reason === 'unknown' ? 404 : 410, linkErrorPage(error.message, l));
    throw error;
  };

  app.get('/r/:token', { schema: { hide: true, params: Params, querystring: Query } }, async (request, reply) => {
    const l = lang(request.query);
    try {
      const view = await readTask(request.em, request.params.token, app.now());
      return htmlReply(reply, 200, reportFormPage(view, l, { action: request.url }));
    } catch (error) {
      return failPage(reply, error, l);
    }
  });

  app.post('/r/:token', {
    schema: { hide: true, params: Params, querystring: Query, body: Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 20_000 }), Type.Array(Type.String({ maxLength: 20_000 }), { maxItems: 5 })])) },
  }, async (request, reply) => {
    const l = lang(request.query);
    const { token } = request.params;
    const answers = formToAnswers(request.body);
    const isDraft = request.body.action === 'draft';
    try {
      if (isDraft) {
        const { savedAt } = await saveDraft(request.em, token, answers, request.ip, app.now());
        const view = await readTask(request.em.fork(), token, app.now());
        const notice = `${l === 'vi' ? 'Đã lưu nháp lúc' : 'Draft saved at'} ${new Date(savedAt).toLocaleString(l === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh' })}`;
        return htmlReply(reply, 200, reportFormPage(view, l, { action: request.url, notice }));
      }
      const { receipt, workflowId } = await submitReport(request.em, token, answers, request.ip, app.now());
      await app.notifySubmitted(workflowId);
      return htmlReply(reply, 201, receiptPage(receipt, l));
    } catch (error) {
      if (error instanceof InvalidReportError || error instanceof ConflictError) {
        const view = await readTask(request.em.fork(), token, app.now());
        const errors = error instanceof InvalidReportError ? error.errors : [{ field: 'report', message: error.message }];
        return htmlReply(reply, error instanceof InvalidReportError ? 400 : 409, reportFormPage(view, l, { action: request.url, errors, values: answers as never }));
      }
      return failPage(reply, error, l);
    }
  });
};
