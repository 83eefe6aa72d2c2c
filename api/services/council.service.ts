/** The council's actions: read the consolidated report, vote on it and on each proposal; its decisions. */
import { createHmac } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { appendAudit, canonicalJson } from '../../db/audit';
import { safeEqual } from '../../auth/tokens';
import { AuditEvent, Ballot, CommendationDecision, ConsolidatedReport, Person, UnitTask } from '../../db/entities';
import { reviewRollOf } from '../../db/council-roll';
import type { IBallot } from '../../db/entities/council.entity';
import type { ICycle } from '../../db/entities/cycle.entity';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import { AuthError } from '../http/errors';
import { decideReport, quorumReached } from '../../domain/review';
import type { Principal } from '../http/auth';
import { readConsolidatedReport } from '../../db/consolidated-report';

export type BallotRequest =
  | { readonly subject: 'report'; readonly version: number; readonly choice: 'approve' }
  | {
      readonly subject: 'report';
      readonly version: number;
      readonly choice: 'request_revision';
      readonly unitCodes: readonly string[];
      readonly comment: string;
    }
  | {
      readonly subject: 'proposal';
      readonly proposalId: string;
      readonly version: number;
      readonly choice: 'approve' | 'reject';
      readonly comment?: string;
    };

/**
 * Secret ballots on the record. While a cycle's ballots are secret, its `ballot.cast` events keep
 * who voted on what, and a seal of how: HMAC-SHA256, under a key derived from LINK_SECRET, of the
 * ballot's canonical content (cycle, ballot id, version, subject, choice, units, comment). Nobody
 * reading the audit log, its export or the timeline learns a choice from it; whoever holds the
 * server secret can show that the stored ballots — from which the tally is recounted — are the
 * ones cast (`verifyBallotSeals`), since the seals sit in the hash chain.
 */
export function ballotSealKey(linkSecret: string): Buffer {
  return createHmac('sha256', linkSecret).update('baocao ballot seal v1').digest();
}

const sealOf = (
  key: Buffer,
  cycleId: number,
  b: Pick<IBallot, 'id' | 'reportVersion' | 'subjectKey' | 'choice' | 'unitCodes' | 'comment'>,
): string =>
  createHmac('sha256', key)
    .update(
      canonicalJson({
        cycleId,
        ballotId: b.id,
        version: b.reportVersion,
        subject: b.subjectKey,
        choice: b.choice,
        unitCodes: b.unitCodes ?? null,
        comment: b.comment ?? null,
      }),
    )
    .digest('hex');

/** Recomputes every ballot's seal of a secret-ballot cycle and compares it with its `ballot.cast` event. */
export async function verifyBallotSeals(
  em: EntityManager,
  key: Buffer,
  cycleId: number,
): Promise<{ ok: boolean; ballots: number; mismatched: number[] }> {
  const ballots = await em.find(Ballot, { cycle: cycleId }, { orderBy: { id: 'asc' } });
  const events = await em.find(AuditEvent, { action: 'ballot.cast', cycleId });
  const sealed = new Map(
    events.map((e) => [(e.after as { ballotId?: number }).ballotId, (e.after as { sealed?: unknown }).sealed]),
  );
  const mismatched = ballots
    .filter((b) => {
      const recorded = sealed.get(b.id);
      return typeof recorded !== 'string' || !safeEqual(recorded, sealOf(key, cycleId, b));
    })
    .map((b) => b.id);
  return { ok: mismatched.length === 0, ballots: ballots.length, mismatched };
}

/** Stores one ballot (a member votes once per subject and version); answers the workflow to wake. */
export async function castBallot(
  em: EntityManager,
  cycle: ICycle,
  voter: Principal,
  request: BallotRequest,
  origin: string,
  now: Date,
  sealKey: Buffer,
): Promise<{ ballotId: number; workflowId: string }> {
  if (cycle.stage !== 'review') throw new ConflictError({ code: 'not_in_review', params: { stage: cycle.stage } });
  if (cycle.reviewVersion !== request.version)
    throw new ConflictError(
      {
        code: 'version_not_under_review',
        params: { version: request.version, reviewing: cycle.reviewVersion ?? null },
      },
      'version',
    );
  if (request.subject === 'report' && request.choice === 'request_revision') {
    const codes = [...new Set(request.unitCodes)];
    const tasks = await em.find(UnitTask, { cycle, unit: { code: { $in: codes } } }, { populate: ['unit'] });
    const unknown = codes.filter((c) => !tasks.some((t) => t.unit.code === c));
    if (unknown.length)
      throw new ValidationError({ code: 'units_not_in_cycle', params: { units: unknown } }, 'unitCodes');
    const silent = tasks.filter((t) => t.state === 'not_submitted').map((t) => t.unit.code);
    if (silent.length)
      throw new ValidationError({ code: 'units_submitted_nothing', params: { units: silent } }, 'unitCodes');
  }
  if (request.subject === 'proposal') {
    const report = await em.findOneOrFail(ConsolidatedReport, { cycle, version: request.version });
    if (!(await readConsolidatedReport(em, report)).proposals.some((p) => p.id === request.proposalId)) {
      throw new NotFoundError(
        { code: 'proposal_unknown', params: { proposalId: request.proposalId, version: request.version } },
        'proposalId',
      );
    }
  }
  // Only the council recorded when this review opened votes on it, each person once.
  if (!(await reviewRollOf(em, cycle, request.version)).includes(voter.personId))
    throw new AuthError({ code: 'not_on_council', params: { version: request.version } }, 403);
  const subjectKey = request.subject === 'report' ? 'report' : `proposal:${request.proposalId}`;
  try {
    return await em.transactional(async (tx) => {
      const ballot = tx.create(Ballot, {
        cycle,
        reportVersion: request.version,
        voter: tx.getReference(Person, voter.personId),
        subjectKey,
        choice: request.choice,
        unitCodes:
          request.subject === 'report' && request.choice === 'request_revision' ? [...request.unitCodes] : null,
        comment: 'comment' in request && request.comment ? request.comment : null,
      });
      await tx.flush();
      const cast = { ballotId: ballot.id, version: request.version, subject: subjectKey };
      await appendAudit(tx, {
        actor: { kind: 'user', id: voter.name, origin },
        action: 'ballot.cast',
        subjectType: 'cycle',
        subjectId: String(cycle.id),
        cycleId: cycle.id,
        after: cycle.policy.secretBallots
          ? { ...cast, secret: true, sealed: sealOf(sealKey, cycle.id, ballot) }
          : { ...cast, choice: request.choice, unitCodes: ballot.unitCodes, comment: ballot.comment },
        occurredAt: now,
      });
      return { ballotId: ballot.id, workflowId: cycle.workflowId };
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw new ConflictError({
        code: 'already_voted',
        params: { proposalId: request.subject === 'proposal' ? request.proposalId : null, version: request.version },
      });
    }
    throw error;
  }
}

/**
 * Who has voted on `version` (the version under review by default) and whether quorum is reached;
 * how each voted only when ballots are not secret (to anyone, auditors included).
 */
export async function reviewStatus(
  em: EntityManager,
  cycle: ICycle,
  version: number | null = cycle.reviewVersion ?? null,
) {
  const memberIds = version ? await reviewRollOf(em, cycle, version) : [];
  const members = memberIds;
  const ballots = version
    ? await em.find(
        Ballot,
        { cycle, reportVersion: version, voter: { $in: memberIds } },
        { populate: ['voter'], orderBy: { id: 'asc' } },
      )
    : [];
  const report = ballots.filter((b) => b.subjectKey === 'report');
  const tally = decideReport(
    members.length,
    report.map((b) => ({
      choice: b.choice === 'approve' ? 'approve' : 'request_revision',
      unitCodes: b.unitCodes ?? [],
      comment: b.comment ?? null,
    })),
    cycle.policy.quorum,
    cycle.policy.approvalThreshold,
  );
  const reveal = !cycle.policy.secretBallots;
  return {
    stage: cycle.stage,
    version,
    reviewEndsAt: version === cycle.reviewVersion ? (cycle.reviewEndsAt?.toISOString() ?? null) : null,
    members: members.length,
    voted: report.map((b) => b.voter.name),
    quorumReached: quorumReached(report.length, members.length, cycle.policy.quorum),
    decision: tally.decision,
    secretBallots: cycle.policy.secretBallots,
    ...(reveal
      ? {
          ballots: ballots.map((b) => ({
            voter: b.voter.name,
            subject: b.subjectKey,
            choice: b.choice,
            unitCodes: b.unitCodes,
            comment: b.comment,
            castAt: b.createdAt.toISOString(),
          })),
        }
      : {}),
  };
}

/** The versions of a cycle's consolidated report, oldest first. */
export async function consolidatedVersions(em: EntityManager, cycle: ICycle) {
  const reports = await em.find(
    ConsolidatedReport,
    { cycle },
    { orderBy: { version: 'asc' }, fields: ['version', 'createdAt'] },
  );
  return reports.map((r) => ({ version: r.version, createdAt: r.createdAt.toISOString() }));
}

/** One version of a cycle's consolidated report; 404 naming `version` when it was never consolidated. */
export async function consolidatedVersion(em: EntityManager, cycle: ICycle, version: number) {
  const report = await em.findOne(ConsolidatedReport, { cycle, version });
  if (!report) throw new NotFoundError({ code: 'version_not_consolidated', params: { version } }, 'version');
  return {
    version: report.version,
    createdAt: report.createdAt.toISOString(),
    content: await readConsolidatedReport(em, report),
  };
}

/** The commendation decisions of a published cycle, by proposal. */
export async function commendationDecisions(em: EntityManager, cycle: ICycle) {
  const decisions = await em.find(CommendationDecision, { cycle }, { orderBy: { proposalId: 'asc' } });
  return decisions.map((d) => ({
    proposalId: d.proposalId,
    unitCode: d.unitCode,
    nominee: d.nominee,
    requestedForm: d.requestedForm,
    approved: d.approved,
    approvals: d.approvals,
    rejections: d.rejections,
    members: d.members,
    version: d.reportVersion,
  }));
}
