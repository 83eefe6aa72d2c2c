/** Schedules start each month's cycle; administrators pause, trigger and inspect them; cycles can be cancelled. */
import { WorkflowNotFoundError } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { AuditEvent, Cycle, UnitTask, WorkflowHistory } from '../db/entities';
import { recordHistories } from './support/histories';
import {
  api,
  cancelCycle,
  createCampaign,
  createUnits,
  currentPeriod,
  eventually,
  openCycle,
  submitByLink,
  timing,
} from './support/fixtures';
import { useStack } from './support/hooks';

const stack = useStack();
let admin: string;
beforeAll(async () => {
  admin = await stack.token('admin');
});

const slow = timing({ deadline: 300, escalations: [60, 120], hardClose: 180 });

interface ScheduleView {
  paused: boolean;
  nextRuns: string[];
  recentRuns: { workflowId: string }[];
  timezone: string;
}

test("a campaign's schedule runs on the given day and time in Vietnam; pausing shows, triggering starts this month's cycle once", async () => {
  const units = await createUnits(stack.orm, 2);
  const campaign = await createCampaign(stack.orm, slow);
  const path = `/api/v1/campaigns/${campaign}/schedule`;

  expect((await api(stack.baseUrl, 'GET', path, { token: admin })).status).toBe(404);
  expect((await api<{ field: string }>(stack.baseUrl, 'PUT', path, { token: admin, body: {} })).body).toMatchObject({
    field: 'dayOfMonth',
  });
  const created = await api<ScheduleView>(stack.baseUrl, 'PUT', path, {
    token: admin,
    body: { dayOfMonth: 15, time: '08:00' },
  });
  expect(created.status).toBe(200);
  expect(created.body.timezone).toBe('Asia/Ho_Chi_Minh');
  const next = new Date(created.body.nextRuns[0]!);
  expect(next.getUTCDate()).toBe(15);
  expect(next.getUTCHours()).toBe(1); // 08:00 in Vietnam is 01:00 UTC

  const paused = await api<ScheduleView>(stack.baseUrl, 'POST', `${path}/pause`, {
    token: admin,
    body: { reason: 'Tạm dừng dịp Tết' },
  });
  expect(paused.body.paused).toBe(true);
  expect(
    (await api<ScheduleView>(stack.baseUrl, 'POST', `${path}/unpause`, { token: admin, body: { reason: 'Tiếp tục' } }))
      .body.paused,
  ).toBe(false);

  // "Trigger now" starts the current month's cycle for every active unit …
  expect(
    (await api(stack.baseUrl, 'POST', `${path}/trigger`, { token: admin, body: { reason: 'Chạy thử' } })).status,
  ).toBe(200);
  const period = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 7);
  const workflowId = `cycle-${campaign}-${period}`;
  await stack.sink.waitFor(() => units.every((u) => stack.sink.to(u.headEmail).length === 1));
  expect(await stack.orm.em.fork().count(UnitTask, { cycle: { workflowId } })).toBe(2);

  // … and a second trigger does not start it again.
  expect(
    (await api(stack.baseUrl, 'POST', `${path}/trigger`, { token: admin, body: { reason: 'Chạy lại' } })).status,
  ).toBe(200);
  await eventually(
    async () =>
      (await api<ScheduleView>(stack.baseUrl, 'GET', path, { token: admin })).body.recentRuns.length >= 2
        ? true
        : undefined,
    { what: 'the second scheduled run' },
  );
  const runs = (await api<ScheduleView>(stack.baseUrl, 'GET', path, { token: admin })).body.recentRuns;
  for (const run of runs) {
    const result = await stack.client.workflow.getHandle(run.workflowId).result();
    expect(result.workflowId).toBe(workflowId);
  }
  expect(await stack.orm.em.fork().count(Cycle, { workflowId })).toBe(1);
  expect(units.every((u) => stack.sink.to(u.headEmail).length === 1)).toBe(true);

  const council = await stack.token('council');
  expect(
    (await api(stack.baseUrl, 'POST', `${path}/pause`, { token: council, body: { reason: 'không được' } })).status,
  ).toBe(403);
});

test('when an administrator cancels a cycle, it is recorded with the reason and unit heads can no longer submit', async () => {
  const { campaign, period, workflowId, links } = await openCycle(stack, admin, { timing: slow });
  const link = links[0]!;

  expect(
    (await api(stack.baseUrl, 'POST', `/api/v1/cycles/${campaign}/${period}/cancel`, { token: admin, body: {} }))
      .status,
  ).toBe(400);
  await cancelCycle(stack, admin, campaign, period, 'Phát hành nhầm kỳ báo cáo');
  await expect(stack.client.workflow.getHandle(workflowId).result()).rejects.toThrow();
  const cycle = await eventually(
    async () => {
      const c = await stack.orm.em.fork().findOneOrFail(Cycle, { workflowId });
      return c.stage === 'cancelled' ? c : undefined;
    },
    { what: 'the cycle to be cancelled' },
  );
  expect(cycle.cancelReason).toBe('Phát hành nhầm kỳ báo cáo');
  expect(cycle.closedAt).toBeInstanceOf(Date);
  const refused = await submitByLink(stack.baseUrl, link);
  expect(refused.status).toBe(409);
  expect(refused.body.message).toContain('cancelled');

  // The cancelled cycle's histories are archived too.
  const archived = await eventually(
    async () => {
      const rows = await stack.orm.em.fork().find(WorkflowHistory, { cycle: cycle.id });
      return rows.length === 3 ? rows : undefined; // the cycle's, its unit batch's, the unit's
    },
    { what: 'the archived histories of the cancelled cycle' },
  );
  expect(archived.map((h) => h.status).sort()).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED']);
});

/** Runs `whileHeld` while the test holds a lock that lets others read the cycle table but not write to it. */
async function withCycleTableLocked<T>(whileHeld: (lock: PgClient) => Promise<T>): Promise<T> {
  const lock = new PgClient({ connectionString: stack.config.DATABASE_URL });
  await lock.connect();
  try {
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE cycle IN SHARE MODE');
    return await whileHeld(lock);
  } finally {
    await lock.query('COMMIT');
    await lock.end();
  }
}

test('when a cycle is cancelled while it opens, it is recorded as cancelled, no unit is dispatched, and its history is archived', async () => {
  const units = await createUnits(stack.orm, 2);
  const campaign = await createCampaign(stack.orm, slow);
  const period = currentPeriod();
  // The opening activity cannot write the cycle while the lock is held: it is still running when the cancel arrives.
  const workflowId = await withCycleTableLocked(async (lock) => {
    const started = await api<{ workflowId: string }>(stack.baseUrl, 'POST', '/api/v1/cycles', {
      token: admin,
      body: { campaign, period, units: units.map((u) => u.code) },
    });
    expect(started.status).toBe(201);
    await eventually(
      async () =>
        (await lock.query(`SELECT 1 FROM pg_locks WHERE relation = 'cycle'::regclass AND NOT granted`)).rowCount
          ? true
          : undefined,
      { what: 'the opening to wait for the lock' },
    );
    // Cancelled from Temporal (UI or CLI): the API has no cycle row to cancel yet.
    const handle = stack.client.workflow.getHandle(started.body.workflowId);
    await handle.cancel();
    // The lock is released only once the workflow has run a workflow task that saw the cancel request.
    await eventually(
      async () => {
        const { events } = await handle.fetchHistory();
        const requested = events!.findIndex((e) => e.workflowExecutionCancelRequestedEventAttributes);
        return requested >= 0 && events!.slice(requested).some((e) => e.workflowTaskCompletedEventAttributes)
          ? true
          : undefined;
      },
      { what: 'the cycle workflow to see the cancel request' },
    );
    return started.body.workflowId;
  });

  await expect(stack.client.workflow.getHandle(workflowId).result()).rejects.toThrow();
  const em = stack.orm.em.fork();
  const cycle = await em.findOneOrFail(Cycle, { workflowId });
  expect(cycle.stage).toBe('cancelled');
  expect(cycle.closedAt).toBeInstanceOf(Date);
  expect(await em.count(AuditEvent, { cycleId: cycle.id, action: 'cycle.cancelled' })).toBe(1);
  // Its archive keeps the cycle's own history: no batch or unit workflow was started.
  expect(await stack.client.workflow.getHandle(`${workflowId}-archive`).result()).toBe(1);
  const archived = await em.find(WorkflowHistory, { cycle: cycle.id });
  expect(archived.map((h) => [h.workflowId, h.status])).toEqual([[workflowId, 'CANCELLED']]);
  await expect(stack.client.workflow.getHandle(`${workflowId}-batch-1`).describe()).rejects.toBeInstanceOf(
    WorkflowNotFoundError,
  );
  // No unit of the cancelled cycle got a link or an email.
  const tasks = await em.find(UnitTask, { cycle: cycle.id });
  expect(tasks.map((t) => [t.state, t.tokenHash])).toEqual([
    ['pending', null],
    ['pending', null],
  ]);
  expect(units.flatMap((u) => stack.sink.to(u.headEmail))).toEqual([]);
  await recordHistories(stack.client, 'cycle-cancelled-while-opening', [workflowId, `${workflowId}-archive`]);
});
