/**
 * Emulation blocs in the console: list and create a campaign's blocs, edit a bloc's units and
 * scoring table, read its ranking over a window with the breakdown, score by hand, freeze and
 * download. Forms without JavaScript; every change goes through api/services/scoring.service.ts
 * (validation naming the field, audit with before/after), as the JSON API does.
 */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../../../domain/errors';
import { MAX_CRITERIA, type Criterion, type CriterionKind } from '../../../domain/scoring';
import { parseNumber } from '../../http/form-body';
import { sendDownload } from '../../http/downloads';
import { Code, SummaryWindowParam } from '../../http/request-schemas';
import { userActor, type AdminContext } from '../../services/admin-common';
import { getCampaign, listCampaigns } from '../../services/admin-campaigns.service';
import { listUnits } from '../../services/admin-units.service';
import {
  blocRanking,
  createBloc,
  freezeRanking,
  getBloc,
  listBlocs,
  recordRankingDownload,
  setHandScore,
  setScoringTable,
  updateBloc,
} from '../../services/scoring.service';
import {
  blocPage,
  blocPath,
  blocsIndexPage,
  blocsPage,
  blocsPath,
  rankingPage,
  rankingPath,
  rowsOf,
  type CriterionRow,
} from '../pages/blocs.page';
import { href } from '../pages/layout';
import { RANKING_FILE_PATTERN, rankingSheets } from '../services/ranking-tables';
import { csv, xlsx } from '../services/xlsx';
import { actionError } from './admin.routes';
import { field, fields, requireUser, sendPage } from './context';

const READERS = ['admin', 'council', 'auditor'] as const;
const ADMIN = ['admin'] as const;
const SCORERS = ['admin', 'council'] as const;
const Lang = Type.Optional(Type.String({ maxLength: 5 }));
const Query = Type.Object({ ok: Type.Optional(Type.String({ maxLength: 20 })), lang: Lang });
const CampaignParams = Type.Object({ campaign: Code });
const BlocParams = Type.Object({ campaign: Code, bloc: Code });
const RankingParams = Type.Object({ ...BlocParams.properties, window: SummaryWindowParam });

const NOTICES = {
  vi: { saved: 'Đã lưu.', created: 'Đã tạo khối thi đua.', scored: 'Đã ghi điểm.', frozen: 'Đã chốt bảng xếp hạng.' },
  en: {
    saved: 'Saved.',
    created: 'The bloc is created.',
    scored: 'The points are recorded.',
    frozen: 'The ranking is frozen.',
  },
} as const;
type Notice = keyof (typeof NOTICES)['vi'];
const noticeOf = (lang: 'vi' | 'en', ok: string | undefined): string | null =>
  ok && Object.hasOwn(NOTICES[lang], ok) ? NOTICES[lang][ok as Notice] : null;

/** The scoring table as typed in the editor's rows `c<i>.<field>`. */
function criterionRows(body: unknown): CriterionRow[] {
  const rows: CriterionRow[] = [];
  for (let i = 0; i <= MAX_CRITERIA; i += 1) {
    const present = (body as Record<string, unknown> | null)?.[`c${i}.code`];
    if (present === undefined) break;
    rows.push({
      code: field(body, `c${i}.code`),
      vi: field(body, `c${i}.vi`),
      en: field(body, `c${i}.en`),
      weight: field(body, `c${i}.weight`),
      kind: field(body, `c${i}.kind`),
    });
  }
  return rows;
}

const criteriaOf = (rows: readonly CriterionRow[]): Criterion[] =>
  rows.map((r) => ({
    code: r.code,
    label: { vi: r.vi, en: r.en },
    weight: /^\d{1,6}$/.test(r.weight) ? Number(r.weight) : NaN,
    kind: r.kind as CriterionKind,
  }));

/** The rows after a move or removal (`up:2`, `down:0`, `remove:1`); unchanged for any other action. */
function edited(rows: readonly CriterionRow[], action: string): CriterionRow[] {
  const [verb, at] = action.split(':');
  const i = Number(at);
  const next = [...rows];
  if (!Number.isInteger(i) || i < 0 || i >= rows.length) return next;
  if (verb === 'remove') next.splice(i, 1);
  const j = verb === 'up' ? i - 1 : verb === 'down' ? i + 1 : -1;
  if (j >= 0 && j < rows.length) [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

export const blocPages: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = (request: FastifyRequest): AdminContext => {
    const user = requireUser(request);
    return { em: request.em, actor: userActor(user, request.ip), now: app.now(), scopes: user.scopes };
  };
  const failed = (request: FastifyRequest, error: unknown) => actionError(requireUser(request).view.lang, error);
  const unitsOf = async (request: FastifyRequest) =>
    (await listUnits(request.em, { active: true, scopes: requireUser(request).scopes })).map((u) => ({
      code: u.code,
      name: u.name,
    }));

  app.get(
    '/console/blocs',
    { config: { consoleRoles: READERS, listInScope: true }, schema: { hide: true, querystring: Query } },
    async (request, reply) => {
      const { view, scopes } = requireUser(request);
      const campaigns = (await listCampaigns(request.em, scopes)).map((c) => ({ code: c.code, name: c.name }));
      return sendPage(reply, blocsIndexPage(view, campaigns));
    },
  );

  const renderBlocs = async (
    request: FastifyRequest<{ Params: { campaign: string } }>,
    reply: FastifyReply,
    extra: { error?: string | null; ok?: string | null },
    status = 200,
  ) => {
    const { view, role } = requireUser(request);
    const blocs = await listBlocs(request.em, request.params.campaign);
    const campaign = await getCampaign(request.em, request.params.campaign);
    return sendPage(
      reply,
      blocsPage(view, { code: campaign.code, name: campaign.name }, blocs, {
        units: role === 'admin' ? await unitsOf(request) : [],
        canEdit: role === 'admin',
        year: Number(app.now().toISOString().slice(0, 4)),
        ...extra,
      }),
      status,
    );
  };

  app.get(
    '/console/blocs/:campaign',
    { config: { consoleRoles: READERS }, schema: { hide: true, params: CampaignParams, querystring: Query } },
    async (request, reply) =>
      renderBlocs(request, reply, { ok: noticeOf(requireUser(request).view.lang, request.query.ok) }),
  );

  app.post(
    '/console/blocs/:campaign',
    { config: { consoleRoles: ADMIN }, schema: { hide: true, params: CampaignParams } },
    async (request, reply) => {
      const year = field(request.body, 'year');
      try {
        await createBloc(ctx(request), request.params.campaign, {
          code: field(request.body, 'code'),
          name: field(request.body, 'name'),
          year: /^\d{4}$/.test(year) ? Number(year) : NaN,
          unitCodes: fields(request.body, 'unitCodes'),
        });
      } catch (error) {
        const { status, message } = failed(request, error);
        return renderBlocs(request, reply, { error: message }, status);
      }
      return reply.redirect(href(blocsPath(request.params.campaign), { ok: 'created' }), 303);
    },
  );

  const renderBloc = async (
    request: FastifyRequest<{ Params: { campaign: string; bloc: string } }>,
    reply: FastifyReply,
    extra: { rows?: CriterionRow[]; error?: string | null; ok?: string | null },
    status = 200,
  ) => {
    const { view, role } = requireUser(request);
    const bloc = await getBloc(request.em, request.params.campaign, request.params.bloc);
    return sendPage(
      reply,
      blocPage(view, bloc, {
        units: role === 'admin' ? await unitsOf(request) : [],
        rows: extra.rows ?? rowsOf(bloc.criteria),
        canEdit: role === 'admin',
        error: extra.error ?? null,
        ok: extra.ok ?? null,
      }),
      status,
    );
  };

  app.get(
    '/console/blocs/:campaign/:bloc',
    { config: { consoleRoles: READERS }, schema: { hide: true, params: BlocParams, querystring: Query } },
    async (request, reply) =>
      renderBloc(request, reply, { ok: noticeOf(requireUser(request).view.lang, request.query.ok) }),
  );

  app.post(
    '/console/blocs/:campaign/:bloc',
    { config: { consoleRoles: ADMIN }, schema: { hide: true, params: BlocParams } },
    async (request, reply) => {
      try {
        await updateBloc(ctx(request), request.params.campaign, request.params.bloc, {
          name: field(request.body, 'name'),
          unitCodes: fields(request.body, 'unitCodes'),
        });
      } catch (error) {
        const { status, message } = failed(request, error);
        return renderBloc(request, reply, { error: message }, status);
      }
      return reply.redirect(href(blocPath(request.params.campaign, request.params.bloc), { ok: 'saved' }), 303);
    },
  );

  app.post(
    '/console/blocs/:campaign/:bloc/scoring-table',
    { config: { consoleRoles: ADMIN }, schema: { hide: true, params: BlocParams } },
    async (request, reply) => {
      const action = field(request.body, 'action') || 'save';
      const typed = criterionRows(request.body);
      if (action === 'add')
        return renderBloc(request, reply, {
          rows: [...typed, { code: '', vi: '', en: '', weight: '', kind: 'completeness' }],
        });
      const rows = edited(typed, action);
      try {
        await setScoringTable(ctx(request), request.params.campaign, request.params.bloc, criteriaOf(rows));
      } catch (error) {
        const { status, message } = failed(request, error);
        return renderBloc(request, reply, { rows, error: message }, status);
      }
      return reply.redirect(href(blocPath(request.params.campaign, request.params.bloc), { ok: 'saved' }), 303);
    },
  );

  const renderRanking = async (
    request: FastifyRequest<{ Params: { campaign: string; bloc: string; window: string } }>,
    reply: FastifyReply,
    extra: { error?: string | null; ok?: string | null },
    status = 200,
  ) => {
    const { view, role } = requireUser(request);
    const { campaign, bloc, window } = request.params;
    const ranking = await blocRanking(request.em, campaign, bloc, window);
    return sendPage(
      reply,
      rankingPage(view, ranking, {
        canScore: (SCORERS as readonly string[]).includes(role),
        canFreeze: role === 'admin',
        ...extra,
      }),
      status,
    );
  };

  app.get(
    '/console/blocs/:campaign/:bloc/rankings/:window',
    { config: { consoleRoles: READERS }, schema: { hide: true, params: RankingParams, querystring: Query } },
    async (request, reply) =>
      renderRanking(request, reply, { ok: noticeOf(requireUser(request).view.lang, request.query.ok) }),
  );

  app.post(
    '/console/blocs/:campaign/:bloc/rankings/:window/hand-scores',
    { config: { consoleRoles: SCORERS }, schema: { hide: true, params: RankingParams } },
    async (request, reply) => {
      const { campaign, bloc, window } = request.params;
      try {
        const points = parseNumber(field(request.body, 'points'));
        if (typeof points !== 'number')
          throw new ValidationError(
            { code: 'field_invalid', params: { field: 'points', problem: 'must be a number' } },
            'points',
          );
        await setHandScore(ctx(request), campaign, bloc, window, {
          unitCode: field(request.body, 'unitCode'),
          criterionCode: field(request.body, 'criterionCode'),
          points,
          reason: field(request.body, 'reason'),
        });
      } catch (error) {
        const { status, message } = failed(request, error);
        return renderRanking(request, reply, { error: message }, status);
      }
      return reply.redirect(href(rankingPath(campaign, bloc, window), { ok: 'scored' }), 303);
    },
  );

  app.post(
    '/console/blocs/:campaign/:bloc/rankings/:window/freeze',
    { config: { consoleRoles: ADMIN }, schema: { hide: true, params: RankingParams } },
    async (request, reply) => {
      const { campaign, bloc, window } = request.params;
      try {
        await freezeRanking(ctx(request), campaign, bloc, window);
      } catch (error) {
        const { status, message } = failed(request, error);
        return renderRanking(request, reply, { error: message }, status);
      }
      return reply.redirect(href(rankingPath(campaign, bloc, window), { ok: 'frozen' }), 303);
    },
  );

  app.get(
    '/console/blocs/:campaign/:bloc/rankings/:window/tables/:file',
    {
      config: { consoleRoles: READERS },
      schema: {
        hide: true,
        params: Type.Object({ ...RankingParams.properties, file: Type.String({ pattern: RANKING_FILE_PATTERN }) }),
        querystring: Type.Object({ lang: Lang }),
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { campaign, bloc, window, file } = request.params;
      const ranking = await blocRanking(request.em, campaign, bloc, window);
      const sheets = rankingSheets(ranking, user.view.lang);
      const [table, ext] = file.split('.') as ['ranking' | 'breakdown', 'csv' | 'xlsx'];
      const bytes =
        ext === 'xlsx'
          ? await xlsx(Object.values(sheets), { title: `${ranking.bloc.name} — ${ranking.window.code}` })
          : Buffer.from(csv(sheets[table].rows), 'utf8');
      await recordRankingDownload(
        request.em,
        userActor(user, request.ip),
        { campaign, bloc, window, file },
        bytes,
        app.now(),
      );
      return sendDownload(reply, {
        filename:
          `xep-hang-${campaign}-${bloc}-${ranking.window.code}${ext === 'csv' ? `-${table}` : ''}.${ext}`.replace(
            /[^A-Za-z0-9._-]/g,
            '-',
          ),
        contentType:
          ext === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        bytes,
      });
    },
  );
};
