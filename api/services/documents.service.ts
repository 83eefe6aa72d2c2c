/**
 * A cycle's official documents on request: the consolidated monthly report (any version,
 * Vietnamese or English), the minutes of the council's vote on a version, and the draft decision on
 * commendation listing the approved proposals; as DOCX, or PDF converted from it. Built from what
 * is stored (the consolidation's reading, ballots, decisions, the campaign's document settings);
 * written in a worker thread, converted by LibreOffice; never in a workflow. Every download by a
 * person is in the audit log.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { appendAudit, type Actor } from '../../db/audit';
import { readConsolidatedReport, readSubtreeReport } from '../../db/consolidated-report';
import { Ballot, CommendationDecision, ConsolidatedReport, Unit } from '../../db/entities';
import { reviewRollOf } from '../../db/council-roll';
import type { ICycle } from '../../db/entities/cycle.entity';
import { decisionSpec, minutesSpec, type ProposalVote } from '../../documents/council-documents';
import { monthlyReportSpec } from '../../documents/monthly-report';
import { docxToPdf, RendererMissingError, sofficePath } from '../../documents/pdf';
import { renderDocx } from '../../documents/render';
import { documentSettingsOf, type DocumentSettings } from '../../documents/settings';
import type { OfficialDocumentSpec } from '../../documents/spec';
import { ConflictError, NotFoundError } from '../../domain/errors';
import { decideReport } from '../../domain/review';
import { UnavailableError } from '../http/errors';
import { findCycle } from './cycles.service';

export const DOCUMENT_KINDS = ['monthly-report', 'council-minutes', 'commendation-decision'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const DOCUMENT_FORMATS = ['docx', 'pdf'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

export interface DocumentRequest {
  readonly kind: DocumentKind;
  readonly format: DocumentFormat;
  /** The consolidated version (the one under review, or the latest, by default). */
  readonly version?: number;
  /** Only the monthly report has an English rendering. */
  readonly lang?: 'vi' | 'en';
  /** Monthly report only: the consolidation of what reports to this unit (a cycle of several levels), issued by it. */
  readonly node?: string;
}

export interface DocumentFile {
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

const CONTENT_TYPES: Record<DocumentFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
};
const FILE_PREFIX: Record<DocumentKind, string> = {
  'monthly-report': 'bao-cao-tong-hop',
  'council-minutes': 'bien-ban-bieu-quyet',
  'commendation-decision': 'du-thao-quyet-dinh-khen-thuong',
};

async function versionOf(em: EntityManager, cycle: ICycle, requested: number | undefined): Promise<number> {
  const reports = await em.find(ConsolidatedReport, { cycle }, { orderBy: { version: 'asc' }, fields: ['version'] });
  const versions = reports.map((r) => r.version);
  if (requested !== undefined) {
    if (!versions.includes(requested))
      throw new NotFoundError({ code: 'version_unknown', params: { version: requested } }, 'version');
    return requested;
  }
  const version = cycle.reviewVersion ?? versions.at(-1);
  if (version === undefined) throw new NotFoundError({ code: 'no_consolidation_yet', params: {} }, 'version');
  return version;
}

async function contentOf(em: EntityManager, cycle: ICycle, version: number) {
  const report = await em.findOneOrFail(ConsolidatedReport, { cycle, version });
  return readConsolidatedReport(em, report);
}

/**
 * The monthly report of a consolidating unit: the version's consolidation over what reports to it,
 * issued by that unit (its head signs) to the campaign's issuing body.
 */
async function nodeScope(em: EntityManager, cycle: ICycle, version: number, node: string, settings: DocumentSettings) {
  const report = await em.findOneOrFail(ConsolidatedReport, { cycle, version });
  const content = await readSubtreeReport(em, report, node);
  const unit = content ? await em.findOne(Unit, { code: node }) : null;
  if (!content || !unit) throw new NotFoundError({ code: 'unit_not_in_cycle', params: { unit: node } }, 'node');
  return {
    content,
    unitName: unit.name,
    settings: {
      ...settings,
      parentBody: settings.issuingBody,
      issuingBody: unit.name.toLocaleUpperCase('vi'),
      signerAuthority: '',
      signerPosition: 'THỦ TRƯỞNG ĐƠN VỊ',
      signerName: unit.headName,
      recipients: [`${settings.issuingBody} (để tổng hợp)`, 'Lưu: VT'],
    },
  };
}

async function minutesInput(em: EntityManager, cycle: ICycle, version: number, now: Date) {
  const content = await contentOf(em, cycle, version);
  // The council of this vote as recorded when it opened; ballots of its members only, each person once.
  const memberIds = await reviewRollOf(em, cycle, version);
  const members = memberIds.length;
  const ballots = await em.find(
    Ballot,
    { cycle, reportVersion: version, voter: { $in: memberIds } },
    { populate: ['voter'], orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const reportBallots = ballots.filter((b) => b.subjectKey === 'report');
  const tally = decideReport(
    members,
    reportBallots.map((b) => ({
      choice: b.choice === 'approve' ? 'approve' : 'request_revision',
      unitCodes: b.unitCodes ?? [],
      comment: b.comment ?? null,
    })),
    cycle.policy.quorum,
    cycle.policy.approvalThreshold,
  );
  const secret = cycle.policy.secretBallots;
  const decisions = new Map(
    (await em.find(CommendationDecision, { cycle, reportVersion: version })).map((d) => [d.proposalId, d]),
  );
  const proposals: ProposalVote[] = content.proposals.map((p) => {
    const own = ballots.filter((b) => b.subjectKey === `proposal:${p.id}`);
    const decided = decisions.get(p.id);
    return {
      id: p.id,
      nominee: p.nominee,
      nomineeKind: p.nomineeKind,
      unitName: p.unitName,
      requestedForm: p.requestedForm,
      approvals: decided?.approvals ?? own.filter((b) => b.choice === 'approve').length,
      rejections: decided?.rejections ?? own.filter((b) => b.choice === 'reject').length,
      approved: decided ? decided.approved : null,
      ...(secret ? {} : { choices: own.map((b) => ({ voter: b.voter.name, choice: b.choice })) }),
    };
  });
  const at = ballots.map((b) => b.createdAt.toISOString()).sort();
  return minutesSpec({
    campaignName: cycle.campaign.name,
    period: cycle.period,
    version,
    settings: documentSettingsOf(cycle.campaign.documentSettings),
    now,
    members,
    quorum: cycle.policy.quorum,
    approvalThreshold: cycle.policy.approvalThreshold,
    secretBallots: secret,
    voters: reportBallots.map((b) => b.voter.name),
    firstVoteAt: at[0] ?? null,
    lastVoteAt: at.at(-1) ?? null,
    approvals: reportBallots.filter((b) => b.choice === 'approve').length,
    revisionRequests: reportBallots.filter((b) => b.choice === 'request_revision').length,
    decision: tally.decision,
    ...(secret
      ? {}
      : {
          reportChoices: reportBallots.map((b) => ({
            voter: b.voter.name,
            choice: b.choice,
            unitCodes: b.unitCodes ?? [],
            comment: b.comment ?? null,
          })),
        }),
    proposals,
  });
}

async function decisionInput(em: EntityManager, cycle: ICycle, now: Date) {
  const approved = await em.find(CommendationDecision, { cycle, approved: true }, { orderBy: { proposalId: 'asc' } });
  if (!approved.length) throw new ConflictError({ code: 'no_approved_proposals', params: {} });
  const byVersion = new Map<number, Awaited<ReturnType<typeof contentOf>>>();
  const rows = [];
  for (const d of approved) {
    if (!byVersion.has(d.reportVersion)) byVersion.set(d.reportVersion, await contentOf(em, cycle, d.reportVersion));
    const p = byVersion.get(d.reportVersion)!.proposals.find((x) => x.id === d.proposalId);
    rows.push({
      id: d.proposalId,
      nominee: p?.nominee ?? d.nominee,
      nomineeKind: p?.nomineeKind ?? 'individual',
      unitName: p?.unitName ?? d.unitCode,
      requestedForm: p?.requestedForm ?? d.requestedForm,
      summary: p?.summary ?? '',
      approvals: d.approvals,
      rejections: d.rejections,
    });
  }
  return decisionSpec({
    campaignName: cycle.campaign.name,
    period: cycle.period,
    settings: documentSettingsOf(cycle.campaign.documentSettings),
    now,
    approved: rows,
  });
}

/** The document's spec from what is stored, and the version it is of (null for the decision). */
export async function documentSpec(
  em: EntityManager,
  cycle: ICycle,
  request: DocumentRequest,
  now: Date,
): Promise<{ spec: OfficialDocumentSpec; version: number | null }> {
  if (request.kind === 'commendation-decision') return { spec: await decisionInput(em, cycle, now), version: null };
  const version = await versionOf(em, cycle, request.version);
  if (request.kind === 'council-minutes') return { spec: await minutesInput(em, cycle, version, now), version };
  const settings = documentSettingsOf(cycle.campaign.documentSettings);
  const scope = request.node ? await nodeScope(em, cycle, version, request.node, settings) : null;
  const spec = monthlyReportSpec({
    campaignName: cycle.campaign.name,
    period: cycle.period,
    version,
    content: scope?.content ?? (await contentOf(em, cycle, version)),
    settings: scope?.settings ?? settings,
    lang: request.lang ?? 'vi',
    now,
    ...(scope ? { unitName: scope.unitName } : {}),
  });
  return { spec, version };
}

/**
 * The document a person downloads, written now; the download is audited (`document.downloaded`:
 * kind, format, version, language, size and SHA-256 of the file). A PDF asked of a server without
 * LibreOffice is refused with 503 before anything is written.
 */
export async function downloadDocument(
  em: EntityManager,
  cycle: ICycle,
  request: DocumentRequest,
  actor: Actor,
  now: Date,
): Promise<DocumentFile> {
  const unavailable = () => new UnavailableError({ code: 'pdf_renderer_unavailable', params: {} }, 'format');
  if (request.format === 'pdf' && !sofficePath()) throw unavailable();
  const { spec, version } = await documentSpec(em, cycle, request, now);
  const docx = await renderDocx(spec);
  let bytes = docx;
  if (request.format === 'pdf') {
    try {
      bytes = await docxToPdf(docx);
    } catch (error) {
      if (error instanceof RendererMissingError) throw unavailable();
      throw error;
    }
  }
  const lang = request.kind === 'monthly-report' ? (request.lang ?? 'vi') : 'vi';
  await em.transactional(async (tx) => {
    await appendAudit(tx, {
      actor,
      action: 'document.downloaded',
      subjectType: 'cycle',
      subjectId: String(cycle.id),
      cycleId: cycle.id,
      after: {
        kind: request.kind,
        format: request.format,
        version,
        lang,
        ...(request.node ? { node: request.node } : {}),
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
      occurredAt: now,
    });
  });
  const name = `${FILE_PREFIX[request.kind]}-${cycle.workflowId.replace(/^cycle-/, '').replace(/[^A-Za-z0-9_-]/g, '-')}${request.node ? `-${request.node.replace(/[^A-Za-z0-9_-]/g, '-')}` : ''}${version === null ? '' : `-v${version}`}${lang === 'en' ? '-en' : ''}.${request.format}`;
  return { filename: name, contentType: CONTENT_TYPES[request.format], bytes };
}

/** The file names the download routes take: `<kind>.<format>`. */
export const DOCUMENT_FILE_PATTERN = `^(${DOCUMENT_KINDS.join('|')})\\.(${DOCUMENT_FORMATS.join('|')})$`;

/**
 * A document of the cycle of `campaign` for `period`, named by its file (`monthly-report.pdf`;
 * the routes admit only `DOCUMENT_FILE_PATTERN`), written now and audited as `downloadDocument` does.
 */
export async function cycleDocument(
  em: EntityManager,
  target: { readonly campaign: string; readonly period: string; readonly file: string },
  options: {
    readonly version?: number | undefined;
    readonly lang?: 'vi' | 'en' | undefined;
    readonly node?: string | undefined;
  },
  actor: Actor,
  now: Date,
): Promise<DocumentFile> {
  const cycle = await findCycle(em, target.campaign, target.period);
  const dot = target.file.lastIndexOf('.');
  return downloadDocument(
    em,
    cycle,
    {
      kind: target.file.slice(0, dot) as DocumentKind,
      format: target.file.slice(dot + 1) as DocumentFormat,
      ...(options.version !== undefined ? { version: options.version } : {}),
      ...(options.lang ? { lang: options.lang } : {}),
      ...(options.node ? { node: options.node } : {}),
    },
    actor,
    now,
  );
}
