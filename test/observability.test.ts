/**
 * Health, readiness and metrics of the API and of a worker's HTTP server (worker/http.ts),
 * scraped from the real stack: the figures follow what happened in PostgreSQL, a report is timed,
 * and readiness names what does not answer.
 */
import { Connection } from '@temporalio/client';
import { Email } from '../db/entities';
import { startWorkerHttp, boundPort } from '../worker/http';
import { startStack, type Stack } from './support/stack';
import { api, createCampaign, createUnits, currentPeriod, linkIn, submitByLink } from './support/fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** The value of the sample of `name` whose labels include `labels`, from Prometheus text. */
function sample(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const own = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => own[k] === v)) return Number(match[3]);
  }
  return undefined;
}

const scrape = async (url: string): Promise<string> => {
  const res = await fetch(url);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
};

test('when a cycle is dispatched and a unit reports, then the API answers ready and its /metrics shows the cycle, the tasks, the outbox, the audit chain and the timed report', async () => {
  const health = await fetch(`${stack.baseUrl}/readyz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ ok: true, postgres: 'ok', temporal: 'ok' });

  const before = await scrape(`${stack.baseUrl}/metrics`);
  expect(sample(before, 'baocao_submission_seconds_count', { outcome: 'stored' })).toBeUndefined();

  const units = await createUnits(stack.orm, 3);
  const campaign = await createCampaign(stack.orm, {
    deadlineAfterSeconds: 600,
    reminderSecondsBefore: [],
    escalationSecondsAfter: [600, 700],
    hardCloseSecondsAfter: 800,
    reviewWindowSeconds: 600,
    revisionWindowSeconds: 600,
  });
  const started = await api(stack.baseUrl, 'POST', '/api/v1/cycles', {
    token: await stack.token('admin'),
    body: { campaign, period: currentPeriod(), units: units.map((u) => u.code) },
  });
  expect(started.status).toBe(201);
  await stack.sink.waitFor(() => units.every((u) => stack.sink.to(u.headEmail).length === 1));
  const link = linkIn(stack.sink.to(units[0]!.headEmail)[0]!.text, stack.baseUrl);
  expect((await submitByLink(stack.baseUrl, link)).status).toBe(201);
  expect((await submitByLink(stack.baseUrl, link)).status).toBe(409);

  const text = await scrape(`${stack.baseUrl}/metrics`);
  expect(sample(text, 'baocao_cycles', { stage: 'collecting', process: 'api' })).toBe(1);
  expect(sample(text, 'baocao_tasks', { state: 'submitted' })).toBe(1);
  expect(sample(text, 'baocao_tasks', { state: 'dispatched' })).toBe(2);
  const sent = await stack.orm.em.fork().count(Email, { status: 'sent' });
  expect(sent).toBeGreaterThanOrEqual(3);
  expect(sample(text, 'baocao_outbox_emails', { status: 'sent' })).toBe(sent);
  expect(sample(text, 'baocao_outbox_emails', { status: 'pending' })).toBe(0);
  expect(sample(text, 'baocao_outbox_oldest_pending_seconds')).toBe(0);
  expect(sample(text, 'baocao_audit_chain_length')).toBeGreaterThanOrEqual(5);
  expect(sample(text, 'baocao_submission_seconds_count', { outcome: 'stored' })).toBe(1);
  expect(sample(text, 'baocao_submission_seconds_count', { outcome: 'refused' })).toBe(1);
  expect(sample(text, 'baocao_submission_seconds_sum', { outcome: 'stored' })).toBeGreaterThan(0);
  expect(sample(text, 'baocao_http_errors_total', { status: '409' })).toBe(1);
  expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
});

test("when a worker's HTTP server runs before its worker has started, then it is alive but not ready, and readiness names a Temporal server that does not answer", async () => {
  // Without the client's retry interceptor: no retry is left pending when the connection closes.
  const unreachable = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500, interceptors: [] });
  const server = await startWorkerHttp({
    port: 0,
    host: '127.0.0.1',
    orm: stack.orm,
    temporal: unreachable,
    worker: () => undefined,
  });
  try {
    const base = `http://127.0.0.1:${boundPort(server)}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as Record<string, string>;
    expect(body).toMatchObject({ ok: false, worker: 'STARTING', postgres: 'ok' });
    expect(body.temporal).not.toBe('ok');
    const text = await scrape(`${base}/metrics`);
    expect(sample(text, 'baocao_audit_chain_length', { process: 'worker' })).toBeGreaterThanOrEqual(0);
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  } finally {
    server.close();
    await unreachable.close();
  }
});
