/**
 * Collection, end to end: dispatch, reminders (never more than the maximum), overdue,
 * escalation to supervisors then to the secretariat, late and missing units, extension,
 * re-sent links, collection closed early, refusal after the hard close, and a cycle started twice.
 */
import { AuditEvent, ConsolidatedReport, Cycle, Email, UnitTask } from '../db/entities';
import {
  api,
  createCampaign,
  createUnits,
  currentPeriod,
  eventually,
  headLinks,
  linkIn,
  sleep,
  startCycle,
  submitByLink,
  timing,
  tokenOf,
  type TestUnit,
} from './support/fixtures';
import { useStack } from './support/hooks';
import { readConsolidatedReport } from '../db/consolidated-report';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from '../db/orm';
import { withDatabaseName } from '../db/admin';
import { createAfterReport } from '../api/services/unit-task.service';

const stack = useStack();
let admin: string;
beforeAll(async () => {
  admin = await stack.token('admin');
});

/** Deadline and hard close far away (a reminder at 5 minutes): nothing but the test's own actions ends collection. */
const farAway = timing({ deadline: 600, reminders: [300], escalations: [60, 120], hardClose: 900 });

/** Starts a cycle of `campaign` for `units`; answers its row's id and when it was asked to start. */
async function startTimedCycle(
  campaign: string,
  units: readonly TestUnit[],
): Promise<{ workflowId: string; cycleId: number; started: number }> {
  const started = Date.now();
  const { workflowId } = await startCycle(stack, admin, { campaign, units });
  const cycle = await eventually(async () => (await stack.orm.em.fork().findOne(Cycle, { workflowId })) ?? undefined, {
    what: 'the cycle row',
  });
  return { workflowId, cycleId: cycle.id, started };
}

const linkOf = async (unit: TestUnit): Promise<string> => (await headLinks(stack, [unit]))[0]!;
const subjects = (address: string): string[] => stack.sink.to(address).map((m) => m.subject);

test('when units are on time, late and silent, each gets exactly the reminders and escalations its timeline calls for, and the report lists them', async () => {
  // Deadline at 8 s; three reminder offsets but at most two reminders; escalations at +3 s and +9 s; hard close at +12 s.
  const campaign = await createCampaign(
    stack.orm,
    timing({ deadline: 8, reminders: [6, 4, 2], escalations: [3, 9], hardClose: 12 }),
    { maxReminders: 2 },
  );
  const [onTime, late, silent] = await createUnits(stack.orm, 3, { supervisors: 2 }); // supervisors: 1, 2, 1
  const { cycleId, workflowId, started } = await startTimedCycle(campaign, [onTime!, late!, silent!]);

  expect((await submitByLink(stack.baseUrl, await linkOf(onTime!))).body).toMatchObject({ late: false, version: 1 });
  const lateLink = await linkOf(late!);
  await linkOf(silent!);

  // The late unit submits between the two escalations (deadline + 3 s … + 9 s).
  await sleep(Math.max(0, started + 8_000 + 5_000 - Date.now()));
  const lateReceipt = await submitByLink(stack.baseUrl, lateLink);
  expect(lateReceipt.status).toBe(201);
  expect(lateReceipt.body.late).toBe(true);

  const em = stack.orm.em.fork();
  const report = await eventually(
    async () => (await em.fork().findOne(ConsolidatedReport, { cycle: cycleId, version: 1 })) ?? undefined,
    { timeoutMs: 40_000, what: 'consolidation at the hard close' },
  );
  const content = await readConsolidatedReport(em.fork(), report);
  expect(content).toMatchObject({ expected: 3, submitted: 2, onTime: 1, completeness: 0.666667, onTimeRate: 0.333333 });
  expect(content.lateUnits.map((u) => u.unitCode)).toEqual([late!.code]);
  expect(content.missingUnits.map((u) => u.unitCode)).toEqual([silent!.code]);

  const tasks = new Map(
    (await em.fork().find(UnitTask, { cycle: cycleId }, { populate: ['unit'] })).map((t) => [t.unit.code, t]),
  );
  expect(tasks.get(onTime!.code)).toMatchObject({
    state: 'submitted',
    late: false,
    remindersSent: 0,
    escalationLevel: 0,
  });
  expect(tasks.get(late!.code)).toMatchObject({ state: 'submitted', late: true, remindersSent: 2, escalationLevel: 1 });
  expect(tasks.get(silent!.code)).toMatchObject({ state: 'not_submitted', remindersSent: 2, escalationLevel: 2 });

  // Emails received by the SMTP sink, per person.
  expect(subjects(onTime!.headEmail)).toHaveLength(1);
  expect(subjects(late!.headEmail).filter((s) => s.startsWith('[Nhắc lần'))).toEqual([
    expect.stringContaining('[Nhắc lần 1]'),
    expect.stringContaining('[Nhắc lần 2]'),
  ]);
  expect(subjects(silent!.headEmail)).toHaveLength(3);
  const supervisor1 = stack.sink.to(silent!.supervisorEmail); // supervises the on-time and the silent unit
  const supervisor2 = stack.sink.to(late!.supervisorEmail);
  expect(supervisor1).toHaveLength(1);
  expect(supervisor1[0]!.text).toContain(silent!.code);
  expect(supervisor1[0]!.text).not.toContain(onTime!.code);
  expect(supervisor2).toHaveLength(1);
  expect(supervisor2[0]!.text).toContain(late!.code);
  const secretariat = stack.sink.to(stack.config.SECRETARIAT_EMAIL).filter((m) => m.subject.includes('vẫn chưa nộp'));
  expect(secretariat).toHaveLength(1);
  expect(secretariat[0]!.text).toContain(silent!.code);
  expect(secretariat[0]!.text).not.toContain(late!.code); // it had submitted by the second escalation

  // The outbox agrees with the sink: every message recorded once and sent.
  const emails = await em.fork().find(Email, { cycleId });
  expect(emails.every((e) => e.status === 'sent' && e.bodySha256?.length === 64)).toBe(true);
  expect(emails.filter((e) => e.kind === 'reminder')).toHaveLength(4);
  expect(emails.filter((e) => e.kind === 'escalation_supervisor')).toHaveLength(2);

  // After the hard close, a submission is refused and nothing changes.
  const refused = await submitByLink(stack.baseUrl, await linkOf(silent!));
  expect(refused.status).toBe(409);
  expect(refused.body.message).toMatch(/closed/);
  expect((await em.fork().findOneOrFail(UnitTask, tasks.get(silent!.code)!.id)).state).toBe('not_submitted');

  // The same cycle cannot be started twice.
  const again = await api<{ message: string }>(stack.baseUrl, 'POST', '/api/v1/cycles', {
    token: admin,
    body: { campaign, period: currentPeriod(), units: [onTime!.code] },
  });
  expect(again.status).toBe(409);
  expect(again.body.message).toContain('cannot be started twice');
  expect(await em.fork().count(Cycle, { workflowId })).toBe(1);
});

test("when an administrator extends one unit's deadline, its reminders and escalations move with it while the others' do not", async () => {
  const campaign = await createCampaign(
    stack.orm,
    timing({ deadline: 4, reminders: [2], escalations: [2, 4], hardClose: 6 }),
  );
  const [extended, other] = await createUnits(stack.orm, 2);
  const { cycleId, started } = await startTimedCycle(campaign, [extended!, other!]);
  const link = await linkOf(extended!);
  const newDeadline = new Date(started + 30_000).toISOString();

  const bad = await api<{ field: string }>(
    stack.baseUrl,
    'POST',
    `/api/v1/cycles/${campaign}/${currentPeriod()}/units/${extended!.code}/extension`,
    { token: admin, body: { newDeadline: 'tomorrow', reason: 'Đơn vị xin gia hạn' } },
  );
  expect(bad.status).toBe(400);
  const res = await api<{ schedule: { deadline: string; reminders: string[] } }>(
    stack.baseUrl,
    'POST',
    `/api/v1/cycles/${campaign}/${currentPeriod()}/units/${extended!.code}/extension`,
    { token: admin, body: { newDeadline, reason: 'Đơn vị xin gia hạn do sự cố mạng' } },
  );
  expect(res.status).toBe(200);
  expect(res.body.schedule.deadline).toBe(newDeadline);

  // The other unit runs its course: reminded, escalated, closed as not submitted.
  await eventually(
    async () =>
      (await stack.orm.em.fork().findOne(UnitTask, { cycle: cycleId, unit: { code: other!.code } }))?.state ===
      'not_submitted'
        ? true
        : undefined,
    { what: 'the other unit to close' },
  );
  const task = await stack.orm.em.fork().findOneOrFail(UnitTask, { cycle: cycleId, unit: { code: extended!.code } });
  expect(task).toMatchObject({ state: 'dispatched', escalationLevel: 0, remindersSent: 0 });
  expect(
    stack.sink
      .to(other!.supervisorEmail)
      .map((m) => m.text)
      .join(),
  ).not.toContain(extended!.code);

  const receipt = await submitByLink(stack.baseUrl, link);
  expect(receipt.body.late).toBe(false); // on time against its own deadline
  const audit = await stack.orm.em
    .fork()
    .findOneOrFail(AuditEvent, { action: 'task.extended', subjectId: String(task.id) });
  expect(audit.after).toMatchObject({ reason: 'Đơn vị xin gia hạn do sự cố mạng' });
  await eventually(
    async () => (await stack.orm.em.fork().findOne(ConsolidatedReport, { cycle: cycleId })) ?? undefined,
    { what: 'consolidation' },
  );
});

test('when an administrator re-sends a link, the old link stops working and the new one reaches the registered address', async () => {
  const campaign = await createCampaign(stack.orm, timing({ deadline: 120, escalations: [60, 120], hardClose: 180 }));
  const [unit] = await createUnits(stack.orm, 1);
  await startTimedCycle(campaign, [unit!]);
  const oldLink = await linkOf(unit!);
  const res = await api(
    stack.baseUrl,
    'POST',
    `/api/v1/cycles/${campaign}/${currentPeriod()}/units/${unit!.code}/link`,
    { token: admin, body: { reason: 'Thủ trưởng không nhận được thư' } },
  );
  expect(res.status).toBe(200);
  await stack.sink.waitFor(() => stack.sink.to(unit!.headEmail).length === 2);
  const newLink = linkIn(stack.sink.to(unit!.headEmail)[1]!.text, stack.baseUrl);
  expect(newLink).not.toBe(oldLink);
  expect((await api(stack.baseUrl, 'GET', `/api/v1/link/${tokenOf(oldLink)}`)).status).toBe(404);
  expect((await fetch(oldLink)).status).toBe(404);
  expect((await api(stack.baseUrl, 'GET', `/api/v1/link/${tokenOf(newLink)}`)).status).toBe(200);
  expect((await submitByLink(stack.baseUrl, newLink)).status).toBe(201);
});

test('a report wakes no workflow while another unit is awaited; the last one wakes the cycle, whose batch settles the units together without waking them', async () => {
  const campaign = await createCampaign(stack.orm, farAway);
  const [early, last] = await createUnits(stack.orm, 2);
  const { workflowId, cycleId } = await startTimedCycle(campaign, [early!, last!]);
  const base = `/api/v1/cycles/${campaign}/${currentPeriod()}`;
  const signals = async (id: string): Promise<string[]> =>
    ((await stack.client.workflow.getHandle(id).fetchHistory()).events ?? []).flatMap((e) =>
      e.workflowExecutionSignaledEventAttributes ? [e.workflowExecutionSignaledEventAttributes.signalName ?? ''] : [],
    );
  expect((await submitByLink(stack.baseUrl, await linkOf(early!))).status).toBe(201);
  await sleep(1_000);
  expect(await signals(`${workflowId}-unit-${early!.code}`)).toEqual([]);
  expect(await signals(workflowId)).toEqual([]);
  // Its workflow does not know yet; PostgreSQL does: no new link, no extension for a unit that has reported.
  const resend = await api<{ message: string }>(stack.baseUrl, 'POST', `${base}/units/${early!.code}/link`, {
    token: admin,
    body: { reason: 'Gửi lại' },
  });
  expect(resend.status).toBe(409);
  expect(resend.body.message).toContain('not waiting for a report');
  const extension = await api(stack.baseUrl, 'POST', `${base}/units/${early!.code}/extension`, {
    token: admin,
    body: { newDeadline: new Date(Date.now() + 3_600_000).toISOString(), reason: 'Gia hạn' },
  });
  expect(extension.status).toBe(409);
  expect(await stack.orm.em.fork().count(ConsolidatedReport, { cycle: cycleId })).toBe(0);

  expect((await submitByLink(stack.baseUrl, await linkOf(last!))).status).toBe(201);
  const report = await eventually(
    async () => (await stack.orm.em.fork().findOne(ConsolidatedReport, { cycle: cycleId, version: 1 })) ?? undefined,
    { what: 'consolidation after the last report' },
  );
  expect((await readConsolidatedReport(stack.orm.em.fork(), report)).submitted).toBe(2);
  expect(await signals(workflowId)).toEqual(['allReported', 'unitsSettled']);
  // A unit learns how it settled only when the cycle closes (or when it is sent back).
  for (const unit of [early!, last!]) expect(await signals(`${workflowId}-unit-${unit.code}`)).toEqual([]);
});

test('reports sent at the same instant share their after-commit passes: every event is chained, and the last of them wakes the cycle', async () => {
  // Deadline and hard close far away: only the reports' wake-up can end collection in time.
  const campaign = await createCampaign(stack.orm, farAway);
  const units = await createUnits(stack.orm, 24);
  const { cycleId } = await startTimedCycle(campaign, units);
  const links = await Promise.all(units.map(linkOf));
  const answers = await Promise.all(links.map((link) => submitByLink(stack.baseUrl, link)));
  expect(answers.map((a) => a.status)).toEqual(units.map(() => 201));
  // Each answer came after its pass: its event is already in the chain, none is left pending.
  const em = stack.orm.em.fork();
  expect(await em.count(AuditEvent, { cycleId, action: 'task.submitted' })).toBe(units.length);
  expect(Number((await em.execute<[{ n: string }]>('SELECT count(*) AS n FROM audit_pending'))[0].n)).toBe(0);
  const report = await eventually(
    async () => (await em.fork().findOne(ConsolidatedReport, { cycle: cycleId, version: 1 })) ?? undefined,
    { what: 'consolidation after the last of the concurrent reports' },
  );
  expect((await readConsolidatedReport(em.fork(), report)).submitted).toBe(units.length);
});

test('when the after-commit pass cannot reach the database, the report stays answered as stored and the failure is reported, not thrown', async () => {
  // A real PostgreSQL server, but a database that does not exist: every query of the pass fails.
  const unreachable = await MikroORM.init(
    ormOptions(withDatabaseName(stack.config.DATABASE_URL, 'baocao_no_such_database'), { ensureDatabase: false }),
  );
  const errors: unknown[] = [];
  const afterReport = createAfterReport(
    () => unreachable.em.fork(),
    (error) => errors.push(error),
  );
  const task = { cycle_id: 1, cycle_workflow_id: 'cycle-x' };
  // Whether the cycle still waits is unknown: it is not woken (its units' next steps will tell it).
  expect(await afterReport(task)).toBeUndefined();
  expect(await afterReport(task)).toBeUndefined();
  expect(errors).toHaveLength(2);
  expect(String(errors[0])).toContain('baocao_no_such_database');
  await unreachable.close();
});

test('when an administrator closes collection early, silent units are closed as not submitted, the cycle consolidates at once, and later reports and extensions are refused', async () => {
  // Deadline and hard close far away: only the administrator's action can end collection.
  const campaign = await createCampaign(stack.orm, farAway);
  const [reported, silent] = await createUnits(stack.orm, 2);
  const { cycleId } = await startTimedCycle(campaign, [reported!, silent!]);
  expect((await submitByLink(stack.baseUrl, await linkOf(reported!))).status).toBe(201);
  const silentLink = await linkOf(silent!);
  const base = `/api/v1/cycles/${campaign}/${currentPeriod()}`;

  const noReason = await api<{ field: string }>(stack.baseUrl, 'POST', `${base}/close-collection`, {
    token: admin,
    body: {},
  });
  expect(noReason.status).toBe(400);
  expect(noReason.body.field).toBe('reason');
  const res = await api<{ closedAt: string; openUnits: number }>(stack.baseUrl, 'POST', `${base}/close-collection`, {
    token: admin,
    body: { reason: 'Hội đồng họp sớm' },
  });
  expect(res.status).toBe(202);
  expect(res.body.openUnits).toBe(1);
  const again = await api(stack.baseUrl, 'POST', `${base}/close-collection`, {
    token: admin,
    body: { reason: 'Bấm lại lần nữa' },
  });
  expect(again.status).toBe(409);

  const report = await eventually(
    async () => (await stack.orm.em.fork().findOne(ConsolidatedReport, { cycle: cycleId, version: 1 })) ?? undefined,
    { what: 'consolidation after the early close' },
  );
  const reading = await readConsolidatedReport(stack.orm.em.fork(), report);
  expect(reading).toMatchObject({ expected: 2, submitted: 1 });
  expect(reading.missingUnits.map((u) => u.unitCode)).toEqual([silent!.code]);
  const silentTask = await stack.orm.em
    .fork()
    .findOneOrFail(UnitTask, { cycle: cycleId, unit: { code: silent!.code } });
  expect(silentTask.state).toBe('not_submitted');
  expect(silentTask.schedule.hardClose).toBe(res.body.closedAt);

  const late = await submitByLink(stack.baseUrl, silentLink);
  expect(late.status).toBeGreaterThanOrEqual(400);
  expect(late.status).toBeLessThan(500);
  expect((await stack.orm.em.fork().findOneOrFail(UnitTask, silentTask.id)).state).toBe('not_submitted');
  const extension = await api(stack.baseUrl, 'POST', `${base}/units/${silent!.code}/extension`, {
    token: admin,
    body: { newDeadline: new Date(Date.now() + 60_000).toISOString(), reason: 'Quá muộn rồi' },
  });
  expect(extension.status).toBe(409);
  const audit = await stack.orm.em.fork().find(AuditEvent, { cycleId, action: 'cycle.collection_closed' });
  expect(audit).toHaveLength(1);
  expect(audit[0]!.after).toMatchObject({ reason: 'Hội đồng họp sớm', openUnits: 1 });
  // No reminder or escalation went out: collection ended before any was due.
  expect(subjects(silent!.headEmail)).toHaveLength(1);
});
