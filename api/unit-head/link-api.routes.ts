import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  readReceipt,
  readTask,
  resolveHolder,
  resolveLink,
  saveDraft,
  submitReport,
} from '../services/unit-task.service';
import { NotFoundError } from '../../domain/errors';
import { Code, Reason } from '../http/request-schemas';
import { reportingUnits, sendBackUnit } from './reporting-units.service';
import { createDraftLink, listDraftLinks, revokeDraftLink } from './draft-links.service';
import { startFromPrevious } from './previous-report.service';

const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });
/** Answers are checked against the cycle's template by `validateAnswers`, field by field. */
const Answers = Type.Record(Type.String(), Type.Unknown(), {
  description: 'ReportAnswers: keyTasks, indicators, sections, examples, proposals, recommendations',
});

/** A body is read only for a link that leads to a task: anything else is refused (404/410) first. */
const linkFirst = async (request: FastifyRequest): Promise<void> => {
  await resolveHolder(request.em.fork(), (request.params as { token: string }).token);
};
/** Likewise, and only the unit head's own link (a draft-only link is refused with 403). */
const headLinkFirst = async (request: FastifyRequest): Promise<void> => {
  await resolveLink(request.em.fork(), (request.params as { token: string }).token);
};

/** The unit head's JSON API, authenticated by the personal link token. */
export const linkRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/link/:token',
    {
      schema: {
        summary: 'The task behind a personal link: period, deadline, template, draft, last receipt',
        tags: ['unit head'],
        params: TokenParams,
      },
    },
    async (request) => readTask(request.em, request.params.token, app.now()),
  );

  app.put(
    '/api/v1/link/:token/draft',
    {
      schema: {
        summary: "Save a draft (incomplete answers allowed); a draft-only link saves too, under its holder's name",
        tags: ['unit head'],
        params: TokenParams,
        body: Answers,
      },
      onRequest: linkFirst,
    },
    async (request) => saveDraft(request.em, request.params.token, request.body, request.ip, app.now()),
  );

  app.post(
    '/api/v1/link/:token/submission',
    {
      schema: {
        summary: "Submit the report; answers 201 with a receipt once it is stored (the unit head's link only)",
        tags: ['unit head'],
        params: TokenParams,
        body: Answers,
      },
      onRequest: headLinkFirst,
    },
    async (request, reply) => {
      const { receipt, wake } = await submitReport(
        request.em,
        app.afterReport,
        request.params.token,
        request.body,
        request.ip,
        app.now(),
      );
      if (wake) app.wake(wake.workflowId, wake.signal);
      return reply.status(201).send(receipt);
    },
  );

  app.get(
    '/api/v1/link/:token/receipt',
    {
      schema: { summary: 'The receipt of the latest submission', tags: ['unit head'], params: TokenParams },
    },
    async (request) => readReceipt(request.em, request.params.token),
  );

  app.get(
    '/api/v1/link/:token/units',
    {
      schema: {
        summary:
          "The units reporting to the link's unit, with their state, and the consolidation of everything below it (404 for a unit nothing reports to)",
        tags: ['unit head'],
        params: TokenParams,
      },
    },
    async (request) => {
      const below = await reportingUnits(request.em, request.params.token);
      if (!below) throw new NotFoundError({ code: 'nothing_reports_here', params: {} }, 'token');
      return below;
    },
  );

  app.post(
    '/api/v1/link/:token/units/:unit/send-back',
    {
      schema: {
        summary:
          "Send back the report of a unit reporting to the link's unit, with the reason: its link reopens until this unit's own deadline",
        tags: ['unit head'],
        params: Type.Object({ ...TokenParams.properties, unit: Code }),
        body: Type.Object({ reason: Reason }, { additionalProperties: false }),
      },
      onRequest: headLinkFirst,
    },
    async (request) =>
      sendBackUnit(
        { em: request.em, temporal: app.temporal },
        request.params.token,
        request.params.unit,
        request.body.reason,
        request.ip,
      ),
  );

  app.post(
    '/api/v1/link/:token/draft/from-previous',
    {
      schema: {
        summary:
          "Fill the draft from the unit's previous report in this campaign (key tasks, indicators and sections that still exist); refused when a draft is saved",
        tags: ['unit head'],
        params: TokenParams,
      },
    },
    async (request) => startFromPrevious(request.em, request.params.token, { origin: request.ip, now: app.now() }),
  );

  app.get(
    '/api/v1/link/:token/draft-links',
    {
      schema: {
        summary: "The draft-only links the unit head gave staff (the head's link only)",
        tags: ['unit head'],
        params: TokenParams,
      },
    },
    async (request) => listDraftLinks(request.em, request.params.token),
  );

  app.post(
    '/api/v1/link/:token/draft-links',
    {
      schema: {
        summary:
          'Give a staff member a draft-only link (it saves drafts under their name, never submits); answers 201 with its URL, shown this once',
        tags: ['unit head'],
        params: TokenParams,
        body: Type.Object(
          { holderName: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
      },
      onRequest: headLinkFirst,
    },
    async (request, reply) => {
      const { token, ...link } = await createDraftLink(request.em, request.params.token, request.body.holderName, {
        origin: request.ip,
        now: app.now(),
      });
      return reply.status(201).send({ ...link, url: `${app.config.PUBLIC_URL}/r/${token}` });
    },
  );

  app.delete(
    '/api/v1/link/:token/draft-links/:draftLink',
    {
      schema: {
        summary: 'Withdraw a draft-only link: it stops working at once',
        tags: ['unit head'],
        params: Type.Object({ ...TokenParams.properties, draftLink: Type.Integer({ minimum: 1 }) }),
      },
    },
    async (request) =>
      revokeDraftLink(request.em, request.params.token, request.params.draftLink, {
        origin: request.ip,
        now: app.now(),
      }),
  );
};
