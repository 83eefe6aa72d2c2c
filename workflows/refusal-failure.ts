/**
 * Refusals across Temporal: a workflow's update validator or an activity refuses with an
 * `ApplicationFailure` whose type is the domain error's name and whose details carry the refusal
 * (domain/refusals.ts); the API turns it back into that domain error, so pages can still say it
 * in the reader's language. Pure: imported by workflows.
 */
import { ApplicationFailure } from '@temporalio/common';
import { ConflictError, DOMAIN_ERRORS, DomainError, NON_RETRYABLE_ERRORS } from '../domain/errors';
import { isRefusal, refusalText, type Refusal } from '../domain/refusals';

type DomainErrorName = (typeof NON_RETRYABLE_ERRORS)[number];

/** The failure a workflow throws (or an activity's domain error becomes) to refuse with `refusal`. */
export function refusalFailure(type: DomainErrorName, refusal: Refusal, field?: string): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message: refusalText(refusal, 'en'),
    nonRetryable: true,
    details: [refusal, field ?? null],
  });
}

/** An activity's domain error as the failure that carries its refusal. */
export function failureOf(error: DomainError): ApplicationFailure {
  const type = (NON_RETRYABLE_ERRORS as readonly string[]).includes(error.name)
    ? (error.name as DomainErrorName)
    : 'ConflictError';
  return refusalFailure(type, error.refusal, error.field);
}

/** The domain error a failure stands for; `field` names the request's field when the failure does not. */
export function domainErrorOf(failure: ApplicationFailure, field: string): DomainError {
  const [refusal, ownField] = (failure.details ?? []) as [unknown, unknown];
  const Type = DOMAIN_ERRORS[failure.type as DomainErrorName] ?? ConflictError;
  const where = typeof ownField === 'string' ? ownField : field;
  return new Type(
    isRefusal(refusal) ? refusal : { code: 'unexpected_failure', params: { message: failure.message } },
    where,
  );
}
