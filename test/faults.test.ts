/**
 * Faults and races against the real stack: workers down while unit heads submit, the SMTP
 * server refusing connections mid-dispatch, the same unit submitting twice at once, council
 * members voting at the same instant, a submission racing the hard close, an extension racing a
 * reminder.
 */
import { AuditEvent, Ballot, ConsolidatedReport, Email, Submission, UnitTask } from '../db/entities';
import {
  api,
  createUnits,
  eventually,
  headLinks,
  sleep,
  startCycle,
  submitByLink,
  timing,
  waitForStage,
  type CampaignTiming,
  type TestUnit,
} from './support/fixtures';
import { useStack } from './support/hooks';
import { readConsolidatedReport } from '../db/consolidated-report';

const stack = useStack();
let admin: string;
beforeAll(async () => {
  admin = await stack.token('admin');
});

const slow = timing({ deadline: 300, escalations: [60, 120], hardClose: 180 });
const start = (units: readonly TestUnit[], t: CampaignTiming = slow) => startCycle(stack, admin, { units, timing: t });
const linksOf = (units: readonly TestUnit[]) => headLinks(stack, units, 60_000);

test('when every worker is down while unit heads submit, each submission answered 2xx is in the consolidated report once workers return', async () => {
  const units = await createUnits(stack.orm, 5);
  const { workflowId } = await start(units);
  const links = await linksOf(units);
  await stack.stopWorker();
  try {
    for (const link of links) expect((await submitByLink(stack.baseUrl, link)).status).toBe(201);
  } finally {
    await stack.startWorker();
  }
  const cycleId = (
    await stack.orm.em.fork().findOneOrFail(UnitTask, { workflowId: `${workflowId}-unit-${units[0]!.code}` })
  ).cycle.id;
  const report = await eventually(
    async () => (await stack.orm.em.fork().findOne(ConsolidatedReport, { cycle: cycleId, version: 1 })) ?? undefined,
    { what: 'consolidation after the outage' },
  );
  expect((await readConsolidatedReport(stack.orm.em.fork(), report)).submitted).toBe(5);
});

test('when the SMTP server refuses connections for 60 s in the middle of dispatch, every message is delivered after it returns, none twice', async () => {
  const units = await createUnits(stack.orm, 60);
  const { workflowId } = await start(units);
  await stack.sink.waitFor(
    (messages) => messages.filter((m) => units.some((u) => m.to.includes(u.headEmail.toLowerCase()))).length >= 5,
    30_000,
  );
  stack.sink.refuseConnectionsFor(60_000);
  const outageStarted = Date.now();
  await stack.sink.waitFor(() => units.every((u) => stack.sink.to(u.headEmail).length >= 1), 150_000);
  expect(Date.now() - outageStarted).toBeGreaterThanOrEqual(60_000); // some waited out the outage
  await sleep(500);
  for (const unit of units) expect(stack.sink.to(unit.headEmail)).toHaveLength(1);
  const cycleId = (
    await stack.orm.em.fork().findOneOrFail(UnitTask, { workflowId: `${workflowId}-unit-${units[0]!.code}` })
  ).cycle.id;
  const emails = await stack.orm.em.fork().find(Email, { cycleId });
  expect(emails).toHaveLength(60);
  expect(emails.every((e) => e.status === 'sent')).toBe(true);
  expect(emails.some((e) => e.attempts > 1)).toBe(true); // the outage was felt and retried
}, 240_000);

test('when the same unit submits twice at the same instant, exactly one is stored and the other is refused', async () => {
  const [unit] = await createUnits(stack.orm, 1);
  await start([unit!]);
  const [link] = await linksOf([unit!]);
  const answers = await Promise.all(Array.from({ length: 5 }, () => submitByLink(stack.baseUrl, link!)));
  expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
  expect(await stack.orm.em.fork().count(Submission, { task: { unit: { code: unit!.code } } })).toBe(1);
});

test('when council members vote at the same instant, every ballot is stored once and the decision is taken once', async () => {
  const units = await createUnits(stack.orm, 1);
  const council = await Promise.all([stack.token('council'), stack.token('council'), stack.token('council')]);
  const { base, workflowId } = await start(units);
  const [link] = await linksOf(units);
  await submitByLink(stack.baseUrl, link!);
  await waitForStage(stack, admin, base, 'review');
  const vote = (token: string) =>
    api(stack.baseUrl, 'POST', `${base}/ballots`, { token, body: { version: 1, choice: 'approve' } });
  const answers = await Promise.all([...council.map(vote), vote(council[0]!), vote(council[1]!)]);
  expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 409, 409]);
  await stack.client.workflow.getHandle(workflowId).result();
  const cycleId = (
    await stack.orm.em.fork().findOneOrFail(UnitTask, { workflowId: `${workflowId}-unit-${units[0]!.code}` })
  ).cycle.id;
  expect(await stack.orm.em.fork().count(Ballot, { cycle: cycleId })).toBe(3);
});

test('when a submission races the hard close, the answer and the record agree: stored and counted, or refused and not submitted', async () => {
  const [unit] = await createUnits(stack.orm, 1);
  const started = Date.now();
  const { workflowId } = await start([unit!], timing({ deadline: 2, escalations: [1, 2], hardClose: 3 }));
  const [link] = await linksOf([unit!]);
  await sleep(Math.max(0, started + 5_000 - Date.now() - 30)); // aim at the hard close (start + 2 s + 3 s)
  const answer = await submitByLink(stack.baseUrl, link!);
  expect([201, 409]).toContain(answer.status);
  const task = await eventually(async () => {
    const t = await stack.orm.em.fork().findOneOrFail(UnitTask, { workflowId: `${workflowId}-unit-${unit!.code}` });
    return ['submitted', 'not_submitted'].includes(t.state) ? t : undefined;
  });
  const report = await eventually(
    async () => (await stack.orm.em.fork().findOne(ConsolidatedReport, { cycle: task.cycle.id })) ?? undefined,
  );
  const content = await readConsolidatedReport(stack.orm.em.fork(), report);
  if (answer.status === 201) {
    expect(task.state).toBe('submitted');
    expect(content.submitted).toBe(1);
  } else {
    expect(task.state).toBe('not_submitted');
    expect(content.missingUnits.map((u) => u.unitCode)).toEqual([unit!.code]);
  }
});

test('when an administrator extends a deadline at the instant a reminder fires, the task-row lock orders them: a reminder is sent only for the schedule in force, never past the maximum', async () => {
  const [unit] = await createUnits(stack.orm, 1);
  const quick = timing({ deadline: 6, reminders: [3], escalations: [30, 40], hardClose: 50 });
  const { base, workflowId } = await start([unit!], quick);
  const [link] = await linksOf([unit!]);
  const taskOf = () => stack.orm.em.fork().findOneOrFail(UnitTask, { workflowId: `${workflowId}-unit-${unit!.code}` });
  const oldReminder = (await taskOf()).schedule.reminders[0]!;
  await sleep(Math.max(0, Date.parse(oldReminder) - Date.now()));
  const newDeadline = new Date(Date.now() + 12_000).toISOString();
  const extended = await api<{ schedule: { reminders: string[] } }>(
    stack.baseUrl,
    'POST',
    `${base}/units/${unit!.code}/extension`,
    { token: admin, body: { newDeadline, reason: 'Gia hạn đúng lúc nhắc' } },
  );
  expect(extended.status).toBe(200);
  const newReminder = extended.body.schedule.reminders[0]!;
  await sleep(Math.max(0, Date.parse(newReminder) + 1_500 - Date.now()));

  // Which came first is on the record; each reminder sent belongs to the schedule in force when it was sent.
  const task = await taskOf();
  const events = await stack.orm.em
    .fork()
    .find(
      AuditEvent,
      { cycleId: task.cycle.id, subjectId: String(task.id), action: { $in: ['task.reminded', 'task.extended'] } },
      { orderBy: { seq: 'asc' } },
    );
  const extendedAt = events.findIndex((e) => e.action === 'task.extended');
  const reminded = events
    .filter((e) => e.action === 'task.reminded')
    .map((e) => ({ dueAt: (e.after as { dueAt: string }).dueAt, beforeExtension: events.indexOf(e) < extendedAt }));
  const expected = reminded.some((r) => r.beforeExtension)
    ? [
        { dueAt: oldReminder, beforeExtension: true },
        { dueAt: newReminder, beforeExtension: false },
      ]
    : [{ dueAt: newReminder, beforeExtension: false }];
  expect(reminded).toEqual(expected);
  expect(stack.sink.to(unit!.headEmail).filter((m) => m.subject.includes('Nhắc'))).toHaveLength(expected.length);
  expect(task.remindersSent).toBe(expected.length);
  expect(task.schedule.deadline).toBe(newDeadline);
  expect((await submitByLink(stack.baseUrl, link!)).body).toMatchObject({ late: false });
});
