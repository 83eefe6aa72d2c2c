/** The administrator's console: cycles and their status board, campaigns and schedules, policies, templates. */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { DomainError } from '../../../domain/errors';
import { TASK_STATES, type TaskState } from '../../../domain/states';
import { statusOf } from '../../http/errors';
import { boardPage, boardPath, cyclesPage } from '../pages/cycles.page';
import { href, type ConsoleView } from '../pages/layout';
import { campaignPage, campaignsPage, policiesPage, templatesPage } from '../pages/reference.page';
import { TIME_ZONE, formatShort, type Locale } from '../../pages/i18n';
import { getCampaign, listCampaigns, updateCampaign } from '../../services/admin-campaigns.service';
import { userActor } from '../../services/admin-common';
import { listHolidays } from '../../services/admin-holidays.service';
import { listPolicies } from '../../services/admin-policies.service';
import { getLatestTemplate, listTemplates } from '../../services/admin-templates.service';
import { campaignChoices, cycleBoard, listCycles } from '../services/cycles.service';
import {
  cancelCycle,
  closeCollection,
  extendUnit,
  resendUnitLink,
  startCycle,
  type ActionDeps,
} from '../../services/cycle-actions.service';
import { cycleRowWritten } from '../../services/cycles.service';
import { Code, CycleParams } from '../../http/request-schemas';
import { findSchedule, steerSchedule, type ScheduleVerb } from '../../services/schedule.service';
import { field, requireUser, safeNext, sendPage } from './context';

const ADMIN = ['admin'] as const;
const PAGE_SIZE = 50;
const PageQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  ok: Type.Optional(Type.String({ maxLength: 40 })),
  unit: Type.Optional(Type.String({ maxLength: 64 })),
  until: Type.Optional(Type.String({ maxLength: 40 })),
  lang: Type.Optional(Type.String({ maxLength: 5 })),
});

/** Messages after an action succeeded (the page it redirects to shows them). */
function okMessage(lang: Locale, ok: string | undefined, q: { unit?: string; until?: string }): string | null {
  const vi = lang === 'vi';
  const unit = q.unit ?? '';
  const until = q.until && !Number.isNaN(Date.parse(q.until)) ? formatShort(q.until, lang) : '';
  switch (ok) {
    case 'started':
      return vi
        ? 'Đã bắt đầu kỳ báo cáo; thư đang được gửi tới các đơn vị.'
        : 'The cycle has started; emails are on their way to the units.';
    case 'extended':
      return vi ? `Đã gia hạn cho đơn vị ${unit} đến ${until}.` : `Unit ${unit}'s deadline is now ${until}.`;
    case 'resent':
      return vi
        ? `Đã gửi lại đường liên kết mới cho đơn vị ${unit}; đường liên kết cũ hết hiệu lực.`
        : `A new link was sent to unit ${unit}; the old one no longer works.`;
    case 'collection-closed':
      return vi
        ? 'Đã kết thúc thu nhận báo cáo: các đơn vị chưa nộp được ghi là không nộp; hệ thống đang tổng hợp.'
        : 'Collection has ended: units that had not reported are recorded as not submitted; consolidation is under way.';
    case 'cancelled':
      return vi ? 'Đã yêu cầu hủy kỳ báo cáo.' : 'The cycle is being cancelled.';
    case 'documents':
      return vi ? 'Đã lưu thiết lập văn bản.' : 'The document settings are saved.';
    case 'pause':
      return vi ? 'Đã tạm dừng lịch.' : 'The schedule is paused.';
    case 'unpause':
      return vi ? 'Lịch đã chạy lại.' : 'The schedule runs again.';
    case 'trigger':
      return vi ? 'Đã cho lịch chạy một lần.' : 'The schedule was triggered once.';
    default:
      return null;
  }
}

/** A failed action in the reader's words: a lead, then the refusal. */
export function actionError(lang: Locale, error: unknown): { status: number; message: string } {
  if (!(error instanceof DomainError)) throw error;
  return {
    status: statusOf(error),
    message: `${lang === 'vi' ? 'Không thực hiện được' : 'Could not do this'}: ${error.textIn(lang)}`,
  };
}

const reasonProblem = (lang: Locale, reason: string): string | null =>
  reason.length >= 3 && reason.length <= 1000
    ? null
    : lang === 'vi'
      ? 'Hãy ghi lý do (từ 3 đến 1000 ký tự).'
      : 'Give a reason (3 to 1000 characters).';

export const currentPeriod = (now: Date): string => DateTime.fromJSDate(now).setZone(TIME_ZONE).toFormat('yyyy-LL');

export const adminPages: FastifyPluginAsyncTypebox = async (app) => {
  const deps = (request: FastifyRequest, user: { name: string }): ActionDeps => ({
    em: request.em,
    temporal: app.temporal,
    config: app.config,
    now: app.now(),
    actor: user.name,
    origin: request.ip,
  });

  const renderCycles = async (
    request: FastifyRequest,
    v: ConsoleView,
    page: number,
    extra: { notice?: string | null; error?: string | null; form?: { campaign?: string; period?: string } } = {},
  ) => {
    const scopes = v.user?.scopes ?? [];
    const { rows, total } = await listCycles(request.em, { page, pageSize: PAGE_SIZE, scopes });
    return cyclesPage(v, {
      rows,
      page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      campaigns: await campaignChoices(request.em, scopes),
      temporalUiLink: app.temporalUiLink,
      defaultPeriod: currentPeriod(app.now()),
      ...extra,
    });
  };

  app.get(
    '/console/cycles',
    { config: { consoleRoles: ADMIN, listInScope: true }, schema: { hide: true, querystring: PageQuery } },
    async (request, reply) => {
      const { view } = requireUser(request);
      return sendPage(
        reply,
        await renderCycles(request, view, request.query.page ?? 1, {
          notice: okMessage(view.lang, request.query.ok, request.query),
        }),
      );
    },
  );

  app.post('/console/cycles', { config: { consoleRoles: ADMIN }, schema: { hide: true } }, async (request, reply) => {
    const user = requireUser(request);
    const campaign = field(request.body, 'campaign');
    const period = field(request.body, 'period');
    let workflowId: string;
    try {
      workflowId = await startCycle(deps(request, user), { campaign, period });
    } catch (error) {
      const { status, message } = actionError(user.view.lang, error);
      return sendPage(
        reply,
        await renderCycles(request, user.view, 1, { error: message, form: { campaign, period } }),
        status,
      );
    }
    // The board the administrator is sent to exists once the workflow's first activity wrote the cycle row.
    const opened = await cycleRowWritten(request.em, workflowId);
    return reply.redirect(href(opened ? boardPath(campaign, period) : '/console/cycles', { ok: 'started' }), 303);
  });

  const BoardQuery = Type.Object({
    ...PageQuery.properties,
    state: Type.Optional(Type.String({ maxLength: 30 })),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    node: Type.Optional(Code),
  });

  const renderBoard = async (
    request: FastifyRequest,
    v: ConsoleView,
    params: { campaign: string; period: string },
    query: { state?: string; q?: string; node?: string; page?: number },
    extra: { notice?: string | null; error?: string | null },
  ) => {
    const state = (TASK_STATES as readonly string[]).includes(query.state ?? '')
      ? (query.state as TaskState)
      : undefined;
    const page = query.page ?? 1;
    const board = await cycleBoard(request.em, params.campaign, params.period, {
      ...(state ? { state } : {}),
      ...(query.q ? { q: query.q } : {}),
      ...(query.node ? { node: query.node } : {}),
      page,
      pageSize: PAGE_SIZE,
    });
    return boardPage(v, board, {
      filter: {
        ...(state ? { state } : {}),
        ...(query.q ? { q: query.q } : {}),
        ...(query.node ? { node: query.node } : {}),
        page,
        pages: Math.max(1, Math.ceil(board.matching / PAGE_SIZE)),
      },
      temporalUiLink: app.temporalUiLink,
      now: app.now(),
      ...extra,
    });
  };

  app.get(
    '/console/cycles/:campaign/:period',
    { config: { consoleRoles: ADMIN }, schema: { hide: true, params: CycleParams, querystring: BoardQuery } },
    async (request, reply) => {
      const { view } = requireUser(request);
      return sendPage(
        reply,
        await renderBoard(request, view, request.params, request.query, {
          notice: okMessage(view.lang, request.query.ok, request.query),
        }),
      );
    },
  );

  /** Back to the board page the form was on (its filters and page), with a message. */
  const backTo = (
    request: FastifyRequest,
    params: { campaign: string; period: string },
    ok: Record<string, string>,
  ): string => {
    const returnTo = safeNext(field(request.body, 'returnTo'));
    const base = returnTo.startsWith(boardPath(params.campaign, params.period))
      ? returnTo
      : boardPath(params.campaign, params.period);
    const [path, query = ''] = base.split('?') as [string, string?];
    const q = new URLSearchParams(query);
    for (const [k, v] of Object.entries(ok)) q.set(k, v);
    return `${path}?${q.toString()}`;
  };

  /** Shows the board again (same filters and page) with what went wrong. */
  const failOnBoard = async (
    request: FastifyRequest,
    reply: FastifyReply,
    v: ConsoleView,
    params: { campaign: string; period: string },
    status: number,
    message: string,
  ) => {
    const returnTo = safeNext(field(request.body, 'returnTo'));
    const query = Object.fromEntries(new URLSearchParams(returnTo.split('?')[1] ?? '')) as {
      state?: string;
      q?: string;
      page?: string;
    };
    const filter = {
      ...(query.state ? { state: query.state } : {}),
      ...(query.q ? { q: query.q } : {}),
      ...(query.page ? { page: Number(query.page) || 1 } : {}),
    };
    return sendPage(reply, await renderBoard(request, v, params, filter, { error: message }), status);
  };

  app.post(
    '/console/cycles/:campaign/:period/units/:unit/extend',
    {
      config: { consoleRoles: ADMIN },
      schema: { hide: true, params: Type.Object({ ...CycleParams.properties, unit: Code }) },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const lang = user.view.lang;
      const { campaign, period, unit } = request.params;
      const reason = field(request.body, 'reason');
      const raw = field(request.body, 'newDeadline');
      const when = DateTime.fromISO(raw, { zone: TIME_ZONE });
      const problem =
        reasonProblem(lang, reason) ??
        (when.isValid
          ? null
          : lang === 'vi'
            ? 'Hãy chọn ngày giờ của hạn mới.'
            : 'Choose the date and time of the new deadline.');
      if (problem) return failOnBoard(request, reply, user.view, request.params, 400, `${unit}: ${problem}`);
      try {
        const { deadline } = await extendUnit(deps(request, user), campaign, period, unit, when.toJSDate(), reason);
        return reply.redirect(backTo(request, request.params, { ok: 'extended', unit, until: deadline }), 303);
      } catch (error) {
        const { status, message } = actionError(lang, error);
        return failOnBoard(request, reply, user.view, request.params, status, `${unit} — ${message}`);
      }
    },
  );

  /**
   * A board action that needs a reason: checks the reason, runs the action, and answers with the
   * board again — where it redirects on success, or the refusal (prefixed with the unit, if any).
   */
  const boardAction = async (
    request: FastifyRequest<{ Params: { campaign: string; period: string } }>,
    reply: FastifyReply,
    unit: string | undefined,
    act: (deps: ActionDeps, reason: string) => Promise<unknown>,
    success: () => string,
  ) => {
    const user = requireUser(request);
    const reason = field(request.body, 'reason');
    const prefix = unit ? `${unit}: ` : '';
    const problem = reasonProblem(user.view.lang, reason);
    if (problem) return failOnBoard(request, reply, user.view, request.params, 400, `${prefix}${problem}`);
    try {
      await act(deps(request, user), reason);
      return reply.redirect(success(), 303);
    } catch (error) {
      const { status, message } = actionError(user.view.lang, error);
      return failOnBoard(request, reply, user.view, request.params, status, `${prefix}${message}`);
    }
  };

  app.post(
    '/console/cycles/:campaign/:period/units/:unit/link',
    {
      config: { consoleRoles: ADMIN },
      schema: { hide: true, params: Type.Object({ ...CycleParams.properties, unit: Code }) },
    },
    async (request, reply) => {
      const { campaign, period, unit } = request.params;
      return boardAction(
        request,
        reply,
        unit,
        (d, reason) => resendUnitLink(d, campaign, period, unit, reason),
        () => backTo(request, request.params, { ok: 'resent', unit }),
      );
    },
  );

  /** The whole-cycle actions of the board, each with a reason. */
  const cycleActions = {
    'close-collection': {
      act: closeCollection,
      then: (request: FastifyRequest, params: { campaign: string; period: string }) =>
        backTo(request, params, { ok: 'collection-closed' }),
    },
    cancel: {
      act: cancelCycle,
      then: (_request: FastifyRequest, params: { campaign: string; period: string }) =>
        href(boardPath(params.campaign, params.period), { ok: 'cancelled' }),
    },
  } as const;
  for (const [verb, { act, then }] of Object.entries(cycleActions)) {
    app.post(
      `/console/cycles/:campaign/:period/${verb}`,
      { config: { consoleRoles: ADMIN }, schema: { hide: true, params: CycleParams } },
      async (request, reply) => {
        const { campaign, period } = request.params;
        return boardAction(
          request,
          reply,
          undefined,
          (d, reason) => act(d, campaign, period, reason),
          () => then(request, request.params),
        );
      },
    );
  }

  app.get(
    '/console/campaigns',
    { config: { consoleRoles: ADMIN, listInScope: true }, schema: { hide: true } },
    async (request, reply) => {
      const { view, scopes } = requireUser(request);
      const campaigns = await listCampaigns(request.em, scopes);
      const rows = await Promise.all(
        campaigns.map(async (campaign) => ({
          campaign,
          schedule: await findSchedule(app.temporal, campaign.code).catch(() => null),
        })),
      );
      return sendPage(reply, campaignsPage(view, rows));
    },
  );

  const renderCampaign = async (
    request: FastifyRequest,
    v: ConsoleView,
    code: string,
    extra: { notice?: string | null; error?: string | null },
  ) => {
    const campaign = await getCampaign(request.em, code);
    const found = await findSchedule(app.temporal, code).then(
      (schedule) => ({ schedule, error: null }),
      (error: unknown) => ({ schedule: null, error: error instanceof Error ? error.message : String(error) }),
    );
    return campaignPage(v, {
      campaign,
      schedule: found.schedule,
      ...(found.error ? { scheduleError: found.error } : {}),
      defaultPeriod: currentPeriod(app.now()),
      ...extra,
    });
  };

  app.get(
    '/console/campaigns/:code',
    {
      config: { consoleRoles: ADMIN },
      schema: { hide: true, params: Type.Object({ code: Code }), querystring: PageQuery },
    },
    async (request, reply) => {
      const { view } = requireUser(request);
      return sendPage(
        reply,
        await renderCampaign(request, view, request.params.code, {
          notice: okMessage(view.lang, request.query.ok, request.query),
        }),
      );
    },
  );

  app.post(
    '/console/campaigns/:code/documents',
    { config: { consoleRoles: ADMIN }, schema: { hide: true, params: Type.Object({ code: Code }) } },
    async (request, reply) => {
      const user = requireUser(request);
      const { code } = request.params;
      const text = (name: string) => {
        const v = (request.body as Record<string, unknown> | null | undefined)?.[name];
        return typeof v === 'string' ? v : '';
      };
      try {
        await updateCampaign({ em: request.em, actor: userActor(user, request.ip), now: app.now() }, code, {
          documentSettings: {
            parentBody: text('parentBody'),
            issuingBody: text('issuingBody'),
            numberPattern: text('numberPattern'),
            signerAuthority: text('signerAuthority'),
            signerPosition: text('signerPosition'),
            signerName: text('signerName'),
            place: text('place'),
            recipients: text('recipients').split(/\r?\n/),
          },
        });
      } catch (error) {
        const { status, message } = actionError(user.view.lang, error);
        return sendPage(reply, await renderCampaign(request, user.view, code, { error: message }), status);
      }
      return reply.redirect(href(`/console/campaigns/${encodeURIComponent(code)}`, { ok: 'documents' }), 303);
    },
  );

  app.post(
    '/console/campaigns/:code/schedule/:verb',
    {
      config: { consoleRoles: ADMIN },
      schema: {
        hide: true,
        params: Type.Object({
          code: Code,
          verb: Type.Union([Type.Literal('pause'), Type.Literal('unpause'), Type.Literal('trigger')]),
        }),
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { code, verb } = request.params;
      const reason = field(request.body, 'reason');
      const problem = reasonProblem(user.view.lang, reason);
      if (problem) return sendPage(reply, await renderCampaign(request, user.view, code, { error: problem }), 400);
      try {
        await steerSchedule(
          {
            em: request.em,
            temporal: app.temporal,
            taskQueue: app.config.TEMPORAL_TASK_QUEUE,
            now: app.now(),
            actor: user.name,
            origin: request.ip,
          },
          code,
          verb as ScheduleVerb,
          reason,
        );
      } catch (error) {
        const { status, message } = actionError(user.view.lang, error);
        return sendPage(reply, await renderCampaign(request, user.view, code, { error: message }), status);
      }
      return reply.redirect(href(`/console/campaigns/${encodeURIComponent(code)}`, { ok: verb }), 303);
    },
  );

  app.get('/console/policies', { config: { consoleRoles: ADMIN }, schema: { hide: true } }, async (request, reply) => {
    const { view } = requireUser(request);
    return sendPage(reply, policiesPage(view, await listPolicies(request.em), await listHolidays(request.em, {})));
  });

  app.get('/console/templates', { config: { consoleRoles: ADMIN }, schema: { hide: true } }, async (request, reply) => {
    const { view } = requireUser(request);
    const list = await listTemplates(request.em);
    const codes = [...new Set(list.map((t) => t.code))];
    const latest = await Promise.all(codes.map((code) => getLatestTemplate(request.em, code)));
    return sendPage(reply, templatesPage(view, list, latest));
  });
};
