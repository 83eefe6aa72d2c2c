/**
 * The thin end-to-end slice through every real part: HTTP → Temporal → PostgreSQL → SMTP →
 * the emailed link → form submission → consolidation.
 */
import { ConsolidatedReport, Cycle, Email, Submission, UnitTask } from '../db/entities';
import { cycleStatusQuery } from '../workflows/messages';
import {
  answersToForm,
  api,
  createCampaign,
  createUnits,
  currentPeriod,
  eventually,
  keyTaskTexts,
  linkIn,
  timing,
  validAnswers,
} from './support/fixtures';
import { useStack } from './support/hooks';
import { readConsolidatedReport } from '../db/consolidated-report';

const stack = useStack();

test('when an administrator starts a cycle for two units, both heads report through their emailed links and a consolidated report is stored', async () => {
  const units = await createUnits(stack.orm, 2);
  const campaign = await createCampaign(stack.orm, timing({ deadline: 120, escalations: [60, 120], hardClose: 180 }));
  const admin = await stack.token('admin');
  const period = currentPeriod();

  const started = await api<{ workflowId: string }>(stack.baseUrl, 'POST', '/api/v1/cycles', {
    token: admin,
    body: { campaign, period, units: units.map((u) => u.code) },
  });
  expect(started.status).toBe(201);
  expect(started.body.workflowId).toBe(`cycle-${campaign}-${period}`);

  // Each unit head receives exactly one email with a personal link.
  await stack.sink.waitFor(() => units.every((u) => stack.sink.to(u.headEmail).length === 1));
  const links = units.map((u) => linkIn(stack.sink.to(u.headEmail)[0]!.text, stack.baseUrl));
  expect(new Set(links).size).toBe(2);
  expect(stack.sink.to(units[0]!.headEmail)[0]!.subject).toContain(`Báo cáo tháng ${period}`);

  for (const [i, unit] of units.entries()) {
    const form = await fetch(links[i]!);
    expect(form.status).toBe(200);
    const page = await form.text();
    expect(page).toContain(unit.name);
    expect(page).toContain('name="kt.KT01.status"');

    const submitted = await fetch(links[i]!, { method: 'POST', body: answersToForm(validAnswers(`Đơn vị ${i + 1}`)) });
    expect(submitted.status).toBe(201);
    expect(await submitted.text()).toContain('Biên nhận');
  }

  // The workflow notices both submissions and consolidates.
  const em = stack.orm.em.fork();
  const cycle = await em.findOneOrFail(Cycle, { workflowId: started.body.workflowId });
  const report = await eventually(
    async () => (await em.fork().findOne(ConsolidatedReport, { cycle: cycle.id, version: 1 })) ?? undefined,
    { what: 'the consolidated report' },
  );
  const content = await readConsolidatedReport(em.fork(), report);
  expect(content).toMatchObject({
    expected: 2,
    submitted: 2,
    onTime: 2,
    completeness: 1,
    onTimeRate: 1,
    missingUnits: [],
    lateUnits: [],
  });
  expect(keyTaskTexts(content, 'KT01')).toEqual(['Đơn vị 1 KT01', 'Đơn vị 2 KT01']);
  expect(content.indicators.find((i) => i.code === 'IND01')).toMatchObject({ reported: 2, value: 0.8, met: true });
  expect(content.proposals).toHaveLength(2);

  const tasks = await em.fork().find(UnitTask, { cycle: cycle.id });
  expect(tasks.map((t) => t.state)).toEqual(['submitted', 'submitted']);
  expect(await em.fork().count(Submission, { task: { cycle: cycle.id } })).toBe(2);
  const emails = await em.fork().find(Email, { cycleId: cycle.id });
  expect(emails.map((e) => [e.kind, e.status])).toEqual([
    ['dispatch', 'sent'],
    ['dispatch', 'sent'],
  ]);

  // The workflow has moved on to the council's review.
  const status = await eventually(
    async () => {
      const s = await stack.client.workflow.getHandle(started.body.workflowId).query(cycleStatusQuery);
      return s.stage === 'review' ? s : undefined;
    },
    { what: 'the review stage' },
  );
  expect(status).toEqual({ stage: 'review', expected: 2, settled: 2 });
  // The row follows once the review's opening activity has run (the query answers from the workflow at once).
  await eventually(
    async () => ((await em.fork().findOneOrFail(Cycle, cycle.id)).stage === 'review' ? true : undefined),
    { what: 'the cycle row in review' },
  );
});
