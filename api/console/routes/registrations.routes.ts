/** Emulation registration in the console: the rounds, opening one, a round's status per unit and its downloads. */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError, ValidationError } from '../../../domain/errors';
import { MAX_YEAR, MIN_YEAR } from '../../../domain/registration';
import { statusOf } from '../../http/errors';
import { sendDownload } from '../../http/downloads';
import { Code } from '../../http/request-schemas';
import { RoundParams } from '../../json/registrations.routes';
import { userActor } from '../../services/admin-common';
import { listCampaigns } from '../../services/admin-campaigns.service';
import { listRounds, openRound, recordRegistrationDownload, roundStatus } from '../../services/registration.service';
import { href } from '../pages/layout';
import { openedNotice, registrationsIndexPage, roundPage, roundPath } from '../pages/registrations.page';
import { REGISTRATION_FILE_PATTERN, registrationSheet } from '../services/registration-tables';
import { csv, xlsx } from '../services/xlsx';
import { field, requireUser, sendPage } from './context';

const READERS = ['admin', 'council', 'auditor'] as const;
const Lang = Type.Optional(Type.String({ maxLength: 5 }));

/** A `datetime-local` value read in Vietnam's time (UTC+7 all year). */
function vietnamInstant(raw: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(raw))
    throw new ValidationError({ code: 'deadline_not_a_date', params: {} }, 'deadline');
  return new Date(`${raw}:00+07:00`).toISOString();
}

export const registrationPages: FastifyPluginAsyncTypebox = async (app) => {
  const indexPage = async (request: Parameters<typeof requireUser>[0], error: string | null): Promise<string> => {
    const { view, scopes } = requireUser(request);
    const campaigns = (await listCampaigns(request.em, scopes)).map((c) => ({ code: c.code, name: c.name }));
    const rounds = await listRounds(
      request.em,
      campaigns.map((c) => c.code),
    );
    return registrationsIndexPage(view, campaigns, rounds, {
      canOpen: requireUser(request).role === 'admin',
      year: app.now().getUTCFullYear(),
      error,
    });
  };

  app.get(
    '/console/registrations',
    {
      config: { consoleRoles: READERS, listInScope: true },
      schema: { hide: true, querystring: Type.Object({ lang: Lang }) },
    },
    async (request, reply) => sendPage(reply, await indexPage(request, null)),
  );

  app.post(
    '/console/registrations/:campaign',
    { config: { consoleRoles: ['admin'] }, schema: { hide: true, params: Type.Object({ campaign: Code }) } },
    async (request, reply) => {
      const user = requireUser(request);
      const { campaign } = request.params;
      const year = Number(field(request.body, 'year'));
      try {
        if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR)
          throw new ValidationError(
            {
              code: 'field_invalid',
              params: { field: 'year', problem: `must be between ${MIN_YEAR} and ${MAX_YEAR}` },
            },
            'year',
          );
        await openRound(
          {
            em: request.em,
            temporal: app.temporal,
            taskQueue: app.config.TEMPORAL_TASK_QUEUE,
            linkSecret: app.config.LINK_SECRET,
            actor: userActor(user, request.ip),
            now: app.now(),
          },
          campaign,
          year,
          { deadline: vietnamInstant(field(request.body, 'deadline')) },
        );
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return sendPage(reply, await indexPage(request, error.textIn(user.view.lang)), statusOf(error));
      }
      return reply.redirect(href(roundPath(campaign, year), { ok: 'opened' }), 303);
    },
  );

  app.get(
    '/console/registrations/:campaign/:year',
    {
      config: { consoleRoles: READERS },
      schema: {
        hide: true,
        params: RoundParams,
        querystring: Type.Object({ ok: Type.Optional(Type.String({ maxLength: 20 })), lang: Lang }),
      },
    },
    async (request, reply) => {
      const { view } = requireUser(request);
      const status = await roundStatus(request.em, request.params.campaign, request.params.year, app.now());
      return sendPage(reply, roundPage(view, status, request.query.ok === 'opened' ? openedNotice(view) : null));
    },
  );

  app.get(
    '/console/registrations/:campaign/:year/tables/:file',
    {
      config: { consoleRoles: READERS },
      schema: {
        hide: true,
        params: Type.Object({ ...RoundParams.properties, file: Type.String({ pattern: REGISTRATION_FILE_PATTERN }) }),
        querystring: Type.Object({ lang: Lang }),
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { campaign, year, file } = request.params;
      const status = await roundStatus(request.em, campaign, year, app.now());
      const sheet = registrationSheet(status, user.view.lang);
      const ext = file.endsWith('.xlsx') ? 'xlsx' : 'csv';
      const bytes =
        ext === 'xlsx'
          ? await xlsx([sheet], { title: `${status.campaign.name} — ${sheet.name}` })
          : Buffer.from(csv(sheet.rows), 'utf8');
      await recordRegistrationDownload(
        request.em,
        userActor(user, request.ip),
        { campaign, year, file },
        bytes,
        app.now(),
      );
      return sendDownload(reply, {
        filename: `dang-ky-thi-dua-${campaign}-${year}.${ext}`,
        contentType:
          ext === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        bytes,
      });
    },
  );
};
