/**
 * One month of one campaign, under the id `cycle-<campaign>-<YYYY-MM>`:
 *
 * 1. Open: the cycle and one task per unit are written to PostgreSQL.
 * 2. Dispatch: one batch workflow per UNIT_BATCH_SIZE units (unit-batch.workflow.ts) starts its
 *    units' workflows and emails their links.
 * 3. Collect until every unit has settled (submitted, or silent at its hard close), escalating
 *    overdue units at the policy's times. Administrators may extend a unit's deadline or close
 *    collection early meanwhile.
 * 4. Review: consolidate, then the council votes; a revision round reopens the units it names and
 *    consolidates a new version.
 * 5. Publish, store the summaries of the month's quarter, half and year, and tell the batches to close.
 * 6. Archive: an archive workflow, which outlives this one, keeps every history in PostgreSQL.
 *
 * Cancelled at any step, the cycle is recorded as cancelled and archived the same way. The opening
 * is not interrupted, so a cycle cancelled while it opens is recorded too.
 */
import {
  CancellationScope,
  type ChildWorkflowHandle,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { unitWorkflowId } from '../domain/period';
import type { CycleStage } from '../domain/states';
import { refusalFailure } from './refusal-failure';
import { activities, bestEffortActivities, cycleActivities } from './activity-proxies';
import { archiveCycleWorkflow } from './archive.workflow';
import {
  allReportedSignal,
  ballotCastSignal,
  closeCollectionUpdate,
  closeBatchSignal,
  collectionClosedSignal,
  cycleStatusQuery,
  extendDeadlineUpdate,
  sendBackUpdate,
  rescheduleSignal,
  revisionRequestedSignal,
  submittedSignal,
  unitsSettledSignal,
} from './messages';
import { CAMPAIGN, PERIOD, STAGE } from './search-attributes';
import type { CycleResult, OpenedCycle, OpenedUnit, StartCycleInput, UnitOutcome, UnitSettled } from './types';
import { UNIT_BATCH_SIZE, batchWorkflowId, unitBatchWorkflow } from './unit-batch.workflow';

interface PendingEscalation {
  readonly level: 1 | 2;
  readonly at: string;
}

interface StartedBatch {
  readonly handle: ChildWorkflowHandle<typeof unitBatchWorkflow>;
  readonly units: readonly OpenedUnit[];
}

export async function cycleWorkflow(input: StartCycleInput): Promise<CycleResult> {
  const cycleWorkflowId = workflowInfo().workflowId;
  const workflowIdOf = (unit: OpenedUnit): string => unitWorkflowId(cycleWorkflowId, unit.unitCode);
  const searchAttributes = (stage: string) => [
    { key: CAMPAIGN, value: input.campaignCode },
    { key: PERIOD, value: input.period },
    { key: STAGE, value: stage },
  ];

  let stage: CycleStage = 'collecting';
  let opened: OpenedCycle | undefined;
  const batches: StartedBatch[] = [];
  /** How each unit settled, as its batch reported it; a unit sent back for revision is removed until it settles again. */
  const settled = new Map<string, UnitOutcome>();
  /** Each unit's latest settlement as told, and the revision round the cycle waits for (absent: 0). */
  const lastSettled = new Map<string, UnitSettled>();
  const awaitedRound = new Map<string, number>();
  const record = (s: UnitSettled): void => {
    lastSettled.set(s.unitCode, s);
    if ((s.round ?? 0) >= (awaitedRound.get(s.unitCode) ?? 0)) settled.set(s.unitCode, s.outcome);
    else settled.delete(s.unitCode);
  };
  /** The unit is sent back: only its settlement after this new round counts. Answers how to undo it. */
  const reopen = (unitCode: string): (() => void) => {
    const before = awaitedRound.get(unitCode) ?? 0;
    awaitedRound.set(unitCode, before + 1);
    settled.delete(unitCode);
    return () => {
      awaitedRound.set(unitCode, before);
      const last = lastSettled.get(unitCode);
      if (last) record(last);
    };
  };
  /** Escalations still to run, soonest first; an extended deadline adds the unit's own. */
  const escalations: PendingEscalation[] = [];
  let escalationsChanged = false;
  let collectionClosedAt: string | undefined; // an administrator ended collection early
  /** The API found no task of the cycle waiting for a report any more. */
  let reported = false;
  let ballotCast = false;

  const setStage = (next: CycleStage): void => {
    stage = next;
    upsertSearchAttributes([{ key: STAGE, value: next }]);
  };
  const addEscalations = ([first, second]: readonly [string, string]): void => {
    for (const e of [
      { level: 1 as const, at: first },
      { level: 2 as const, at: second },
    ]) {
      if (!escalations.some((x) => x.level === e.level && x.at === e.at)) escalations.push(e);
    }
    escalations.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.level - b.level);
    escalationsChanged = true;
  };
  const allSettled = (): boolean => opened !== undefined && opened.units.every((u) => settled.has(u.unitCode));

  setHandler(unitsSettledSignal, (list) => {
    for (const s of list) record(s);
  });
  setHandler(allReportedSignal, () => {
    reported = true;
  });
  setHandler(ballotCastSignal, () => {
    ballotCast = true;
  });
  setHandler(cycleStatusQuery, () => ({ stage, expected: opened?.units.length ?? 0, settled: settled.size }));
  /** Extensions and an early close are taken only while the cycle collects and its intake is open. */
  const refuseUnlessCollecting = (): OpenedCycle => {
    if (!opened) throw refusalFailure('ConflictError', { code: 'cycle_opening', params: {} });
    if (stage !== 'collecting') throw refusalFailure('ConflictError', { code: 'not_collecting', params: { stage } });
    if (collectionClosedAt)
      throw refusalFailure('ConflictError', { code: 'collection_closed', params: { closedAt: collectionClosedAt } });
    return opened;
  };
  /** As `refuseUnlessCollecting`, and the unit must be one of the cycle's. */
  const unitCollecting = (unitCode: string): void => {
    if (!refuseUnlessCollecting().units.some((u) => u.unitCode === unitCode))
      throw refusalFailure('NotFoundError', { code: 'unit_not_in_cycle', params: { unit: unitCode } }, 'unit');
  };
  setHandler(
    extendDeadlineUpdate,
    async (request) => {
      const unit = opened!.units.find((u) => u.unitCode === request.unitCode)!;
      const schedule = await activities.extendTask({ taskId: unit.taskId, ...request });
      // The unit's batch may still be starting when the cycle has just opened.
      await condition(() => batches.some((b) => b.units.includes(unit)));
      const batch = batches.find((b) => b.units.includes(unit))!;
      await batch.handle.signal(rescheduleSignal, { unitCode: unit.unitCode, schedule });
      addEscalations(schedule.escalations);
      return schedule;
    },
    {
      validator: (request) => {
        unitCollecting(request.unitCode);
        if (settled.has(request.unitCode))
          throw refusalFailure('ConflictError', {
            code: 'unit_settled',
            params: {
              unit: request.unitCode,
              outcome: settled.get(request.unitCode) === 'submitted' ? 'submitted' : 'not_submitted',
            },
          });
        if (!(Date.parse(request.newDeadline) > Date.now()))
          throw refusalFailure('ValidationError', { code: 'deadline_in_past', params: {} }, 'newDeadline');
      },
    },
  );
  setHandler(
    closeCollectionUpdate,
    async (request) => {
      const at = new Date(Date.now()).toISOString();
      collectionClosedAt = at;
      const { openUnits } = await activities.closeCollectionEarly({ cycleId: opened!.cycleId, at, ...request });
      // Each batch closes its units that have not settled.
      await Promise.all(batches.map((batch) => batch.handle.signal(collectionClosedSignal, { at })));
      return { closedAt: at, openUnits };
    },
    {
      validator: (_request) => {
        refuseUnlessCollecting();
      },
    },
  );

  setHandler(
    sendBackUpdate,
    async (request) => {
      // Reopened before the activity runs, so collection cannot end on the unit's earlier settlement meanwhile.
      const undo = reopen(request.unitCode);
      let deadline: string;
      try {
        ({ deadline } = await activities.sendBackTask({
          ...request,
          cycleId: opened!.cycleId,
          requestedAt: new Date(Date.now()).toISOString(),
        }));
      } catch (error) {
        undo();
        throw error;
      }
      const unit = opened!.units.find((u) => u.unitCode === request.unitCode)!;
      await getExternalWorkflowHandle(workflowIdOf(unit)).signal(revisionRequestedSignal, { deadline });
      return { deadline };
    },
    {
      validator: (request) => {
        unitCollecting(request.unitCode);
      },
    },
  );

  upsertSearchAttributes(searchAttributes(stage));
  // Not cancellable: the cycle's rows may be written even if the cancel arrives meanwhile, so the
  // cancellation below must know the cycle to record it. A cancel requested while opening makes
  // the first step after it fail as cancelled.
  opened = await CancellationScope.nonCancellable(() =>
    cycleActivities.openCycle({ ...input, workflowId: cycleWorkflowId, startedAt: new Date(Date.now()).toISOString() }),
  );
  const { cycleId, plan, units } = opened;

  try {
    await startBatches();
    await collect();
    const version = await review();
    await publish(version);
    await archive();
    await condition(allHandlersFinished);
    return { cycleId, consolidatedVersion: version };
  } catch (error) {
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(async () => {
        await activities.markCycleCancelled({ cycleId });
        await archive();
      });
      setStage('cancelled');
    }
    throw error;
  }

  /** One batch per UNIT_BATCH_SIZE units; each starts its units and dispatches their tasks. */
  async function startBatches(): Promise<void> {
    const slices: (readonly OpenedUnit[])[] = [];
    for (let i = 0; i < units.length; i += UNIT_BATCH_SIZE) slices.push(units.slice(i, i + UNIT_BATCH_SIZE));
    await Promise.all(
      slices.map(async (slice, i) => {
        const handle = await startChild(unitBatchWorkflow, {
          workflowId: batchWorkflowId(cycleWorkflowId, i + 1),
          args: [
            {
              cycleId,
              campaignCode: input.campaignCode,
              period: input.period,
              schedules: [plan.schedule, ...(plan.levels ?? [])],
              units: slice,
            },
          ],
          // A batch cancels its units when it is cancelled, and it is cancelled with the cycle.
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
          typedSearchAttributes: searchAttributes('collecting'),
        });
        batches.push({ handle, units: slice });
      }),
    );
  }

  /**
   * Until every unit has settled: runs each escalation when it falls due, and passes the API's
   * "all reported" on to the batches, which wake the units that reported.
   */
  async function collect(): Promise<void> {
    for (const schedule of [plan.schedule, ...(plan.levels ?? [])]) addEscalations(schedule.escalations);
    while (!allSettled()) {
      escalationsChanged = false;
      if (reported) {
        reported = false;
        await Promise.all(batches.map((batch) => batch.handle.signal(allReportedSignal)));
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
  }

  /** Council review rounds until a version is approved; each revision round is a new consolidated version. Answers the approved version. */
  async function review(): Promise<number> {
    for (let version = 1; ; version += 1) {
      setStage('consolidating');
      await activities.setCycleStage({ cycleId, stage: 'consolidating' });
      await cycleActivities.consolidateCycle({ cycleId, version });
      setStage('review');
      const decision = await councilDecision(version);
      if (decision.decision === 'approved') return version;
      setStage('revision');
      await revise(version, decision.unitCodes, decision.comment);
    }
  }

  /** Opens the review of `version` and counts the ballots as they come, until the council decides. */
  async function councilDecision(version: number) {
    const reviewEndsAt = await activities.openReview({ cycleId, version });
    let expiryReported = false;
    // Cleared before each count, so a ballot cast while counting wakes the next wait.
    ballotCast = false;
    let decision = await activities.tallyReview({ cycleId, version });
    while (decision.decision === 'pending') {
      const wait = Date.parse(reviewEndsAt) - Date.now();
      const voted =
        expiryReported || wait <= 0 ? await condition(() => ballotCast) : await condition(() => ballotCast, wait);
      if (!voted && !expiryReported) {
        await activities.reportReviewExpired({ cycleId, version });
        expiryReported = true;
      }
      ballotCast = false;
      decision = await activities.tallyReview({ cycleId, version });
    }
    return decision;
  }

  /** Sends the named units back with the council's comment, and waits until each has settled again. */
  async function revise(version: number, unitCodes: readonly string[], comment: string): Promise<void> {
    const revision = await cycleActivities.requestRevision({
      cycleId,
      version,
      unitCodes,
      comment,
      requestedAt: new Date(Date.now()).toISOString(),
    });
    for (const unit of revision.units) reopen(unit.unitCode);
    const revising = revision.units.map((u) => units.find((x) => x.unitCode === u.unitCode)!);
    await Promise.all(
      revising.map((u) =>
        getExternalWorkflowHandle(workflowIdOf(u)).signal(revisionRequestedSignal, { deadline: revision.deadline }),
      ),
    );
    while (!allSettled()) {
      await condition(() => allSettled() || reported);
      if (!reported) continue;
      // Every unit sent back has resubmitted: wake the ones still waiting (each checks PostgreSQL).
      reported = false;
      await Promise.all(
        revising
          .filter((u) => !settled.has(u.unitCode))
          .map((u) => getExternalWorkflowHandle(workflowIdOf(u)).signal(submittedSignal)),
      );
    }
  }

  async function publish(version: number): Promise<void> {
    setStage('publishing');
    await cycleActivities.publishCycle({ cycleId, version });
    setStage('closed');
    // The quarter, half and year of this month, computed once now rather than by their first reader.
    await bestEffortActivities.storeCycleSummaries({ cycleId }).catch((error: unknown) => {
      if (isCancellation(error)) throw error;
    });
    // The batches tell their units to close and end; closing before them would cancel them.
    await Promise.all(batches.map((batch) => batch.handle.signal(closeBatchSignal)));
    await Promise.all(batches.map((batch) => batch.handle.result()));
  }

  /**
   * Hands the histories of the cycle, its batches and their units to the archive workflow, which
   * outlives this one and waits for each to close. A unit whose batch was cancelled before starting
   * it has no history; the archive skips it.
   */
  async function archive(): Promise<void> {
    const workflowIds = [
      cycleWorkflowId,
      ...batches.map((b) => b.handle.workflowId),
      ...batches.flatMap((b) => b.units.map(workflowIdOf)),
    ];
    await startChild(archiveCycleWorkflow, {
      workflowId: `${cycleWorkflowId}-archive`,
      args: [{ cycleId, workflowIds }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: searchAttributes('archiving'),
    });
  }
}
