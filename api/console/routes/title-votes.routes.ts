/** Title votes in the console: open a round, vote, record written opinions, close, read the minutes, download. */
import { WINDOW_PATTERN } from '../../../domain/summary-window';
import { nominationLines, nominationsFromRanking } from '../../services/title-nominations.service';
import { DateTime } from 'luxon';
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isEmulationTitle } from '../../../domain/emulation-titles';
import { ValidationError } from '../../../domain/errors';
import { TITLE_CHOICES } from '../../../domain/title-vote';
import { sendDownload } from '../../http/downloads';
import { Code } from '../../http/request-schemas';
import { TitleVoteParams } from '../../json/title-vote-schemas';
import { userActor } from '../../services/admin-common';
import { listCampaigns } from '../../services/admin-campaigns.service';
import { TITLE_VOTE_FILE_PATTERN, titleVoteFile, titleVoteMinutes } from '../../services/title-vote-documents.service';
import {
  castTitleBallots,
  closeTitleVoteNow,
  findTitleVote,
  isTitleVoteSecretary,
  listTitleVotes,
  nomineesDoneBy,
  openTitleVote,
  recordWrittenOpinion,
  titleVoteView,
  type ChoiceInput,
  type NomineeInput,
} from '../../services/title-votes.service';
import {
  titleVoteListPage,
  titleVoteMinutesPage,
  titleVotePage,
  titleVotesIndexPage,
  titleVotesPath,
  type OpenForm,
} from '../pages/title-votes.page';
import { actionError } from './admin.routes';
import { field, requireUser, sendPage } from './context';

const READERS = ['admin', 'council', 'auditor'] as const;
const SECRETARIAT = ['admin', 'council'] as const;
const TIME_ZONE = 'Asia/Ho_Chi_Minh';
const Lang = Type.Optional(Type.String({ maxLength: 5 }));

const invalid = (name: string, problem: string) =>
  new ValidationError({ code: 'field_invalid', params: { field: name, problem } }, name);

/** The nominees typed one a line: `unit code; title code; reason`. */
function nomineesFromForm(text: string): NomineeInput[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (!lines.length) throw invalid('nominees', 'must list at least one nomination');
  if (lines.length > 1000) throw invalid('nominees', 'must list at most 1000 nominations');
  return lines.map((line, i) => {
    const [unitCode = '', title = '', ...rest] = line.split(/[;,\t]/).map((p) => p.trim());
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(unitCode))
      throw invalid('nominees', `line ${i + 1}: "${unitCode}" is not a unit code`);
    if (!isEmulationTitle(title)) throw invalid('nominees', `line ${i + 1}: "${title}" is not a title code`);
    const reason = rest.join(', ').trim().slice(0, 5000);
    return { unitCode, title, ...(reason ? { reason } : {}) };
  });
}

/** The choices of a ballot form (`choice.<n>`), the blank ones left out. */
function choicesFromForm(body: unknown, nominees: readonly number[]): ChoiceInput[] {
  const choices: ChoiceInput[] = [];
  for (const n of nominees) {
    const value = field(body, `choice.${n}`);
    if (value === '') continue;
    const choice = TITLE_CHOICES.find((c) => c === value);
    if (!choice) throw invalid(`choice.${n}`, `must be one of ${TITLE_CHOICES.join(', ')}`);
    choices.push({ nominee: n, choice });
  }
  if (!choices.length) throw invalid('choice', 'choose on at least one nomination');
  return choices;
}

export const titleVotePages: FastifyPluginAsyncTypebox = async (app) => {
  const listPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    campaign: string,
    extra: { form?: OpenForm; error?: string | null } = {},
    status = 200,
  ) => {
    const user = requireUser(request);
    const list = await listTitleVotes(request.em, campaign);
    const canOpen = await isTitleVoteSecretary(request.em, user, campaign);
    return sendPage(reply, titleVoteListPage(user.view, list, { canOpen, ...extra }), status);
  };

  const roundPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    target: { campaign: string; year: number },
    extra: { ok?: boolean; error?: string | null } = {},
    status = 200,
  ) => {
    const user = requireUser(request);
    const view = await titleVoteView(request.em, target.campaign, target.year);
    const onRoll = view.roll.some((m) => m.personId === user.personId) && user.role === 'council';
    const done = onRoll ? await nomineesDoneBy(request.em, target.campaign, target.year, user.personId) : null;
    const secretary = await isTitleVoteSecretary(request.em, user, target.campaign);
    return sendPage(reply, titleVotePage(user.view, view, { done, secretary, ...extra }), status);
  };

  app.get(
    '/console/title-votes',
    { config: { consoleRoles: READERS, listInScope: true }, schema: { hide: true } },
    async (request, reply) => {
      const { view, scopes } = requireUser(request);
      const campaigns = (await listCampaigns(request.em, scopes)).map((c) => ({ code: c.code, name: c.name }));
      return sendPage(reply, titleVotesIndexPage(view, campaigns));
    },
  );

  app.get(
    '/console/title-votes/:campaign',
    {
      config: { consoleRoles: READERS },
      schema: {
        hide: true,
        params: Type.Object({ campaign: Code }),
        querystring: Type.Object({
          lang: Lang,
          bloc: Type.Optional(Code),
          window: Type.Optional(Type.String({ pattern: WINDOW_PATTERN })),
        }),
      },
    },
    async (request, reply) => {
      const { bloc, window } = request.query;
      if (!bloc || !window) return listPage(request, reply, request.params.campaign);
      // The open form filled from a bloc's ranking: each unit, in rank order, for the titles it registered for.
      const proposed = await nominationsFromRanking(request.em, request.params.campaign, bloc, window);
      const form: OpenForm = {
        year: String(proposed.year),
        closesAt: '',
        remindHours: '24',
        nominees: nominationLines(proposed),
      };
      return listPage(request, reply, request.params.campaign, { form });
    },
  );

  app.post(
    '/console/title-votes/:campaign',
    { config: { consoleRoles: SECRETARIAT }, schema: { hide: true, params: Type.Object({ campaign: Code }) } },
    async (request, reply) => {
      const user = requireUser(request);
      const form: OpenForm = {
        year: field(request.body, 'year'),
        closesAt: field(request.body, 'closesAt'),
        remindHours: field(request.body, 'remindHours'),
        nominees: field(request.body, 'nominees'),
      };
      try {
        const year = /^\d{4}$/.test(form.year) ? Number(form.year) : NaN;
        if (!(year >= 2000 && year <= 2100)) throw invalid('year', 'must be a year from 2000 to 2100');
        const closesAt = DateTime.fromISO(form.closesAt, { zone: TIME_ZONE });
        if (!closesAt.isValid) throw invalid('closesAt', 'must be a date and time');
        const hours =
          form.remindHours === '' ? 24 : /^\d{1,3}$/.test(form.remindHours) ? Number(form.remindHours) : NaN;
        if (!(hours >= 1 && hours <= 720))
          throw invalid('remindHours', 'must be a whole number of hours from 1 to 720');
        await openTitleVote(
          { em: request.em, temporal: app.temporal, taskQueue: app.config.TEMPORAL_TASK_QUEUE, now: app.now() },
          user,
          request.ip,
          request.params.campaign,
          year,
          {
            closesAt: closesAt.toUTC().toISO()!,
            remindBeforeSeconds: hours * 3600,
            nominees: nomineesFromForm(form.nominees),
          },
        );
        return reply.redirect(titleVotesPath(request.params.campaign, year), 303);
      } catch (error) {
        const { status, message } = actionError(user.view.lang, error);
        return listPage(request, reply, request.params.campaign, { form, error: message }, status);
      }
    },
  );

  app.get(
    '/console/title-votes/:campaign/:year',
    {
      config: { consoleRoles: READERS },
      schema: {
        hide: true,
        params: TitleVoteParams,
        querystring: Type.Object({ ok: Type.Optional(Type.String({ maxLength: 5 })), lang: Lang }),
      },
    },
    async (request, reply) => roundPage(request, reply, request.params, { ok: request.query.ok === '1' }),
  );

  /** A write of the round's page: done, then back to the page; refused, the page with the reason. */
  const act = async (
    request: FastifyRequest<{ Params: { campaign: string; year: number } }>,
    reply: FastifyReply,
    write: () => Promise<unknown>,
  ) => {
    const user = requireUser(request);
    try {
      await write();
    } catch (error) {
      const { status, message } = actionError(user.view.lang, error);
      return roundPage(request, reply, request.params, { error: message }, status);
    }
    return reply.redirect(`${titleVotesPath(request.params.campaign, request.params.year)}?ok=1`, 303);
  };

  app.post(
    '/console/title-votes/:campaign/:year/ballots',
    { config: { consoleRoles: ['council'] }, schema: { hide: true, params: TitleVoteParams } },
    async (request, reply) =>
      act(request, reply, async () => {
        const user = requireUser(request);
        const { vote } = await findTitleVote(request.em, request.params.campaign, request.params.year);
        const view = await titleVoteView(request.em, request.params.campaign, request.params.year);
        const choices = choicesFromForm(
          request.body,
          view.nominees.map((n) => n.nominee),
        );
        await castTitleBallots(request.em, vote, user, choices, request.ip, app.now());
      }),
  );

  app.post(
    '/console/title-votes/:campaign/:year/written-opinions',
    { config: { consoleRoles: SECRETARIAT }, schema: { hide: true, params: TitleVoteParams } },
    async (request, reply) =>
      act(request, reply, async () => {
        const user = requireUser(request);
        const { vote } = await findTitleVote(request.em, request.params.campaign, request.params.year);
        const raw = field(request.body, 'personId');
        const personId = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
        if (!Number.isInteger(personId)) throw invalid('personId', 'must name a member');
        const view = await titleVoteView(request.em, request.params.campaign, request.params.year);
        const choices = choicesFromForm(
          request.body,
          view.nominees.map((n) => n.nominee),
        );
        await recordWrittenOpinion(request.em, vote, user, personId, choices, request.ip, app.now());
      }),
  );

  app.post(
    '/console/title-votes/:campaign/:year/close',
    { config: { consoleRoles: SECRETARIAT }, schema: { hide: true, params: TitleVoteParams } },
    async (request, reply) =>
      act(request, reply, async () => {
        const { vote } = await findTitleVote(request.em, request.params.campaign, request.params.year);
        await closeTitleVoteNow({ em: request.em, temporal: app.temporal }, vote, requireUser(request));
      }),
  );

  app.get(
    '/console/title-votes/:campaign/:year/minutes',
    {
      config: { consoleRoles: READERS },
      schema: { hide: true, params: TitleVoteParams, querystring: Type.Object({ lang: Lang }) },
    },
    async (request, reply) => {
      const { view } = requireUser(request);
      const { spec } = await titleVoteMinutes(request.em, request.params.campaign, request.params.year, app.now());
      return sendPage(
        reply,
        titleVoteMinutesPage(view, spec, titleVotesPath(request.params.campaign, request.params.year)),
      );
    },
  );

  app.get(
    '/console/title-votes/:campaign/:year/download/:file',
    {
      config: { consoleRoles: READERS },
      schema: {
        hide: true,
        params: Type.Object({
          ...TitleVoteParams.properties,
          file: Type.String({
            pattern: TITLE_VOTE_FILE_PATTERN,
            description: 'minutes.docx, minutes.pdf, results.csv or results.xlsx',
          }),
        }),
      },
    },
    async (request, reply) =>
      sendDownload(
        reply,
        await titleVoteFile(request.em, request.params, userActor(requireUser(request), request.ip), app.now()),
      ),
  );
};
