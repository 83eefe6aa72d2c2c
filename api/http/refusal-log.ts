/**
 * Refused accesses (no or bad token, wrong role, unknown link) on the audit record, without
 * letting anonymous traffic grow the hash chain without bound. Within each window, an address's
 * first refusal is recorded in full (`access.refused`: who, which route, why); its further
 * refusals are only counted, and when the window closes each address that had more gets one
 * `access.refused_repeated` row with the counts by route and status. At most `maxPeers`
 * addresses get rows of their own per window; refusals from any more addresses are counted
 * together in one row. So a window adds at most 2 × maxPeers + 1 rows, whatever the traffic.
 * In memory, per API process (like the link guard).
 */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { appendAudit } from '../../db/audit';

export interface RefusalLogOptions {
  readonly windowMs?: number;
  readonly maxPeers?: number;
}

export interface RefusalLog {
  /** Records (or counts) one refused request. */
  record(request: FastifyRequest, error: Error & { status?: number; reason?: string }): Promise<void>;
  /** Writes the counts of the window so far and starts a new one. */
  flush(): Promise<void>;
  /** Stops the window timer after a last flush. */
  close(): Promise<void>;
}

interface PeerWindow {
  total: number;
  readonly byRoute: Map<string, number>;
}

export const REFUSAL_WINDOW_MS = 5 * 60_000;
export const REFUSAL_MAX_PEERS = 100;

export function createRefusalLog(
  fork: () => EntityManager,
  log: FastifyBaseLogger,
  { windowMs = REFUSAL_WINDOW_MS, maxPeers = REFUSAL_MAX_PEERS }: RefusalLogOptions = {},
): RefusalLog {
  let peers = new Map<string, PeerWindow>();
  let overflow = { total: 0, peers: new Set<string>() };
  let since = new Date();

  const write = (input: Parameters<typeof appendAudit>[1]) => fork().transactional((em) => appendAudit(em, input));

  const flush = async (): Promise<void> => {
    const [closing, spilled, from] = [peers, overflow, since];
    peers = new Map();
    overflow = { total: 0, peers: new Set() };
    since = new Date();
    const until = since.toISOString();
    const rows = [...closing]
      .filter(([, w]) => w.total > 0)
      .map(([origin, w]) => ({
        actor: { kind: 'user' as const, id: 'anonymous or refused', origin },
        action: 'access.refused_repeated',
        subjectType: 'route',
        subjectId: 'several',
        after: {
          count: w.total,
          byRoute: Object.fromEntries([...w.byRoute].sort(([a], [b]) => a.localeCompare(b))),
          from: from.toISOString(),
          until,
        },
      }));
    if (spilled.total > 0) {
      rows.push({
        actor: { kind: 'user', id: 'anonymous or refused', origin: 'many addresses' },
        action: 'access.refused_repeated',
        subjectType: 'route',
        subjectId: 'several',
        after: { count: spilled.total, byRoute: { addresses: spilled.peers.size }, from: from.toISOString(), until },
      });
    }
    for (const row of rows)
      await write(row).catch((error: unknown) => log.warn({ err: error }, 'could not record repeated refusals'));
  };
  const timer = setInterval(() => void flush(), windowMs);
  timer.unref();

  return {
    async record(request, error) {
      const origin = request.ip;
      const route = `${request.method} ${request.routeOptions.url ?? 'unknown route'} ${error.status ?? ''}`.trim();
      const seen = peers.get(origin);
      if (seen) {
        seen.total += 1;
        seen.byRoute.set(route, (seen.byRoute.get(route) ?? 0) + 1);
        return;
      }
      if (peers.size >= maxPeers) {
        overflow.total += 1;
        if (overflow.peers.size < 100_000) overflow.peers.add(origin);
        return;
      }
      peers.set(origin, { total: 0, byRoute: new Map() });
      await write({
        actor: { kind: 'user', id: request.principal?.name ?? 'anonymous', origin },
        action: 'access.refused',
        subjectType: 'route',
        subjectId: `${request.method} ${request.routeOptions.url ?? 'unknown route'}`,
        after: { status: error.status ?? null, reason: error.reason ?? null, message: error.message },
      });
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
