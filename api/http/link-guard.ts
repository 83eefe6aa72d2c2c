/**
 * Slows down link guessing: an address whose personal-link lookups keep failing (unknown,
 * replaced or closed links) is refused for the rest of a 10-minute window. Only failures count,
 * so a unit head using a valid link is never throttled. (A general rate limiter counts every
 * request; this needs to count outcomes.) In memory, per API process.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

const WINDOW_MS = 10 * 60 * 1000;

const LINK_ROUTES = ['/r/:token', '/api/v1/link/:token', '/dk/:token', '/api/v1/registration-link/:token'];

export const isLinkRoute = (url: string | undefined): boolean =>
  !!url && LINK_ROUTES.some((prefix) => url.startsWith(prefix));

export function registerLinkGuard(
  app: FastifyInstance,
  limit: number,
): { recordFailure(request: FastifyRequest): void } {
  const failures = new Map<string, { count: number; since: number }>();
  const current = (ip: string) => {
    const entry = failures.get(ip);
    if (!entry || Date.now() - entry.since > WINDOW_MS) return undefined;
    return entry;
  };
  app.addHook('onRequest', async (request, reply) => {
    if (!isLinkRoute(request.routeOptions.url)) return;
    const entry = current(request.ip);
    if (entry && entry.count >= limit) {
      const retryAfter = Math.ceil((entry.since + WINDOW_MS - Date.now()) / 1000);
      await reply
        .status(429)
        .header('retry-after', String(retryAfter))
        .send({
          error: 'TooManyRequests',
          message: `Too many invalid links from this address; try again in ${Math.ceil(retryAfter / 60)} minutes, using the link from your most recent email.`,
        });
    }
  });
  return {
    recordFailure(request) {
      const entry = current(request.ip) ?? { count: 0, since: Date.now() };
      entry.count += 1;
      failures.set(request.ip, entry);
      if (failures.size > 100_000) failures.clear(); // bounded memory under a distributed attack
    },
  };
}
