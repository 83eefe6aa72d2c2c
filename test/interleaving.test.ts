/**
 * Every transition of a task or a cycle is atomic against a report. Each test forces a report to
 * run between a transition's read and its first write, deterministically: a statement-level
 * trigger (installed in this file's own database) holds every UPDATE issued by the transition's
 * connection (application_name `interleave`) on an advisory lock the test holds. The test starts
 * the transition, waits until it is held at its write (or has finished without one), sends the
 * report and waits until it has finished or is blocked behind the transition's row lock, then
 * releases the transition. Afterwards the receipt, the stored submissions, the task's state and a
 * consolidation of the cycle must agree.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { createActivities } from '../activities';
import { linkToken } from '../auth/tokens';
import { readConsolidatedReport } from '../db/consolidated-report';
import { ConsolidatedReport, Submission, UnitTask } from '../db/entities';
import { ormOptions } from '../db/orm';
import { SUBMITTED_TASK_STATES } from '../domain/states';
import { createMailTransport } from '../mail/transport';
import {
  api,
  createCampaign,
  createUnits,
  currentPeriod,
  eventually,
  validAnswers,
  type TestUnit,
} from './support/fixtures';
import { startStack, type Stack } from './support/stack';

const PAUSE_LOCK = 424242;

let stack: Stack;
let paused: MikroORM;
let control: Client;
let acts: ReturnType<typeof createActivities>;
let direct: ReturnType<typeof createActivities>;
let mailer: ReturnType<typeof createMailTransport>;

beforeAll(async () => {
  stack = await startStack({ worker: false });
  control = new Client({ connectionString: stack.config.DATABASE_URL });
  await control.connect();
  await control.query(`
    CREATE FUNCTION test_pause_interleaved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF current_setting('application_name') = 'interleave' THEN
        PERFORM pg_advisory_lock(${PAUSE_LOCK});
        PERFORM pg_advisory_unlock(${PAUSE_LOCK});
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER test_pause_unit_task BEFORE UPDATE ON unit_task FOR EACH STATEMENT EXECUTE FUNCTION test_pause_interleaved();
    CREATE TRIGGER test_pause_cycle BEFORE UPDATE ON cycle FOR EACH STATEMENT EXECUTE FUNCTION test_pause_interleaved();`);
  paused = await MikroORM.init(
    ormOptions(stack.config.DATABASE_URL, { driverOptions: { application_name: 'interleave' } }),
  );
  const [{ name }] = (await paused.em
    .fork()
    .execute<{ name: string }[]>(`SELECT current_setting('application_name') AS name`)) as [{ name: string }];
  expect(name).toBe('interleave'); // the transitions' statements are the ones held
  mailer = createMailTransport(stack.config.SMTP_URL);
  const deps = { mailer, temporal: stack.client, config: stack.config, now: () => new Date() };
  acts = createActivities({ ...deps, orm: paused });
  direct = createActivities({ ...deps, orm: stack.orm });
});

afterAll(async () => {
  mailer?.close();
  await paused?.close();
  await control?.end();
  await stack?.stop();
});

interface Scene {
  readonly cycleId: number;
  readonly units: readonly TestUnit[];
  readonly tasks: readonly { taskId: number; unitCode: string }[];
  readonly plan: {
    schedule: {
      deadline: string;
      reminders: readonly string[];
      escalations: readonly [string, string];
      hardClose: string;
    };
  };
  readonly link: (i: number) => Promise<string>;
}

/**
 * A cycle of `count` dispatched units opened `ago` seconds in the past, whose deadline was 10 s
 * after opening, escalations at 20 s and 30 s, hard close at 600 s: its units are late but may
 * still report.
 */
async function scene(count = 1, { ago = 60, reminderSecondsBefore = [5] } = {}): Promise<Scene> {
  const units = await createUnits(stack.orm, count);
  const campaign = await createCampaign(stack.orm, {
    deadlineAfterSeconds: 10,
    reminderSecondsBefore,
    escalationSecondsAfter: [10, 20],
    hardCloseSecondsAfter: 600,
    reviewWindowSeconds: 600,
    revisionWindowSeconds: 600,
  });
  const opened = await direct.openCycle({
    campaignCode: campaign,
    period: currentPeriod(),
    requestedBy: 'test',
    unitCodes: units.map((u) => u.code),
    workflowId: `interleave-${campaign}`,
    startedAt: new Date(Date.now() - ago * 1000).toISOString(),
  });
  await direct.dispatchTasks({ cycleId: opened.cycleId, taskIds: opened.units.map((u) => u.taskId) });
  return {
    cycleId: opened.cycleId,
    units,
    tasks: opened.units,
    plan: opened.plan as Scene['plan'],
    link: async (i) => {
      const task = await stack.orm.em.fork().findOneOrFail(UnitTask, opened.units[i]!.taskId);
      return linkToken(stack.config.LINK_SECRET, task.id, task.tokenVersion);
    },
  };
}

const backendOf = async (where: string): Promise<{ wait_event_type: string | null; wait_event: string | null }[]> =>
  (
    await control.query(
      `SELECT wait_event_type, wait_event FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND ${where}`,
    )
  ).rows;

/** Runs `transition` held at its first write, lets `report` run meanwhile, then releases it. */
async function interleave<T, R>(
  transition: () => Promise<T>,
  report: () => Promise<R>,
): Promise<{ transition: T; report: R }> {
  await control.query('SELECT pg_advisory_lock($1)', [PAUSE_LOCK]);
  let transitionDone = false;
  let reportDone = false;
  try {
    const t = transition().finally(() => {
      transitionDone = true;
    });
    t.catch(() => undefined);
    await eventually(
      async () =>
        transitionDone || (await backendOf(`application_name = 'interleave' AND wait_event = 'advisory'`)).length > 0
          ? true
          : undefined,
      { what: 'the transition to reach its write', intervalMs: 20 },
    );
    const r = report().finally(() => {
      reportDone = true;
    });
    r.catch(() => undefined);
    // The report either finishes, or waits behind the transition's row lock (taken before its read).
    await eventually(
      async () =>
        reportDone || (await backendOf(`application_name <> 'interleave' AND wait_event_type = 'Lock'`)).length > 0
          ? true
          : undefined,
      { what: 'the report to finish or block', intervalMs: 20 },
    );
    await control.query('SELECT pg_advisory_unlock($1)', [PAUSE_LOCK]);
    return { transition: await t, report: await r };
  } finally {
    await control.query('SELECT pg_advisory_unlock_all()');
  }
}

const submit = (token: string) =>
  api<{ receiptNumber?: string; late?: boolean; version?: number; code?: string }>(
    stack.baseUrl,
    'POST',
    `/api/v1/link/${token}/submission`,
    { body: validAnswers() },
  );

/** The receipt, the stored submissions, the task's state and a fresh consolidation agree. */
async function expectAgreement(
  s: Scene,
  i: number,
  answer: { status: number; body: { receiptNumber?: string } },
  version: number,
): Promise<void> {
  const em = stack.orm.em.fork();
  const task = await em.findOneOrFail(UnitTask, s.tasks[i]!.taskId);
  const submissions = await em.find(Submission, { task }, { orderBy: { version: 'asc' } });
  await direct.consolidateCycle({ cycleId: s.cycleId, version });
  const content = await readConsolidatedReport(
    em,
    await em.findOneOrFail(ConsolidatedReport, { cycle: s.cycleId, version }),
  );
  const code = s.tasks[i]!.unitCode;
  if (answer.status === 201) {
    expect(submissions.map((x) => x.receiptNumber)).toContain(answer.body.receiptNumber);
    expect(SUBMITTED_TASK_STATES.has(task.state)).toBe(true);
    expect(content.missingUnits.map((u) => u.unitCode)).not.toContain(code);
  } else {
    expect(answer.status).toBe(409);
    expect(submissions.filter((x) => x.version > 1)).toHaveLength(0);
    if (submissions.length === 0) {
      expect(SUBMITTED_TASK_STATES.has(task.state)).toBe(false);
      expect(content.missingUnits.map((u) => u.unitCode)).toContain(code);
    }
  }
}

test('when a report commits while a reminder is being sent, the report stands and the task says submitted', async () => {
  const s = await scene(1, { ago: 8 }); // the reminder (5 s before the deadline at 10 s) is due, the deadline not yet
  const token = await s.link(0);
  const { report } = await interleave(
    () =>
      acts.runTaskWave({
        cycleId: s.cycleId,
        kind: 'reminder',
        dueAt: s.plan.schedule.reminders[0]!,
        taskIds: [s.tasks[0]!.taskId],
      }),
    () => submit(token),
  );
  expect(report.status).toBe(201);
  await expectAgreement(s, 0, report, 1);
});

test('when a report commits while the task is being marked overdue, the report stands and the task says submitted', async () => {
  const s = await scene();
  const token = await s.link(0);
  const { report } = await interleave(
    () =>
      acts.runTaskWave({
        cycleId: s.cycleId,
        kind: 'overdue',
        dueAt: s.plan.schedule.deadline,
        taskIds: [s.tasks[0]!.taskId],
      }),
    () => submit(token),
  );
  expect(report.status).toBe(201);
  await expectAgreement(s, 0, report, 1);
});

test.each([1, 2] as const)(
  'when a report commits while level-%i escalation runs, the escalation leaves the stored report alone',
  async (level) => {
    const s = await scene(2);
    await direct.runTaskWave({
      cycleId: s.cycleId,
      kind: 'overdue',
      dueAt: s.plan.schedule.deadline,
      taskIds: [s.tasks[0]!.taskId],
    });
    await direct.runTaskWave({
      cycleId: s.cycleId,
      kind: 'overdue',
      dueAt: s.plan.schedule.deadline,
      taskIds: [s.tasks[1]!.taskId],
    });
    if (level === 2)
      await direct.escalateOverdue({ cycleId: s.cycleId, level: 1, dueAt: s.plan.schedule.escalations[0] });
    const token = await s.link(0);
    const { transition, report } = await interleave(
      () => acts.escalateOverdue({ cycleId: s.cycleId, level, dueAt: s.plan.schedule.escalations[level - 1]! }),
      () => submit(token),
    );
    expect(report.status).toBe(201);
    // The escalation locked its rows first (and escalated both) or ran after the report (only the silent unit).
    expect([1, 2]).toContain(transition);
    await expectAgreement(s, 0, report, 1);
    const silent = await stack.orm.em.fork().findOneOrFail(UnitTask, s.tasks[1]!.taskId);
    expect(silent.state).toBe('escalated');
    expect(silent.escalationLevel).toBe(level);
    // The hard close then records only the silent unit as not submitted.
    await direct.runTaskWave({
      cycleId: s.cycleId,
      kind: 'hardClose',
      dueAt: s.plan.schedule.hardClose,
      taskIds: [s.tasks[0]!.taskId],
    });
    expect((await stack.orm.em.fork().findOneOrFail(UnitTask, s.tasks[0]!.taskId)).state).toBe('submitted');
  },
);

test('when a report races the hard close, exactly one of them wins and the receipt, task and consolidation agree', async () => {
  const s = await scene();
  const token = await s.link(0);
  const { report } = await interleave(
    () =>
      acts.runTaskWave({
        cycleId: s.cycleId,
        kind: 'hardClose',
        dueAt: s.plan.schedule.hardClose,
        taskIds: [s.tasks[0]!.taskId],
      }),
    () => submit(token),
  );
  expect(report.status).toBe(409); // the hard close held the row: the report finds the task closed
  expect(report.body.code).toBe('reporting_closed');
  await expectAgreement(s, 0, report, 1);
});

test('when a report races an early close of collection, the report is refused and nothing is stored', async () => {
  const s = await scene();
  const token = await s.link(0);
  const { transition, report } = await interleave(
    () =>
      acts.closeCollectionEarly({ cycleId: s.cycleId, at: new Date().toISOString(), actor: 'admin', reason: 'enough' }),
    () => submit(token),
  );
  expect(transition.openUnits).toBe(1);
  expect(report.status).toBe(409);
  expect(report.body.code).toBe('reporting_closed');
  await expectAgreement(s, 0, report, 1);
});

test('when a report races an extension of its deadline, the report stands on the deadline it was read against', async () => {
  const s = await scene();
  const token = await s.link(0);
  const { report } = await interleave(
    () =>
      acts.extendTask({
        taskId: s.tasks[0]!.taskId,
        newDeadline: new Date(Date.now() + 3_600_000).toISOString(),
        reason: 'flood',
        actor: 'admin',
      }),
    () => submit(token),
  );
  expect(report.status).toBe(201);
  await expectAgreement(s, 0, report, 1);
});

test('when a report races the cancel of its cycle, either the report stands or it is refused, never half', async () => {
  const s = await scene();
  const token = await s.link(0);
  const { report } = await interleave(
    () => acts.markCycleCancelled({ cycleId: s.cycleId }),
    () => submit(token),
  );
  await expectAgreement(s, 0, report, 1);
  // After the cancel, nothing more is taken.
  const late = await submit(await s.link(0));
  expect(late.status).toBe(409);
  expect(late.body.code).toBe('cycle_cancelled');
});

test('when a unit reports again while the council sends it back, the revision and the report agree', async () => {
  const s = await scene(2);
  const first = await submit(await s.link(0));
  expect(first.status).toBe(201);
  await direct.consolidateCycle({ cycleId: s.cycleId, version: 1 });
  const token = await s.link(0);
  const { report } = await interleave(
    () =>
      acts.requestRevision({
        cycleId: s.cycleId,
        version: 1,
        unitCodes: [s.tasks[0]!.unitCode],
        comment: 'Bổ sung số liệu',
        requestedAt: new Date().toISOString(),
      }),
    () => submit(token),
  );
  // Read before the round was recorded: refused as already submitted; the round then stands open.
  expect(report.status).toBe(409);
  expect(report.body.code).toBe('report_already_submitted');
  const task = await stack.orm.em.fork().findOneOrFail(UnitTask, s.tasks[0]!.taskId);
  expect(task.state).toBe('revision_requested');
  const revised = await submit(token);
  expect(revised.status).toBe(201);
  expect(revised.body.version).toBe(2);
  await expectAgreement(s, 0, revised, 2);
});
