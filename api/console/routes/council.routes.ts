/** The council's pages: read a consolidated version, vote on it and on each proposal, download it. */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../../domain/errors';
import { ballotCastSignal } from '../../../workflows/messages';
import { councilListPage, councilPage } from '../pages/council.page';
import { href, type ConsoleView } from '../pages/layout';
import { ballotSealKey, castBallot, type BallotRequest } from '../../services/council.service';
import { findCycle } from '../../services/cycles.service';
import { councilView, reportRows, reportSheets } from '../services/council.service';
import { listCycles } from '../services/cycles.service';
import { csv, xlsx } from '../services/xlsx';
import { DOCUMENT_FILE_PATTERN, cycleDocument } from '../../services/documents.service';
import { sendDownload } from '../../http/downloads';
import { userActor } from '../../services/admin-common';
import { actionError } from './admin.routes';
import { field, fields, requireUser, sendPage } from './context';
import { CycleParams, ProposalParams } from '../../http/request-schemas';

const READERS = ['council', 'admin', 'auditor'] as const;
const COUNCIL = ['council'] as const;
const VersionQuery = Type.Object({
  v: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  ok: Type.Optional(Type.String({ maxLength: 20 })),
  lang: Type.Optional(Type.String({ maxLength: 5 })),
});

export const councilPages: FastifyPluginAsyncTypebox = async (app) => {
  const wake = (workflowId: string): void => app.wake(workflowId, ballotCastSignal);
  const sealKey = ballotSealKey(app.config.LINK_SECRET);
  const base = (p: { campaign: string; period: string }): string =>
    `/console/council/${encodeURIComponent(p.campaign)}/${encodeURIComponent(p.period)}`;

  app.get(
    '/console/council',
    { config: { consoleRoles: READERS, listInScope: true }, schema: { hide: true } },
    async (request, reply) => {
      const { view, scopes } = requireUser(request);
      const { rows } = await listCycles(request.em, {
        page: 1,
        pageSize: 100,
        stages: ['review', 'revision', 'publishing', 'closed', 'consolidating'],
        scopes,
      });
      return sendPage(
        reply,
        councilListPage(
          view,
          [...rows].sort((a, b) => Number(b.stage === 'review') - Number(a.stage === 'review')),
        ),
      );
    },
  );

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    v: ConsoleView,
    params: { campaign: string; period: string },
    version: number | undefined,
    extra: Parameters<typeof councilPage>[3],
    status = 200,
  ) => {
    const user = v.user!;
    const cycle = await findCycle(request.em, params.campaign, params.period);
    const data = await councilView(request.em, cycle, user, version);
    return sendPage(reply, councilPage(v, cycle, data, extra), status);
  };

  app.get(
    '/console/council/:campaign/:period',
    { config: { consoleRoles: READERS }, schema: { hide: true, params: CycleParams, querystring: VersionQuery } },
    async (request, reply) => {
      const { view } = requireUser(request);
      const vi = view.lang === 'vi';
      const notice =
        request.query.ok === 'voted' ? (vi ? 'Đã ghi nhận phiếu của bạn.' : 'Your vote is recorded.') : null;
      return render(request, reply, view, request.params, request.query.v, { notice });
    },
  );

  app.post(
    '/console/council/:campaign/:period/ballot',
    { config: { consoleRoles: COUNCIL }, schema: { hide: true, params: CycleParams } },
    async (request, reply) => {
      const user = requireUser(request);
      const vi = user.view.lang === 'vi';
      const version = Number(field(request.body, 'version'));
      const choice = field(request.body, 'choice');
      const comment = field(request.body, 'comment');
      const unitCodes = [
        ...new Set([
          ...fields(request.body, 'unit'),
          ...field(request.body, 'unitCodes')
            .split(/[\s,;]+/)
            .filter(Boolean),
        ]),
      ];
      const form = { choice, units: unitCodes, comment };
      const fail = (message: string, status = 400) =>
        render(request, reply, user.view, request.params, undefined, { error: message, form }, status);
      let ballot: BallotRequest;
      if (choice === 'approve') {
        ballot = { subject: 'report', version, choice };
      } else if (choice === 'request_revision') {
        if (unitCodes.length === 0)
          return fail(vi ? 'Hãy chọn ít nhất một đơn vị cần chỉnh sửa.' : 'Choose at least one unit to revise.');
        if (comment.length < 3)
          return fail(
            vi
              ? 'Hãy ghi ý kiến cho các đơn vị (ít nhất 3 ký tự).'
              : 'Write a comment for the units (at least 3 characters).',
          );
        ballot = { subject: 'report', version, choice, unitCodes, comment: comment.slice(0, 5000) };
      } else {
        return fail(
          vi ? 'Hãy chọn “Tán thành” hoặc “Đề nghị chỉnh sửa”.' : 'Choose to approve or to ask for a revision.',
        );
      }
      try {
        const cycle = await findCycle(request.em, request.params.campaign, request.params.period);
        const cast = await castBallot(request.em, cycle, user, ballot, request.ip, app.now(), sealKey);
        wake(cast.workflowId);
      } catch (error) {
        const { status, message } = actionError(user.view.lang, error);
        return fail(message, status);
      }
      return reply.redirect(`${href(base(request.params), { ok: 'voted' })}#review`, 303);
    },
  );

  app.post(
    '/console/council/:campaign/:period/proposals/:proposalId/ballot',
    {
      config: { consoleRoles: COUNCIL },
      schema: {
        hide: true,
        params: ProposalParams,
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const version = Number(field(request.body, 'version'));
      const choice = field(request.body, 'choice');
      if (choice !== 'approve' && choice !== 'reject') {
        return render(
          request,
          reply,
          user.view,
          request.params,
          undefined,
          {
            error:
              user.view.lang === 'vi' ? 'Hãy chọn “Tán thành” hoặc “Không tán thành”.' : 'Choose approve or reject.',
          },
          400,
        );
      }
      try {
        const cycle = await findCycle(request.em, request.params.campaign, request.params.period);
        await castBallot(
          request.em,
          cycle,
          user,
          { subject: 'proposal', proposalId: request.params.proposalId, version, choice },
          request.ip,
          app.now(),
          sealKey,
        );
      } catch (error) {
        const { status, message } = actionError(user.view.lang, error);
        return render(request, reply, user.view, request.params, undefined, { error: message }, status);
      }
      return reply.redirect(
        `${href(base(request.params), { ok: 'voted' })}#proposal-${request.params.proposalId}`,
        303,
      );
    },
  );

  const content = async (
    request: FastifyRequest,
    params: { campaign: string; period: string },
    v: number | undefined,
  ) => {
    const user = requireUser(request);
    const cycle = await findCycle(request.em, params.campaign, params.period);
    const data = await councilView(request.em, cycle, user, v);
    if (!data.content || data.version === null)
      throw new NotFoundError({ code: 'no_consolidation_yet', params: {} }, 'version');
    return { cycle, content: data.content, version: data.version, lang: user.view.lang };
  };
  const filename = (cycle: { workflowId: string }, version: number, ext: string): string =>
    `bao-cao-tong-hop-${cycle.workflowId.replace(/^cycle-/, '')}-v${version}.${ext}`;

  app.get(
    '/console/council/:campaign/:period/report.csv',
    { config: { consoleRoles: READERS }, schema: { hide: true, params: CycleParams, querystring: VersionQuery } },
    async (request, reply) => {
      const { cycle, content: c, version, lang } = await content(request, request.params, request.query.v);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename(cycle, version, 'csv')}"`)
        .send(csv(reportRows(c, lang)));
    },
  );

  app.get(
    '/console/council/:campaign/:period/report.xlsx',
    { config: { consoleRoles: READERS }, schema: { hide: true, params: CycleParams, querystring: VersionQuery } },
    async (request, reply) => {
      const { cycle, content: c, version, lang } = await content(request, request.params, request.query.v);
      const file = await xlsx(reportSheets(c, lang), { title: `${cycle.campaign.name} ${cycle.period} v${version}` });
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${filename(cycle, version, 'xlsx')}"`)
        .send(file);
    },
  );

  app.get(
    '/console/council/:campaign/:period/documents/:file',
    {
      config: { consoleRoles: READERS },
      schema: {
        hide: true,
        params: Type.Object({ ...CycleParams.properties, file: Type.String({ pattern: DOCUMENT_FILE_PATTERN }) }),
        querystring: Type.Object({
          v: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          doclang: Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')])),
        }),
      },
    },
    async (request, reply) =>
      sendDownload(
        reply,
        await cycleDocument(
          request.em,
          request.params,
          { version: request.query.v, lang: request.query.doclang },
          userActor(requireUser(request), request.ip),
          app.now(),
        ),
      ),
  );
};
