/**
 * Timeliness belongs to the obligation: a unit that reported late stays late after the council
 * sends it back and it resubmits in time. The revision round's own timeliness is reported beside
 * it, in the consolidation, the council's page and the exports; the publication's figures are the
 * obligation's.
 */
import { ConsolidatedReport, Cycle, UnitTask } from '../db/entities';
import { readConsolidatedReport } from '../db/consolidated-report';
import { signIn } from './support/browser';
import { api, eventually, openCycle, sleep, submitByLink, timing, validAnswers } from './support/fixtures';
import { useBrowser, useStack } from './support/hooks';
import { councilTokens } from './support/stack';

const stack = useStack();
const browser = useBrowser();

test('when a late unit is sent back and resubmits in time, it stays late in every version, on the council page and in the publication', async () => {
  const admin = await stack.token('admin');
  const council = await councilTokens(stack);
  const { units, campaign, period, base, workflowId, links } = await openCycle(stack, admin, {
    units: 3,
    timing: timing({ deadline: 5, escalations: [60, 90], hardClose: 120, revision: 120 }),
  });
  const [late, alsoLate] = units.slice(1) as [(typeof units)[0], (typeof units)[0]];
  const [onTimeLink, lateLink, alsoLateLink] = links as [string, string, string];
  expect((await submitByLink(stack.baseUrl, onTimeLink, validAnswers('Đúng hạn'))).body).toMatchObject({
    late: false,
  });
  const cycle = await stack.orm.em.fork().findOneOrFail(Cycle, { workflowId });
  await sleep(Math.max(0, Date.parse(cycle.plan.schedule.deadline) - Date.now()) + 300);
  expect((await submitByLink(stack.baseUrl, lateLink, validAnswers('Muộn'))).body).toMatchObject({
    late: true,
    version: 1,
  });
  expect((await submitByLink(stack.baseUrl, alsoLateLink, validAnswers('Cũng muộn'))).body).toMatchObject({
    late: true,
  });

  const reviewOf = () =>
    api<{ version: number; stage: string }>(stack.baseUrl, 'GET', `${base}/review`, { token: council[0] });
  await eventually(async () => ((await reviewOf()).body.stage === 'review' ? true : undefined), {
    what: 'the review of version 1',
  });
  const revise = { version: 1, choice: 'request_revision', unitCodes: [late.code], comment: 'Bổ sung số liệu' };
  for (const member of council.slice(0, 2))
    expect((await api(stack.baseUrl, 'POST', `${base}/ballots`, { token: member, body: revise })).status).toBe(201);
  await stack.sink.waitFor(() => stack.sink.to(late.headEmail).some((m) => m.subject.includes('Đề nghị chỉnh sửa')));

  // The revision email and the form give the round's own deadline; the resubmission is on time for it.
  const em = stack.orm.em.fork();
  const reopened = await em.findOneOrFail(UnitTask, { cycle: cycle.id, unit: { code: late.code } });
  expect(reopened.state).toBe('revision_requested');
  expect(reopened.schedule.deadline).toBe(cycle.plan.schedule.deadline); // the obligation's deadline is untouched
  expect(reopened.revisionDeadline!.getTime()).toBeGreaterThan(Date.now());
  const resubmitted = await submitByLink(stack.baseUrl, lateLink, validAnswers('Đã bổ sung'));
  expect(resubmitted.body).toMatchObject({ version: 2, late: false });

  await eventually(async () => ((await reviewOf()).body.version === 2 ? true : undefined), {
    what: 'the review of version 2',
  });
  const read = async (version: number) =>
    readConsolidatedReport(
      stack.orm.em.fork(),
      await stack.orm.em.fork().findOneOrFail(ConsolidatedReport, { cycle: cycle.id, version }),
    );
  for (const version of [1, 2]) {
    const content = await read(version);
    expect({ version, submitted: content.submitted, onTime: content.onTime, onTimeRate: content.onTimeRate }).toEqual({
      version,
      submitted: 3,
      onTime: 1,
      onTimeRate: 0.333333,
    });
    expect(content.lateUnits.map((u) => u.unitCode)).toEqual([late.code, alsoLate.code].sort());
    expect(content.lateUnits.find((u) => u.unitCode === late.code)!.deadline).toBe(cycle.plan.schedule.deadline);
  }
  const v2 = await read(2);
  expect(v2.revisions).toEqual([
    expect.objectContaining({ unitCode: late.code, inTime: true, deadline: reopened.revisionDeadline!.toISOString() }),
  ]);
  expect(v2.keyTasks[0]!.entries.find((e) => e.unitCode === late.code)!.text).toContain('Đã bổ sung'); // the revised answers count
  const task = await stack.orm.em.fork().findOneOrFail(UnitTask, { cycle: cycle.id, unit: { code: late.code } });
  expect(task.late).toBe(true);

  // The council's page for each version: the same on-time figure, the late unit listed, the revision beside it.
  const page = browser.page;
  await signIn(page, stack.baseUrl, council[2]!);
  for (const version of [1, 2]) {
    await page.goto(`${stack.baseUrl}/console/council/${campaign}/${period}?v=${version}&lang=vi`);
    const text = await page.locator('main').innerText();
    expect(text).toContain('1/3');
    expect(text).toMatch(new RegExp(`Đơn vị nộp muộn \\(2\\)[\\s\\S]*\\(${late.code}\\)`));
    if (version === 2) expect(await page.locator('#revisions').innerText()).toContain(`(${late.code})`);
    // Version 1's page shows version 1's ballots: the two requests for revision.
    if (version === 1) expect(await page.locator('#voters').innerText()).toMatch(/Chủ tịch[\s\S]*Phó Chủ tịch/);
  }

  for (const member of [council[0]!, council[2]!])
    expect(
      (await api(stack.baseUrl, 'POST', `${base}/ballots`, { token: member, body: { version: 2, choice: 'approve' } }))
        .status,
    ).toBe(201);
  await stack.client.workflow.getHandle(workflowId).result();
  for (const unit of units) {
    await stack.sink.waitFor(() => stack.sink.to(unit.headEmail).some((m) => m.subject.includes('Công bố kết quả')));
    const publication = stack.sink.to(unit.headEmail).find((m) => m.subject.includes('Công bố kết quả'))!;
    expect(publication.text).toContain('Số đơn vị đã nộp: 3/3 (100%), đúng hạn: 1 (33%).');
  }
});
