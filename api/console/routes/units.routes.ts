/** Units in the console: list, create, edit (and deactivate), CSV import with a preview first. */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../../domain/errors';
import { statusOf } from '../../http/errors';
import { importPage, unitFormPage, unitsPage, type UnitFormValues } from '../pages/units.page';
import { userActor, type AdminContext } from '../../services/admin-common';
import { createUnit, getUnit, updateUnit } from '../../services/admin-units.service';
import { pageUnits, unitForest } from '../services/units.service';
import { unitTreePage } from '../pages/unit-tree.page';
import { CSV_COLUMNS, importUnits } from '../../services/units-import.service';
import { field, requireUser, sendPage } from './context';
import { CodeParams } from '../../http/request-schemas';

const ADMIN = ['admin'] as const;
const PAGE_SIZE = 50;
/** CSV files up to the JSON import's limit (2 MB), URL-encoded in a form (up to 3 times larger). */
const IMPORT_BODY_LIMIT = 7 * 1024 * 1024;

const ctxOf = (request: FastifyRequest, name: string, now: Date): AdminContext => ({
  em: request.em,
  actor: userActor({ name }, request.ip),
  now,
  scopes: requireUser(request).scopes,
});

function formValues(body: unknown, code: string): UnitFormValues {
  return {
    code,
    name: field(body, 'name'),
    headName: field(body, 'headName'),
    headEmail: field(body, 'headEmail'),
    supervisorName: field(body, 'supervisorName'),
    supervisorEmail: field(body, 'supervisorEmail'),
    parentCode: field(body, 'parentCode'),
    active: field(body, 'active') === 'true',
  };
}

/** A refused unit form: the field and the refusal in the reader's language. */
function unitError(error: unknown, lang: 'vi' | 'en'): { status: number; field?: string; message: string } {
  if (!(error instanceof DomainError)) throw error;
  return { status: statusOf(error), ...(error.field ? { field: error.field } : {}), message: error.textIn(lang) };
}

export const unitPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/console/units/tree',
    {
      config: { consoleRoles: ADMIN, listInScope: true },
      schema: {
        hide: true,
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 100 })),
          lang: Type.Optional(Type.String({ maxLength: 5 })),
        }),
      },
    },
    async (request, reply) => {
      const { view, scopes } = requireUser(request);
      return sendPage(reply, unitTreePage(view, await unitForest(request.em, scopes), request.query.q));
    },
  );

  app.get(
    '/console/units',
    {
      config: { consoleRoles: ADMIN, listInScope: true },
      schema: {
        hide: true,
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 100 })),
          active: Type.Optional(Type.String({ maxLength: 5 })),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
          ok: Type.Optional(Type.String({ maxLength: 20 })),
          unit: Type.Optional(Type.String({ maxLength: 64 })),
          n: Type.Optional(Type.String({ maxLength: 40 })),
          lang: Type.Optional(Type.String({ maxLength: 5 })),
        }),
      },
    },
    async (request, reply) => {
      const { view, scopes } = requireUser(request);
      const q = request.query;
      const active = q.active === 'true' ? true : q.active === 'false' ? false : undefined;
      const page = q.page ?? 1;
      const { rows, total, all } = await pageUnits(request.em, {
        ...(q.q ? { q: q.q } : {}),
        ...(active === undefined ? {} : { active }),
        page,
        pageSize: PAGE_SIZE,
        scopes,
      });
      const vi = view.lang === 'vi';
      const notice =
        q.ok === 'saved'
          ? vi
            ? `Đã lưu đơn vị ${q.unit ?? ''}.`
            : `Unit ${q.unit ?? ''} saved.`
          : q.ok === 'imported'
            ? vi
              ? `Đã nhập tệp CSV: ${q.n ?? ''}.`
              : `CSV imported: ${q.n ?? ''}.`
            : null;
      return sendPage(
        reply,
        unitsPage(view, {
          rows,
          total,
          all,
          ...(q.q ? { q: q.q } : {}),
          ...(active === undefined ? {} : { active }),
          page,
          pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
          notice,
        }),
      );
    },
  );

  /** The form's values as the units service takes them: an empty optional field clears it. */
  const unitInput = (values: UnitFormValues) => ({
    name: values.name,
    headName: values.headName,
    headEmail: values.headEmail,
    supervisorName: values.supervisorName || null,
    supervisorEmail: values.supervisorEmail || null,
    active: values.active,
    parentCode: values.parentCode || null,
  });

  const empty: UnitFormValues = {
    code: '',
    name: '',
    headName: '',
    headEmail: '',
    supervisorName: '',
    supervisorEmail: '',
    parentCode: '',
    active: true,
  };

  app.get('/console/units/new', { config: { consoleRoles: ADMIN }, schema: { hide: true } }, async (request, reply) => {
    const { view } = requireUser(request);
    return sendPage(reply, unitFormPage(view, { mode: 'new', values: empty }));
  });

  app.post('/console/units', { config: { consoleRoles: ADMIN }, schema: { hide: true } }, async (request, reply) => {
    const user = requireUser(request);
    const values = formValues(request.body, field(request.body, 'code'));
    try {
      await createUnit(ctxOf(request, user.name, app.now()), { code: values.code, ...unitInput(values) });
    } catch (error) {
      const e = unitError(error, user.view.lang);
      return sendPage(reply, unitFormPage(user.view, { mode: 'new', values, error: e }), e.status);
    }
    return reply.redirect(`/console/units?ok=saved&unit=${encodeURIComponent(values.code)}`, 303);
  });

  // Before `/console/units/:code`, so "import" is not read as a unit code.
  await app.register(async (scope) => {
    // A CSV in a form is larger than the app's form limit: this scope parses forms itself.
    scope.removeContentTypeParser('application/x-www-form-urlencoded');
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT },
      (_request, body, done) => {
        // Into an object without a prototype, like every other form (@fastify/formbody's parser).
        done(
          null,
          Object.assign(
            Object.create(null) as Record<string, string>,
            Object.fromEntries(new URLSearchParams(body as string)),
          ),
        );
      },
    );

    scope.get(
      '/console/units/import',
      { config: { consoleRoles: ADMIN }, schema: { hide: true } },
      async (request, reply) => {
        const { view } = requireUser(request);
        return sendPage(reply, importPage(view, { csv: '', columns: CSV_COLUMNS }));
      },
    );

    scope.post(
      '/console/units/import',
      { config: { consoleRoles: ADMIN }, bodyLimit: IMPORT_BODY_LIMIT, schema: { hide: true } },
      async (request, reply) => {
        const user = requireUser(request);
        const csv = (request.body as Record<string, unknown> | undefined)?.csv;
        const text = typeof csv === 'string' ? csv : '';
        const confirm = field(request.body, 'action') === 'confirm';
        const vi = user.view.lang === 'vi';
        if (!text.trim()) {
          return sendPage(
            reply,
            importPage(user.view, {
              csv: '',
              columns: CSV_COLUMNS,
              error: vi ? 'Hãy dán nội dung CSV hoặc chọn tệp.' : 'Paste the CSV content or choose a file.',
            }),
            400,
          );
        }
        const result = await importUnits(ctxOf(request, user.name, app.now()), text, { dryRun: !confirm });
        if (result.saved) {
          const n = vi
            ? `${result.created} mới, ${result.updated} cập nhật, ${result.unchanged} không đổi`
            : `${result.created} new, ${result.updated} updated, ${result.unchanged} unchanged`;
          return reply.redirect(`/console/units?ok=imported&n=${encodeURIComponent(n)}`, 303);
        }
        return sendPage(
          reply,
          importPage(user.view, { csv: text, result, columns: CSV_COLUMNS }),
          result.errors.length ? 400 : 200,
        );
      },
    );
  });

  app.get(
    '/console/units/:code',
    { config: { consoleRoles: ADMIN }, schema: { hide: true, params: CodeParams } },
    async (request, reply) => {
      const { view } = requireUser(request);
      const u = await getUnit(request.em, request.params.code);
      return sendPage(
        reply,
        unitFormPage(view, {
          mode: 'edit',
          values: {
            code: u.code,
            name: u.name,
            headName: u.headName,
            headEmail: u.headEmail,
            supervisorName: u.supervisorName ?? '',
            supervisorEmail: u.supervisorEmail ?? '',
            parentCode: u.parentCode ?? '',
            active: u.active,
          },
        }),
      );
    },
  );

  app.post(
    '/console/units/:code',
    { config: { consoleRoles: ADMIN }, schema: { hide: true, params: CodeParams } },
    async (request, reply) => {
      const user = requireUser(request);
      const values = formValues(request.body, request.params.code);
      try {
        await updateUnit(ctxOf(request, user.name, app.now()), request.params.code, unitInput(values));
      } catch (error) {
        const e = unitError(error, user.view.lang);
        return sendPage(reply, unitFormPage(user.view, { mode: 'edit', values, error: e }), e.status);
      }
      return reply.redirect(`/console/units?ok=saved&unit=${encodeURIComponent(values.code)}`, 303);
    },
  );
};
