/**
 * No English sentence on a Vietnamese page: every refusal has a Vietnamese sentence (checked over
 * the whole catalog, one sample per code, which the compiler requires), and the refusals a unit
 * head and an administrator can reach are walked through the real pages, whose error regions must
 * show the Vietnamese sentence and not the English one.
 */
import type { Locator, Page } from 'playwright-core';
import { REFUSAL_CODES, refusalText, type Refusal, type RefusalCode, type RefusalParams } from '../domain/refusals';
import { signIn } from './support/browser';
import {
  answersToForm,
  api,
  cancelCycle,
  eventually,
  openCycle,
  submitByLink,
  timing,
  validAnswers,
} from './support/fixtures';
import { useBrowser, useStack } from './support/hooks';

const SAMPLES: { readonly [C in RefusalCode]: RefusalParams<C> } = {
  link_unknown: {},
  registration_closed: { closedAt: '2027-01-31T10:00:00.000Z' },
  registration_round_unknown: { campaign: 'x', year: 2027 },
  registration_round_differs: { campaign: 'x', year: 2027, deadline: '2027-01-31T10:00:00.000Z' },
  title_vote_unknown: { campaign: 'C1', year: 2027 },
  title_vote_exists: { campaign: 'C1', year: 2027 },
  title_vote_closed: { year: 2027, closedAt: '2027-12-20T10:00:00.000Z' },
  title_vote_council_empty: { campaign: 'C1' },
  not_on_title_roll: { year: 2027 },
  not_title_vote_secretary: { year: 2027 },
  nominee_unknown: { nominee: 7, year: 2027 },
  nominee_twice: { unitCode: 'U1', title: 'co_thi_dua_bo' },
  title_already_voted: { nominee: 7 },
  member_took_part: { member: 'Nguyễn Văn A' },
  unit_not_in_campaign: { unit: 'U1', campaign: 'C1' },
  closing_time_past: { closesAt: '2027-12-20T10:00:00.000Z' },
  summary_window_invalid: { window: '2027-12..2027-01' },
  cut_off_invalid: { period: '2027-05' },
  unit_not_in_summary: { unit: 'U1', window: '2027-Q1' },
  bloc_unknown: { campaign: 'thidua', bloc: 'K1' },
  window_outside_year: { window: '2028-Q1', year: 2027 },
  criterion_unknown: { criterion: 'HD' },
  criterion_not_by_hand: { criterion: 'DUNGHAN' },
  hand_points_out_of_range: { criterion: 'HD', weight: 10 },
  unit_not_in_bloc: { unit: 'U1', bloc: 'K1' },
  ranking_frozen: { bloc: 'K1', window: '2027' },
  not_reporting_to_you: { unit: 'U1' },
  not_yet_reported: { unit: 'U1' },
  already_reported_up: {},
  nothing_reports_here: {},
  link_malformed: {},
  cycle_cancelled: {},
  report_already_submitted: {},
  reporting_closed: { closedAt: '2026-11-20T10:00:00.000Z' },
  revision_closed: { closedAt: '2026-11-27T10:00:00.000Z' },
  report_kept_changing: {},
  no_report_yet: {},
  draft_link_cannot_submit: {},
  draft_link_revoked: {},
  draft_links_full: { max: 5 },
  draft_link_unknown: { id: '7' },
  no_previous_report: {},
  draft_not_empty: {},
  invalid_report: { problems: 2, detail: 'indicators.IND01 must be a number' },
  period_malformed: { period: '2026-13' },
  campaign_unknown: { campaign: 'x' },
  campaign_inactive: { campaign: 'x' },
  campaign_no_schedule: { campaign: 'x' },
  template_unknown: { template: 't' },
  units_inactive_or_unknown: { units: ['A', 'B'] },
  no_active_unit: {},
  cycle_already_started: { campaign: 'x', period: '2026-11', workflowId: 'cycle-x-2026-11' },
  cycle_unknown: { campaign: 'x', period: '2026-11' },
  cycle_opening: {},
  cycle_ended: {},
  cycle_already_ended: { stage: 'closed' },
  not_collecting: { stage: 'review' },
  collection_closed: { closedAt: '2026-11-20T10:00:00.000Z' },
  unit_not_in_cycle: { unit: 'A' },
  unit_settled: { unit: 'A', outcome: 'submitted' },
  deadline_not_a_date: {},
  deadline_in_past: {},
  link_not_open: { unit: 'A' },
  unit_has_no_task: { unit: 'A' },
  no_archived_history: { workflowId: 'w' },
  version_unknown: { version: 3 },
  no_consolidation_yet: {},
  pdf_renderer_unavailable: {},
  no_approved_proposals: {},
  not_in_review: { stage: 'collecting' },
  version_not_under_review: { version: 1, reviewing: 2 },
  units_not_in_cycle: { units: ['A'] },
  units_submitted_nothing: { units: ['A'] },
  proposal_unknown: { proposalId: 'A-v1-1', version: 1 },
  already_voted: { proposalId: null, version: 1 },
  version_not_consolidated: { version: 2 },
  unit_codes_only_for_revision: {},
  revision_needs_units: {},
  revision_needs_comment: {},
  unit_unknown: { unit: 'A' },
  parent_is_self: {},
  parent_unknown: { parent: 'P' },
  parent_cycle: { parent: 'P', unit: 'A' },
  template_code_unknown: { template: 't' },
  template_version_unknown: { template: 't', version: 4, latest: 3 },
  policy_unknown: { policy: 'p' },
  holiday_unknown: { date: '2026-09-02' },
  no_dispatch_day: {},
  no_dispatch_time: {},
  already_exists: { kind: 'unit', key: 'A' },
  written_meanwhile: {},
  field_invalid: { field: 'headEmail', problem: 'must be an email address' },
  form_field_unknown: { name: 'kt.X.text' },
  form_action_unknown: {},
  token_missing: {},
  token_invalid: {},
  role_forbidden: { role: 'auditor', roles: ['admin'] },
  api_token_unknown: { id: 4 },
  session_unknown: { id: 4 },
  person_unknown: { id: 4 },
  email_taken: { email: 'a@b.vn' },
  person_disabled: { id: 4 },
  role_not_held: { role: 'admin' },
  scope_forbidden: { what: 'unit u-1' },
  not_on_council: { version: 1 },
  unexpected_failure: { message: 'boom' },
  record_missing: { what: 'cycle', id: 4 },
};

/** Words that make a sentence English (Vietnamese pages may still quote codes and field names). */
const ENGLISH = /\b(the|is|are|must|not|cannot|has|have|this|was|were|no longer|already|there|your|you)\b/i;

test('every refusal code has a Vietnamese sentence that is not the English one', () => {
  expect(Object.keys(SAMPLES).sort()).toEqual([...REFUSAL_CODES].sort());
  for (const code of REFUSAL_CODES) {
    const refusal = { code, params: SAMPLES[code] } as Refusal;
    const vi = refusalText(refusal, 'vi');
    const en = refusalText(refusal, 'en');
    expect({ code, vi: vi.length > 0, different: vi !== en }).toEqual({ code, vi: true, different: true });
    if (code !== 'unexpected_failure')
      expect({ code, english: ENGLISH.test(vi.replace(/"[^"]*"|“[^”]*”|`[^`]*`/g, '')) }).toEqual({
        code,
        english: false,
      });
  }
});

describe('through the pages', () => {
  const stack = useStack();
  const browser = useBrowser();
  /** Collection open for 10 minutes: no reminder, escalation or close comes while a test walks the pages. */
  const collecting = timing({ deadline: 600, escalations: [60, 120], hardClose: 180 });

  /** Submits a board form (which may sit in a closed disclosure) with its reason, as a person would. */
  async function submitForm(page: Page, form: Locator, reason: string): Promise<void> {
    await Promise.all([
      page.waitForLoadState('load'),
      page.waitForNavigation(),
      form.evaluate((f, r) => {
        for (let d = f.parentElement; d; d = d.parentElement) if (d.tagName === 'DETAILS') d.setAttribute('open', '');
        (f.querySelector('[name="reason"]') as unknown as { value: string }).value = r;
        (f as unknown as { requestSubmit(): void }).requestSubmit();
      }, reason),
    ]);
  }

  /** A page's error regions show the refusal in Vietnamese, and no English sentence of any refusal. */
  async function expectVietnamese(
    page: Page | string,
    refusal: Refusal,
    selector = '[role="alert"], .notice.error, .error',
  ): Promise<void> {
    const unescape = (h: string): string =>
      h
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
    const text = typeof page === 'string' ? unescape(page) : (await page.locator(selector).allInnerTexts()).join('\n');
    expect(text).toContain(refusalText(refusal, 'vi'));
    expect(text).not.toContain(refusalText(refusal, 'en'));
  }

  test('a unit head meets each refusal of the report form in Vietnamese', async () => {
    const admin = await stack.token('admin');
    const { campaign, period, links } = await openCycle(stack, admin, { units: 2, timing: collecting });
    const post = async (link: string, form: URLSearchParams) =>
      (await fetch(link, { method: 'POST', body: form })).text();

    // Already submitted: the second submission through the form.
    expect((await submitByLink(stack.baseUrl, links[0]!)).status).toBe(201);
    await expectVietnamese(await post(links[0]!, answersToForm(validAnswers())), {
      code: 'report_already_submitted',
      params: {},
    });
    // A malformed link and an unknown one.
    await expectVietnamese(await (await fetch(`${stack.baseUrl}/r/short`)).text(), {
      code: 'link_malformed',
      params: {},
    });
    await expectVietnamese(await (await fetch(`${stack.baseUrl}/r/${'C'.repeat(43)}`)).text(), {
      code: 'link_unknown',
      params: {},
    });
    // A field that is not part of the form.
    const form = answersToForm(validAnswers());
    form.set('kt.NOPE.text', 'x');
    await expectVietnamese(await post(links[1]!, form), {
      code: 'form_field_unknown',
      params: { name: 'kt.NOPE.text' },
    });
    // The cycle cancelled: the unit that has not reported is told so.
    await cancelCycle(stack, admin, campaign, period, 'Thử hủy kỳ');
    await eventually(
      async () =>
        (await post(links[1]!, answersToForm(validAnswers()))).includes(
          refusalText({ code: 'cycle_cancelled', params: {} }, 'vi'),
        )
          ? true
          : undefined,
      { what: 'the cancel to take effect' },
    );
    await expectVietnamese(await post(links[1]!, answersToForm(validAnswers())), {
      code: 'cycle_cancelled',
      params: {},
    });
  });

  test("an administrator meets the board's refusals in Vietnamese", async () => {
    const admin = await stack.token('admin', 'Văn phòng');
    const page = browser.page;
    await signIn(page, stack.baseUrl, admin);

    // Starting the same month twice.
    const { units, campaign, period, links } = await openCycle(stack, admin, { units: 2, timing: collecting });
    await page.goto(`${stack.baseUrl}/console/cycles?lang=vi`);
    const campaignField = page.locator('form[action="/console/cycles"] [name="campaign"]').first();
    if ((await campaignField.evaluate((el) => el.tagName)) === 'SELECT') await campaignField.selectOption(campaign);
    else await campaignField.fill(campaign);
    await page.locator('input[name="period"]').first().fill(period);
    await page.locator('form[action="/console/cycles"] button[type="submit"]').first().click();
    await expectVietnamese(page, {
      code: 'cycle_already_started',
      params: { campaign, period, workflowId: `cycle-${campaign}-${period}` },
    });

    // A board loaded before a unit reported still offers to re-send its link: the refusal says why not.
    const board = `${stack.baseUrl}/console/cycles/${campaign}/${period}?lang=vi`;
    const code = units[0]!.code;
    const resend = page.locator(`form[action*="/units/${code}/link"]`).first();
    await eventually(
      async () => {
        await page.goto(board);
        return (await resend.count()) > 0 ? true : undefined;
      },
      { what: 'the re-send form on the board', timeoutMs: 20_000, intervalMs: 500 },
    );
    expect((await submitByLink(stack.baseUrl, links[0]!)).status).toBe(201);
    await submitForm(page, resend, 'Gửi lại thử');
    await expectVietnamese(page, { code: 'link_not_open', params: { unit: code } });

    // A board loaded before the cycle was cancelled still offers to cancel it.
    await page.goto(board);
    const cancel = page.locator('form[action$="/cancel"]').first();
    await cancelCycle(stack, admin, campaign, period, 'Thử hủy kỳ');
    await eventually(
      async () =>
        (await api<{ stage: string }>(stack.baseUrl, 'GET', `/api/v1/cycles/${campaign}/${period}`, { token: admin }))
          .body.stage === 'cancelled'
          ? true
          : undefined,
      { what: 'the cycle cancelled' },
    );
    await submitForm(page, cancel, 'Hủy lần hai');
    await expectVietnamese(page, { code: 'cycle_already_ended', params: { stage: 'cancelled' } });
  });
});
