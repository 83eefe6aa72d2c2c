/**
 * Prometheus metrics of the product, read from PostgreSQL when scraped (so every API and worker
 * process answers the same figures for the whole system), plus each process's own: the API's
 * submission latency, Node's runtime figures, and on a worker the Temporal SDK's runtime
 * metrics (its Prometheus exporter, appended to the same answer).
 */
import type { ConnectionLike } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CYCLE_STAGES, TASK_STATES } from '../domain/states';
import { EMAIL_STATUSES } from '../db/entities/email.entity';

export interface ProductMetrics {
  readonly registry: Registry;
  /** Seconds from a report's request to its answer (API only). */
  readonly submissionSeconds: Histogram<'outcome'>;
  /** Answers refused or failed by the API, by status class. */
  readonly httpErrors: Counter<'status'>;
  /** The text of /metrics: this registry, then `extra` (the SDK's exporter) when given. */
  render(extra?: () => Promise<string>): Promise<string>;
}

interface Row {
  [key: string]: unknown;
}

/**
 * The product's figures over `orm`'s database, labelled `process` (api or worker) so a dashboard
 * can pick one scrape target for the system-wide figures.
 */
export function createProductMetrics(orm: MikroORM, role: 'api' | 'worker'): ProductMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ process: role });
  collectDefaultMetrics({ register: registry });
  const query = async (sql: string): Promise<Row[]> => orm.em.fork().getConnection().execute<Row[]>(sql);

  new Gauge({
    name: 'baocao_cycles',
    help: 'Cycles by stage',
    labelNames: ['stage'],
    registers: [registry],
    async collect() {
      const rows = await query('SELECT stage, count(*)::int AS n FROM cycle GROUP BY stage');
      for (const stage of CYCLE_STAGES) this.set({ stage }, Number(rows.find((r) => r.stage === stage)?.n ?? 0));
    },
  });
  new Gauge({
    name: 'baocao_tasks',
    help: "Units' tasks by state, over the cycles not closed or cancelled",
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const rows = await query(
        `SELECT t.state, count(*)::int AS n FROM unit_task t JOIN cycle c ON c.id = t.cycle_id
          WHERE c.stage NOT IN ('closed', 'cancelled') GROUP BY t.state`,
      );
      for (const state of TASK_STATES) this.set({ state }, Number(rows.find((r) => r.state === state)?.n ?? 0));
    },
  });
  new Gauge({
    name: 'baocao_outbox_emails',
    help: 'Outbox rows by status (pending: not delivered yet; failed: given up after the retries)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await query('SELECT status, count(*)::int AS n FROM email GROUP BY status');
      for (const status of EMAIL_STATUSES) this.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0));
    },
  });
  new Gauge({
    name: 'baocao_outbox_oldest_pending_seconds',
    help: 'Age of the oldest email waiting in the outbox (0 when none waits)',
    registers: [registry],
    async collect() {
      const [row] = await query(
        `SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS s FROM email WHERE status = 'pending'`,
      );
      this.set(Number(row?.s ?? 0));
    },
  });
  new Gauge({
    name: 'baocao_email_delivery_failures',
    help: 'Failed SMTP delivery attempts recorded in the outbox (attempts beyond the first, and given-up rows)',
    registers: [registry],
    async collect() {
      const [row] = await query(
        `SELECT (coalesce(sum(greatest(attempts - 1, 0)), 0) + count(*) FILTER (WHERE status = 'failed'))::int AS n FROM email`,
      );
      this.set(Number(row?.n ?? 0));
    },
  });
  new Gauge({
    name: 'baocao_audit_chain_length',
    help: 'Events in the audit chain (its last sequence number)',
    registers: [registry],
    async collect() {
      const [row] = await query('SELECT coalesce(max(seq), 0)::bigint AS n FROM audit_event');
      this.set(Number(row?.n ?? 0));
    },
  });
  new Gauge({
    name: 'baocao_audit_pending',
    help: 'Audit events written but not chained yet',
    registers: [registry],
    async collect() {
      const [row] = await query('SELECT count(*)::int AS n FROM audit_pending');
      this.set(Number(row?.n ?? 0));
    },
  });
  const submissionSeconds = new Histogram({
    name: 'baocao_submission_seconds',
    help: "Time from a unit head's report request to the API's answer, by outcome",
    labelNames: ['outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const httpErrors = new Counter({
    name: 'baocao_http_errors_total',
    help: 'API answers with a 4xx or 5xx status, by status',
    labelNames: ['status'],
    registers: [registry],
  });
  return {
    registry,
    submissionSeconds,
    httpErrors,
    async render(extra) {
      const own = await registry.metrics();
      if (!extra) return own;
      const more = await extra().catch(() => '');
      return more ? `${own}\n${more}` : own;
    },
  };
}

/** Readiness: PostgreSQL answers a query and Temporal its system info, each within `timeoutMs`. */
/** How long a readiness check waits for Temporal; its client stops retrying then, before `readiness` gives up. */
const TEMPORAL_CHECK_MS = 2_500;

/** Whether the Temporal frontend answers, within a deadline (the client's retries end with it). */
export const temporalAnswers = (connection: ConnectionLike): Promise<unknown> =>
  connection.withDeadline(Date.now() + TEMPORAL_CHECK_MS, () => connection.workflowService.getSystemInfo({}));

export async function readiness(
  checks: Readonly<Record<string, () => Promise<unknown>>>,
  timeoutMs = 3000,
): Promise<{ ok: boolean; checks: Record<string, string> }> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [name, 'ok'] as const;
      } catch (error) {
        return [name, error instanceof Error ? error.message.split('\n')[0]! : String(error)] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ok: results.every(([, r]) => r === 'ok'), checks: Object.fromEntries(results) };
}
