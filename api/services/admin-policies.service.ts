/**
 * Cycle policies. Replacing a policy's definition affects cycles started afterwards only: a
 * cycle keeps the snapshot it was started with.
 */
import type { Refusal } from '../../domain/refusals';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { canonicalJson } from '../../db/audit';
import { Policy } from '../../db/entities';
import type { IPolicy } from '../../db/entities/campaign.entity';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import type { CyclePolicy, Fraction } from '../../domain/policy';
import { auditChange, iso, uniquely, type AdminContext } from './admin-common';

export interface PolicyView {
  readonly code: string;
  readonly definition: CyclePolicy;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const viewOf = (p: IPolicy): PolicyView => ({
  code: p.code,
  definition: p.definition,
  createdAt: iso(p.createdAt),
  updatedAt: iso(p.updatedAt),
});

function invalid(field: string, message: string): never {
  throw new ValidationError({ code: 'field_invalid', params: { field, problem: message } }, field);
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function increasing(
  field: string,
  [first, second]: readonly [number, number],
  hardClose: number,
  hardCloseField: string,
): void {
  if (second <= first) invalid(`${field}.1`, `(${second}) must come after the first escalation (${first})`);
  if (hardClose <= second) invalid(hardCloseField, `(${hardClose}) must come after the second escalation (${second})`);
}

function fraction(field: string, f: Fraction): void {
  if (f.numerator > f.denominator)
    invalid(`${field}.numerator`, `(${f.numerator}) must not be greater than the denominator (${f.denominator})`);
}

const unique = (field: string, values: readonly number[]): void => {
  const dup = values.find((v, i) => values.indexOf(v) !== i);
  if (dup !== undefined) invalid(field, `lists ${dup} twice`);
};

/**
 * What the JSON schema cannot say: a real IANA time zone, the deadline after the dispatch,
 * escalations in order and the hard close after them, fractions at most one (and an approval
 * share below one, since approval needs strictly more than it). Paths are under `definition`.
 */
export function checkPolicy(def: CyclePolicy): CyclePolicy {
  const t = def.timing;
  const at = 'definition.timing';
  if (t.kind === 'calendar') {
    if (!isTimeZone(t.timeZone))
      invalid(`${at}.timeZone`, `"${t.timeZone}" is not an IANA time zone (e.g. Asia/Ho_Chi_Minh)`);
    if (t.deadlineDay * 1440 + minutes(t.deadlineTime) <= t.dispatchDay * 1440 + minutes(t.dispatchTime)) {
      invalid(
        `${at}.deadlineDay`,
        `(day ${t.deadlineDay} at ${t.deadlineTime}) must come after the dispatch (day ${t.dispatchDay} at ${t.dispatchTime})`,
      );
    }
    unique(`${at}.reminderDaysBefore`, t.reminderDaysBefore);
    increasing(
      `${at}.escalationWorkingDaysAfter`,
      t.escalationWorkingDaysAfter,
      t.hardCloseWorkingDaysAfter,
      `${at}.hardCloseWorkingDaysAfter`,
    );
  } else {
    unique(`${at}.reminderSecondsBefore`, t.reminderSecondsBefore);
    const late = t.reminderSecondsBefore.find((s) => s > t.deadlineAfterSeconds);
    if (late !== undefined)
      invalid(
        `${at}.reminderSecondsBefore`,
        `(${late}) must not reach back before the cycle starts (deadlineAfterSeconds is ${t.deadlineAfterSeconds})`,
      );
    increasing(
      `${at}.escalationSecondsAfter`,
      t.escalationSecondsAfter,
      t.hardCloseSecondsAfter,
      `${at}.hardCloseSecondsAfter`,
    );
  }
  fraction('definition.quorum', def.quorum);
  fraction('definition.approvalThreshold', def.approvalThreshold);
  if (def.approvalThreshold.numerator === def.approvalThreshold.denominator) {
    invalid(
      'definition.approvalThreshold',
      'must be less than 1: approval needs strictly more than this share of the members present',
    );
  }
  for (const [title, rule] of Object.entries(def.titleVotes ?? {})) {
    fraction(`definition.titleVotes.${title}.threshold`, rule.threshold);
    fraction(`definition.titleVotes.${title}.quorum`, rule.quorum);
    if (rule.comparison === 'more_than' && rule.threshold.numerator === rule.threshold.denominator)
      invalid(`definition.titleVotes.${title}.threshold`, 'must be less than 1 when more than it must agree');
    if (rule.secretBallot && rule.tie === 'chair_decides')
      invalid(
        `definition.titleVotes.${title}.tie`,
        "cannot be chair_decides under a secret ballot: the outcome would tell the chair's choice",
      );
  }
  return def;
}

export async function listPolicies(em: EntityManager): Promise<PolicyView[]> {
  return (await em.find(Policy, {}, { orderBy: { code: 'asc' } })).map(viewOf);
}

export async function getPolicy(em: EntityManager, code: string): Promise<PolicyView> {
  const p = await em.findOne(Policy, { code });
  if (!p) throw new NotFoundError({ code: 'policy_unknown', params: { policy: code } }, 'code');
  return viewOf(p);
}

export async function createPolicy(ctx: AdminContext, code: string, definition: CyclePolicy): Promise<PolicyView> {
  const checked = checkPolicy(definition);
  const duplicate: Refusal = { code: 'already_exists', params: { kind: 'policy', key: code } };
  return uniquely('code', duplicate, () =>
    ctx.em.transactional(async (tx) => {
      if (await tx.count(Policy, { code })) throw new ConflictError(duplicate, 'code');
      const policy = tx.create(Policy, { code, definition: checked });
      await tx.flush();
      await auditChange(tx, ctx, 'policy.created', { type: 'policy', id: code }, { after: { definition: checked } });
      return viewOf(policy);
    }),
  );
}

/** Replaces the definition; running cycles keep the snapshot they started with. */
export async function replacePolicy(ctx: AdminContext, code: string, definition: CyclePolicy): Promise<PolicyView> {
  const checked = checkPolicy(definition);
  return ctx.em.transactional(async (tx) => {
    const policy = await tx.findOne(Policy, { code }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!policy) throw new NotFoundError({ code: 'policy_unknown', params: { policy: code } }, 'code');
    const before = policy.definition;
    if (canonicalJson(before) === canonicalJson(checked)) return viewOf(policy);
    policy.definition = checked;
    await tx.flush();
    await auditChange(
      tx,
      ctx,
      'policy.updated',
      { type: 'policy', id: code },
      { before: { definition: before }, after: { definition: checked } },
    );
    return viewOf(policy);
  });
}
