/**
 * "Start from last month's answers": a new form filled from the unit's previous report in the same
 * campaign (its latest version), mapped onto the template in force now (domain/answers.ts
 * `carryForward`), stored as the draft the head (or staff) then edits.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Submission } from '../../db/entities';
import type { IUnitTask } from '../../db/entities/cycle.entity';
import { carryForward } from '../../domain/answers';
import { ConflictError, NotFoundError } from '../../domain/errors';
import { closedRefusal, resolveHolder, storeDraft, type SavedDraft } from '../services/unit-task.service';

/** The unit's latest report in an earlier cycle of the task's campaign, if any. */
async function previousReport(em: EntityManager, task: IUnitTask) {
  return em.findOne(
    Submission,
    { task: { unit: task.unit.id, cycle: { campaign: task.cycle.campaign.id, period: { $lt: task.cycle.period } } } },
    { orderBy: { task: { cycle: { period: 'desc' } }, version: 'desc' }, populate: ['task.cycle'] },
  );
}

/** The period of the report a new form could start from; null when there is none. */
export async function previousPeriod(em: EntityManager, task: IUnitTask): Promise<string | null> {
  return (await previousReport(em, task))?.task.cycle.period ?? null;
}

/**
 * Fills the task's draft from the unit's previous report. Refused when the task takes no report,
 * when a draft is already saved (it would be overwritten) and when there is no earlier report.
 */
export async function startFromPrevious(
  em: EntityManager,
  token: string,
  { origin, now }: { origin: string; now: Date },
): Promise<SavedDraft & { fromPeriod: string }> {
  return em.transactional(async (tx) => {
    const { task, holder } = await resolveHolder(tx, token, { lock: true });
    const closed = closedRefusal(task, now);
    if (closed) throw new ConflictError(closed);
    if (task.draft) throw new ConflictError({ code: 'draft_not_empty', params: {} });
    const previous = await previousReport(tx, task);
    if (!previous) throw new NotFoundError({ code: 'no_previous_report', params: {} });
    const answers = carryForward(task.cycle.template.definition, previous.answers);
    const fromPeriod = previous.task.cycle.period;
    const saved = await storeDraft(tx, task, holder, answers, {
      origin,
      now,
      action: 'task.draft_prefilled',
      detail: { fromPeriod, fromVersion: previous.version },
    });
    return { ...saved, fromPeriod };
  });
}
