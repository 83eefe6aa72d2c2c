/** The auditor's pages (read-only): the timeline of a cycle or unit, its exports, archived histories. */
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { jsonWithEscapedControls } from '../../../domain/display-text';
import { auditListPage, auditPage } from '../pages/audit.page';
import { findCycle } from '../../services/cycles.service';
import { cycleHistories, cycleHistory } from '../../services/cycle-record.service';
import {
  TIMELINE_CSV_HEADER,
  countTimeline,
  timelineAll,
  timelineCsvRow,
  timelinePage,
  timelineUnits,
  unitScope,
  type TimelineItem,
  type TimelineScope,
} from '../services/audit.service';
import { listCycles } from '../services/cycles.service';
import { csvCell } from '../services/xlsx';
import { requireUser, sendPage } from './context';
import { CycleParams } from '../../http/request-schemas';

const AUDITORS = ['auditor', 'admin'] as const;
const PAGE_SIZE = 100;
const ScopeQuery = Type.Object({
  unit: Type.Optional(Type.String({ maxLength: 64 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  lang: Type.Optional(Type.String({ maxLength: 5 })),
});

export const auditPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/console/audit',
    { config: { consoleRoles: AUDITORS, listInScope: true }, schema: { hide: true } },
    async (request, reply) => {
      const { view, scopes } = requireUser(request);
      const { rows } = await listCycles(request.em, { page: 1, pageSize: 200, scopes });
      return sendPage(reply, auditListPage(view, rows));
    },
  );

  const scopeOf = async (
    request: FastifyRequest,
    params: { campaign: string; period: string },
    unitCode: string | undefined,
  ) => {
    const cycle = await findCycle(request.em, params.campaign, params.period);
    const code = unitCode?.trim();
    const unit = code ? await unitScope(request.em, cycle, code) : null;
    const scope: TimelineScope = {
      cycleId: cycle.id,
      ...(unit ? { unit: { code: unit.code, taskId: unit.taskId } } : {}),
    };
    return { cycle, unit, scope };
  };

  app.get(
    '/console/audit/:campaign/:period',
    { config: { consoleRoles: AUDITORS }, schema: { hide: true, params: CycleParams, querystring: ScopeQuery } },
    async (request, reply) => {
      const { view } = requireUser(request);
      const { cycle, unit, scope } = await scopeOf(request, request.params, request.query.unit);
      const counts = await countTimeline(request.em, scope);
      const pages = Math.max(1, Math.ceil((counts.events + counts.emails) / PAGE_SIZE));
      const page = Math.min(request.query.page ?? 1, pages);
      const items = await timelinePage(request.em, scope, { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
      return sendPage(
        reply,
        auditPage(view, {
          cycle,
          counts,
          items,
          page,
          pages,
          unit,
          units: await timelineUnits(request.em, cycle),
          histories: await cycleHistories(request.em, cycle, unit?.workflowId),
          temporalUiLink: app.temporalUiLink,
        }),
      );
    },
  );

  const exportName = (cycle: { workflowId: string }, unit: { code: string } | null, ext: string): string =>
    `nhat-ky-${cycle.workflowId.replace(/^cycle-/, '')}${unit ? `-${unit.code}` : ''}.${ext}`;

  /** Streams the whole timeline of the requested scope as a download, one line per item. */
  const sendTimeline = async (
    request: FastifyRequest<{ Params: { campaign: string; period: string }; Querystring: { unit?: string } }>,
    reply: FastifyReply,
    ext: string,
    contentType: string,
    lines: (items: AsyncIterable<TimelineItem>) => AsyncGenerator<string>,
  ) => {
    requireUser(request);
    const { cycle, unit, scope } = await scopeOf(request, request.params, request.query.unit);
    return reply
      .header('content-type', contentType)
      .header('content-disposition', `attachment; filename="${exportName(cycle, unit, ext)}"`)
      .send(Readable.from(lines(timelineAll(request.em, scope))));
  };

  app.get(
    '/console/audit/:campaign/:period/timeline.csv',
    { config: { consoleRoles: AUDITORS }, schema: { hide: true, params: CycleParams, querystring: ScopeQuery } },
    async (request, reply) => {
      return sendTimeline(request, reply, 'csv', 'text/csv; charset=utf-8', async function* (items) {
        yield `\uFEFF${TIMELINE_CSV_HEADER.map(csvCell).join(',')}\r\n`;
        for await (const item of items) yield `${timelineCsvRow(item).map(csvCell).join(',')}\r\n`;
      });
    },
  );

  app.get(
    '/console/audit/:campaign/:period/timeline.jsonl',
    { config: { consoleRoles: AUDITORS }, schema: { hide: true, params: CycleParams, querystring: ScopeQuery } },
    async (request, reply) => {
      return sendTimeline(request, reply, 'jsonl', 'application/x-ndjson; charset=utf-8', async function* (items) {
        for await (const item of items) yield `${jsonWithEscapedControls(JSON.stringify(item))}\n`;
      });
    },
  );

  app.get(
    '/console/audit/:campaign/:period/histories/:file',
    {
      config: { consoleRoles: AUDITORS },
      schema: {
        hide: true,
        params: Type.Object({
          ...CycleParams.properties,
          file: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,300}\\.json$' }),
        }),
      },
    },
    async (request, reply) => {
      requireUser(request);
      const cycle = await findCycle(request.em, request.params.campaign, request.params.period);
      const workflowId = request.params.file.replace(/\.json$/, '');
      const row = await cycleHistory(request.em, cycle, workflowId);
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${workflowId}.json"`)
        .send(jsonWithEscapedControls(JSON.stringify(row)));
    },
  );
};
