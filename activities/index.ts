import { keepAlive } from './heartbeat';
import { createArchiveActivities } from './archive.activities';
import { createCycleActivities } from './cycle.activities';
import type { ActivityDeps } from './deps';
import { createRegistrationActivities } from './registration.activities';
import { createReviewActivities } from './review.activities';
import { createSummaryActivities } from './summary.activities';
import { createTaskActivities } from './task.activities';
import { createTitleVoteActivities } from './title-vote.activities';
import { createUnitWorkflowActivities } from './unit-workflows.activities';

/** Every activity, built from its dependencies (ORM, mailer, config, clock), each heartbeating while it runs. */
export function createActivities(deps: ActivityDeps) {
  const tasks = createTaskActivities(deps);
  const all = {
    ...createCycleActivities(deps),
    ...tasks,
    ...createReviewActivities(deps),
    ...createArchiveActivities(deps),
    ...createSummaryActivities(deps),
    ...createRegistrationActivities(deps),
    ...createTitleVoteActivities(deps),
    ...createUnitWorkflowActivities(deps, tasks.dispatchTasks),
  };
  return Object.fromEntries(
    Object.entries(all).map(([name, fn]) => [name, keepAlive(fn as (...args: unknown[]) => Promise<unknown>)]),
  ) as typeof all;
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps } from './deps';
