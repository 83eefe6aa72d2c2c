import { Context } from '@temporalio/activity';
import { DomainError } from '../domain/errors';
import { failureOf } from '../workflows/refusal-failure';

/** How often a running activity tells Temporal it is alive (the cycle-wide ones time out after 30 s without). */
const HEARTBEAT_EVERY_MS = 5_000;

/**
 * Wraps an activity so that, while it runs, it heartbeats every few seconds: a worker that dies
 * is noticed within the heartbeat timeout, and a long activity (consolidating 10,000 reports,
 * publishing to every unit) is not mistaken for a dead one; its domain errors leave it as failures
 * that carry their refusal (workflows/refusal-failure.ts). Outside an activity (a test calling
 * the function directly) it only calls the function.
 */
export function keepAlive<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    let context: Context;
    try {
      context = Context.current();
    } catch {
      return fn(...args);
    }
    const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
    try {
      return await fn(...args);
    } catch (error) {
      // A refusal keeps its code on the way to the workflow and, through an update, to the API.
      throw error instanceof DomainError ? failureOf(error) : error;
    } finally {
      clearInterval(timer);
    }
  };
}
