/**
 * Domain errors: named classes the API maps to HTTP statuses in one place and Temporal treats as
 * non-retryable by name. Each carries a refusal (domain/refusals.ts): a code and parameters that
 * pages put into the reader's language; `message` is its English sentence. Pure: imported by
 * workflows.
 */
import { refusalText, type Refusal } from './refusals';
import type { Locale } from './template';

export class DomainError extends Error {
  constructor(
    readonly refusal: Refusal,
    readonly field?: string,
  ) {
    super(refusalText(refusal, 'en'));
    this.name = new.target.name;
  }

  /** The sentence for a reader of `lang`. */
  textIn(lang: Locale): string {
    return refusalText(this.refusal, lang);
  }
}

/** Something named in the request does not exist (404). */
export class NotFoundError extends DomainError {}
/** The current state forbids the action (409). */
export class ConflictError extends DomainError {}
/** The caller is known but may not do this with what it holds (403). */
export class ForbiddenError extends DomainError {}
/** The request is malformed; `field` names the offending field (400). */
export class ValidationError extends DomainError {}
/** The link or token is not (or no longer) valid (401/410 depending on why). */
export class LinkError extends DomainError {
  constructor(
    refusal: Refusal,
    readonly reason: 'unknown' | 'replaced' | 'closed',
  ) {
    super(refusal);
  }
}

export const NON_RETRYABLE_ERRORS = ['NotFoundError', 'ConflictError', 'ValidationError', 'LinkError'] as const;

/** The domain error class of each name, to rebuild an error that crossed a Temporal boundary. */
export const DOMAIN_ERRORS: Readonly<
  Record<(typeof NON_RETRYABLE_ERRORS)[number], new (reason: Refusal, field?: string) => DomainError>
> = {
  NotFoundError,
  ConflictError,
  ValidationError,
  LinkError: ConflictError,
};
