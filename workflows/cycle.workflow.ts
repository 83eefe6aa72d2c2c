/**
 * One month of one campaign: opens the cycle, starts a unit workflow per unit (in batches of
 * UNIT_BATCH_SIZE, each under a batch workflow), escalates overdue
 * units, consolidates once every unit has settled (submitted, or silent at its hard close), runs
 * the council's review with its revision rounds, and publishes.
 */
import {
  ApplicationFailure,
  CancellationScope,
  type ChildWorkflowHandle,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CycleStage } from '../domain/states';
import { activities, cycleActivities } from './activity-proxies';
import { allReportedSignal, ballotCastSignal, closeCollectionUpdate, closeUnitSignal, collectionClosedSignal, cycleStatusQuery, extendDeadlineUpdate, rescheduleSignal, revisionRequestedSignal, submittedSignal, unitSettledSignal, unitsSettledSignal } from './messages';
import { CAMPAIGN, PERIOD, STAGE, UNIT } from './search-attributes';
import { unitWorkflowId } from '../domain/period';
import type { CycleResult, OpenedCycle, OpenedUnit, StartCycleInput, UnitOutcome } from './types';
import { archiveCycleWorkflow } from './archive.workflow';
import { SET_BASED_BATCH_SIZE, UNIT_BATCH_SIZE, unitBatchWorkflow } from './unit-batch.workflow';
import { unitWorkflow } from './unit.workflow';

interface PendingEscalation {
  readonly level: 1 | 2;
  readonly at: string;
}

export async function cycleWorkflow(input: StartCycleInput): Promise<CycleResult> {
  const cycleWorkflowId = workflowInfo().workflowId;
  const workflowIdOf = (unit: OpenedUnit): string => unitWorkflowId(cycleWorkflowId, unit.unitCode);
  let stage: CycleStage = 'collecting';
  let opened: OpenedCycle | undefined;
  let collectionClosedAt: string | undefined; // an administrator ended collection early
  /** Units run under batch workflows (runs started before batches existed: directly under this one). */
  let batched = false;
  const batchIds: string[] = [];
  const batches: ChildWorkflowHandle<typeof unitBatchWorkflow>[] = [];
  const settled = new Map<string, UnitOutcome>();
  const escalations: PendingEscalation[] = [];
  let escalationsChanged = false;
  let ballotCast = false;
  /** The API found no task waiting for a report any more (set-based collection). */
  let reported = false;

  const setStage = (next: CycleStage): void => {
    stage = next;
    upsertSearchAttributes([{ key: STAGE, value: next }]);
  };
  const addEscalations = ([first, second]: readonly [string, string]): void => {
    for (const e of [{ level: 1 as const, at: first }, { level: 2 as const, at: second }]) {
      if (!escalations.some((x) => x.level === e.level && x.at === e.at)) escalations.push(e);
    }
    escalations.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.level - b.level);
    escalationsChanged = true;
  };

  setHandler(unitSettledSignal, ({ unitCode, outcome }) => {
    settled.set(unitCode, outcome);
  });
  setHandler(unitsSettledSignal, (list) => {
    for (const { unitCode, outcome } of list) settled.set(unitCode, outcome);
  });
  setHandler(allReportedSignal, () => {
    reported = true;
  });
  setHandler(ballotCastSignal, () => {
    ballotCast = true;
  });
  setHandler(cycleStatusQuery, () => ({ stage, expected: opened?.units.length ?? 0, settled: settled.size }));
  setHandler(
    extendDeadlineUpdate,
    async (request) => {
      const unit = opened!.units.find((u) => u.unitCode === request.unitCode)!;
      const schedule = await activities.extendTask({ taskId: unit.taskId, ...request });
      await getExternalWorkflowHandle(workflowIdOf(unit)).signal(rescheduleSignal, schedule);
      addEscalations(schedule.escalations);
      return schedule;
    },
    {
      validator: (request) => {
        if (!opened) throw ApplicationFailure.nonRetryable('The cycle is still opening; try again in a few seconds.', 'ConflictError');
        if (stage !== 'collecting') throw ApplicationFailure.nonRetryable(`The cycle is in stage "${stage}"; deadlines can only be extended while reports are being collected.`, 'ConflictError');
        if (collectionClosedAt) throw ApplicationFailure.nonRetryable(`Collection was closed at ${collectionClosedAt}; deadlines can no longer be extended.`, 'ConflictError');
        if (!opened.units.some((u) => u.unitCode === request.unitCode)) throw ApplicationFailure.nonRetryable(`Unit "${request.unitCode}" is not part of this cycle.`, 'NotFoundError');
        if (settled.has(request.unitCode)) throw ApplicationFailure.nonRetryable(`Unit "${request.unitCode}" has already ${settled.get(request.unitCode) === 'submitted' ? 'submitted' : 'been closed as not submitted'}.`, 'ConflictError');
        if (!(Date.parse(request.newDeadline) > Date.now())) throw ApplicationFailure.nonRetryable('newDeadline must be in the future.', 'ValidationError');
      },
    },
  );

  setHandler(
    closeCollectionUpdate,
    async (request) => {
      const at = new Date(Date.now()).toISOString();
      collectionClosedAt = at;
      const { openUnits } = await activities.closeCollectionEarly({ cycleId: opened!.cycleId, at, ...request });
      const recipients = batched ? batchIds : opened!.units.filter((u) => !settled.has(u.unitCode)).map(workflowIdOf);
      await Promise.all(recipients.map((id) => getExternalWorkflowHandle(id).signal(collectionClosedSignal, { at })));
      return { closedAt: at, openUnits };
    },
    {
      validator: (_request) => {
        if (!opened) throw ApplicationFailure.nonRetryable('The cycle is still opening; try again in a few seconds.', 'ConflictError');
        if (stage !== 'collecting') throw ApplicationFailure.nonRetryable(`The cycle is in stage "${stage}"; collection can only be closed while reports are being collected.`, 'ConflictError');
        if (collectionClosedAt) throw ApplicationFailure.nonRetryable(`Collection was already closed at ${collectionClosedAt}.`, 'ConflictError');
      },
    },
  );

  upsertSearchAttributes([
    { key: CAMPAIGN, value: input.campaignCode },
    { key: PERIOD, value: input.period },
    { key: STAGE, value: stage },
  ]);
  // Added for 10,000-unit cycles: batches dispatch their tasks in one activity each, and a report
  // wakes the cycle only once no task is open any more (see unit-batch.workflow.ts).
  const setBased = patched('set-based-collection');
  opened = await cycleActivities.openCycle({
    ...input, workflowId: cycleWorkflowId, startedAt: new Date(Date.now()).toISOString(), ...(setBased ? { reportWake: 'cycle' as const } : {}),
  });
  const { cycleId, plan, units } = opened;
  /** Hands the histories over to the archive workflow, which outlives this one. */
  const archiveHistories = async (): Promise<void> => {
    await startChild(archiveCycleWorkflow, {
      workflowId: `${cycleWorkflowId}-archive`,
      args: [{ cycleId, workflowIds: [cycleWorkflowId, ...batchIds, ...units.map(workflowIdOf)] }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: CAMPAIGN, value: input.campaignCode },
        { key: PERIOD, value: input.period },
        { key: STAGE, value: 'archiving' },
      ],
    });
  };

  try {
    addEscalations(plan.schedule.escalations);
    // Added for 10,000-unit cycles: units under batches keep this history short (see unit-batch.workflow.ts).
    batched = patched('unit-batches');
    if (batched) {
      const batchSize = setBased ? SET_BASED_BATCH_SIZE : UNIT_BATCH_SIZE;
      for (let i = 0; i * batchSize < units.length; i += 1) batchIds.push(`${cycleWorkflowId}-batch-${i + 1}`);
      batches.push(...await Promise.all(
        batchIds.map((workflowId, i) =>
          startChild(unitBatchWorkflow, {
            workflowId,
            args: [{ cycleId, campaignCode: input.campaignCode, period: input.period, schedule: plan.schedule, units: units.slice(i * batchSize, (i + 1) * batchSize), ...(setBased ? { setBased } : {}) }],
            parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
            typedSearchAttributes: [
              { key: CAMPAIGN, value: input.campaignCode },
              { key: PERIOD, value: input.period },
              { key: STAGE, value: 'collecting' },
            ],
          }),
        ),
      ));
    } else {
      await Promise.all(
        units.map((unit) =>
          startChild(unitWorkflow, {
            workflowId: workflowIdOf(unit),
            args: [{ cycleId, taskId: unit.taskId, unitCode: unit.unitCode, schedule: plan.schedule }],
            parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
            typedSearchAttributes: [
              { key: CAMPAIGN, value: input.campaignCode },
              { key: PERIOD, value: input.period },
              { key: UNIT, value: unit.unitCode },
              { key: STAGE, value: 'dispatching' },
            ],
          }),
        ),
      );
    }

    // Collection: wait for every unit, escalating overdue ones on the way.
    const allSettled = (): boolean => units.every((u) => settled.has(u.unitCode));
    while (!allSettled()) {
      escalationsChanged = false;
      if (reported) {
        reported = false;
        await Promise.all(batches.map((batch) => batch.signal(allReportedSignal)));
        continue;
      }
      const next = escalations[0];
      if (!next) {
        await condition(() => allSettled() || escalationsChanged || reported);
        continue;
      }
      const wait = Date.parse(next.at) - Date.now();
      if (wait > 0 && (await condition(() => allSettled() || escalationsChanged || reported, wait))) continue;
      escalations.shift();
      await cycleActivities.escalateOverdue({ cycleId, level: next.level, dueAt: next.at });
    }

    // Council review, with revision rounds: each round is a new consolidated version.
    let version = 1;
    for (;;) {
      setStage('consolidating');
      await activities.setCycleStage({ cycleId, stage: 'consolidating' });
      await cycleActivities.consolidateCycle({ cycleId, version });
      setStage('review');
      const reviewEndsAt = await activities.openReview({ cycleId, version });
      let expiryReported = false;
      // Clear the wake-up flag before each count, so a ballot cast while counting wakes the next wait.
      ballotCast = false;
      let decision = await activities.tallyReview({ cycleId, version });
      while (decision.decision === 'pending') {
        const wait = Date.parse(reviewEndsAt) - Date.now();
        const voted = expiryReported || wait <= 0 ? await condition(() => ballotCast) : await condition(() => ballotCast, wait);
        if (!voted && !expiryReported) {
          await activities.reportReviewExpired({ cycleId, version });
          expiryReported = true;
        }
        ballotCast = false;
        decision = await activities.tallyReview({ cycleId, version });
      }
      if (decision.decision === 'approved') break;

      setStage('revision');
      const revision = await cycleActivities.requestRevision({ cycleId, version, unitCodes: decision.unitCodes, comment: decision.comment, requestedAt: new Date(Date.now()).toISOString() });
      for (const unit of revision.units) settled.delete(unit.unitCode);
      const revising = revision.units.map((u) => units.find((x) => x.unitCode === u.unitCode)!);
      await Promise.all(revising.map((u) => getExternalWorkflowHandle(workflowIdOf(u)).signal(revisionRequestedSignal, { deadline: revision.deadline })));
      while (!allSettled()) {
        await condition(() => allSettled() || reported);
        if (!reported) continue;
        // Every unit sent back has resubmitted: wake the ones still waiting (each checks PostgreSQL).
        reported = false;
        await Promise.all(revising.filter((u) => !settled.has(u.unitCode)).map((u) => getExternalWorkflowHandle(workflowIdOf(u)).signal(submittedSignal)));
      }
      version += 1;
    }

    setStage('publishing');
    await cycleActivities.publishCycle({ cycleId, version });
    setStage('closed');
    if (batched) {
      // The batches end once their units have; closing before them would cancel them.
      await Promise.all(batches.map((batch) => batch.signal(closeUnitSignal)));
      await Promise.all(batches.map((batch) => batch.result()));
    } else {
      await Promise.all(units.map((u) => getExternalWorkflowHandle(workflowIdOf(u)).signal(closeUnitSignal)));
    }
    // Added after the first recorded runs: `patched` keeps those histories replaying.
    if (patched('archive-histories')) await archiveHistories();
    await condition(allHandlersFinished);
    return { cycleId, consolidatedVersion: version };
  } catch (error) {
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(async () => {
        await activities.markCycleCancelled({ cycleId });
        if (patched('archive-histories')) await archiveHistories();
      });
      setStage('cancelled');
    }
    throw error;
  }
}
