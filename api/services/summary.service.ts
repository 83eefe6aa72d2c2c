/**
 * Periodic summaries of a campaign (quarter, half-year, year, any range of months), read from the
 * monthly cycles the council approved (db/summary-reading.ts) and computed by domain/summary.ts.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { createHash } from 'node:crypto';
import { appendAudit, type Actor } from '../../db/audit';
import { Campaign } from '../../db/entities';
import { readSummaryMonths, summaryCycles, summaryKey } from '../../db/summary-reading';
import { storedSummary } from '../../db/summary-store';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { registrationYearOf, summariseUnit, type PeriodSummary, type UnitSummary } from '../../domain/summary';
import { unitRegisteredTargets } from '../../db/registration-reading';
import { parseWindow, type SummaryWindow } from '../../domain/summary-window';
import { summaryWorkflow, summaryWorkflowId } from '../../workflows/summary.workflow';

export interface CampaignRef {
  readonly code: string;
  readonly name: string;
}

/** A summary frozen by its workflow: when, by which workflow, and the SHA-256 of its content (also in the audit log). */
export interface Frozen {
  readonly frozenAt: string;
  readonly workflowId: string;
  readonly sha256: string;
}

/** The campaign named `code`; 404 naming `campaign` when there is none. */
export async function campaignRef(em: EntityManager, code: string): Promise<CampaignRef & { id: number }> {
  const campaign = await em.findOne(Campaign, { code }, { fields: ['id', 'code', 'name'] });
  if (!campaign) throw new NotFoundError({ code: 'campaign_unknown', params: { campaign: code } }, 'campaign');
  return { id: campaign.id, code: campaign.code, name: campaign.name };
}

/** The campaign named `campaignCode` and the window written `windowCode`; 404 / 400 naming the one that is not. */
export async function campaignAndWindow(
  em: EntityManager,
  campaignCode: string,
  windowCode: string,
): Promise<{ campaign: CampaignRef & { id: number }; window: SummaryWindow }> {
  const window = parseWindow(windowCode);
  if (!window) throw new ValidationError({ code: 'summary_window_invalid', params: { window: windowCode } }, 'window');
  return { campaign: await campaignRef(em, campaignCode), window };
}

/**
 * Summaries recently read, per database (driver), by campaign, window, node and the state and
 * approved version of each month: an approved version never changes, so neither does a summary
 * of the same months in the same states (paging through its units, downloading its tables).
 * Below this, summaries are kept in PostgreSQL (db/summary-store.ts).
 */
const recentByDatabase = new WeakMap<object, Map<string, Promise<PeriodSummary>>>();
const RECENT_MAX = 4;
function recentOf(em: EntityManager): Map<string, Promise<PeriodSummary>> {
  const driver = em.getDriver();
  const recent = recentByDatabase.get(driver) ?? new Map<string, Promise<PeriodSummary>>();
  recentByDatabase.set(driver, recent);
  return recent;
}

/** The summary of a campaign over a window, or of what reports to `node` in its tree. */
export async function campaignSummary(
  em: EntityManager,
  campaignCode: string,
  windowCode: string,
  { node }: { node?: string | undefined } = {},
): Promise<{ campaign: CampaignRef; summary: PeriodSummary; frozen?: Frozen }> {
  const { campaign, window } = await campaignAndWindow(em, campaignCode, windowCode);
  if (node === undefined) {
    const [frozen] = await em.execute<
      { content: PeriodSummary; frozen_at: Date; workflow_id: string; sha256: string }[]
    >('SELECT content, frozen_at, workflow_id, sha256 FROM frozen_summary WHERE campaign_id = ? AND window_code = ?', [
      campaign.id,
      window.code,
    ]);
    if (frozen)
      return {
        campaign: { code: campaign.code, name: campaign.name },
        summary: frozen.content,
        frozen: {
          frozenAt: new Date(frozen.frozen_at).toISOString(),
          workflowId: frozen.workflow_id,
          sha256: frozen.sha256,
        },
      };
  }
  const cycles = await summaryCycles(em, campaign.id, window.periods);
  const key = `${campaign.id}|${window.code}|${node ?? ''}|${summaryKey(cycles)}`;
  const recent = recentOf(em);
  let computing = recent.get(key);
  if (!computing) {
    computing = storedSummary(em, campaign.id, window, node);
    recent.set(key, computing);
    computing.catch(() => recent.delete(key));
    if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
  }
  const summary = await computing;
  if (node !== undefined && !summary.node)
    throw new NotFoundError({ code: 'unit_not_in_summary', params: { unit: node, window: window.code } }, 'node');
  return { campaign: { code: campaign.code, name: campaign.name }, summary };
}

/**
 * One unit's summary over a window: its history, key tasks month by month, indicators (each
 * compared with what the unit registered for the window's year) and every text.
 */
export async function unitSummary(
  em: EntityManager,
  campaignCode: string,
  windowCode: string,
  unitCode: string,
): Promise<{ campaign: CampaignRef; summary: UnitSummary }> {
  const { campaign, window } = await campaignAndWindow(em, campaignCode, windowCode);
  const cycles = await summaryCycles(em, campaign.id, window.periods);
  const months = await readSummaryMonths(em, cycles, window.periods, { unit: unitCode });
  const registered = await unitRegisteredTargets(em, campaign.id, registrationYearOf(window), unitCode);
  const summary = summariseUnit(window, months, unitCode, registered);
  if (!summary)
    throw new NotFoundError({ code: 'unit_not_in_summary', params: { unit: unitCode, window: window.code } }, 'unit');
  return { campaign: { code: campaign.code, name: campaign.name }, summary };
}

/**
 * Audits the download of a summary's table (`summary.downloaded`: campaign, window, node or unit,
 * file, size and SHA-256), as documents of a cycle are.
 */
export async function recordSummaryDownload(
  em: EntityManager,
  actor: Actor,
  what: {
    readonly campaign: string;
    readonly window: string;
    readonly node?: string | undefined;
    readonly unit?: string | undefined;
    readonly file: string;
  },
  bytes: Buffer,
  now: Date,
): Promise<void> {
  await em.transactional(async (tx) => {
    await appendAudit(tx, {
      actor,
      action: 'summary.downloaded',
      subjectType: 'campaign',
      subjectId: what.campaign,
      after: {
        window: what.window,
        ...(what.node ? { node: what.node } : {}),
        ...(what.unit ? { unit: what.unit } : {}),
        file: what.file,
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
      occurredAt: now,
    });
  });
}

/**
 * Freezes the summary of a campaign over a window through its workflow (one per campaign and
 * window: a second request waits for the first), audited as asked by `actor`; answers once frozen.
 */
export async function freezeSummary(
  deps: {
    readonly em: EntityManager;
    readonly temporal: Client;
    readonly taskQueue: string;
    readonly actor: Actor;
    readonly now: Date;
  },
  campaignCode: string,
  windowCode: string,
): Promise<Frozen & { accepted: number; started: boolean }> {
  const { campaign, window } = await campaignAndWindow(deps.em, campaignCode, windowCode);
  const workflowId = summaryWorkflowId(campaign.code, window.code);
  let started = true;
  try {
    await deps.temporal.workflow.start(summaryWorkflow, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [{ campaign: campaign.code, window: window.code }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    started = false;
  }
  if (started)
    await deps.em.transactional((tx) =>
      appendAudit(tx, {
        actor: deps.actor,
        action: 'summary.freeze_requested',
        subjectType: 'campaign',
        subjectId: campaign.code,
        after: { window: window.code, workflowId },
        occurredAt: deps.now,
      }),
    );
  const result = await deps.temporal.workflow.getHandle<typeof summaryWorkflow>(workflowId).result();
  return { ...result, workflowId, started };
}
