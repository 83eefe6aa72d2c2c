/**
 * The council's review, end to end: quorum and thresholds, proposals decided by their own
 * ballots, a member cannot vote twice, review-window expiry reported, a revision round that
 * reopens named units and re-consolidates, and publication to every unit.
 */
import { CommendationDecision, ConsolidatedReport, Cycle, Submission, UnitTask } from '../db/entities';
import type { ConsolidatedReportContent } from '../domain/consolidation';
import { recordHistories } from './support/histories';
import { councilTokens } from './support/stack';
import {
  api,
  createUnits,
  eventually,
  keyTaskTexts,
  openCycleUnderReview,
  submitByLink,
  timing,
  validAnswers,
  type TestUnit,
} from './support/fixtures';
import { useStack } from './support/hooks';
import { readConsolidatedReport } from '../db/consolidated-report';

const stack = useStack();
let admin: string;
let council: string[];
beforeAll(async () => {
  admin = await stack.token('admin');
  council = await councilTokens(stack);
});

/** Starts a cycle whose units all report at once; answers once version 1 is under review. */
async function cycleUnderReview(units: readonly TestUnit[], reviewWindowSeconds: number) {
  const opened = await openCycleUnderReview(stack, admin, {
    units,
    timing: timing({
      deadline: 120,
      escalations: [60, 120],
      hardClose: 180,
      review: reviewWindowSeconds,
      revision: 60,
    }),
  });
  const cycle = await stack.orm.em.fork().findOneOrFail(Cycle, { workflowId: opened.workflowId });
  return { ...opened, cycle };
}

const vote = (token: string, path: string, body: unknown) =>
  api<{ message?: string; field?: string }>(stack.baseUrl, 'POST', path, { token, body });

test('when two of three members approve, the report is approved, each proposal is decided by its own ballots, and every unit gets the publication', async () => {
  const units = await createUnits(stack.orm, 2);
  const { base, cycle, workflowId } = await cycleUnderReview(units, 2);

  // No vote within the window: the secretariat is told, and the review stays open.
  await stack.sink.waitFor(() =>
    stack.sink.to(stack.config.SECRETARIAT_EMAIL).some((m) => m.subject.includes('Hết thời hạn xem xét')),
  );

  const report = await api<{ content: ConsolidatedReportContent }>(
    stack.baseUrl,
    'GET',
    `${base}/consolidated-reports/1`,
    { token: council[0] },
  );
  const [p1, p2] = report.body.content.proposals.map((p) => p.id);
  expect(p1).toBeDefined();
  expect(p2).toBeDefined();

  // Proposal 1: two approvals → approved. Proposal 2: one approval, one rejection → not approved.
  expect((await vote(council[0]!, `${base}/proposals/${p1}/ballots`, { version: 1, choice: 'approve' })).status).toBe(
    201,
  );
  expect((await vote(council[1]!, `${base}/proposals/${p1}/ballots`, { version: 1, choice: 'approve' })).status).toBe(
    201,
  );
  expect((await vote(council[0]!, `${base}/proposals/${p2}/ballots`, { version: 1, choice: 'approve' })).status).toBe(
    201,
  );
  expect((await vote(council[1]!, `${base}/proposals/${p2}/ballots`, { version: 1, choice: 'reject' })).status).toBe(
    201,
  );

  // An administrator cannot vote; a member cannot vote twice; a wrong version names the field.
  expect((await vote(admin, `${base}/ballots`, { version: 1, choice: 'approve' })).status).toBe(403);
  expect((await vote(council[0]!, `${base}/ballots`, { version: 1, choice: 'approve' })).status).toBe(201);
  const twice = await vote(council[0]!, `${base}/ballots`, {
    version: 1,
    choice: 'request_revision',
    unitCodes: [units[0]!.code],
    comment: 'Đổi ý',
  });
  expect(twice.status).toBe(409);
  expect(twice.body.message).toContain('already voted');
  expect((await vote(council[1]!, `${base}/ballots`, { version: 2, choice: 'approve' })).body).toMatchObject({
    field: 'version',
  });

  // One approval of three members is below quorum (2/3): still under review.
  const status = await api<{ voted: string[]; quorumReached: boolean; ballots?: unknown }>(
    stack.baseUrl,
    'GET',
    `${base}/review`,
    { token: council[2] },
  );
  expect(status.body).toMatchObject({ voted: ['Chủ tịch'], quorumReached: false });
  expect(status.body.ballots).toBeUndefined(); // secret ballots: who voted, not how

  expect((await vote(council[1]!, `${base}/ballots`, { version: 1, choice: 'approve' })).status).toBe(201);
  const result = await stack.client.workflow.getHandle(workflowId).result();
  expect(result).toEqual({ cycleId: cycle.id, consolidatedVersion: 1 });

  const em = stack.orm.em.fork();
  expect((await em.findOneOrFail(Cycle, cycle.id)).stage).toBe('closed');
  const decisions = await em.find(CommendationDecision, { cycle: cycle.id }, { orderBy: { proposalId: 'asc' } });
  expect(decisions.map((d) => [d.proposalId, d.approved, d.approvals, d.rejections])).toEqual([
    [p1, true, 2, 0],
    [p2, false, 1, 1],
  ]);
  expect((await em.find(UnitTask, { cycle: cycle.id })).map((t) => t.state)).toEqual(['accepted', 'accepted']);
  // Every unit reads the totals and the decision on its own proposal (each unit proposed one).
  const decisionOf = new Map(decisions.map((d) => [d.unitCode, d.approved]));
  for (const unit of units) {
    const publication = stack.sink.to(unit.headEmail).find((m) => m.subject.includes('Công bố kết quả'));
    expect(publication?.text).toContain('Đề nghị khen thưởng: 2, được chấp thuận: 1.');
    const own = publication!.text.split('\n').filter((l) => l.startsWith('- '));
    expect(own).toHaveLength(1);
    expect(own[0]).toContain(`(${unit.code})`);
    expect(own[0]).toMatch(decisionOf.get(unit.code) ? /: được chấp thuận/ : /: không được chấp thuận/);
  }
});

test('when the council asks for a revision, only the named unit is reopened with the comment, resubmits, and the review resumes on a new version', async () => {
  const units = await createUnits(stack.orm, 2);
  const { base, cycle, links, workflowId } = await cycleUnderReview(units, 600);
  const [named, other] = units;

  const revise = {
    version: 1,
    choice: 'request_revision',
    unitCodes: [named!.code],
    comment: 'Bổ sung số liệu chỉ tiêu IND01',
  };
  expect(
    (
      await vote(council[0]!, `${base}/ballots`, {
        version: 1,
        choice: 'request_revision',
        unitCodes: ['NO-SUCH-UNIT'],
        comment: 'x y z',
      })
    ).body,
  ).toMatchObject({ field: 'unitCodes' });
  expect((await vote(council[0]!, `${base}/ballots`, revise)).status).toBe(201);
  expect((await vote(council[1]!, `${base}/ballots`, revise)).status).toBe(201);

  await stack.sink.waitFor(() => stack.sink.to(named!.headEmail).some((m) => m.subject.includes('Đề nghị chỉnh sửa')));
  const revisionMail = stack.sink.to(named!.headEmail).find((m) => m.subject.includes('Đề nghị chỉnh sửa'))!;
  expect(revisionMail.text).toContain('Bổ sung số liệu chỉ tiêu IND01');
  expect(stack.sink.to(other!.headEmail).some((m) => m.subject.includes('Đề nghị chỉnh sửa'))).toBe(false);
  const em = stack.orm.em.fork();
  expect((await em.findOneOrFail(UnitTask, { cycle: cycle.id, unit: { code: named!.code } })).state).toBe(
    'revision_requested',
  );
  expect((await em.fork().findOneOrFail(UnitTask, { cycle: cycle.id, unit: { code: other!.code } })).state).toBe(
    'submitted',
  );

  // The form opens with the previous answers; the unit resubmits through the same link.
  const page = await (await fetch(links[0]!)).text();
  expect(page).toContain('Đơn vị 1 KT01');
  const resubmitted = await submitByLink(stack.baseUrl, links[0]!, validAnswers('Đã bổ sung'));
  expect(resubmitted.body).toMatchObject({ version: 2 });
  // The other unit is not reopened: it is told its report is in, not that the period closed.
  const other409 = await submitByLink(stack.baseUrl, links[1]!);
  expect(other409.status).toBe(409);
  expect(other409.body).toMatchObject({ code: 'report_already_submitted' });

  await eventually(
    async () =>
      (await api<{ version: number; stage: string }>(stack.baseUrl, 'GET', `${base}/review`, { token: council[0] }))
        .body.version === 2
        ? true
        : undefined,
    { what: 'the review of version 2' },
  );
  const v2 = await readConsolidatedReport(
    em.fork(),
    await em.fork().findOneOrFail(ConsolidatedReport, { cycle: cycle.id, version: 2 }),
  );
  expect(keyTaskTexts(v2, 'KT01')).toEqual(['Đã bổ sung KT01', 'Đơn vị 2 KT01']);
  expect(await em.fork().count(ConsolidatedReport, { cycle: cycle.id })).toBe(2);
  expect(await em.fork().count(Submission, { task: { cycle: cycle.id } })).toBe(3);

  expect((await vote(council[0]!, `${base}/ballots`, { version: 2, choice: 'approve' })).status).toBe(201);
  expect((await vote(council[2]!, `${base}/ballots`, { version: 2, choice: 'approve' })).status).toBe(201);
  expect(await stack.client.workflow.getHandle(workflowId).result()).toEqual({
    cycleId: cycle.id,
    consolidatedVersion: 2,
  });
  expect((await em.fork().findOneOrFail(UnitTask, { cycle: cycle.id, unit: { code: named!.code } })).state).toBe(
    'accepted',
  );
  await recordHistories(stack.client, 'cycle-with-revision', [
    workflowId,
    `${workflowId}-batch-1`,
    ...units.map((u) => `${workflowId}-unit-${u.code}`),
  ]);
});
