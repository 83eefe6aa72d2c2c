/**
 * What every administration use-case shares: who acts, text normalisation, the checks that the
 * JSON API and the CSV import apply alike, and turning a lost race on a unique key into a 409.
 */
import type { Refusal } from '../../domain/refusals';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { appendAudit, type Actor } from '../../db/audit';
import { hasInvisibleFormatting } from '../../domain/display-text';
import { ConflictError, ValidationError } from '../../domain/errors';
import type { Principal } from '../http/auth';
import type { Scope } from './people.service';

/** The context of one administrative write: its entity manager, its actor and its instant. */
export interface AdminContext {
  readonly em: EntityManager;
  readonly actor: Actor;
  readonly now: Date;
  /**
   * The scopes of the actor's role, where a write may reach beyond the resource its route is
   * scoped to (a unit's new parent); absent for the whole installation (scripts, the system).
   */
  readonly scopes?: readonly Scope[];
}

/** Records an administrative change on the audit log, in the write's own transaction. */
export async function auditChange(
  tx: EntityManager,
  ctx: AdminContext,
  action: string,
  subject: { readonly type: string; readonly id: string },
  change: { readonly before?: unknown; readonly after?: unknown },
): Promise<void> {
  await appendAudit(tx, {
    actor: ctx.actor,
    action,
    subjectType: subject.type,
    subjectId: subject.id,
    ...change,
    occurredAt: ctx.now,
  });
}

export const userActor = (principal: Pick<Principal, 'name'>, origin: string): Actor => ({
  kind: 'user',
  id: principal.name,
  origin,
});

/** Codes of units, campaigns, policies, templates: what the API and the workflow ids accept. */
export const CODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The `email` format of the JSON schema validator (ajv-formats, full mode), for the CSV import. */
export const EMAIL_PATTERN =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** Vietnamese typed on different keyboards arrives composed or decomposed: store it composed. */
export const clean = (value: string): string => value.normalize('NFC').trim();

/**
 * A cell a spreadsheet would run as a formula when the data is exported again (CSV injection):
 * it starts with `=`, `+`, `-`, `@`, a tab or a carriage return (also after leading spaces).
 */
export const startsWithFormula = (value: string): boolean =>
  /^[=+\-@\t\r]/.test(value) || /^[=+\-@]/.test(value.trimStart());

/** Control characters (after line breaks and tabs became spaces): PostgreSQL refuses NUL; none belongs in a name. */
// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u001F\u007F]/;

/** One problem with one field, as lists of errors report it. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** Normalises a one-line text (NFC, trimmed, inner whitespace runs as one space) and checks it. */
export function checkText(
  field: string,
  raw: string,
  { max, formula = false, pattern }: { max: number; formula?: boolean; pattern?: { re: RegExp; message: string } },
): { value: string; problem?: undefined } | { value?: undefined; problem: FieldProblem } {
  if (formula && startsWithFormula(raw))
    return {
      problem: { field, message: 'starts with a formula character (=, +, -, @, tab or carriage return); remove it' },
    };
  // Single-line fields: a line break or tab inside (e.g. from a spreadsheet cell) becomes a space.
  const value = clean(raw).replace(/\s+/g, ' ');
  if (value.length === 0) return { problem: { field, message: 'must not be blank' } };
  if (value.length > max) return { problem: { field, message: `must be at most ${max} characters` } };
  if (!value.isWellFormed()) return { problem: { field, message: 'contains invalid Unicode' } };
  if (CONTROL.test(value)) return { problem: { field, message: 'contains a control character' } };
  if (hasInvisibleFormatting(value))
    return {
      problem: {
        field,
        message:
          'contains an invisible formatting character (a right-to-left override, a zero-width space or the like); remove it',
      },
    };
  if (pattern && !pattern.re.test(value)) return { problem: { field, message: pattern.message } };
  return { value };
}

/** `checkText` for a single field of a JSON request: the problem becomes a 400 naming it. */
export function requireText(field: string, raw: string, options: Parameters<typeof checkText>[2]): string {
  const checked = checkText(field, raw, options);
  if (checked.problem)
    throw new ValidationError({ code: 'field_invalid', params: { field, problem: checked.problem.message } }, field);
  return checked.value;
}

/** Runs a write; a unique key taken meanwhile by a concurrent request becomes a 409 naming `field`. */
export async function uniquely<T>(field: string, refusal: Refusal, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new ConflictError(refusal, field);
    throw error;
  }
}

export const iso = (date: Date): string => date.toISOString();
