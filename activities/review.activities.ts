/** Activities of the council stage: review window, tally, revision round, publication. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { lockRow } from '../db/row-lock';
import { appendAudit, type Actor } from '../db/audit';
import { Ballot, CommendationDecision, ConsolidatedReport, Holiday, UnitTask } from '../db/entities';
import type { ICycle } from '../db/entities/cycle.entity';
import { windowEnd } from '../domain/calendar';
import { NotFoundError } from '../domain/errors';
import { decideProposal, decideReport, type ReportDecision, type Tally } from '../domain/review';
import type { Locale } from '../domain/template';
import { deliverPending, enqueueEmail, enqueueEmails } from '../mail/outbox';
import { deliveryDeps, type ActivityDeps } from './deps';
import { loadCycle } from './load-cycle';
import { taskEmailParams } from './task.activities';
import { readConsolidatedReport } from '../db/consolidated-report';
import { recordReviewRoll, reviewRollOf } from '../db/council-roll';

const actorOf = (cycle: ICycle): Actor => ({ kind: 'system', id: cycle.workflowId, origin: cycle.workflowId });

/** The council of a review (recorded when it opened) and the ballots on `subjectKey` of its members. */
async function rollAndBallots(
  em: EntityManager,
  cycle: ICycle,
  version: number,
  subjectKey: string | { $like: string },
) {
  const memberIds = await reviewRollOf(em, cycle, version);
  const ballots = await em.find(Ballot, {
    cycle: cycle.id,
    reportVersion: version,
    subjectKey,
    voter: { $in: memberIds },
  });
  return { members: memberIds.length, ballots };
}

export function createReviewActivities(deps: ActivityDeps) {
  const locale = deps.config.DEFAULT_LOCALE as Locale;

  return {
    /** Opens the review of consolidated version `version`; answers when its window ends. */
    async openReview({ cycleId, version }: { cycleId: number; version: number }): Promise<string> {
      return deps.orm.em.fork().transactional(async (em) => {
        const cycle = await loadCycle(em, cycleId, { lock: true });
        if (cycle.reviewVersion === version && cycle.reviewEndsAt) return cycle.reviewEndsAt.toISOString();
        const holidays = new Set((await em.find(Holiday, {})).map((h) => h.date));
        const now = deps.now();
        const ends = windowEnd(cycle.policy.timing, now.toISOString(), 'review', holidays);
        const before = { stage: cycle.stage, reviewVersion: cycle.reviewVersion };
        cycle.stage = 'review';
        cycle.reviewVersion = version;
        cycle.reviewEndsAt = new Date(ends);
        await em.flush();
        // The council of this vote, as it is now: later changes to the council do not rewrite it.
        const memberIds = await recordReviewRoll(em, cycle, version);
        await appendAudit(em, {
          actor: actorOf(cycle),
          action: 'cycle.review_opened',
          subjectType: 'cycle',
          subjectId: String(cycle.id),
          cycleId,
          before,
          after: { stage: 'review', reviewVersion: version, reviewEndsAt: ends, council: memberIds },
          occurredAt: now,
        });
        return ends;
      });
    },

    /** Counts the ballots on version `version` against the policy's quorum and threshold. */
    async tallyReview({ cycleId, version }: { cycleId: number; version: number }): Promise<Tally & ReportDecision> {
      const em = deps.orm.em.fork();
      const cycle = await loadCycle(em, cycleId);
      const { members, ballots } = await rollAndBallots(em, cycle, version, 'report');
      return decideReport(
        members,
        ballots.map((b) => ({
          choice: b.choice === 'approve' ? 'approve' : 'request_revision',
          unitCodes: b.unitCodes ?? [],
          comment: b.comment ?? null,
        })),
        cycle.policy.quorum,
        cycle.policy.approvalThreshold,
      );
    },

    /** Tells the secretariat the review window ended without a decision (once per version). */
    async reportReviewExpired({ cycleId, version }: { cycleId: number; version: number }): Promise<void> {
      const key = `review-expired:cycle-${cycleId}:v${version}`;
      await deps.orm.em.fork().transactional(async (em) => {
        const cycle = await loadCycle(em, cycleId, { lock: true });
        const { members, ballots } = await rollAndBallots(em, cycle, version, 'report');
        const voted = ballots.length;
        const exists = await em.execute('SELECT 1 FROM email WHERE idempotency_key = ?', [key]);
        if (exists.length) return;
        const auditEventId = await appendAudit(em, {
          actor: actorOf(cycle),
          action: 'cycle.review_expired',
          subjectType: 'cycle',
          subjectId: String(cycleId),
          cycleId,
          after: { version, members, voted },
          occurredAt: deps.now(),
        });
        await enqueueEmail(em, {
          key,
          kind: 'review_expired',
          recipient: deps.config.SECRETARIAT_EMAIL,
          locale,
          cycleId,
          auditEventId,
          params: {
            campaignName: cycle.campaign.name,
            period: cycle.period,
            version,
            reviewEndsAt: cycle.reviewEndsAt!.toISOString(),
            members,
            voted,
          },
        });
      });
      await deliverPending(deliveryDeps(deps), { keys: [key] });
    },

    /**
     * Reopens the named units' tasks for a revision round with its own deadline (the obligation's
     * schedule and timeliness stay as they were) and emails their heads the council's comment.
     * Answers the deadline and the tasks reopened. A retry finds the round recorded and only
     * finishes the deliveries.
     */
    async requestRevision({
      cycleId,
      version,
      unitCodes,
      comment,
      requestedAt,
    }: {
      cycleId: number;
      version: number;
      unitCodes: readonly string[];
      comment: string;
      requestedAt: string;
    }): Promise<{ deadline: string; units: { taskId: number; unitCode: string }[] }> {
      const keyPrefix = `revision:cycle-${cycleId}:v${version}:`;
      const result = await deps.orm.em.fork().transactional(async (em) => {
        const cycle = await loadCycle(em, cycleId, { lock: true });
        const holidays = new Set((await em.find(Holiday, {})).map((h) => h.date));
        // From the workflow's own clock, so a retried attempt computes the same deadline.
        const deadline = windowEnd(cycle.policy.timing, requestedAt, 'revision', holidays);
        // The named units, and in a cycle of several levels every unit above each that has reported:
        // the revision travels down to the unit and its revised report back up through them.
        const ids = await em.execute<{ id: number }[]>(
          `WITH RECURSIVE path AS (
             SELECT t.id, t.parent_task_id FROM unit_task t JOIN unit u ON u.id = t.unit_id
             WHERE t.cycle_id = ? AND u.code IN (SELECT jsonb_array_elements_text(?::jsonb))
             UNION
             SELECT p.id, p.parent_task_id FROM unit_task p JOIN path ON p.id = path.parent_task_id
             WHERE p.state IN ('submitted', 'resubmitted', 'accepted')
           )
           SELECT t.id FROM unit_task t WHERE t.id IN (SELECT id FROM path) ORDER BY t.id FOR UPDATE`,
          [cycleId, JSON.stringify(unitCodes)],
        );
        const tasks = await em.find(
          UnitTask,
          { id: { $in: ids.map((r) => r.id) } },
          {
            populate: ['unit', 'cycle', 'cycle.campaign', 'cycle.template'],
            orderBy: { unit: { code: 'asc' } },
            refresh: true,
          },
        );
        const units = tasks.map((t) => ({ taskId: t.id, unitCode: t.unit.code }));
        const recorded = await em.execute(
          `SELECT 1 FROM audit_event WHERE cycle_id = ? AND action = 'cycle.revision_requested' AND (after->>'version')::int = ?`,
          [cycleId, version],
        );
        if (recorded.length > 0) return { deadline, units }; // a retry: the round is recorded, its emails are in the outbox
        const now = deps.now();
        cycle.stage = 'revision';
        await em.flush();
        const auditEventId = await appendAudit(em, {
          actor: actorOf(cycle),
          action: 'cycle.revision_requested',
          subjectType: 'cycle',
          subjectId: String(cycleId),
          cycleId,
          after: { version, named: unitCodes, units: units.map((u) => u.unitCode), comment, deadline },
          occurredAt: now,
        });
        for (const task of tasks) {
          const before = task.state;
          task.state = 'revision_requested';
          task.revisionDeadline = new Date(deadline);
          await em.flush();
          await appendAudit(em, {
            actor: actorOf(cycle),
            action: 'task.revision_requested',
            subjectType: 'unit_task',
            subjectId: String(task.id),
            cycleId,
            before: { state: before },
            after: { state: 'revision_requested', deadline, comment },
            occurredAt: now,
          });
          await enqueueEmail(em, {
            key: `${keyPrefix}${task.unit.code}`,
            kind: 'revision',
            recipient: task.unit.headEmail,
            locale,
            params: { ...taskEmailParams(task), deadline, comment },
            cycleId,
            taskId: task.id,
            auditEventId,
          });
        }
        return { deadline, units };
      });
      await deliverPending(deliveryDeps(deps), { keyPrefix });
      return result;
    },

    /**
     * Checks a unit under revision: has it resubmitted? Once the revision deadline has passed, a
     * unit that did not resubmit keeps its previous report.
     */
    async closeRevision({
      taskId,
      deadlinePassed,
    }: {
      taskId: number;
      deadlinePassed: boolean;
    }): Promise<{ resubmitted: boolean }> {
      return deps.orm.em.fork().transactional(async (em) => {
        if (!(await lockRow(em, 'unit_task', taskId)))
          throw new NotFoundError({ code: 'record_missing', params: { what: 'unit task', id: taskId } });
        const task = await em.findOneOrFail(UnitTask, taskId, { populate: ['cycle'], refresh: true });
        if (task.state !== 'revision_requested') return { resubmitted: task.state === 'resubmitted' };
        if (!deadlinePassed) return { resubmitted: false };
        task.state = 'submitted';
        await em.flush();
        await appendAudit(em, {
          actor: { kind: 'system', id: task.workflowId, origin: task.workflowId },
          action: 'task.revision_expired',
          subjectType: 'unit_task',
          subjectId: String(task.id),
          cycleId: task.cycle.id,
          before: { state: 'revision_requested' },
          after: { state: 'submitted', note: 'previous report stands' },
          occurredAt: deps.now(),
        });
        return { resubmitted: false };
      });
    },

    /**
     * Decides every commendation proposal of the approved version by its own ballots, accepts
     * the reports, emails the approved report and the decisions to every unit, closes the cycle.
     */
    async publishCycle({
      cycleId,
      version,
    }: {
      cycleId: number;
      version: number;
    }): Promise<{ decisions: number; approved: number }> {
      const keyPrefix = `publication:cycle-${cycleId}:`;
      const result = await deps.orm.em.fork().transactional(async (em) => {
        const cycle = await loadCycle(em, cycleId, { lock: true });
        if (cycle.stage === 'closed') {
          // Published by an earlier attempt that died before reporting: only unsent messages are left.
          const decisions = await em.find(CommendationDecision, { cycle: cycleId }, { fields: ['approved'] });
          return { decisions: decisions.length, approved: decisions.filter((d) => d.approved).length };
        }
        const report = await em.findOne(ConsolidatedReport, { cycle: cycleId, version });
        if (!report) throw new NotFoundError({ code: 'version_unknown', params: { version } });
        const content = await readConsolidatedReport(em, report);
        const decided = new Set(
          (await em.find(CommendationDecision, { cycle: cycleId }, { fields: ['proposalId'] })).map(
            (d) => d.proposalId,
          ),
        );
        const { members, ballots } = await rollAndBallots(em, cycle, version, { $like: 'proposal:%' });
        const choicesOf = new Map<string, ('approve' | 'reject')[]>();
        for (const b of ballots)
          choicesOf.set(b.subjectKey, [
            ...(choicesOf.get(b.subjectKey) ?? []),
            b.choice === 'approve' ? 'approve' : 'reject',
          ]);
        for (const proposal of content.proposals) {
          if (decided.has(proposal.id)) continue; // decided by an earlier attempt
          const d = decideProposal(
            members,
            choicesOf.get(`proposal:${proposal.id}`) ?? [],
            cycle.policy.quorum,
            cycle.policy.approvalThreshold,
          );
          em.create(CommendationDecision, {
            cycle,
            reportVersion: version,
            proposalId: proposal.id,
            unitCode: proposal.unitCode,
            nominee: proposal.nominee,
            requestedForm: proposal.requestedForm,
            members,
            ...d,
          });
        }
        await em.flush();
        const decisions = await em.find(CommendationDecision, { cycle: cycleId }, { orderBy: { proposalId: 'asc' } });
        await em.execute(
          `UPDATE unit_task SET state = 'accepted', updated_at = now() WHERE cycle_id = ? AND state IN ('submitted', 'resubmitted')`,
          [cycleId],
        );
        const recipients = await em.execute<{ id: number; code: string; name: string; head_email: string }[]>(
          'SELECT t.id, u.code, u.name, u.head_email FROM unit_task t JOIN unit u ON u.id = t.unit_id WHERE t.cycle_id = ? ORDER BY u.code',
          [cycleId],
        );
        const now = deps.now();
        const before = cycle.stage;
        cycle.stage = 'closed';
        cycle.closedAt ??= now;
        await em.flush();
        const approved = decisions.filter((d) => d.approved).length;
        const auditEventId = await appendAudit(em, {
          actor: actorOf(cycle),
          action: 'cycle.published',
          subjectType: 'cycle',
          subjectId: String(cycleId),
          cycleId,
          before: { stage: before },
          after: {
            stage: 'closed',
            version,
            decisions: decisions.map((d) => ({
              proposalId: d.proposalId,
              approved: d.approved,
              approvals: d.approvals,
              rejections: d.rejections,
            })),
          },
          occurredAt: now,
        });
        // Each unit reads the totals and the decisions on its own proposals (a sector-wide list
        // in every message would make publication grow with the square of the units).
        const vi = locale === 'vi';
        const summary = [
          vi
            ? `Số đơn vị đã nộp: ${content.submitted}/${content.expected} (${Math.round(content.completeness * 100)}%), đúng hạn: ${content.onTime} (${Math.round(content.onTimeRate * 100)}%).`
            : `Units reported: ${content.submitted}/${content.expected} (${Math.round(content.completeness * 100)}%), on time: ${content.onTime} (${Math.round(content.onTimeRate * 100)}%).`,
          ...(decisions.length
            ? [
                vi
                  ? `Đề nghị khen thưởng: ${decisions.length}, được chấp thuận: ${approved}.`
                  : `Commendation proposals: ${decisions.length}, approved: ${approved}.`,
              ]
            : []),
        ].join(' ');
        const line = (d: (typeof decisions)[number]): string =>
          `${d.nominee} (${d.unitCode}) — ${d.requestedForm}: ${d.approved ? (vi ? 'được chấp thuận' : 'approved') : vi ? 'không được chấp thuận' : 'not approved'} (${d.approvals}/${d.approvals + d.rejections})`;
        const linesOf = new Map<string, string[]>();
        for (const d of decisions) linesOf.set(d.unitCode, [...(linesOf.get(d.unitCode) ?? []), line(d)]);
        await enqueueEmails(
          em,
          recipients.map((r) => ({
            key: `${keyPrefix}${r.code}`,
            kind: 'publication' as const,
            recipient: r.head_email,
            locale,
            cycleId,
            taskId: r.id,
            auditEventId,
            params: {
              unitName: r.name,
              campaignName: cycle.campaign.name,
              period: cycle.period,
              summary,
              decisions: linesOf.get(r.code) ?? [],
            },
          })),
        );
        return { decisions: decisions.length, approved };
      });
      await deliverPending(deliveryDeps(deps), { keyPrefix });
      return result;
    },
  };
}
