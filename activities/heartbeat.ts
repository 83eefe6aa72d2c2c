import { Context } from '@temporalio/activity';

/**
 * Tells Temporal a long activity is alive (so a killed worker's work is retried within the
 * heartbeat timeout, not the whole start-to-close timeout). A no-op outside an activity, e.g.
 * when a test calls an activity function directly.
 */
export function heartbeat(details?: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // not running as an activity
  }
}
