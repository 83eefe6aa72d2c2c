/**
 * A cycle's whole record as one archive an auditor can take away (`.tar.gz`): audit events,
 * emails, submissions, consolidated versions, ballots (how each member voted only when ballots
 * are not secret), decisions and archived workflow
 * histories, each as a file, with `manifest.json` listing every file's SHA-256 and the audit
 * chain's head at export time.
 */
import { createGzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import tar from 'tar-stream';
import { sha256 } from '../../auth/tokens';
import { verifyAuditChain } from '../../db/audit-verify';
import { jsonWithEscapedControls } from '../../domain/display-text';
import type { ICycle } from '../../db/entities/cycle.entity';
import { ConsolidatedReport } from '../../db/entities';
import { readConsolidatedReport } from '../../db/consolidated-report';

/** JSON (Lines) with bidi controls and line separators escaped: the same values, safe to read as text. */
const json = (value: unknown, space?: number): string => jsonWithEscapedControls(JSON.stringify(value, null, space));
const jsonl = (rows: readonly unknown[]): string => rows.map((r) => json(r)).join('\n') + (rows.length ? '\n' : '');

export async function exportCycle(em: EntityManager, cycle: ICycle, exportedBy: string, now: Date): Promise<Readable> {
  const q = <T>(sql: string) => em.execute<T[]>(sql, [cycle.id]);
  const files: [string, string][] = [
    [
      'cycle.json',
      json(
        {
          id: cycle.id,
          campaign: cycle.campaign.code,
          period: cycle.period,
          workflowId: cycle.workflowId,
          stage: cycle.stage,
          policy: cycle.policy,
          plan: cycle.plan,
          templateVersion: cycle.template.version,
          closedAt: cycle.closedAt,
          cancelReason: cycle.cancelReason,
        },
        2,
      ),
    ],
    ['audit-events.jsonl', jsonl(await q('SELECT * FROM audit_event WHERE cycle_id = ? ORDER BY seq'))],
    [
      'emails.jsonl',
      jsonl(
        await q(
          'SELECT id, idempotency_key, kind, task_id, recipient, locale, subject, body_sha256, status, attempts, last_error, message_id, sent_at, audit_event_id, created_at FROM email WHERE cycle_id = ? ORDER BY id',
        ),
      ),
    ],
    [
      'tasks.jsonl',
      jsonl(
        await q(
          'SELECT t.id, u.code AS unit_code, u.name AS unit_name, t.level, pu.code AS reports_to, t.workflow_id, t.state, t.schedule, t.dispatched_at, t.submitted_at, t.late, t.revision_deadline, t.reminders_sent, t.escalation_level FROM unit_task t JOIN unit u ON u.id = t.unit_id LEFT JOIN unit_task pt ON pt.id = t.parent_task_id LEFT JOIN unit pu ON pu.id = pt.unit_id WHERE t.cycle_id = ? ORDER BY u.code',
        ),
      ),
    ],
    [
      'submissions.jsonl',
      jsonl(
        await q(
          'SELECT s.id, u.code AS unit_code, s.version, s.submitted_at, s.deadline, s.late, s.receipt_number, s.answers FROM submission s JOIN unit_task t ON t.id = s.task_id JOIN unit u ON u.id = t.unit_id WHERE t.cycle_id = ? ORDER BY u.code, s.version',
        ),
      ),
    ],
    [
      'consolidated-reports.jsonl',
      jsonl(
        await Promise.all(
          (await em.find(ConsolidatedReport, { cycle }, { orderBy: { version: 'asc' }, populate: ['basis'] })).map(
            async (r) => ({
              version: r.version,
              created_at: r.createdAt,
              basis: r.basis,
              content: await readConsolidatedReport(em, r),
            }),
          ),
        ),
      ),
    ],
    // Secret ballots: who voted on what, never how (their seals are in audit-events.jsonl).
    [
      'ballots.jsonl',
      jsonl(
        await q(
          `SELECT b.id, b.report_version, a.name AS voter, b.subject_key, ${cycle.policy.secretBallots ? '' : 'b.choice, b.unit_codes, b.comment, '}b.created_at FROM ballot b JOIN api_token a ON a.id = b.voter_id WHERE b.cycle_id = ? ORDER BY b.id`,
        ),
      ),
    ],
    [
      'decisions.jsonl',
      jsonl(
        await q(
          'SELECT proposal_id, unit_code, nominee, requested_form, approved, approvals, rejections, members, report_version, created_at FROM commendation_decision WHERE cycle_id = ? ORDER BY proposal_id',
        ),
      ),
    ],
  ];
  for (const h of await q<{ workflow_id: string; run_id: string; history: unknown }>(
    'SELECT workflow_id, run_id, history FROM workflow_history WHERE cycle_id = ? ORDER BY workflow_id',
  )) {
    files.push([
      `histories/${h.workflow_id}.json`,
      json({ workflowId: h.workflow_id, runId: h.run_id, history: h.history }),
    ]);
  }
  const chain = await verifyAuditChain(em);
  const manifest = {
    format: 'baocao-cycle-export/1',
    cycle: { campaign: cycle.campaign.code, period: cycle.period, workflowId: cycle.workflowId },
    exportedAt: now.toISOString(),
    exportedBy,
    auditChain: { ok: chain.ok, rows: chain.rows, head: chain.head },
    files: files.map(([name, body]) => ({ name, bytes: Buffer.byteLength(body), sha256: sha256(body) })),
  };
  const pack = tar.pack();
  for (const [name, body] of [['manifest.json', json(manifest, 2)] as [string, string], ...files]) {
    pack.entry({ name: `${cycle.workflowId}/${name}`, mtime: now }, body);
  }
  pack.finalize();
  return pack.pipe(createGzip());
}
