/** The activity proxies workflows use: types only, never the implementations. */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE_ERRORS } from '../domain/errors';

/** Database and SMTP calls: short, retried with backoff until they succeed or fail for good. */
export const activities = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: [...NON_RETRYABLE_ERRORS],
  },
});
