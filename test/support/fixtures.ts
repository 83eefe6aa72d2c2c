/** Test data: units, campaigns with short timings, well-formed answers, HTTP and polling helpers. */
import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Campaign, Policy, Unit } from '../../db/entities';
import { DEFAULT_TEMPLATE_CODE, defaultTemplate } from '../../db/seed-data/default-template';
import type { ReportAnswers } from '../../domain/answers';
import { DEFAULT_POLICY, type CyclePolicy, type RelativeTiming } from '../../domain/policy';

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

/** A campaign whose cycle runs on `timing` (seconds from start) with the default template. */
export async function createCampaign(
  orm: MikroORM,
  timing: Omit<RelativeTiming, 'kind'>,
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
