/** Periodic summaries in the console: choose a campaign and a window; read and download the summary. */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../../../domain/errors';
import { parsePeriod } from '../../../domain/period';
import { parseWindow, windowLabel } from '../../../domain/summary-window';
import { refusalText } from '../../../domain/refusals';
import { sendDownload } from '../../http/downloads';
import { Code, SummaryParams } from '../../http/request-schemas';
import { userActor } from '../../services/admin-common';
import { listCampaigns } from '../../services/admin-campaigns.service';
import { findSummarySchedule, runCutOff, setSummarySchedule } from '../../services/summary-schedule.service';
import {
  campaignRef,
  campaignSummary,
  freezeSummary,
  recordSummaryDownload,
  unitSummary,
} from '../../services/summary.service';
import { summarySchedulePage, summarySchedulePath } from '../pages/summary-schedule.page';
import { summariesIndexPage, summaryPage, summaryPath, unitSummaryPage } from '../pages/summaries.page';
import { SUMMARY_FILE_PATTERN, summarySheets, unitSummarySheets } from '../services/summary-tables';
import { csv, xlsx, type Sheet } from '../services/xlsx';
import { href } from '../pages/layout';
import { actionError } from './admin.routes';
import { field, requireUser, sendPage } from './context';

const READERS = ['admin', 'council', 'auditor'] as const;
const PAGE_SIZE = 100;
const Lang = Type.Optional(Type.String({ maxLength: 5 }));
const File = Type.String({ pattern: SUMMARY_FILE_PATTERN, description: 'e.g. units.csv or summary.xlsx' });

export const summaryPages: FastifyPluginAsyncTypebox = async (app) => {
  /**
   * `file` of a summary's tables (`units.csv`: one table; `summary.xlsx`: every table), audited as
   * `summary.downloaded`, then sent; 404 when the summary has no such table.
   */
  const sendTable = async (
    request: FastifyRequest,
    reply: FastifyReply,
    what: { campaign: string; window: string; node?: string | undefined; unit?: string | undefined; file: string },
    sheets: Readonly<Record<string, Sheet>>,
    title: string,
    stem: string,
  ) => {
    const user = requireUser(request);
    const [table, ext] = what.file.split('.') as [string, 'csv' | 'xlsx'];
    const sheet = sheets[table];
    if (ext === 'csv' && !sheet) return reply.callNotFound();
    const bytes = ext === 'xlsx' ? await xlsx(Object.values(sheets), { title }) : Buffer.from(csv(sheet!.rows), 'utf8');
    await recordSummaryDownload(request.em, userActor(user, request.ip), what, bytes, app.now());
    return sendDownload(reply, {
      filename: `${stem}${ext === 'csv' ? `-${table}` : ''}.${ext}`.replace(/[^A-Za-z0-9._-]/g, '-'),
      contentType:
        ext === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      bytes,
    });
  };

  app.get(
    '/console/summaries',
    {
      config: { consoleRoles: READERS },
      schema: {
        hide: true,
        querystring: Type.Object({
          campaign: Type.Optional(Code),
          window: Type.Optional(Type.String({ maxLength: 30 })),
          from: Type.Optional(Type.String({ maxLength: 7 })),
          to: Type.Optional(Type.String({ maxLength: 7 })),
          lang: Lang,
        }),
      },
    },
    async (request, reply) => {
      const { view, scopes } = requireUser(request);
      const { campaign, window, from, to } = request.query;
      let error: string | null = null;
      if (campaign) {
        const a = from ? parsePeriod(from) : undefined;
        const b = to ? parsePeriod(to) : undefined;
        const code = a && b ? `${a}..${b}` : (window ?? '');
        if (parseWindow(code)) return reply.redirect(summaryPath(campaign, code), 303);
        error = refusalText({ code: 'summary_window_invalid', params: { window: code } }, view.lang);
      }
      const campaigns = (await listCampaigns(request.em, scopes)).map((c) => ({ code: c.code, name: c.name }));
      return sendPage(
        reply,
        summariesIndexPage(view, campaigns, Number(app.now().toISOString().slice(0, 4)), error),
        error ? 400 : 200,
      );
    },
  );

  const CampaignParams = Type.Object({ campaign: Code });
  const scheduleDeps = (request: FastifyRequest, user: ReturnType<typeof requireUser>) => ({
    em: request.em,
    temporal: app.temporal,
    taskQueue: app.config.TEMPORAL_TASK_QUEUE,
    actor: userActor(user, request.ip),
    now: app.now(),
  });
  const renderSchedule = async (
    request: FastifyRequest<{ Params: { campaign: string } }>,
    reply: FastifyReply,
    opts: { notice?: string | null; error?: string; status?: number; ran?: { window: string; started: boolean }[] },
  ) => {
    const { view } = requireUser(request);
    const campaign = await campaignRef(request.em, request.params.campaign);
    const schedule = await findSummarySchedule(request.em, app.temporal, campaign.code);
    const page = summarySchedulePage(view, campaign, schedule, { year: app.now().getUTCFullYear(), ...opts });
    return sendPage(reply, page, opts.status);
  };

  app.get(
    '/console/summaries/:campaign/schedule',
    {
      config: { consoleRoles: READERS },
      schema: {
        hide: true,
        params: CampaignParams,
        querystring: Type.Object({ ok: Type.Optional(Type.String({ maxLength: 20 })), lang: Lang }),
      },
    },
    async (request, reply) => {
      const vi = requireUser(request).view.lang === 'vi';
      return renderSchedule(request, reply, {
        notice: request.query.ok === 'set' ? (vi ? 'Đã lưu lịch chốt số liệu.' : 'The schedule is saved.') : null,
      });
    },
  );

  app.post(
    '/console/summaries/:campaign/schedule',
    { config: { consoleRoles: ['admin'] }, schema: { hide: true, params: CampaignParams } },
    async (request, reply) => {
      const user = requireUser(request);
      const paused = field(request.body, 'paused');
      const reason = field(request.body, 'reason');
      try {
        if (paused !== 'true' && paused !== 'false')
          throw new ValidationError(
            { code: 'field_invalid', params: { field: 'paused', problem: 'true or false' } },
            'paused',
          );
        if (reason.length < 3 || reason.length > 500)
          throw new ValidationError(
            { code: 'field_invalid', params: { field: 'reason', problem: '3 to 500 characters' } },
            'reason',
          );
        await setSummarySchedule(scheduleDeps(request, user), request.params.campaign, {
          paused: paused === 'true',
          reason,
        });
      } catch (error) {
        const { status, message } = actionError(user.view.lang, error);
        return renderSchedule(request, reply, { error: message, status });
      }
      return reply.redirect(href(summarySchedulePath(request.params.campaign), { ok: 'set' }), 303);
    },
  );

  app.post(
    '/console/summaries/:campaign/schedule/cut-offs',
    { config: { consoleRoles: ['admin'] }, schema: { hide: true, params: CampaignParams } },
    async (request, reply) => {
      const user = requireUser(request);
      try {
        const result = await runCutOff(
          scheduleDeps(request, user),
          request.params.campaign,
          field(request.body, 'cutOff'),
        );
        return renderSchedule(request, reply, { ran: result.windows });
      } catch (error) {
        const { status, message } = actionError(user.view.lang, error);
        return renderSchedule(request, reply, { error: message, status });
      }
    },
  );

  app.get(
    '/console/summaries/:campaign/:window',
    {
      config: { consoleRoles: READERS },
      schema: {
        hide: true,
        params: SummaryParams,
        querystring: Type.Object({
          node: Type.Optional(Code),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
          ok: Type.Optional(Type.String({ maxLength: 20 })),
          lang: Lang,
        }),
      },
    },
    async (request, reply) => {
      const { view } = requireUser(request);
      const { campaign, summary, frozen } = await campaignSummary(
        request.em,
        request.params.campaign,
        request.params.window,
        { node: request.query.node },
      );
      const notice =
        request.query.ok === 'frozen'
          ? view.lang === 'vi'
            ? 'Đã chốt bản tổng hợp.'
            : 'The summary is frozen.'
          : null;
      return sendPage(
        reply,
        summaryPage(view, campaign, summary, { page: request.query.page ?? 1, pageSize: PAGE_SIZE, frozen, notice }),
      );
    },
  );

  app.post(
    '/console/summaries/:campaign/:window/freeze',
    { config: { consoleRoles: ['admin'] }, schema: { hide: true, params: SummaryParams } },
    async (request, reply) => {
      const user = requireUser(request);
      await freezeSummary(
        {
          em: request.em,
          temporal: app.temporal,
          taskQueue: app.config.TEMPORAL_TASK_QUEUE,
          actor: userActor(user, request.ip),
          now: app.now(),
        },
        request.params.campaign,
        request.params.window,
      );
      return reply.redirect(href(summaryPath(request.params.campaign, request.params.window), { ok: 'frozen' }), 303);
    },
  );

  app.get(
    '/console/summaries/:campaign/:window/units/:unit',
    {
      config: { consoleRoles: READERS },
      schema: {
        hide: true,
        params: Type.Object({ ...SummaryParams.properties, unit: Code }),
        querystring: Type.Object({ lang: Lang }),
      },
    },
    async (request, reply) => {
      const { view } = requireUser(request);
      const { campaign, summary } = await unitSummary(
        request.em,
        request.params.campaign,
        request.params.window,
        request.params.unit,
      );
      return sendPage(reply, unitSummaryPage(view, campaign, summary));
    },
  );

  app.get(
    '/console/summaries/:campaign/:window/tables/:file',
    {
      config: { consoleRoles: READERS },
      schema: {
        hide: true,
        params: Type.Object({ ...SummaryParams.properties, file: File }),
        querystring: Type.Object({ node: Type.Optional(Code), lang: Lang }),
      },
    },
    async (request, reply) => {
      const { lang } = requireUser(request).view;
      const { campaign: c, window: w, file } = request.params;
      const { campaign, summary } = await campaignSummary(request.em, c, w, { node: request.query.node });
      return sendTable(
        request,
        reply,
        { campaign: c, window: w, node: request.query.node, file },
        summarySheets(summary, lang),
        `${campaign.name} — ${windowLabel(summary.window, lang)}`,
        `tong-hop-${campaign.code}-${summary.window.code}${summary.node ? `-${summary.node.unitCode}` : ''}`,
      );
    },
  );

  app.get(
    '/console/summaries/:campaign/:window/units/:unit/tables/:file',
    {
      config: { consoleRoles: READERS },
      schema: {
        hide: true,
        params: Type.Object({ ...SummaryParams.properties, unit: Code, file: File }),
        querystring: Type.Object({ lang: Lang }),
      },
    },
    async (request, reply) => {
      const { lang } = requireUser(request).view;
      const { campaign: c, window: w, unit, file } = request.params;
      const { campaign, summary } = await unitSummary(request.em, c, w, unit);
      return sendTable(
        request,
        reply,
        { campaign: c, window: w, unit, file },
        unitSummarySheets(summary, lang),
        `${summary.unitName} — ${windowLabel(summary.window, lang)}`,
        `tong-hop-${campaign.code}-${summary.window.code}-${summary.unitCode}`,
      );
    },
  );
};
