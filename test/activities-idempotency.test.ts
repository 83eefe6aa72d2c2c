/**
 * Every activity is safe to retry: called again after it succeeded, it neither sends a second
 * email nor writes a second row. The activities run here as a retry would run them: the same
 * function with the same input, against the real database and SMTP sink.
 */
import { createActivities } from '../activities';
import { AuditEvent, ConsolidatedReport, Email, UnitTask } from '../db/entities';
import type { Transporter } from 'nodemailer';
import { createMailTransport } from '../mail/transport';
import { currentPeriod, createCampaign, createUnits, timing } from './support/fixtures';
import { useStack } from './support/hooks';

const stack = useStack();

/** The activities over the stack's database, Temporal and configuration, sending through `mailer` (to the sink by default). */
function activities(mailer: Transporter = createMailTransport(stack.config.SMTP_URL)) {
  return {
    mailer,
    acts: createActivities({
      orm: stack.orm,
      mailer,
      temporal: stack.client,
      config: stack.config,
      now: () => new Date(),
    }),
  };
}

/** The input with which a cycle's workflow opens the cycle of `campaign` this month for `units`. */
const opening = (campaign: string, units: readonly { code: string }[], workflowId: string) => ({
  campaignCode: campaign,
  period: currentPeriod(),
  requestedBy: 'test',
  unitCodes: units.map((u) => u.code),
  workflowId,
  startedAt: new Date().toISOString(),
});

/** A cycle of two fresh units whose deadlines lie a minute ahead, opened by the activities themselves. */
async function openTwoUnitCycle(prefix: string) {
  const units = await createUnits(stack.orm, 2);
  const campaign = await createCampaign(
    stack.orm,
    timing({ deadline: 60, escalations: [70, 80], hardClose: 90, review: 60, revision: 60 }),
  );
  const { mailer, acts } = activities();
  const opened = await acts.openCycle(opening(campaign, units, `${prefix}-${campaign}`));
  return { units, mailer, acts, opened };
}

test('when dispatch, reminder, escalation, consolidation and cycle opening are retried, each email is sent once and each row written once', async () => {
  const units = await createUnits(stack.orm, 2);
  const campaign = await createCampaign(
    stack.orm,
    timing({ deadline: 2, reminders: [1], escalations: [1, 2], hardClose: 3, review: 60, revision: 60 }),
  );
  const { mailer, acts } = activities();
  const input = {
    ...opening(campaign, units, `retry-${campaign}`),
    startedAt: new Date(Date.now() - 10_000).toISOString(),
  };

  const first = await acts.openCycle(input);
  const second = await acts.openCycle(input);
  expect(second).toEqual(first);
  expect(await stack.orm.em.fork().count(UnitTask, { cycle: first.cycleId })).toBe(2);

  const [a, b] = first.units;
  await acts.dispatchTasks({ cycleId: first.cycleId, taskIds: [a!.taskId] });
  await acts.dispatchTasks({ cycleId: first.cycleId, taskIds: [a!.taskId] });
  await acts.dispatchTasks({ cycleId: first.cycleId, taskIds: [b!.taskId] });
  const reminderAt = first.plan.schedule.reminders[0]!;
  await acts.runTaskWave({ cycleId: first.cycleId, kind: 'reminder', dueAt: reminderAt, taskIds: [a!.taskId] });
  await acts.runTaskWave({ cycleId: first.cycleId, kind: 'reminder', dueAt: reminderAt, taskIds: [a!.taskId] });
  await acts.runTaskWave({
    cycleId: first.cycleId,
    kind: 'reminder',
    dueAt: new Date().toISOString(),
    taskIds: [a!.taskId],
  }); // not a reminder of this schedule: nothing
  const dueAt = new Date().toISOString();
  await acts.runTaskWave({ cycleId: first.cycleId, kind: 'overdue', dueAt, taskIds: [a!.taskId, b!.taskId] });
  await acts.runTaskWave({ cycleId: first.cycleId, kind: 'overdue', dueAt, taskIds: [a!.taskId, b!.taskId] });
  const level1 = first.plan.schedule.escalations[0];
  expect(await acts.escalateOverdue({ cycleId: first.cycleId, level: 1, dueAt: level1 })).toBe(2);
  expect(await acts.escalateOverdue({ cycleId: first.cycleId, level: 1, dueAt: level1 })).toBe(0);
  await acts.runTaskWave({
    cycleId: first.cycleId,
    kind: 'hardClose',
    dueAt: first.plan.schedule.hardClose,
    taskIds: [a!.taskId],
  });
  await acts.runTaskWave({
    cycleId: first.cycleId,
    kind: 'hardClose',
    dueAt: first.plan.schedule.hardClose,
    taskIds: [a!.taskId],
  });
  await acts.consolidateCycle({ cycleId: first.cycleId, version: 1 });
  await acts.consolidateCycle({ cycleId: first.cycleId, version: 1 });
  mailer.close();

  await stack.sink.waitFor(() => stack.sink.messages.length >= 4);
  await new Promise((r) => setTimeout(r, 300)); // let any stray duplicate arrive before counting
  expect(stack.sink.to(units[0]!.headEmail).map((m) => m.subject)).toEqual([
    expect.stringContaining('Báo cáo tháng'),
    expect.stringContaining('[Nhắc lần 1]'),
  ]);
  expect(stack.sink.to(units[1]!.headEmail)).toHaveLength(1);
  expect(stack.sink.to(units[0]!.supervisorEmail)).toHaveLength(1); // one email listing both units
  expect(stack.sink.to(units[0]!.supervisorEmail)[0]!.text).toContain(units[1]!.code);

  const em = stack.orm.em.fork();
  expect(await em.count(Email, { cycleId: first.cycleId })).toBe(4);
  expect(await em.count(ConsolidatedReport, { cycle: first.cycleId })).toBe(1);
  expect((await em.findOneOrFail(UnitTask, a!.taskId)).remindersSent).toBe(1);
  expect(await em.count(AuditEvent, { cycleId: first.cycleId, action: 'task.dispatched' })).toBe(2);
  expect(await em.count(AuditEvent, { cycleId: first.cycleId, action: 'task.not_submitted' })).toBe(1);
  expect(await em.count(AuditEvent, { cycleId: first.cycleId, action: 'cycle.opened' })).toBe(1);
});

test('when publication is retried after it committed, the cycle is published once: one audit event, one message per unit', async () => {
  const { units, mailer, acts, opened } = await openTwoUnitCycle('retry-publish');
  await acts.consolidateCycle({ cycleId: opened.cycleId, version: 1 });
  const first = await acts.publishCycle({ cycleId: opened.cycleId, version: 1 });
  const again = await acts.publishCycle({ cycleId: opened.cycleId, version: 1 });
  mailer.close();
  expect(again).toEqual(first);

  await stack.sink.waitFor(() => units.every((u) => stack.sink.to(u.headEmail).length >= 1));
  await new Promise((r) => setTimeout(r, 300)); // let any stray duplicate arrive before counting
  for (const unit of units)
    expect(stack.sink.to(unit.headEmail).map((m) => m.subject)).toEqual([expect.stringContaining('Công bố kết quả')]);
  const em = stack.orm.em.fork();
  expect(await em.count(AuditEvent, { cycleId: opened.cycleId, action: 'cycle.published' })).toBe(1);
  expect(await em.count(AuditEvent, { cycleId: opened.cycleId, action: 'cycle.consolidated' })).toBe(1);
  expect(await em.count(Email, { cycleId: opened.cycleId, kind: 'publication' })).toBe(2);
});

test('when a revision request is retried after it committed, the round is recorded once and each named head is emailed once', async () => {
  const { units, mailer, acts, opened } = await openTwoUnitCycle('retry-revision');
  await acts.consolidateCycle({ cycleId: opened.cycleId, version: 1 });
  const request = {
    cycleId: opened.cycleId,
    version: 1,
    unitCodes: [units[0]!.code],
    comment: 'Bổ sung',
    requestedAt: new Date().toISOString(),
  };
  const first = await acts.requestRevision(request);
  const again = await acts.requestRevision(request);
  mailer.close();
  expect(again).toEqual(first);
  await stack.sink.waitFor(() => stack.sink.to(units[0]!.headEmail).length >= 1);
  await new Promise((r) => setTimeout(r, 300)); // let any stray duplicate arrive before counting
  expect(stack.sink.to(units[0]!.headEmail)).toHaveLength(1);
  expect(stack.sink.to(units[1]!.headEmail)).toHaveLength(0);
  const em = stack.orm.em.fork();
  expect(await em.count(AuditEvent, { cycleId: opened.cycleId, action: 'cycle.revision_requested' })).toBe(1);
  expect(await em.count(AuditEvent, { cycleId: opened.cycleId, action: 'task.revision_requested' })).toBe(1);
});

test('when the SMTP server refuses a message, the outbox row stays pending with the error and the retry delivers it once', async () => {
  const [unit] = await createUnits(stack.orm, 1);
  const campaign = await createCampaign(
    stack.orm,
    timing({ deadline: 60, escalations: [1, 2], hardClose: 3, review: 60, revision: 60 }),
  );
  const broken = createMailTransport('smtp://127.0.0.1:1'); // nothing listens there
  const working = createMailTransport(stack.config.SMTP_URL);
  const opened = await activities(working).acts.openCycle(opening(campaign, [unit!], `smtp-${campaign}`));
  const taskId = opened.units[0]!.taskId;

  const dispatch = { cycleId: opened.cycleId, taskIds: [taskId] };
  await expect(activities(broken).acts.dispatchTasks(dispatch)).rejects.toThrow();
  const pending = await stack.orm.em.fork().findOneOrFail(Email, { taskId });
  expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
  expect(pending.lastError).toMatch(/ECONNREFUSED/);

  await activities(working).acts.dispatchTasks(dispatch);
  await activities(working).acts.dispatchTasks(dispatch);
  await stack.sink.waitFor(() => stack.sink.to(unit!.headEmail).length === 1);
  await new Promise((r) => setTimeout(r, 300));
  expect(stack.sink.to(unit!.headEmail)).toHaveLength(1);
  expect(await stack.orm.em.fork().findOneOrFail(Email, { taskId })).toMatchObject({
    status: 'sent',
    attempts: 2,
    lastError: null,
  });
  broken.close();
  working.close();
});

test('when a reminder wave committed but could not deliver, its retry delivers every reminder once', async () => {
  const units = await createUnits(stack.orm, 3);
  const campaign = await createCampaign(
    stack.orm,
    timing({ deadline: 60, reminders: [30], escalations: [70, 80], hardClose: 90, review: 60, revision: 60 }),
  );
  const broken = createMailTransport('smtp://127.0.0.1:1'); // nothing listens there
  const working = createMailTransport(stack.config.SMTP_URL);
  const opened = await activities(working).acts.openCycle(opening(campaign, units, `wave-${campaign}`));
  const taskIds = opened.units.map((u) => u.taskId);
  await activities(working).acts.dispatchTasks({ cycleId: opened.cycleId, taskIds });
  const wave = {
    cycleId: opened.cycleId,
    kind: 'reminder' as const,
    dueAt: opened.plan.schedule.reminders[0]!,
    taskIds,
  };

  // The first attempt commits the reminders and their outbox rows, then its deliveries fail (a worker dying there is the same).
  await expect(activities(broken).acts.runTaskWave(wave)).rejects.toThrow();
  expect(await stack.orm.em.fork().count(Email, { cycleId: opened.cycleId, kind: 'reminder', status: 'pending' })).toBe(
    3,
  );
  await activities(working).acts.runTaskWave(wave);
  await activities(working).acts.runTaskWave(wave);
  await stack.sink.waitFor(() => units.every((u) => stack.sink.to(u.headEmail).length === 2));
  await new Promise((r) => setTimeout(r, 300));
  for (const unit of units)
    expect(stack.sink.to(unit.headEmail).map((m) => m.subject)).toEqual([
      expect.stringContaining('Báo cáo tháng'),
      expect.stringContaining('[Nhắc lần 1]'),
    ]);
  expect(await stack.orm.em.fork().count(Email, { cycleId: opened.cycleId, kind: 'reminder', status: 'sent' })).toBe(3);
  expect(await stack.orm.em.fork().count(AuditEvent, { cycleId: opened.cycleId, action: 'task.reminded' })).toBe(3);
  broken.close();
  working.close();
});

test('when a batch dispatch fails on one message and is retried, every unit head gets one link and each task is dispatched once', async () => {
  const units = await createUnits(stack.orm, 4);
  const campaign = await createCampaign(
    stack.orm,
    timing({ deadline: 60, escalations: [70, 80], hardClose: 90, review: 60, revision: 60 }),
  );
  const working = createMailTransport(stack.config.SMTP_URL);
  // The third unit head's server refuses the first attempt (a real SMTP failure, then a retry).
  let refused = 0;
  const flaky = Object.create(working) as typeof working;
  flaky.sendMail = (async (message: { to: string }) => {
    if (message.to === units[2]!.headEmail && refused++ === 0) throw new Error('451 4.3.0 try again later');
    return working.sendMail(message as never);
  }) as never;
  const { acts } = activities(flaky);
  const opened = await acts.openCycle(opening(campaign, units, `batch-${campaign}`));
  const taskIds = opened.units.map((u) => u.taskId);

  await acts.dispatchTasks({ cycleId: opened.cycleId, taskIds: [taskIds[0]!] }); // dispatched on its own first: not sent again below
  await expect(acts.dispatchTasks({ cycleId: opened.cycleId, taskIds })).rejects.toThrow(/try again later/);
  expect(await acts.dispatchTasks({ cycleId: opened.cycleId, taskIds })).toEqual({ dispatched: 0 });
  expect(await acts.dispatchTasks({ cycleId: opened.cycleId, taskIds })).toEqual({ dispatched: 0 });
  working.close();

  await stack.sink.waitFor(() => units.every((u) => stack.sink.to(u.headEmail).length >= 1));
  await new Promise((r) => setTimeout(r, 300)); // let any stray duplicate arrive before counting
  for (const unit of units)
    expect(stack.sink.to(unit.headEmail).map((m) => m.subject)).toEqual([expect.stringContaining('Báo cáo tháng')]);
  const em = stack.orm.em.fork();
  const tasks = await em.find(UnitTask, { cycle: opened.cycleId });
  expect(tasks.map((t) => t.state)).toEqual(['dispatched', 'dispatched', 'dispatched', 'dispatched']);
  expect(tasks.every((t) => t.tokenHash !== null && t.dispatchedAt !== null)).toBe(true);
  expect(await em.count(AuditEvent, { cycleId: opened.cycleId, action: 'task.dispatched' })).toBe(4);
  const emails = await em.find(Email, { cycleId: opened.cycleId, kind: 'dispatch' });
  expect(emails.map((e) => e.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
  // Each email is tied to its own task's audit event.
  const audited = await em.find(AuditEvent, { cycleId: opened.cycleId, action: 'task.dispatched' });
  expect(
    new Set(
      emails.map((e) => `${e.taskId}:${audited.find((a) => Number(a.id) === Number(e.auditEventId))?.subjectId}`),
    ),
  ).toEqual(new Set(tasks.map((t) => `${t.id}:${t.id}`)));
});

test("when starting and dispatching a batch's units is retried, each unit keeps its one workflow run, also once it has ended, and each head gets one link", async () => {
  const units = await createUnits(stack.orm, 2);
  const campaign = await createCampaign(
    stack.orm,
    timing({ deadline: 3600, reminders: [60], escalations: [60, 120], hardClose: 300, review: 60, revision: 60 }),
  );
  const { mailer, acts } = activities();
  const cycleWorkflowId = `retry-start-${campaign}`;
  const opened = await acts.openCycle(opening(campaign, units, cycleWorkflowId));
  const input = {
    cycleId: opened.cycleId,
    cycleWorkflowId,
    batchWorkflowId: `${cycleWorkflowId}-batch-1`,
    taskQueue: `no-worker-${campaign}`, // no worker runs them
    campaignCode: campaign,
    period: currentPeriod(),
    schedules: [opened.plan.schedule],
    units: opened.units,
  };
  const ids = opened.units.map((u) => `${cycleWorkflowId}-unit-${u.unitCode}`);
  const runIds = async (): Promise<string[]> =>
    Promise.all(ids.map(async (id) => (await stack.client.workflow.getHandle(id).describe()).runId));

  expect(await acts.startAndDispatchUnits(input)).toEqual({ started: 2, dispatched: 2 });
  const first = await runIds();
  expect(await acts.startAndDispatchUnits(input)).toEqual({ started: 0, dispatched: 0 });
  expect(await runIds()).toEqual(first);

  await stack.client.workflow.getHandle(ids[0]!).terminate('test: a unit that ended');
  expect(await acts.startAndDispatchUnits(input)).toEqual({ started: 0, dispatched: 0 }); // a unit that ran is not started again
  expect(await runIds()).toEqual(first);
  await stack.client.workflow.getHandle(ids[1]!).terminate('test: cleanup');
  mailer.close();

  await stack.sink.waitFor(() => units.every((u) => stack.sink.to(u.headEmail).length >= 1));
  await new Promise((r) => setTimeout(r, 300)); // let any stray duplicate arrive before counting
  for (const unit of units) expect(stack.sink.to(unit.headEmail)).toHaveLength(1);
  expect(await stack.orm.em.fork().count(UnitTask, { cycle: opened.cycleId, state: 'dispatched' })).toBe(2);
});
