import { createCycleActivities } from './cycle.activities';
import type { ActivityDeps } from './deps';
import { createTaskActivities } from './task.activities';

/** Every activity, built from its dependencies (ORM, mailer, config, clock). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createCycleActivities(deps),
    ...createTaskActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps } from './deps';
