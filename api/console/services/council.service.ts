/**
 * The council's page: a consolidated version to read, where the review stands (who has voted,
 * quorum), each proposal's voters, and the report as spreadsheet rows for CSV and XLSX. Votes go
 * through `castBallot` in `council.service.ts`, like the JSON API's.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Ballot, CommendationDecision, ConsolidatedReport, UnitTask } from '../../../db/entities';
import type { ICycle } from '../../../db/entities/cycle.entity';
import type { ConsolidatedReportContent } from '../../../domain/consolidation';
import { NotFoundError } from '../../../domain/errors';
import type { Locale } from '../../../domain/template';
import type { Principal } from '../../http/auth';
import { reviewStatus } from '../../services/council.service';
import type { Cell, Sheet } from './xlsx';
import { readConsolidatedReport } from '../../../db/consolidated-report';

export type ReviewStatus = Awaited<ReturnType<typeof reviewStatus>>;

export interface ProposalVotes {
  /** Names of the members who voted on the proposal (in this version). */
  readonly voters: readonly string[];
  /** The viewer's own choice, if they voted. */
  readonly mine: string | null;
  /** Counts, only when ballots are not secret. */
  readonly approvals?: number;
  readonly rejections?: number;
}

export interface CouncilView {
  readonly versions: readonly number[];
  readonly version: number | null;
  readonly content: ConsolidatedReportContent | null;
  readonly review: ReviewStatus;
  readonly proposalVotes: ReadonlyMap<string, ProposalVotes>;
  readonly myReportBallot: { readonly choice: string; readonly castAt: string } | null;
  readonly decisions: readonly {
    proposalId: string;
    approved: boolean;
    approvals: number;
    rejections: number;
    members: number;
  }[];
  /** Units the council may send back (they handed in a report). */
  readonly revisable: readonly { code: string; name: string }[];
}

export async function councilView(
  em: EntityManager,
  cycle: ICycle,
  viewer: Principal,
  requested?: number,
): Promise<CouncilView> {
  const reports = await em.find(ConsolidatedReport, { cycle }, { orderBy: { version: 'asc' }, fields: ['version'] });
  const versions = reports.map((r) => r.version);
  const version = requested ?? cycle.reviewVersion ?? versions.at(-1) ?? null;
  if (requested !== undefined && !versions.includes(requested))
    throw new NotFoundError({ code: 'version_unknown', params: { version: requested } }, 'version');
  const report = version === null ? null : await em.findOne(ConsolidatedReport, { cycle, version });
  const review = await reviewStatus(em, cycle, version);
  const ballots =
    version === null
      ? []
      : await em.find(Ballot, { cycle, reportVersion: version }, { populate: ['voter'], orderBy: { id: 'asc' } });
  const reveal = !cycle.policy.secretBallots;
  const proposalVotes = new Map<string, ProposalVotes>();
  for (const b of ballots.filter((x) => x.subjectKey.startsWith('proposal:'))) {
    const id = b.subjectKey.slice('proposal:'.length);
    const prev = proposalVotes.get(id) ?? {
      voters: [],
      mine: null,
      ...(reveal ? { approvals: 0, rejections: 0 } : {}),
    };
    proposalVotes.set(id, {
      voters: [...prev.voters, b.voter.name],
      mine: b.voter.id === viewer.personId ? b.choice : prev.mine,
      ...(reveal
        ? {
            approvals: (prev.approvals ?? 0) + (b.choice === 'approve' ? 1 : 0),
            rejections: (prev.rejections ?? 0) + (b.choice === 'reject' ? 1 : 0),
          }
        : {}),
    });
  }
  const mine = ballots.find((b) => b.subjectKey === 'report' && b.voter.id === viewer.personId);
  const decisions = await em.find(CommendationDecision, { cycle }, { orderBy: { proposalId: 'asc' } });
  const tasks = await em.find(
    UnitTask,
    { cycle, submittedAt: { $ne: null } },
    { populate: ['unit'], orderBy: { unit: { code: 'asc' } } },
  );
  return {
    versions,
    version,
    content: report ? await readConsolidatedReport(em, report) : null,
    review,
    proposalVotes,
    myReportBallot: mine ? { choice: mine.choice, castAt: mine.createdAt.toISOString() } : null,
    decisions: decisions.map((d) => ({
      proposalId: d.proposalId,
      approved: d.approved,
      approvals: d.approvals,
      rejections: d.rejections,
      members: d.members,
    })),
    revisable: tasks.filter((t) => t.state !== 'not_submitted').map((t) => ({ code: t.unit.code, name: t.unit.name })),
  };
}

const H = {
  vi: {
    part: 'Phần',
    code: 'Mã',
    title: 'Nội dung',
    unitCode: 'Mã đơn vị',
    unit: 'Đơn vị',
    value: 'Giá trị',
    status: 'Tình trạng',
    text: 'Chi tiết',
    summary: 'Tổng quan',
    expected: 'Số đơn vị phải nộp',
    submitted: 'Số đơn vị đã nộp',
    onTime: 'Số đơn vị nộp đúng hạn',
    completeness: 'Tỷ lệ đã nộp',
    onTimeRate: 'Tỷ lệ nộp đúng hạn',
    indicator: 'Chỉ tiêu',
    aggregate: 'Tổng hợp',
    target: 'Chỉ tiêu đề ra',
    met: 'Đạt',
    notMet: 'Chưa đạt',
    noData: 'Chưa có số liệu',
    measure: 'Đơn vị tính',
    keyTask: 'Nhiệm vụ trọng tâm',
    done: 'Đã hoàn thành',
    inProgress: 'Đang thực hiện',
    notStarted: 'Chưa triển khai',
    evidence: 'Minh chứng',
    section: 'Lĩnh vực',
    example: 'Điển hình tiên tiến',
    proposal: 'Đề nghị khen thưởng',
    recommendation: 'Kiến nghị',
    late: 'Nộp muộn',
    missing: 'Chưa nộp',
    collective: 'Tập thể',
    individual: 'Cá nhân',
    adHoc: 'Đột xuất',
    thematic: 'Theo chuyên đề',
    nominee: 'Đối tượng',
    kind: 'Loại',
    commendationKind: 'Hình thức',
    requestedForm: 'Hình thức/danh hiệu đề nghị',
    summaryText: 'Tóm tắt thành tích',
    id: 'Mã đề nghị',
    deadline: 'Hạn nộp',
    submittedAt: 'Thời gian nộp',
    name: 'Tên',
    description: 'Thành tích, việc làm',
    lateMissing: 'Muộn và chưa nộp',
    revision: 'Chỉnh sửa theo yêu cầu',
    revisionDeadline: 'Hạn chỉnh sửa',
    resubmittedAt: 'Thời gian nộp lại',
    revisedInTime: 'Nộp lại đúng hạn',
    revisedLate: 'Nộp lại muộn',
    notResubmitted: 'Không nộp lại (giữ báo cáo trước)',
    atLeast: 'tối thiểu',
    atMost: 'tối đa',
    between: 'từ',
    and: 'đến',
  },
  en: {
    part: 'Part',
    code: 'Code',
    title: 'Item',
    unitCode: 'Unit code',
    unit: 'Unit',
    value: 'Value',
    status: 'Status',
    text: 'Detail',
    summary: 'Summary',
    expected: 'Units expected',
    submitted: 'Units submitted',
    onTime: 'Units on time',
    completeness: 'Completeness',
    onTimeRate: 'On-time rate',
    indicator: 'Indicator',
    aggregate: 'Aggregate',
    target: 'Target',
    met: 'Met',
    notMet: 'Not met',
    noData: 'No data',
    measure: 'Measure',
    keyTask: 'Key task',
    done: 'Done',
    inProgress: 'In progress',
    notStarted: 'Not started',
    evidence: 'Evidence',
    section: 'Sector field',
    example: 'Advanced example',
    proposal: 'Commendation proposal',
    recommendation: 'Recommendation',
    late: 'Late',
    missing: 'Missing',
    collective: 'Collective',
    individual: 'Individual',
    adHoc: 'Ad hoc',
    thematic: 'Thematic',
    nominee: 'Nominee',
    kind: 'Kind',
    commendationKind: 'Commendation kind',
    requestedForm: 'Requested form/title',
    summaryText: 'Achievement summary',
    id: 'Proposal id',
    deadline: 'Deadline',
    submittedAt: 'Submitted at',
    name: 'Name',
    description: 'What they did',
    lateMissing: 'Late and missing',
    revision: 'Revision',
    revisionDeadline: 'Revision deadline',
    resubmittedAt: 'Resubmitted at',
    revisedInTime: 'Revised in time',
    revisedLate: 'Revised late',
    notResubmitted: 'Not resubmitted (previous report stands)',
    atLeast: 'at least',
    atMost: 'at most',
    between: 'between',
    and: 'and',
  },
} as const;

type Content = ConsolidatedReportContent;

const targetOf = (ind: Content['indicators'][number], lang: Locale): string => {
  const h = H[lang];
  const t = ind.target;
  return t.kind === 'at_least'
    ? `${h.atLeast} ${t.value}`
    : t.kind === 'at_most'
      ? `${h.atMost} ${t.value}`
      : `${h.between} ${t.min} ${h.and} ${t.max}`;
};

const revisionOutcome = (u: Content['revisions'][number], h: (typeof H)[Locale]): string =>
  u.inTime === null ? h.notResubmitted : u.inTime ? h.revisedInTime : h.revisedLate;

/** The whole report as one table (a "long" layout: one fact per row), for CSV. */
export function reportRows(c: Content, lang: Locale): Cell[][] {
  const h = H[lang];
  const status = { done: h.done, in_progress: h.inProgress, not_started: h.notStarted } as const;
  const rows: Cell[][] = [[h.part, h.code, h.title, h.unitCode, h.unit, h.value, h.status, h.text]];
  rows.push([h.summary, 'expected', h.expected, '', '', c.expected, '', '']);
  rows.push([h.summary, 'submitted', h.submitted, '', '', c.submitted, '', '']);
  rows.push([h.summary, 'on_time', h.onTime, '', '', c.onTime, '', '']);
  rows.push([h.summary, 'completeness', h.completeness, '', '', c.completeness, '', '']);
  rows.push([h.summary, 'on_time_rate', h.onTimeRate, '', '', c.onTimeRate, '', '']);
  for (const ind of c.indicators) {
    rows.push([
      h.indicator,
      ind.code,
      ind.title[lang],
      '',
      h.aggregate,
      ind.value,
      ind.met === null ? h.noData : ind.met ? h.met : h.notMet,
      `${h.target}: ${targetOf(ind, lang)} ${ind.measure[lang]}`,
    ]);
    for (const v of ind.values)
      rows.push([h.indicator, ind.code, ind.title[lang], v.unitCode, v.unitName, v.value, '', ind.measure[lang]]);
  }
  for (const k of c.keyTasks) {
    rows.push([h.keyTask, k.code, k.title[lang], '', h.done, k.counts.done, '', '']);
    rows.push([h.keyTask, k.code, k.title[lang], '', h.inProgress, k.counts.in_progress, '', '']);
    rows.push([h.keyTask, k.code, k.title[lang], '', h.notStarted, k.counts.not_started, '', '']);
    for (const e of k.entries)
      rows.push([
        h.keyTask,
        k.code,
        k.title[lang],
        e.unitCode,
        e.unitName,
        '',
        status[e.status],
        e.evidenceUrl ? `${e.text}\n${h.evidence}: ${e.evidenceUrl}` : e.text,
      ]);
  }
  for (const s of c.sections)
    for (const e of s.entries) rows.push([h.section, s.code, s.title[lang], e.unitCode, e.unitName, '', '', e.text]);
  for (const e of c.examples)
    rows.push([
      h.example,
      '',
      e.name,
      e.unitCode,
      e.unitName,
      '',
      e.kind === 'collective' ? h.collective : h.individual,
      e.description,
    ]);
  for (const p of c.proposals)
    rows.push([
      h.proposal,
      p.id,
      p.nominee,
      p.unitCode,
      p.unitName,
      '',
      `${p.nomineeKind === 'collective' ? h.collective : h.individual}; ${p.commendationKind === 'ad_hoc' ? h.adHoc : h.thematic}; ${p.requestedForm}`,
      p.summary,
    ]);
  for (const r of c.recommendations) rows.push([h.recommendation, '', '', r.unitCode, r.unitName, '', '', r.text]);
  for (const u of c.lateUnits)
    rows.push([
      h.late,
      '',
      '',
      u.unitCode,
      u.unitName,
      '',
      `${h.deadline}: ${u.deadline}`,
      `${h.submittedAt}: ${u.submittedAt}`,
    ]);
  for (const u of c.missingUnits)
    rows.push([h.missing, '', '', u.unitCode, u.unitName, '', `${h.deadline}: ${u.deadline}`, '']);
  for (const u of c.revisions)
    rows.push([
      h.revision,
      '',
      '',
      u.unitCode,
      u.unitName,
      '',
      revisionOutcome(u, h),
      `${h.revisionDeadline}: ${u.deadline}${u.resubmittedAt ? `; ${h.resubmittedAt}: ${u.resubmittedAt}` : ''}`,
    ]);
  return rows;
}

/** The report as a workbook: one sheet per part. */
export function reportSheets(c: Content, lang: Locale): Sheet[] {
  const h = H[lang];
  const status = { done: h.done, in_progress: h.inProgress, not_started: h.notStarted } as const;
  return [
    {
      name: h.summary,
      widths: [34, 14],
      percentColumns: [1],
      rows: [
        [h.title, h.value],
        [h.expected, c.expected],
        [h.submitted, c.submitted],
        [h.onTime, c.onTime],
        [h.completeness, c.completeness],
        [h.onTimeRate, c.onTimeRate],
      ],
    },
    {
      name: h.indicator,
      widths: [10, 48, 14, 14, 12, 28, 16, 40],
      rows: [
        [h.code, h.title, h.measure, h.aggregate, h.status, h.target, h.unitCode, h.unit],
        ...c.indicators.flatMap((ind) => [
          [
            ind.code,
            ind.title[lang],
            ind.measure[lang],
            ind.value,
            ind.met === null ? h.noData : ind.met ? h.met : h.notMet,
            targetOf(ind, lang),
            '',
            '',
          ] as Cell[],
          ...ind.values.map(
            (v) => [ind.code, ind.title[lang], ind.measure[lang], v.value, '', '', v.unitCode, v.unitName] as Cell[],
          ),
        ]),
      ],
    },
    {
      name: h.keyTask,
      widths: [8, 48, 12, 12, 12],
      rows: [
        [h.code, h.title, h.done, h.inProgress, h.notStarted],
        ...c.keyTasks.map((k) => [k.code, k.title[lang], k.counts.done, k.counts.in_progress, k.counts.not_started]),
      ],
    },
    {
      name: `${h.keyTask} — ${h.text}`,
      widths: [8, 14, 36, 16, 70, 30],
      rows: [
        [h.code, h.unitCode, h.unit, h.status, h.text, h.evidence],
        ...c.keyTasks.flatMap((k) =>
          k.entries.map((e) => [k.code, e.unitCode, e.unitName, status[e.status], e.text, e.evidenceUrl ?? '']),
        ),
      ],
    },
    {
      name: h.section,
      widths: [10, 40, 14, 36, 70],
      rows: [
        [h.code, h.title, h.unitCode, h.unit, h.text],
        ...c.sections.flatMap((s) => s.entries.map((e) => [s.code, s.title[lang], e.unitCode, e.unitName, e.text])),
      ],
    },
    {
      name: h.example,
      widths: [14, 36, 36, 14, 70],
      rows: [
        [h.unitCode, h.unit, h.name, h.kind, h.description],
        ...c.examples.map((e) => [
          e.unitCode,
          e.unitName,
          e.name,
          e.kind === 'collective' ? h.collective : h.individual,
          e.description,
        ]),
      ],
    },
    {
      name: h.proposal,
      widths: [22, 14, 36, 30, 12, 14, 36, 60],
      rows: [
        [h.id, h.unitCode, h.unit, h.nominee, h.kind, h.commendationKind, h.requestedForm, h.summaryText],
        ...c.proposals.map((p) => [
          p.id,
          p.unitCode,
          p.unitName,
          p.nominee,
          p.nomineeKind === 'collective' ? h.collective : h.individual,
          p.commendationKind === 'ad_hoc' ? h.adHoc : h.thematic,
          p.requestedForm,
          p.summary,
        ]),
      ],
    },
    {
      name: h.recommendation,
      widths: [14, 36, 80],
      rows: [[h.unitCode, h.unit, h.text], ...c.recommendations.map((r) => [r.unitCode, r.unitName, r.text])],
    },
    {
      name: h.lateMissing,
      widths: [14, 14, 36, 26, 26],
      rows: [
        [h.status, h.unitCode, h.unit, h.deadline, h.submittedAt],
        ...c.lateUnits.map((u) => [h.late, u.unitCode, u.unitName, u.deadline, u.submittedAt]),
        ...c.missingUnits.map((u) => [h.missing, u.unitCode, u.unitName, u.deadline, '']),
      ],
    },
    {
      name: h.revision,
      widths: [14, 36, 26, 26, 34],
      rows: [
        [h.unitCode, h.unit, h.revisionDeadline, h.resubmittedAt, h.status],
        ...c.revisions.map((u) => [u.unitCode, u.unitName, u.deadline, u.resubmittedAt ?? '', revisionOutcome(u, h)]),
      ],
    },
  ];
}
