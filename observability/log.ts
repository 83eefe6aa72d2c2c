/**
 * Log lines of the API and the worker: one JSON object a line in production (LOG_FORMAT=json, for
 * a log collector), readable lines under `npm start` (LOG_FORMAT=pretty). Whatever the format,
 * anything shaped like a personal link's token or an API token is replaced before the line leaves.
 */
import { Writable } from 'node:stream';
import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';

/**
 * Text fit for a log line: personal links' tokens (`/r/<token>`, `/api/v1/link/<token>`), and
 * anything anywhere in it shaped like a link token (43 base64url characters) or an API token
 * (`bc_…`), are replaced by `[token]`.
 */
export const redactLinkTokens = (text: string): string =>
  text
    .replace(/\/(r|link|dk|registration-link)\/[^/?#"\s]+/g, '/$1/[token]')
    .replace(/bc_[A-Za-z0-9_%-]+|[A-Za-z0-9_-]{43,}/g, '[token]');

const PINO_LEVELS: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

const OMITTED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'message', 'timestamp']);

/** One readable line: time, level, message, then the other fields as key=value. */
export function prettyLine(record: Record<string, unknown>): string {
  const time = new Date(typeof record.time === 'number' ? record.time : Date.now()).toISOString().slice(11, 23);
  const level =
    typeof record.level === 'number' ? (PINO_LEVELS[record.level] ?? 'INFO') : String(record.level ?? 'INFO');
  const fields = Object.entries(record)
    .filter(([k, v]) => !OMITTED.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return `${time} ${level.padEnd(5)} ${String(record.msg ?? record.message ?? '')}${fields.length ? ` ${fields.join(' ')}` : ''}`;
}

/** A stream for Fastify's (pino's) JSON lines that writes them as readable lines to `out`. */
export function prettyLogStream(out: NodeJS.WritableStream = process.stdout): Writable {
  let partial = '';
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop()!;
      for (const line of lines.filter(Boolean)) {
        let text: string;
        try {
          text = prettyLine(JSON.parse(line) as Record<string, unknown>);
        } catch {
          text = line;
        }
        out.write(`${redactLinkTokens(text)}\n`);
      }
      done();
    },
  });
}

/** The worker's logger (the Temporal SDK's, and the activities' through it), in `format`, to `out`. */
export function workerLogger(
  level: LogLevel,
  format: 'json' | 'pretty',
  out: NodeJS.WritableStream = process.stderr,
): DefaultLogger {
  return new DefaultLogger(level, (entry: LogEntry) => {
    const record: Record<string, unknown> = {
      level: entry.level,
      time: Number(entry.timestampNanos / 1_000_000n),
      msg: entry.message,
      ...serialisable(entry.meta),
    };
    const text = format === 'json' ? JSON.stringify(record) : prettyLine(record);
    out.write(`${redactLinkTokens(text)}\n`);
  });
}

function serialisable(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!meta) return {};
  return Object.fromEntries(
    Object.entries(meta).map(([k, v]) => [
      k,
      v instanceof Error ? { name: v.name, message: v.message } : typeof v === 'bigint' ? String(v) : v,
    ]),
  );
}

/** One line of a process's own (start-up, fatal error) in `format`, as the rest of its log. */
export function logLine(format: 'json' | 'pretty', level: string, msg: string): string {
  const record = { level, time: Date.now(), msg };
  return redactLinkTokens(format === 'json' ? JSON.stringify(record) : prettyLine(record));
}
