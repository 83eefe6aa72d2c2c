/** Test data: units, campaigns with short timings, well-formed answers, HTTP and polling helpers. */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { MikroORM } from '@mikro-orm/postgresql';
import tar from 'tar-stream';
import { Campaign, Policy, Unit } from '../../db/entities';
import { DEFAULT_TEMPLATE_CODE, defaultTemplate } from '../../db/seed-data/default-template';
import type { ReportAnswers } from '../../domain/answers';
import type { ConsolidatedReportContent } from '../../domain/consolidation';
import { DEFAULT_POLICY, type CyclePolicy, type RelativeTiming } from '../../domain/policy';
import type { Stack } from './stack';

export const uniq = (prefix: string): string => `${prefix}-${randomBytes(3).toString('hex')}`.toUpperCase();

export interface TestUnit {
  readonly code: string;
  readonly name: string;
  readonly headEmail: string;
  readonly supervisorEmail: string;
}

export async function createUnits(orm: MikroORM, count: number, { supervisors = 1 } = {}): Promise<TestUnit[]> {
  const em = orm.em.fork();
  const tag = randomBytes(3).toString('hex');
  const units: TestUnit[] = [];
  for (let i = 1; i <= count; i += 1) {
    const code = `U${tag}-${String(i).padStart(3, '0')}`.toUpperCase();
    const supervisor = ((i - 1) % supervisors) + 1;
    const unit = {
      code,
      name: `Đơn vị thử ${i} (${tag})`,
      headName: `Thủ trưởng ${i}`,
      headEmail: `head-${code.toLowerCase()}@units.example.org`,
      supervisorName: `Lãnh đạo ${supervisor}`,
      supervisorEmail: `supervisor-${tag}-${supervisor}@leaders.example.org`,
    };
    em.create(Unit, { ...unit, active: true });
    units.push(unit);
  }
  await em.flush();
  return units;
}

/** A cycle's timing in seconds from its start, as a campaign's policy holds it. */
export type CampaignTiming = Omit<RelativeTiming, 'kind'>;

/** A cycle's timing in short: seconds from the start; no reminders and 600 s review and revision windows unless given. */
export interface TimingInShort {
  readonly deadline: number;
  readonly reminders?: readonly number[];
  readonly escalations: readonly [number, number];
  readonly hardClose: number;
  readonly review?: number;
  readonly revision?: number;
}

export const timing = ({
  deadline,
  reminders = [],
  escalations,
  hardClose,
  review = 600,
  revision = 600,
}: TimingInShort): CampaignTiming => ({
  deadlineAfterSeconds: deadline,
  reminderSecondsBefore: reminders,
  escalationSecondsAfter: escalations,
  hardCloseSecondsAfter: hardClose,
  reviewWindowSeconds: review,
  revisionWindowSeconds: revision,
});

/** A timing under which nothing falls due while a test runs: the deadline in 10 minutes, no reminders. */
export const QUIET = timing({ deadline: 600, escalations: [600, 700], hardClose: 800 });

/** A campaign whose cycle runs on `timing` (seconds from start) with the default template. */
export async function createCampaign(
  orm: MikroORM,
  timing: CampaignTiming,
  policy: Partial<Omit<CyclePolicy, 'timing'>> = {},
): Promise<string> {
  const em = orm.em.fork();
  const code = `c-${randomBytes(4).toString('hex')}`;
  const p = em.create(Policy, {
    code: `p-${code}`,
    definition: { ...DEFAULT_POLICY, ...policy, timing: { kind: 'relative', ...timing } },
  });
  em.create(Campaign, { code, name: `Chiến dịch thử ${code}`, templateCode: DEFAULT_TEMPLATE_CODE, policy: p });
  await em.flush();
  return code;
}

/** A complete, valid report for the default template. */
export function validAnswers(note = 'Đã triển khai'): ReportAnswers {
  return {
    keyTasks: Object.fromEntries(
      defaultTemplate.keyTasks.map((t, i) => [
        t.code,
        { status: i % 3 === 0 ? 'done' : 'in_progress', text: `${note} ${t.code}` },
      ]),
    ),
    indicators: Object.fromEntries(
      defaultTemplate.indicators.map((ind) => [
        ind.code,
        ind.target.kind === 'at_least'
          ? ind.target.value + 0.1
          : ind.target.kind === 'at_most'
            ? ind.target.value - 5
            : ind.target.min + 1,
      ]),
    ),
    sections: { [defaultTemplate.sections[0]!.code]: `${note}: bưu chính` },
    examples: [{ name: 'Tổ công nghệ số', kind: 'collective', description: 'Số hoá hồ sơ' }],
    proposals: [
      {
        nominee: 'Nguyễn Văn B',
        nomineeKind: 'individual',
        commendationKind: 'ad_hoc',
        requestedForm: 'Bằng khen của Bộ trưởng',
        summary: 'Thành tích xuất sắc',
      },
    ],
    recommendations: `${note}: đề nghị hỗ trợ kinh phí`,
  };
}

/** The texts the units gave for key task `code` in a consolidated report, sorted. */
export const keyTaskTexts = (content: ConsolidatedReportContent, code: string): string[] =>
  content.keyTasks
    .find((k) => k.code === code)!
    .entries.map((e) => e.text)
    .sort();

/** Flattens answers into the report form's fields, the way a browser posts them. */
export function answersToForm(a: ReportAnswers, action: 'submit' | 'draft' = 'submit'): URLSearchParams {
  const form = new URLSearchParams();
  for (const [code, t] of Object.entries(a.keyTasks)) {
    form.set(`kt.${code}.status`, t.status);
    form.set(`kt.${code}.text`, t.text);
    form.set(`kt.${code}.evidence`, t.evidenceUrl ?? '');
  }
  for (const [code, v] of Object.entries(a.indicators))
    form.set(`ind.${code}`, v === null ? '' : String(v).replace('.', ','));
  for (const [code, v] of Object.entries(a.sections)) form.set(`sec.${code}`, v);
  a.examples.forEach((e, i) => Object.entries(e).forEach(([k, v]) => form.set(`ex.${i}.${k}`, String(v))));
  a.proposals.forEach((p, i) => Object.entries(p).forEach(([k, v]) => form.set(`pr.${i}.${k}`, String(v))));
  form.set('recommendations', a.recommendations);
  form.set('action', action);
  return form;
}

/** The personal link in an email's text. */
export function linkIn(text: string, baseUrl: string): string {
  const match = new RegExp(`${baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/r/[A-Za-z0-9_-]{43}`).exec(text);
  if (!match) throw new Error(`no personal link in:\n${text}`);
  return match[0];
}

/** The console's one-time sign-in link in an email's text. */
export function signInLinkIn(text: string): string {
  const match = /(http:\/\/[^\s]+\/console\/sign-in\/link\/[A-Za-z0-9_-]{43})/.exec(text);
  if (!match) throw new Error(`no sign-in link in:\n${text}`);
  return match[1]!;
}

export async function api<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  { token, body }: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T };
}

/** Awaits an API call and refuses (throws, showing the whole answer) any status but `status`. Answers the call's answer. */
export async function expectStatus<T>(
  call: Promise<{ status: number; body: T }>,
  status: number,
): Promise<{ status: number; body: T }> {
  const res = await call;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
}

/** Polls `probe` until it returns a value other than undefined. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs = 30_000, intervalMs = 200, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const currentPeriod = (): string => new Date().toISOString().slice(0, 7);

/** The token at the end of a personal link. */
export const tokenOf = (link: string): string => link.slice(link.lastIndexOf('/') + 1);

/** Submits a report through the unit head's JSON API. */
export function submitByLink(baseUrl: string, link: string, answers: unknown = validAnswers()) {
  return api<{ receiptNumber: string; late: boolean; version: number; message?: string }>(
    baseUrl,
    'POST',
    `/api/v1/link/${tokenOf(link)}/submission`,
    { body: answers },
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What opening a cycle needs to know of a unit. */
export type CycleUnit = Pick<TestUnit, 'code' | 'headEmail'>;

export interface OpenCycleOptions<U extends CycleUnit = TestUnit> {
  /** The units to open it for, or how many new ones to create; one new unit by default. */
  readonly units?: number | readonly U[];
  /** An existing campaign; otherwise a new one on `timing` (`QUIET` by default) and `policy`. */
  readonly campaign?: string;
  readonly timing?: CampaignTiming;
  readonly policy?: Partial<Omit<CyclePolicy, 'timing'>>;
  /** This month by default. */
  readonly period?: string;
  /** How long to wait for the first emails; the mail sink's default (30 s) unless given. */
  readonly emailTimeoutMs?: number;
}

export interface StartedCycle<U extends CycleUnit = TestUnit> {
  readonly campaign: string;
  readonly period: string;
  readonly units: U[];
  readonly workflowId: string;
  /** The cycle's path in the JSON API: `/api/v1/cycles/<campaign>/<period>`. */
  readonly base: string;
}

export interface OpenedCycle<U extends CycleUnit = TestUnit> extends StartedCycle<U> {
  /** Each unit's personal link, from the first email its head received, in the order of `units`. */
  readonly links: string[];
}

/** Starts a cycle through the JSON API as `admin`, refusing anything but 201; waits for nothing. */
export async function startCycle<U extends CycleUnit = TestUnit>(
  stack: Stack,
  admin: string,
  options: OpenCycleOptions<U> = {},
): Promise<StartedCycle<U>> {
  const units =
    typeof options.units === 'object'
      ? [...options.units]
      : ((await createUnits(stack.orm, options.units ?? 1)) as CycleUnit[] as U[]);
  const campaign = options.campaign ?? (await createCampaign(stack.orm, options.timing ?? QUIET, options.policy));
  const period = options.period ?? currentPeriod();
  const started = await api<{ workflowId: string }>(stack.baseUrl, 'POST', '/api/v1/cycles', {
    token: admin,
    body: { campaign, period, units: units.map((u) => u.code) },
  });
  if (started.status !== 201) throw new Error(`starting the cycle answered ${started.status}`);
  return { campaign, period, units, workflowId: started.body.workflowId, base: `/api/v1/cycles/${campaign}/${period}` };
}

/** Waits until each unit's head has received an email; answers the personal link in each one's first, in order. */
export async function headLinks(stack: Stack, units: readonly CycleUnit[], timeoutMs?: number): Promise<string[]> {
  await stack.sink.waitFor(() => units.every((u) => stack.sink.to(u.headEmail).length > 0), timeoutMs);
  return units.map((u) => linkIn(stack.sink.to(u.headEmail)[0]!.text, stack.baseUrl));
}

/** Starts a cycle (see `startCycle`) and waits until every unit's head has received its first email. */
export async function openCycle<U extends CycleUnit = TestUnit>(
  stack: Stack,
  admin: string,
  options: OpenCycleOptions<U> = {},
): Promise<OpenedCycle<U>> {
  const started = await startCycle(stack, admin, options);
  return { ...started, links: await headLinks(stack, started.units, options.emailTimeoutMs) };
}

/** Cancels the cycle of `campaign` for `period` through the JSON API, expecting it accepted (202). */
export async function cancelCycle(
  stack: Stack,
  admin: string,
  campaign: string,
  period: string,
  reason: string,
): Promise<void> {
  await expectStatus(
    api(stack.baseUrl, 'POST', `/api/v1/cycles/${campaign}/${period}/cancel`, { token: admin, body: { reason } }),
    202,
  );
}

/** Waits until the review status of the cycle at `base` (its JSON API path) shows `stage`. */
export async function waitForStage(
  stack: Stack,
  token: string,
  base: string,
  stage: string,
  { timeoutMs = 30_000 } = {},
): Promise<void> {
  await eventually(
    async () =>
      (await api<{ stage: string }>(stack.baseUrl, 'GET', `${base}/review`, { token })).body.stage === stage
        ? true
        : undefined,
    { timeoutMs, what: `the cycle at ${base} to reach ${stage}` },
  );
}

/** Submits a report through each of `links` (the answers by the link's index), refusing anything but 201. */
export async function submitAll(
  baseUrl: string,
  links: readonly string[],
  answersOf: (index: number) => ReportAnswers = () => validAnswers(),
): Promise<void> {
  for (const [i, link] of links.entries()) {
    const res = await submitByLink(baseUrl, link, answersOf(i));
    if (res.status !== 201) throw new Error(`submitting through link ${i + 1} answered ${res.status}`);
  }
}

/** The files of a .tar.gz archive, by name, as text. */
export async function untar(body: ArrayBuffer): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => chunks.push(c as Buffer));
    stream.on('end', () => {
      files.set(header.name, Buffer.concat(chunks).toString('utf8'));
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve).on('error', reject);
    Readable.from(Buffer.from(body)).pipe(createGunzip()).pipe(extract);
  });
  return files;
}

/**
 * Opens a cycle as `admin` (see `openCycle`), has every unit report at once (unit i's notes read
 * `Đơn vị i`), and waits until version 1 is under the council's review.
 */
export async function openCycleUnderReview(
  stack: Stack,
  admin: string,
  options: OpenCycleOptions = {},
): Promise<OpenedCycle> {
  const opened = await openCycle(stack, admin, options);
  await submitAll(stack.baseUrl, opened.links, (i) => validAnswers(`Đơn vị ${i + 1}`));
  await waitForStage(stack, admin, opened.base, 'review');
  return opened;
}
