/**
 * A bloc's ranking as tables (CSV, XLSX): the ranking (one row per unit, one column per
 * criterion's points) and the breakdown (one row per unit and criterion, with the numerator,
 * denominator, points and the monthly reports they were read from). Scores are written as the
 * page shows them (2 decimals) and exactly (`a/b`), so a spreadsheet never rounds them again.
 */
import type { CriterionKind } from '../../../domain/scoring';
import type { Locale } from '../../../domain/template';
import type { BlocRanking } from '../../services/scoring.service';
import type { Sheet } from './xlsx';

export const RANKING_FILE_PATTERN = '^((ranking|breakdown)\\.csv|ranking\\.xlsx)$';

export const KIND_LABELS: Record<Locale, Record<CriterionKind, string>> = {
  vi: {
    completeness: 'Tỷ lệ tháng đã nộp báo cáo',
    timeliness: 'Tỷ lệ tháng nộp đúng hạn',
    indicator_attainment: 'Tỷ lệ chỉ tiêu đạt',
    key_tasks_done: 'Tỷ lệ nhiệm vụ trọng tâm hoàn thành (tháng cuối có báo cáo)',
    council_decisions: 'Tỷ lệ báo cáo được Hội đồng chấp nhận không phải chỉnh sửa',
    hand: 'Hội đồng chấm điểm',
  },
  en: {
    completeness: 'Share of months reported',
    timeliness: 'Share of months on time',
    indicator_attainment: 'Share of indicators meeting their target',
    key_tasks_done: 'Share of key tasks done (last month reported)',
    council_decisions: 'Share of reports approved without revision',
    hand: 'Scored by the council',
  },
};

const H = {
  vi: {
    rank: 'Hạng',
    unit: 'Mã đơn vị',
    name: 'Tên đơn vị',
    score: 'Tổng điểm',
    exact: 'Tổng điểm (chính xác)',
    criterion: 'Tiêu chí',
    kind: 'Cách tính',
    weight: 'Trọng số',
    numerator: 'Tử số',
    denominator: 'Mẫu số',
    points: 'Điểm',
    pointsExact: 'Điểm (chính xác)',
    reports: 'Báo cáo tháng (kỳ: phiên bản tổng hợp/lần nộp)',
    reason: 'Lý do (chấm tay)',
    ranking: 'Xếp hạng',
    breakdown: 'Chi tiết điểm',
  },
  en: {
    rank: 'Rank',
    unit: 'Unit code',
    name: 'Unit',
    score: 'Score',
    exact: 'Score (exact)',
    criterion: 'Criterion',
    kind: 'Computed as',
    weight: 'Weight',
    numerator: 'Numerator',
    denominator: 'Denominator',
    points: 'Points',
    pointsExact: 'Points (exact)',
    reports: 'Monthly reports (period: consolidated version/submission)',
    reason: 'Reason (by hand)',
    ranking: 'Ranking',
    breakdown: 'Breakdown',
  },
} as const;

export function rankingSheets(r: BlocRanking, lang: Locale): Record<'ranking' | 'breakdown', Sheet> {
  const h = H[lang];
  return {
    ranking: {
      name: h.ranking,
      widths: [6, 14, 40, 10, 14, ...r.criteria.map(() => 12)],
      rows: [
        [h.rank, h.unit, h.name, h.score, h.exact, ...r.criteria.map((c) => `${c.code} (${c.weight})`)],
        ...r.rows.map((u) => [
          u.shared ? `${u.rank}=` : u.rank,
          u.unitCode,
          u.unitName,
          u.scoreDisplay,
          u.score,
          ...u.criteria.map((c) => c.pointsDisplay),
        ]),
      ],
    },
    breakdown: {
      name: h.breakdown,
      widths: [14, 12, 30, 8, 8, 8, 10, 12, 40, 30],
      rows: [
        [
          h.unit,
          h.criterion,
          h.kind,
          h.weight,
          h.numerator,
          h.denominator,
          h.points,
          h.pointsExact,
          h.reports,
          h.reason,
        ],
        ...r.rows.flatMap((u) =>
          u.criteria.map((c) => [
            u.unitCode,
            c.code,
            KIND_LABELS[lang][c.kind],
            c.weight,
            c.numerator,
            c.denominator,
            c.pointsDisplay,
            c.points,
            c.reports
              .map((m) => `${m.period}: v${m.consolidatedVersion}/${m.submissionVersion ?? '—'}${m.counts ? ' ✓' : ''}`)
              .join('; '),
            c.kind === 'hand' ? (c.hand?.reason ?? '') : '',
          ]),
        ),
      ],
    },
  };
}
