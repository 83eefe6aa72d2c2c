/**
 * The outbox against what the SMTP sink received, for the fault tests: a row is lost when it is not
 * marked sent or its message never arrived; a message arrived twice only if it was in flight when a
 * worker died — first accepted at most IN_FLIGHT_MS before that worker's SIGKILL (its "sent" mark
 * died with the process) — and only once more, with the same Message-ID.
 */
import type { ReceivedMessage } from '../../mail/sink';

const IN_FLIGHT_MS = 5_000;

/** When a worker died: from the SIGKILL to its exit (ms since the epoch). */
export interface WorkerDeath {
  readonly from: number;
  readonly to: number;
}

interface SentRow {
  readonly status: string;
  readonly messageId?: string | null;
  readonly idempotencyKey: string;
}

export interface OutboxDeliveries {
  readonly lost: number;
  /** Copies received beyond the first, over every row. */
  readonly duplicated: number;
  /** Rows received twice without a worker death to explain it, or more than twice: `key (n×)`. */
  readonly unexplained: string[];
}

export function outboxDeliveries(
  rows: readonly SentRow[],
  messages: readonly ReceivedMessage[],
  deaths: readonly WorkerDeath[],
): OutboxDeliveries {
  const seen = new Map<string, number>();
  const firstReceived = new Map<string, number>();
  for (const m of messages) {
    seen.set(m.messageId, (seen.get(m.messageId) ?? 0) + 1);
    if (!firstReceived.has(m.messageId)) firstReceived.set(m.messageId, m.receivedAt.getTime());
  }
  const copies = (row: SentRow): number => (row.messageId ? (seen.get(row.messageId) ?? 0) : 0);
  const twice = rows.filter((row) => copies(row) > 1);
  return {
    lost: rows.filter((row) => row.status !== 'sent' || copies(row) === 0).length,
    duplicated: twice.reduce((n, row) => n + copies(row) - 1, 0),
    unexplained: twice
      .filter((row) => {
        const first = firstReceived.get(row.messageId!)!;
        return copies(row) > 2 || !deaths.some((d) => first >= d.from - IN_FLIGHT_MS && first <= d.to);
      })
      .map((row) => `${row.idempotencyKey} (${copies(row)}×)`),
  };
}
