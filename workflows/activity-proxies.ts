/** The activity proxies workflows use: types only, never the implementations. */
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE_ERRORS } from '../domain/errors';

const retry = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  nonRetryableErrorTypes: [...NON_RETRYABLE_ERRORS],
};

/**
 * One unit's database and SMTP calls: short, so a worker that dies mid-call costs at most the
 * start-to-close timeout before another worker retries.
 */
export const activities = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds', retry });

/** Calls over many units (a cycle's, a batch's): long, kept alive by heartbeats. */
export const cycleActivities = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '30 seconds',
  retry,
});

/**
 * Starting and dispatching a batch's units (see unit-batch.workflow.ts): runs to its end even when
 * the batch is cancelled meanwhile, so that the batch then cancels every unit that was started.
 */
export const unitStartActivities = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '30 seconds',
  retry,
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});

/**
 * Work that saves later readers time and nothing more (storing a published month's summaries):
 * a few tries, then the workflow goes on; a reader computes what was not stored.
 */
export const bestEffortActivities = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  retry: { ...retry, maximumAttempts: 3 },
});
