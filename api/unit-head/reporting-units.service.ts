/**
 * What the head of a unit that others report to sees and does through the emailed link: the
 * units reporting to it with their state, the consolidation of its subtree (the same
 * consolidation as the council's, over the leaves below it), and sending one of them back with a
 * reason, which reopens that unit's link until the sender's own deadline.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Submission, UnitTask } from '../../db/entities';
import { consolidate, type ConsolidatedReportContent, type UnitReportInput } from '../../domain/consolidation';
import { ConflictError } from '../../domain/errors';
import { membersBelow } from '../../domain/reporting-tree';
import { OBLIGATION_VERSION } from '../../domain/timeliness';
import type { TaskState } from '../../domain/states';
import { sendBackUpdate } from '../../workflows/messages';
import { updateError } from '../services/cycle-actions.service';
import { resolveLink } from '../services/unit-task.service';

export interface ReportingUnit {
  readonly code: string;
  readonly name: string;
  readonly level: number;
  readonly state: TaskState;
  readonly submittedAt: string | null;
  readonly late: boolean | null;
}

export interface ReportingUnits {
  /** The units reporting directly to the link's unit, by code. */
  readonly units: readonly ReportingUnit[];
  /** The consolidation of everything below the link's unit, as it stands now. */
  readonly consolidation: ConsolidatedReportContent;
}

/** Null when nothing reports to the link's unit (a leaf). */
export async function reportingUnits(em: EntityManager, token: string): Promise<ReportingUnits | null> {
  const task = await resolveLink(em, token);
  if (task.level === 0) return null;
  const tasks = await em.find(
    UnitTask,
    { cycle: task.cycle },
    { populate: ['unit', 'parentTask.unit'], orderBy: { unit: { code: 'asc' } } },
  );
  const below = membersBelow(
    tasks,
    (t) => t.id,
    (t) => t.parentTask?.id,
    task.id,
  );
  const submissions = await em.find(
    Submission,
    { task: { $in: below.map((t) => t.id) } },
    { orderBy: { task: 'asc', version: 'desc' } },
  );
  const latest = new Map<number, (typeof submissions)[number]>();
  const obligation = new Map<number, (typeof submissions)[number]>();
  for (const s of submissions) {
    if (!latest.has(s.task.id)) latest.set(s.task.id, s);
    if (s.version === OBLIGATION_VERSION) obligation.set(s.task.id, s);
  }
  const inputs: UnitReportInput[] = below.map((t) => {
    const s = latest.get(t.id);
    const o = obligation.get(t.id);
    return {
      unitCode: t.unit.code,
      unitName: t.unit.name,
      deadline: t.schedule.deadline,
      ...(o ? { obligation: { submittedAt: o.submittedAt.toISOString(), late: o.late } } : {}),
      ...(s
        ? {
            submission: {
              submittedAt: s.submittedAt.toISOString(),
              answers: s.answers,
              version: s.version,
              deadline: s.deadline.toISOString(),
              late: s.late,
            },
          }
        : {}),
      ...(t.parentTask && t.parentTask.id !== task.id ? { reportsTo: t.parentTask.unit.code } : {}),
      level: t.level,
    };
  });
  return {
    units: below
      .filter((t) => t.parentTask?.id === task.id)
      .map((t) => ({
        code: t.unit.code,
        name: t.unit.name,
        level: t.level,
        state: t.state,
        submittedAt: t.submittedAt?.toISOString() ?? null,
        late: t.late ?? null,
      })),
    consolidation: consolidate(task.cycle.template.definition, inputs),
  };
}

/**
 * Sends back the report of `unitCode`, a unit reporting to the link's unit, with `reason`;
 * answers the deadline of the unit's revision.
 */
export async function sendBackUnit(
  deps: { em: EntityManager; temporal: Client },
  token: string,
  unitCode: string,
  reason: string,
  origin: string,
): Promise<{ deadline: string }> {
  const task = await resolveLink(deps.em, token);
  const requestId = randomUUID();
  try {
    return await deps.temporal.workflow.getHandle(task.cycle.workflowId).executeUpdate(sendBackUpdate, {
      args: [{ requestId, byTaskId: task.id, unitCode, reason, origin }],
      updateId: requestId,
    });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new ConflictError({ code: 'cycle_ended', params: {} });
    return updateError(error, 'unit');
  }
}
