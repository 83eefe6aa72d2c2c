/**
 * Set-up pages for administrators over the whole installation: campaigns, policies (with a
 * preview of the next cycle's dates) and holidays. Forms without JavaScript; each change goes
 * through the same services (validation naming the field, audit with before/after) as the JSON API.
 */
import { DateTime } from 'luxon';
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { planCycle } from '../../../domain/calendar';
import { ValidationError } from '../../../domain/errors';
import { parsePeriod } from '../../../domain/period';
import type { CyclePolicy } from '../../../domain/policy';
import { DEFAULT_POLICY } from '../../../domain/policy';
import { EMULATION_TITLES } from '../../../domain/emulation-titles';
import {
  TIE_OUTCOMES,
  TITLE_VOTE_BASES,
  TITLE_VOTE_COMPARISONS,
  type TitleVoteRule,
  type TitleVoteRules,
} from '../../../domain/title-vote';
import { createCampaign, listCampaigns, updateCampaign } from '../../services/admin-campaigns.service';
import { CODE_PATTERN, userActor, type AdminContext } from '../../services/admin-common';
import { addHoliday, isCalendarDate, listHolidays, removeHoliday } from '../../services/admin-holidays.service';
import { checkPolicy, createPolicy, listPolicies, replacePolicy } from '../../services/admin-policies.service';
import { createTemplateVersion, getLatestTemplate, listTemplates } from '../../services/admin-templates.service';
import type { Aggregation, IndicatorDefinition, TemplateDefinition } from '../../../domain/template';
import { templateEditorPage } from '../pages/template-editor.page';
import { setupCampaignsPage, setupHolidaysPage, setupPoliciesPage } from '../pages/setup.page';
import { actionError } from './admin.routes';
import { field, requireUser, sendPage } from './context';

const ADMIN = { consoleRoles: ['admin'] } as const;
const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const invalid = (name: string, problem: string) =>
  new ValidationError({ code: 'field_invalid', params: { field: name, problem } }, name);

function code(body: unknown): string {
  const value = field(body, 'code');
  if (!CODE_PATTERN.test(value)) throw invalid('code', 'must be 1 to 64 letters, digits, "-" or "_"');
  return value;
}

function int(body: unknown, name: string, min: number, max: number): number {
  const raw = field(body, name);
  const n = /^-?\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw invalid(name, `must be a whole number from ${min} to ${max}`);
  return n;
}

function ints(body: unknown, name: string, min: number, max: number): number[] {
  const raw = field(body, name);
  if (!raw) return [];
  return raw.split(/[,;\s]+/).map((part) => {
    const n = /^\d{1,9}$/.test(part) ? Number(part) : NaN;
    if (!Number.isInteger(n) || n < min || n > max)
      throw invalid(name, `must be whole numbers from ${min} to ${max}, separated by commas`);
    return n;
  });
}

function time(body: unknown, name: string): string {
  const value = field(body, name);
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(value)) throw invalid(name, 'must be a time HH:MM');
  return value;
}

function oneOf<T extends string>(body: unknown, name: string, options: readonly T[]): T {
  const value = field(body, name);
  const found = options.find((o) => o === value);
  if (found === undefined) throw invalid(name, `must be one of ${options.join(', ')}`);
  return found;
}

/** Each title's vote rule the form's `titleVotes.<title>.*` fields give (a title without them follows the defaults). */
function titleVotesFromForm(body: unknown): Partial<TitleVoteRules> {
  const rule = (title: string): TitleVoteRule => {
    const name = (f: string) => `titleVotes.${title}.${f}`;
    return {
      threshold: {
        numerator: int(body, name('thresholdNumerator'), 1, 1000),
        denominator: int(body, name('thresholdDenominator'), 1, 1000),
      },
      base: oneOf(body, name('base'), TITLE_VOTE_BASES),
      comparison: oneOf(body, name('comparison'), TITLE_VOTE_COMPARISONS),
      quorum: {
        numerator: int(body, name('quorumNumerator'), 1, 1000),
        denominator: int(body, name('quorumDenominator'), 1, 1000),
      },
      secretBallot: field(body, name('secretBallot')) === 'on',
      writtenOpinionsCount: field(body, name('writtenOpinionsCount')) === 'on',
      tie: oneOf(body, name('tie'), TIE_OUTCOMES),
    };
  };
  return Object.fromEntries(
    EMULATION_TITLES.filter((t) => hasField(body, `titleVotes.${t}.base`)).map((t) => [t, rule(t)]),
  ) as Partial<TitleVoteRules>;
}

/** The policy the form describes (its own checks, then `checkPolicy`'s). */
export function policyFromForm(body: unknown): CyclePolicy {
  const kind = field(body, 'kind');
  if (kind !== 'calendar' && kind !== 'relative') throw invalid('kind', 'must be calendar or relative');
  const timing: CyclePolicy['timing'] =
    kind === 'calendar'
      ? {
          kind,
          timeZone: field(body, 'timeZone') || TIME_ZONE,
          dispatchDay: int(body, 'dispatchDay', 1, 28),
          dispatchTime: time(body, 'dispatchTime'),
          deadlineDay: int(body, 'deadlineDay', 1, 28),
          deadlineTime: time(body, 'deadlineTime'),
          reminderDaysBefore: ints(body, 'reminderDaysBefore', 0, 27),
          reminderTime: time(body, 'reminderTime'),
          escalationWorkingDaysAfter: [int(body, 'escalationDay1', 0, 60), int(body, 'escalationDay2', 0, 60)],
          hardCloseWorkingDaysAfter: int(body, 'hardCloseWorkingDaysAfter', 0, 60),
          reviewWorkingDays: int(body, 'reviewWorkingDays', 1, 60),
          revisionWorkingDays: int(body, 'revisionWorkingDays', 1, 60),
        }
      : {
          kind,
          deadlineAfterSeconds: int(body, 'deadlineAfterSeconds', 1, 100_000_000),
          reminderSecondsBefore: ints(body, 'reminderSecondsBefore', 1, 100_000_000),
          escalationSecondsAfter: [
            int(body, 'escalationSecond1', 0, 100_000_000),
            int(body, 'escalationSecond2', 0, 100_000_000),
          ],
          hardCloseSecondsAfter: int(body, 'hardCloseSecondsAfter', 0, 100_000_000),
          reviewWindowSeconds: int(body, 'reviewWindowSeconds', 1, 100_000_000),
          revisionWindowSeconds: int(body, 'revisionWindowSeconds', 1, 100_000_000),
        };
  return checkPolicy({
    timing,
    maxReminders: int(body, 'maxReminders', 0, 20),
    quorum: { numerator: int(body, 'quorumNumerator', 0, 1000), denominator: int(body, 'quorumDenominator', 1, 1000) },
    approvalThreshold: {
      numerator: int(body, 'thresholdNumerator', 0, 1000),
      denominator: int(body, 'thresholdDenominator', 1, 1000),
    },
    secretBallots: field(body, 'secretBallots') === 'on',
    titleVotes: titleVotesFromForm(body),
  });
}

function decimal(body: unknown, name: string): number {
  const raw = field(body, name).replace(',', '.');
  const n = /^-?\d{1,12}(\.\d{1,6})?$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(n)) throw invalid(name, 'must be a number');
  return n;
}

const hasField = (body: unknown, name: string): boolean =>
  Object.prototype.hasOwnProperty.call((body ?? {}) as object, name);

/** Rows `prefix.N.*` of the form, in their typed order, without the removed and the blank ones. */
function rowsOf(body: unknown, prefix: string): number[] {
  const rows: { i: number; order: number }[] = [];
  for (let i = 0; i < 500 && hasField(body, `${prefix}.${i}.code`); i += 1) {
    if (field(body, `${prefix}.${i}.remove`) === 'on' || !field(body, `${prefix}.${i}.code`)) continue;
    rows.push({ i, order: int(body, `${prefix}.${i}.order`, 1, 10_000) });
  }
  return rows.sort((a, b) => a.order - b.order || a.i - b.i).map((r) => r.i);
}

/** The template the editor's form describes (checked again by the service before it is stored). */
export function templateFromForm(body: unknown): TemplateDefinition {
  const text = (name: string) => ({ vi: field(body, `${name}.vi`), en: field(body, `${name}.en`) });
  const simple = (prefix: string) =>
    rowsOf(body, prefix).map((i) => ({ code: field(body, `${prefix}.${i}.code`), title: text(`${prefix}.${i}`) }));
  const indicators = rowsOf(body, 'ind').map((i): IndicatorDefinition => {
    const p = `ind.${i}`;
    const kind = field(body, `${p}.targetKind`);
    const aggregation = field(body, `${p}.aggregation`);
    if (!['sum', 'average', 'min', 'max', 'latest'].includes(aggregation))
      throw invalid(`${p}.aggregation`, 'must be sum, average, min, max or latest');
    return {
      code: field(body, `${p}.code`),
      title: text(p),
      measure: { vi: field(body, `${p}.measureVi`), en: field(body, `${p}.measureEn`) },
      target:
        kind === 'between'
          ? { kind, min: decimal(body, `${p}.targetMin`), max: decimal(body, `${p}.targetMax`) }
          : kind === 'at_least' || kind === 'at_most'
            ? { kind, value: decimal(body, `${p}.targetValue`) }
            : (() => {
                throw invalid(`${p}.targetKind`, 'must be at_least, at_most or between');
              })(),
      aggregation: aggregation as Aggregation,
      min: decimal(body, `${p}.min`),
      max: decimal(body, `${p}.max`),
      required: field(body, `${p}.required`) === 'on',
    };
  });
  return {
    title: text('title'),
    keyTasks: simple('kt'),
    sections: simple('sec'),
    indicators,
    limits: { textMaxLength: int(body, 'textMaxLength', 1, 100_000), maxRows: int(body, 'maxRows', 1, 1000) },
  };
}

export const setupPages: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = (request: FastifyRequest): AdminContext => ({
    em: request.em,
    actor: userActor({ name: requireUser(request).name }, request.ip),
    now: app.now(),
  });
  const failed = (request: FastifyRequest, error: unknown) => actionError(requireUser(request).view.lang, error);
  const Ok = Type.Object({
    ok: Type.Optional(Type.String({ maxLength: 5 })),
    lang: Type.Optional(Type.String({ maxLength: 5 })),
  });

  app.get('/console/setup', { config: ADMIN, schema: { hide: true } }, async (_request, reply) =>
    reply.redirect('/console/setup/campaigns', 303),
  );

  // Campaigns.
  const campaigns = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { ok?: boolean; error?: string },
    status = 200,
  ) =>
    sendPage(
      reply,
      setupCampaignsPage(requireUser(request).view, {
        campaigns: await listCampaigns(request.em, requireUser(request).scopes),
        templates: [...new Set((await listTemplates(request.em)).map((t) => t.code))],
        policies: (await listPolicies(request.em)).map((p) => p.code),
        ...extra,
      }),
      status,
    );
  app.get(
    '/console/setup/campaigns',
    { config: ADMIN, schema: { hide: true, querystring: Ok } },
    async (request, reply) => campaigns(request, reply, { ok: request.query.ok === '1' }),
  );
  /** The campaign form's fields as the campaigns service takes them. */
  const campaignFields = (body: unknown) => ({
    name: field(body, 'name'),
    templateCode: field(body, 'templateCode'),
    policyCode: field(body, 'policyCode'),
    active: field(body, 'active') === 'on',
    rootCode: field(body, 'rootCode') || null,
  });
  app.post('/console/setup/campaigns', { config: ADMIN, schema: { hide: true } }, async (request, reply) => {
    try {
      await createCampaign(ctx(request), { code: code(request.body), ...campaignFields(request.body) });
    } catch (error) {
      const { status, message } = failed(request, error);
      return campaigns(request, reply, { error: message }, status);
    }
    return reply.redirect('/console/setup/campaigns?ok=1', 303);
  });
  app.post(
    '/console/setup/campaigns/:code',
    { config: ADMIN, schema: { hide: true, params: Type.Object({ code: Type.String({ maxLength: 64 }) }) } },
    async (request, reply) => {
      try {
        await updateCampaign(ctx(request), request.params.code, campaignFields(request.body));
      } catch (error) {
        const { status, message } = failed(request, error);
        return campaigns(request, reply, { error: message }, status);
      }
      return reply.redirect('/console/setup/campaigns?ok=1', 303);
    },
  );

  // Policies.
  const policies = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { code?: string; definition?: CyclePolicy; preview?: boolean; ok?: boolean; error?: string },
    status = 200,
  ) => {
    const list = await listPolicies(request.em);
    const current = list.find((p) => p.code === extra.code);
    const definition = extra.definition ?? current?.definition ?? DEFAULT_POLICY;
    let preview;
    if (extra.preview) {
      const next = DateTime.fromJSDate(app.now()).setZone(TIME_ZONE).plus({ months: 1 }).toFormat('yyyy-LL');
      const holidays = new Set((await listHolidays(request.em, {})).map((h) => h.date));
      preview = {
        period: next,
        plan: planCycle(definition.timing, parsePeriod(next)!, app.now().toISOString(), holidays),
      };
    }
    return sendPage(
      reply,
      setupPoliciesPage(requireUser(request).view, {
        policies: list,
        code: extra.code ?? '',
        definition,
        preview,
        ...(extra.ok ? { ok: true } : {}),
        ...(extra.error ? { error: extra.error } : {}),
      }),
      status,
    );
  };
  app.get(
    '/console/setup/policies',
    {
      config: ADMIN,
      schema: {
        hide: true,
        querystring: Type.Object({
          code: Type.Optional(Type.String({ maxLength: 64 })),
          ok: Type.Optional(Type.String({ maxLength: 5 })),
          lang: Type.Optional(Type.String({ maxLength: 5 })),
        }),
      },
    },
    async (request, reply) =>
      policies(request, reply, {
        ...(request.query.code ? { code: request.query.code, preview: true } : {}),
        ok: request.query.ok === '1',
      }),
  );
  app.post('/console/setup/policies', { config: ADMIN, schema: { hide: true } }, async (request, reply) => {
    const typed = field(request.body, 'code');
    let definition: CyclePolicy;
    try {
      const policyCode = code(request.body);
      definition = policyFromForm(request.body);
      if (field(request.body, 'action') === 'preview')
        return await policies(request, reply, { code: policyCode, definition, preview: true });
      const exists = (await listPolicies(request.em)).some((p) => p.code === policyCode);
      if (exists) await replacePolicy(ctx(request), policyCode, definition);
      else await createPolicy(ctx(request), policyCode, definition);
      return reply.redirect(`/console/setup/policies?code=${encodeURIComponent(policyCode)}&ok=1`, 303);
    } catch (error) {
      const { status, message } = failed(request, error);
      return policies(request, reply, { code: typed, error: message }, status);
    }
  });

  // Templates: a new version from the latest one.
  const TemplateParams = Type.Object({ code: Type.String({ maxLength: 64 }) });
  // The editor of the one template there is; with several, the list of templates, each with its editor's link.
  app.get('/console/setup/templates', { config: ADMIN, schema: { hide: true } }, async (request, reply) => {
    const codes = [...new Set((await listTemplates(request.em)).map((t) => t.code))];
    return reply.redirect(
      codes.length === 1 ? `/console/setup/templates/${encodeURIComponent(codes[0]!)}` : '/console/templates',
      303,
    );
  });
  app.get(
    '/console/setup/templates/:code',
    {
      config: ADMIN,
      schema: {
        hide: true,
        params: TemplateParams,
        querystring: Type.Object({
          saved: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
          lang: Type.Optional(Type.String({ maxLength: 5 })),
        }),
      },
    },
    async (request, reply) => {
      const latest = await getLatestTemplate(request.em, request.params.code);
      return sendPage(
        reply,
        templateEditorPage(requireUser(request).view, {
          code: latest.code,
          fromVersion: latest.version,
          definition: latest.definition,
          saved: request.query.saved,
        }),
      );
    },
  );
  app.post(
    '/console/setup/templates/:code',
    { config: ADMIN, schema: { hide: true, params: TemplateParams } },
    async (request, reply) => {
      const view = requireUser(request).view;
      const latest = await getLatestTemplate(request.em, request.params.code);
      let definition: TemplateDefinition = latest.definition;
      try {
        definition = templateFromForm(request.body);
        if (field(request.body, 'action') === 'preview')
          return await sendPage(
            reply,
            templateEditorPage(view, {
              code: latest.code,
              fromVersion: latest.version,
              definition,
              preview: { now: app.now() },
            }),
          );
        const saved = await createTemplateVersion(ctx(request), latest.code, definition);
        return reply.redirect(
          `/console/setup/templates/${encodeURIComponent(latest.code)}?saved=${saved.version}`,
          303,
        );
      } catch (error) {
        const { status, message } = failed(request, error);
        return sendPage(
          reply,
          templateEditorPage(view, { code: latest.code, fromVersion: latest.version, definition, error: message }),
          status,
        );
      }
    },
  );

  // Holidays.
  const holidays = async (
    request: FastifyRequest,
    reply: FastifyReply,
    year: number,
    extra: { ok?: boolean; error?: string },
    status = 200,
  ) =>
    sendPage(
      reply,
      setupHolidaysPage(requireUser(request).view, {
        year,
        holidays: await listHolidays(request.em, { year }),
        ...extra,
      }),
      status,
    );
  const thisYear = () => DateTime.fromJSDate(app.now()).setZone(TIME_ZONE).year;
  app.get(
    '/console/setup/holidays',
    {
      config: ADMIN,
      schema: {
        hide: true,
        querystring: Type.Object({
          year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
          ok: Type.Optional(Type.String({ maxLength: 5 })),
          lang: Type.Optional(Type.String({ maxLength: 5 })),
        }),
      },
    },
    async (request, reply) =>
      holidays(request, reply, request.query.year ?? thisYear(), { ok: request.query.ok === '1' }),
  );
  const yearOf = (date: string) => (/^\d{4}/.test(date) ? Number(date.slice(0, 4)) : thisYear());
  app.post('/console/setup/holidays', { config: ADMIN, schema: { hide: true } }, async (request, reply) => {
    const date = field(request.body, 'date');
    try {
      await addHoliday(ctx(request), { date, name: field(request.body, 'name') });
    } catch (error) {
      const { status, message } = failed(request, error);
      return holidays(request, reply, yearOf(date), { error: message }, status);
    }
    return reply.redirect(`/console/setup/holidays?year=${yearOf(date)}&ok=1`, 303);
  });
  app.post(
    '/console/setup/holidays/:date/remove',
    { config: ADMIN, schema: { hide: true, params: Type.Object({ date: Type.String({ maxLength: 10 }) }) } },
    async (request, reply) => {
      try {
        await removeHoliday(ctx(request), request.params.date);
      } catch (error) {
        const { status, message } = failed(request, error);
        return holidays(request, reply, yearOf(request.params.date), { error: message }, status);
      }
      return reply.redirect(`/console/setup/holidays?year=${yearOf(request.params.date)}&ok=1`, 303);
    },
  );
  /** Lines of `YYYY-MM-DD,name`; every line is checked before any is added (a bad line names its number). */
  app.post('/console/setup/holidays/import', { config: ADMIN, schema: { hide: true } }, async (request, reply) => {
    const lines = field(request.body, 'csv')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !/^date\s*,/i.test(l));
    let year = thisYear();
    try {
      const rows = lines.map((line, i) => {
        const at = line.indexOf(',');
        const date = at < 0 ? line : line.slice(0, at).trim();
        const name =
          at < 0
            ? ''
            : line
                .slice(at + 1)
                .trim()
                .replace(/^"|"$/g, '');
        if (!isCalendarDate(date) || !name)
          throw invalid(`csv line ${i + 1} (${line.slice(0, 40)})`, 'must be “YYYY-MM-DD,Holiday name”');
        return { date, name };
      });
      if (!rows.length) throw invalid('csv', 'must hold at least one line');
      year = yearOf(rows[0]!.date);
      await request.em.transactional(async (tx) => {
        for (const row of rows) await addHoliday({ ...ctx(request), em: tx }, row);
      });
    } catch (error) {
      const { status, message } = failed(request, error);
      return holidays(request, reply, year, { error: message }, status);
    }
    return reply.redirect(`/console/setup/holidays?year=${year}&ok=1`, 303);
  });
};
