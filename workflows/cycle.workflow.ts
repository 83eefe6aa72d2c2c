/**
 * One month of one campaign: opens the cycle, starts a unit workflow per unit, escalates overdue
 * units, and consolidates once every unit has settled (submitted, or silent at its hard close).
 */
import {
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CycleStage } from '../domain/states';
import { activities } from './activity-proxies';
import { cycleStatusQuery, extendDeadlineUpdate, rescheduleSignal, unitSettledSignal } from './messages';
import { CAMPAIGN, PERIOD, STAGE, UNIT } from './search-attributes';
import type { CycleResult, OpenedCycle, StartCycleInput, UnitOutcome } from './types';
import { unitWorkflow } from './unit.workflow';

interface PendingEscalation {
  readonly level: 1 | 2;
  readonly at: string;
}

export async function cycleWorkflow(input: StartCycleInput): Promise<CycleResult> {
  let stage: CycleStage = 'collecting';
  let opened: OpenedCycle | undefined;
  const settled = new Map<string, UnitOutcome>();
  const escalations: PendingEscalation[] = [];
  let escalationsChanged = false;

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
  setHandler(cycleStatusQuery, () => ({ stage, expected: opened?.units.length ?? 0, settled: settled.size }));
  setHandler(
    extendDeadlineUpdate,
    async (request) => {
      const cycle = opened!;
      const unit = cycle.units.find((u) => u.unitCode === request.unitCode)!;
      const schedule = await activities.extendTask({ taskId: unit.taskId, ...request });
      await getExternalWorkflowHandle(unit.workflowId).signal(rescheduleSignal, schedule);
      addEscalations(schedule.escalations);
      return schedule;
    },
    {
      validator: (request) => {
        if (!opened) throw ApplicationFailure.nonRetryable('The cycle is still opening; try again in a few seconds.', 'ConflictError');
        if (stage !== 'collecting') throw ApplicationFailure.nonRetryable(`The cycle is in stage "${stage}"; deadlines can only be extended while reports are being collected.`, 'ConflictError');
        if (!opened.units.some((u) => u.unitCode === request.unitCode)) throw ApplicationFailure.nonRetryable(`Unit "${request.unitCode}" is not part of this cycle.`, 'NotFoundError');
        if (settled.has(request.unitCode)) throw ApplicationFailure.nonRetryable(`Unit "${request.unitCode}" has already ${settled.get(request.unitCode) === 'submitted' ? 'submitted' : 'been closed as not submitted'}.`, 'ConflictError');
        if (!(Date.parse(request.newDeadline) > Date.now())) throw ApplicationFailure.nonRetryable('newDeadline must be in the future.', 'ValidationError');
      },
    },
  );

  upsertSearchAttributes([
    { key: CAMPAIGN, value: input.campaignCode },
    { key: PERIOD, value: input.period },
    { key: STAGE, value: stage },
  ]);
  const cycleWorkflowId = workflowInfo().workflowId;
  opened = await activities.openCycle({ ...input, workflowId: cycleWorkflowId, startedAt: new Date(Date.now()).toISOString() });
  const { cycleId, plan, units } = opened;
  addEscalations(plan.schedule.escalations);

  await Promise.all(
    units.map((unit) =>
      startChild(unitWorkflow, {
        workflowId: unit.workflowId,
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

  const allSettled = (): boolean => settled.size >= units.length;
  while (!allSettled()) {
    escalationsChanged = false;
    const next = escalations[0];
    if (!next) {
      await condition(() => allSettled() || escalationsChanged);
      continue;
    }
    const wait = Date.parse(next.at) - Date.now();
    if (wait > 0 && (await condition(() => allSettled() || escalationsChanged, wait))) continue;
    escalations.shift();
    await activities.escalateOverdue({ cycleId, level: next.level, dueAt: next.at });
  }

  setStage('consolidating');
  const consolidatedVersion = await activities.consolidateCycle({ cycleId, version: 1 });
  setStage('review');
  await activities.setCycleStage({ cycleId, stage: 'review' });

  await condition(allHandlersFinished);
  return { cycleId, consolidatedVersion };
}
