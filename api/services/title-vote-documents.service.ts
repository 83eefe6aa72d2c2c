/**
 * What a round of title votes gives to download: the minutes of the vote count (DOCX in the
 * Decree 30 layout, or PDF converted from it) and the results table (CSV, XLSX). Built from the
 * round's view, so a secret ballot's choices are never in them; every download is audited.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { appendAudit, type Actor } from '../../db/audit';
import { Campaign } from '../../db/entities';
import { docxToPdf, RendererMissingError, sofficePath } from '../../documents/pdf';
import { renderDocx } from '../../documents/render';
import { documentSettingsOf } from '../../documents/settings';
import type { OfficialDocumentSpec } from '../../documents/spec';
import { OUTCOME_VI, titleVoteMinutesSpec } from '../../documents/title-vote-minutes';
import { EMULATION_TITLE_NAMES } from '../../domain/emulation-titles';
import { UnavailableError } from '../http/errors';
import type { Sheet } from '../console/services/xlsx';
import { csv, xlsx } from '../console/services/xlsx';
import { findTitleVote, titleVoteView, type TitleVoteView } from './title-votes.service';

export const TITLE_VOTE_FILE_PATTERN = '^(minutes\\.(docx|pdf)|results\\.(csv|xlsx))$';

const CONTENT_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** The minutes of the round as an official document. */
export async function titleVoteMinutes(
  em: EntityManager,
  campaignCode: string,
  year: number,
  now: Date,
): Promise<{ view: TitleVoteView; spec: OfficialDocumentSpec }> {
  const view = await titleVoteView(em, campaignCode, year);
  const campaign = await em.findOneOrFail(Campaign, { code: campaignCode });
  const spec = titleVoteMinutesSpec({
    campaignName: view.campaign.name,
    year: view.year,
    settings: documentSettingsOf(campaign.documentSettings),
    now,
    openedAt: view.openedAt,
    closedAt: view.closedAt,
    closedBy: view.closedBy,
    roll: view.roll,
    tookPart: view.tookPart,
    nominees: view.nominees,
  });
  return { view, spec };
}

/** The results table: one row per nominee, its counted choices and outcome. */
export function resultsSheet(view: TitleVoteView): Sheet {
  return {
    name: `Ket qua ${view.year}`,
    widths: [6, 14, 40, 30, 10, 10, 10, 10, 10, 24],
    rows: [
      [
        'STT',
        'Mã đơn vị',
        'Đơn vị',
        'Danh hiệu',
        'Tán thành',
        'Không tán thành',
        'Không biểu quyết',
        'Tham gia',
        'Tổng số thành viên',
        'Kết quả',
      ],
      ...view.nominees.map((n) => [
        n.nominee,
        n.unitCode,
        n.unitName,
        EMULATION_TITLE_NAMES[n.title].vi,
        n.result?.counted.agree ?? null,
        n.result?.counted.disagree ?? null,
        n.result?.counted.abstain ?? null,
        n.result?.participants ?? null,
        view.roll.length,
        n.result ? OUTCOME_VI[n.result.outcome] : 'Chưa kiểm phiếu',
      ]),
    ],
  };
}

/**
 * `file` of the round (`minutes.docx`, `minutes.pdf`, `results.csv`, `results.xlsx`), written now
 * and audited (`title_vote.downloaded`: file, size, SHA-256). A PDF asked of a server without
 * LibreOffice is refused with 503.
 */
export async function titleVoteFile(
  em: EntityManager,
  target: { readonly campaign: string; readonly year: number; readonly file: string },
  actor: Actor,
  now: Date,
): Promise<{ filename: string; contentType: string; bytes: Buffer }> {
  const [stem, ext] = target.file.split('.') as ['minutes' | 'results', keyof typeof CONTENT_TYPES];
  const unavailable = () => new UnavailableError({ code: 'pdf_renderer_unavailable', params: {} }, 'format');
  if (ext === 'pdf' && !sofficePath()) throw unavailable();
  const { view, spec } = await titleVoteMinutes(em, target.campaign, target.year, now);
  let bytes: Buffer;
  if (stem === 'results') {
    const sheet = resultsSheet(view);
    bytes = ext === 'xlsx' ? await xlsx([sheet], { title: spec.summary }) : Buffer.from(csv(sheet.rows), 'utf8');
  } else {
    bytes = await renderDocx(spec);
    if (ext === 'pdf')
      try {
        bytes = await docxToPdf(bytes);
      } catch (error) {
        if (error instanceof RendererMissingError) throw unavailable();
        throw error;
      }
  }
  const { vote } = await findTitleVote(em, target.campaign, target.year);
  await em.transactional((tx) =>
    appendAudit(tx, {
      actor,
      action: 'title_vote.downloaded',
      subjectType: 'title_vote',
      subjectId: String(vote.id),
      after: { file: target.file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') },
      occurredAt: now,
    }),
  );
  const name = stem === 'minutes' ? 'bien-ban-kiem-phieu' : 'ket-qua-bo-phieu';
  return {
    filename: `${name}-${view.campaign.code}-${view.year}.${ext}`.replace(/[^A-Za-z0-9._-]/g, '-'),
    contentType: CONTENT_TYPES[ext],
    bytes,
  };
}
