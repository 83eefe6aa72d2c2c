import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { readReceipt, readTask, resolveLink, saveDraft, submitReport } from '../services/unit-task.service';

const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });
/** Answers are checked against the cycle's template by `validateAnswers`, field by field. */
const Answers = Type.Record(Type.String(), Type.Unknown(), {
  description: 'ReportAnswers: keyTasks, indicators, sections, examples, proposals, recommendations',
});

/** A body is read only for a link that leads to a task: anything else is refused (404/410) first. */
const linkFirst = async (request: FastifyRequest): Promise<void> => {
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
        summary: 'Save a draft (incomplete answers allowed)',
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
        summary: 'Submit the report; answers 201 with a receipt once it is stored',
        tags: ['unit head'],
        params: TokenParams,
        body: Answers,
      },
      onRequest: linkFirst,
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
};
