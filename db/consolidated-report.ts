/**
 * Consolidated versions: what the council reads. A version is stored as its **basis**, every task
 * of the cycle with the unit, deadline and the submission it counted (none when the unit handed
 * nothing in), and the reading is `consolidate()` over those submissions. Submissions and template
 * versions are immutable, and `consolidate` is pure, so a version reads the same forever.
 *
 * Why not store the reading itself: it copies every answer (≈ 1.9 KiB per unit, 19 MiB at 10,000
 * units), and writing that document dominated consolidation (BENCHMARKS.md). The basis is
 * computed and written by PostgreSQL in one statement; no report passes through this process.
 */
import { membersBelow } from '../domain/reporting-tree';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { IConsolidatedReport } from './entities/cycle.entity';
import type { ReportAnswers } from '../domain/answers';
import { consolidate, type ConsolidatedReportContent, type UnitReportInput } from '../domain/consolidation';
import { templateDefinition } from './template-definitions';
import { OBLIGATION_VERSION } from '../domain/timeliness';

/** One task of a consolidated version. */
export interface BasisEntry {
  readonly taskId: number;
  readonly unitCode: string;
  readonly unitName: string;
  /** The obligation's deadline in force. */
  readonly deadline: string;
  /** The deadline of the unit's latest revision round when the version was made, if any. */
  readonly revisionDeadline: string | null;
  /** The latest submission when the version was made; null: the unit had handed nothing in. */
  readonly submissionId: number | null;
  /** In a cycle of several levels: the code of the unit it reports to (null at the top) and its level. */
  readonly reportsTo?: string | null;
  readonly level?: number;
}

export interface ConsolidationSummary {
  readonly expected: number;
  readonly submitted: number;
  readonly onTime: number;
}

/**
 * Stores version `version` of the cycle's consolidation from each task's latest submission, in
 * one statement; its summary, or null when that version already exists (nothing is changed).
 */
export async function writeConsolidatedReport(
  em: EntityManager,
  cycleId: number,
  version: number,
): Promise<ConsolidationSummary | null> {
  const rows = await em.execute<{ expected: number; submitted: number; on_time: number }[]>(
    `WITH latest AS (
       SELECT DISTINCT ON (s.task_id) s.id, s.task_id
       FROM submission s JOIN unit_task t ON t.id = s.task_id
       WHERE t.cycle_id = ?
       ORDER BY s.task_id, s.version DESC
     ), obligation AS (
       SELECT s.task_id, s.late FROM submission s JOIN unit_task t ON t.id = s.task_id WHERE t.cycle_id = ? AND s.version = ${OBLIGATION_VERSION}
     ), basis AS (
       SELECT coalesce(jsonb_agg(jsonb_build_object(
                'taskId', t.id, 'unitCode', u.code, 'unitName', u.name, 'deadline', t.schedule->>'deadline',
                'revisionDeadline', to_char(t.revision_deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'submissionId', l.id,
                'reportsTo', pu.code, 'level', t.level) ORDER BY u.code), '[]'::jsonb) AS entries,
              count(*)::int AS expected, count(l.id)::int AS submitted, (count(o.task_id) FILTER (WHERE NOT o.late))::int AS on_time
       FROM unit_task t JOIN unit u ON u.id = t.unit_id LEFT JOIN latest l ON l.task_id = t.id LEFT JOIN obligation o ON o.task_id = t.id
            LEFT JOIN unit_task pt ON pt.id = t.parent_task_id LEFT JOIN unit pu ON pu.id = pt.unit_id
       WHERE t.cycle_id = ?
     ), inserted AS (
       INSERT INTO consolidated_report (created_at, updated_at, cycle_id, version, basis)
       SELECT now(), now(), ?, ?, entries FROM basis
       ON CONFLICT (cycle_id, version) DO NOTHING
       RETURNING id
     )
     SELECT expected, submitted, on_time FROM basis WHERE EXISTS (SELECT 1 FROM inserted)`,
    [cycleId, cycleId, cycleId, cycleId, version],
  );
  const row = rows[0];
  return row ? { expected: row.expected, submitted: row.submitted, onTime: row.on_time } : null;
}

/** One entry of a version's basis with the submission it counted and the obligation's (see `READING_COLUMNS`). */
export interface ReadingRow {
  unit_code: string;
  unit_name: string;
  deadline: string;
  revision_deadline: string | null;
  submitted_at: Date | null;
  submission_deadline: Date | null;
  late: boolean | null;
  answers: ReportAnswers | null;
  version: number | null;
  obligation_at: Date | null;
  obligation_late: boolean | null;
  reports_to: string | null;
  level: number | null;
}

/** Readings recently computed, per database (driver); versions never change, so they can be kept. */
const recentByDatabase = new WeakMap<object, Map<number, Promise<ConsolidatedReportContent>>>();
const RECENT_MAX = 2;

/** The council's reading of a consolidated version. */
export function readConsolidatedReport(
  em: EntityManager,
  report: IConsolidatedReport,
): Promise<ConsolidatedReportContent> {
  const driver = em.getDriver();
  const recent = recentByDatabase.get(driver) ?? new Map<number, Promise<ConsolidatedReportContent>>();
  recentByDatabase.set(driver, recent);
  const cached = recent.get(report.id);
  if (cached) return cached;
  const reading = computeReading(em, report.id);
  recent.set(report.id, reading);
  reading.catch(() => recent.delete(report.id));
  if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
  return reading;
}

/**
 * The reading of a consolidated version restricted to what reports, directly or not, to the unit
 * `node` of a cycle of several levels: the same consolidation over its subtree (itself excluded).
 * Null when `node` is not one of the version's units.
 */
export async function readSubtreeReport(
  em: EntityManager,
  report: IConsolidatedReport,
  node: string,
): Promise<ConsolidatedReportContent | null> {
  return computeReading(em, report.id, node);
}

function subtree(units: readonly UnitReportInput[], node: string): UnitReportInput[] | null {
  if (!units.some((u) => u.unitCode === node)) return null;
  return membersBelow(
    units,
    (u) => u.unitCode,
    (u) => u.reportsTo,
    node,
  );
}

async function computeReading(em: EntityManager, reportId: number): Promise<ConsolidatedReportContent>;
async function computeReading(
  em: EntityManager,
  reportId: number,
  node: string,
): Promise<ConsolidatedReportContent | null>;
async function computeReading(
  em: EntityManager,
  reportId: number,
  node?: string,
): Promise<ConsolidatedReportContent | null> {
  const [cycle] = await em.execute<{ template_id: number }[]>(
    'SELECT c.template_id FROM consolidated_report r JOIN cycle c ON c.id = r.cycle_id WHERE r.id = ?',
    [reportId],
  );
  const rows = await em.execute<ReadingRow[]>(
    `SELECT ${readingColumns('s.answers')} FROM ${READING_FROM} WHERE r.id = ?`,
    [reportId],
  );
  const units = unitsOfReading(rows);
  const counted = node === undefined ? units : subtree(units, node);
  return counted && consolidate(await templateDefinition(em, cycle!.template_id), counted);
}

const iso = (d: Date | string): string => new Date(d).toISOString();

/**
 * The columns of a `ReadingRow` over `READING_FROM`, with `answers` the expression of the answers
 * read (`s.answers`, or a part of them).
 */
export const readingColumns = (answers: string): string =>
  `e->>'unitCode' AS unit_code, e->>'unitName' AS unit_name, e->>'deadline' AS deadline, e->>'revisionDeadline' AS revision_deadline,
   e->>'reportsTo' AS reports_to, (e->>'level')::int AS level,
   s.submitted_at, s.deadline AS submission_deadline, s.late, ${answers} AS answers, s.version, o.submitted_at AS obligation_at, o.late AS obligation_late`;

/** Consolidated versions `r`, each entry `e` of their basis, the submission `s` it counted and the obligation's `o`. */
export const READING_FROM = `consolidated_report r CROSS JOIN jsonb_array_elements(r.basis) e
   LEFT JOIN submission s ON s.id = (e->>'submissionId')::int
   LEFT JOIN submission o ON o.task_id = (e->>'taskId')::int AND o.version = ${OBLIGATION_VERSION} AND s.id IS NOT NULL`;

/** The units of a consolidated version as `consolidate()` takes them, from its basis rows joined with the submissions counted. */
export function unitsOfReading(rows: readonly ReadingRow[]): UnitReportInput[] {
  return rows.map((r) => ({
    unitCode: r.unit_code,
    unitName: r.unit_name,
    deadline: r.deadline,
    ...(r.obligation_at ? { obligation: { submittedAt: iso(r.obligation_at), late: r.obligation_late! } } : {}),
    ...(r.answers
      ? {
          submission: {
            submittedAt: iso(r.submitted_at!),
            answers: r.answers,
            version: r.version!,
            deadline: iso(r.submission_deadline!),
            late: r.late!,
          },
        }
      : {}),
    ...(r.revision_deadline ? { revisionDeadline: r.revision_deadline } : {}),
    ...(r.reports_to ? { reportsTo: r.reports_to } : {}),
    ...(r.level ? { level: r.level } : {}),
  }));
}
