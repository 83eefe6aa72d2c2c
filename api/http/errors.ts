import type { FastifyError, FastifyInstance } from 'fastify';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  LinkError,
  NotFoundError,
  ValidationError,
} from '../../domain/errors';
import type { FieldError } from '../../domain/answers';
import type { Refusal } from '../../domain/refusals';

/** Authentication is missing or wrong (401), or the role may not do this (403). */
export class AuthError extends DomainError {
  constructor(
    refusal: Refusal,
    readonly status: 401 | 403,
  ) {
    super(refusal);
  }
}

/** A part of the server this answer needs is missing (503), e.g. the PDF renderer. */
export class UnavailableError extends DomainError {}

/** A report that does not fit its template: every problem, each naming its field. */
export class InvalidReportError extends ValidationError {
  constructor(readonly errors: readonly FieldError[]) {
    const detail = `${errors
      .slice(0, 5)
      .map((e) => `${e.field} ${e.message}`)
      .join('; ')}${errors.length > 5 ? '; …' : ''}`;
    super({ code: 'invalid_report', params: { problems: errors.length, detail } }, errors[0]?.field);
  }
}

export function statusOf(error: unknown): number {
  if (error instanceof AuthError) return error.status;
  if (error instanceof UnavailableError) return 503;
  if (error instanceof LinkError) return error.reason === 'unknown' ? 404 : 410;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof ConflictError) return 409;
  if (error instanceof ValidationError) return 400;
  return 500;
}

export interface ErrorBody {
  error: string;
  /** The refusal's code (domain/refusals.ts), when the error is one. */
  code?: string;
  message: string;
  field?: string;
  errors?: readonly FieldError[];
}

/** One error handler: domain errors to 4xx with a message a person can act on; never a stack trace. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if ('validation' in error && error.validation) {
      const first = error.validation[0];
      const path = first?.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const missing =
        first?.params && 'missingProperty' in first.params ? String(first.params.missingProperty) : undefined;
      const extra =
        first?.params && 'additionalProperty' in first.params ? String(first.params.additionalProperty) : undefined;
      const field = [path, missing ?? extra].filter(Boolean).join('.') || undefined;
      return reply.status(400).send({
        error: 'ValidationError',
        message:
          `${error.validationContext ?? 'request'} ${error.message.replace(/^(body|querystring|params|headers)\/?/, '')}`.trim(),
        ...(field ? { field } : {}),
      } satisfies ErrorBody);
    }
    const fastifyStatus = (error as FastifyError).statusCode;
    if (!(error instanceof DomainError) && fastifyStatus && fastifyStatus >= 400 && fastifyStatus < 500) {
      return reply.status(fastifyStatus).send({ error: error.name, message: error.message } satisfies ErrorBody);
    }
    const status = statusOf(error);
    if (status === 500) {
      request.log.error({ err: error }, 'unhandled error');
      return reply.status(500).send({
        error: 'InternalError',
        message: 'Something went wrong on our side; nothing you sent was lost if the answer says so. Please try again.',
      } satisfies ErrorBody);
    }
    const body: ErrorBody = {
      error: error.name,
      ...(error instanceof DomainError && error.refusal ? { code: error.refusal.code } : {}),
      // A missing part of the server is said in both languages: whoever reads it passes it on to an operator.
      message: error instanceof UnavailableError ? `${error.message} / ${error.textIn('vi')}` : error.message,
    };
    if (error instanceof DomainError && error.field) body.field = error.field;
    if (error instanceof InvalidReportError) body.errors = error.errors;
    return reply.status(status).send(body);
  });
}
