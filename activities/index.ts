import { createArchiveActivities } from './archive.activities';
import { createCycleActivities } from './cycle.activities';
import type { ActivityDeps } from './deps';
import { createReviewActivities } from './review.activities';
import { createTaskActivities } from './task.activities';

/** Every activity, built from its dependencies (ORM, mailer, config, clock). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createCycleActivities(deps),
    ...createTaskActivities(deps),
    ...createReviewActivities(deps),
    ...createArchiveActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps } from './deps';
