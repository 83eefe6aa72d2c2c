/**
 * Domain errors: named classes the API maps to HTTP statuses in one place and Temporal treats as
 * non-retryable by name. Pure: imported by workflows.
 */

export class DomainError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Something named in the request does not exist (404). */
export class NotFoundError extends DomainError {}
/** The current state forbids the action (409). */
export class ConflictError extends DomainError {}
/** The request is malformed; `field` names the offending field (400). */
export class ValidationError extends DomainError {}
/** The link or token is not (or no longer) valid (401/410 depending on why). */
export class LinkError extends DomainError {
  constructor(message: string, readonly reason: 'unknown' | 'replaced' | 'closed') {
    super(message);
  }
}

export const NON_RETRYABLE_ERRORS = ['NotFoundError', 'ConflictError', 'ValidationError', 'LinkError'] as const;
