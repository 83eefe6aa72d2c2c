/**
 * Emulation registration rounds (đăng ký thi đua): an administrator opens a campaign's round for
 * a year (its rows, the personal link of each unit, then its workflow), the unit heads register
 * and correct their targets and titles through their links until the deadline, and the round's
 * status per unit is read by the console and the JSON API.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { LINK_TOKEN_PATTERN, registrationToken, sha256 } from '../../auth/tokens';
import { appendAudit, type Actor } from '../../db/audit';
import { campaignUnits } from '../../db/campaign-units';
import { Campaign, EmulationRegistration, RegistrationRound, ReportTemplate } from '../../db/entities';
import type { IEmulationRegistration, IRegistrationRound } from '../../db/entities/registration.entity';
import { EMULATION_TITLES, type EmulationTitle } from '../../domain/emulation-titles';
import { ConflictError, LinkError, NotFoundError, ValidationError } from '../../domain/errors';
import { checkRegistration, defaultReminders, templateTargetValue } from '../../domain/registration';
import type { IndicatorTarget, LocalizedText } from '../../domain/template';
import { registrationWorkflow, registrationWorkflowId } from '../../workflows/registration.workflow';

/** What an administrator asks for when opening a round. */
export interface OpenRoundRequest {
  readonly deadline: string;
  /** Instants before the deadline; 3 days and 1 day before it when omitted. */
  readonly reminders?: readonly string[] | undefined;
  /** Codes of the units that register; the campaign's units when omitted. */
  readonly units?: readonly string[] | undefined;
}

export interface RoundIndicator {
  readonly code: string;
  readonly title: LocalizedText;
  readonly measure: LocalizedText;
  readonly target: IndicatorTarget;
  readonly min: number;
  readonly max: number;
}

export interface UnitRegistrationRow {
  readonly unitCode: string;
  readonly unitName: string;
  readonly headName: string;
  readonly registered: boolean;
  readonly submittedAt: string | null;
  readonly submittedBy: string | null;
  /** How many times it was submitted (0: not yet). */
  readonly version: number;
  readonly remindersSent: number;
  readonly targets: Readonly<Record<string, number>> | null;
  readonly titles: readonly EmulationTitle[];
}

export interface RoundStatus {
  readonly campaign: { readonly code: string; readonly name: string };
  readonly year: number;
  readonly deadline: string;
  readonly reminders: readonly string[];
  readonly closedAt: string | null;
  readonly open: boolean;
  readonly workflowId: string;
  readonly templateVersion: number;
  readonly indicators: readonly RoundIndicator[];
  readonly expected: number;
  readonly registered: number;
  readonly units: readonly UnitRegistrationRow[];
}

const indicatorsOf = (round: IRegistrationRound): RoundIndicator[] =>
  round.template.definition.indicators.map((i) => ({
    code: i.code,
    title: i.title,
    measure: i.measure,
    target: i.target,
    min: i.min,
    max: i.max,
  }));

/** Registrations are taken until the deadline, and not once the round is closed. */
const isOpen = (round: IRegistrationRound, now: Date): boolean =>
  round.closedAt === null && now.getTime() < round.deadline.getTime();

function instant(raw: string, field: string): Date {
  const at = new Date(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(at.getTime()))
    throw new ValidationError({ code: 'deadline_not_a_date', params: {} }, field);
  return at;
}

async function findRound(em: EntityManager, campaignCode: string, year: number): Promise<IRegistrationRound> {
  const round = await em.findOne(
    RegistrationRound,
    { campaign: { code: campaignCode }, year },
    { populate: ['campaign', 'template'] },
  );
  if (!round) throw new NotFoundError({ code: 'registration_round_unknown', params: { campaign: campaignCode, year } });
  return round;
}

/** The round of `campaign` for `year`, per unit: registered or not, when, by whom, what. */
export async function roundStatus(
  em: EntityManager,
  campaignCode: string,
  year: number,
  now: Date,
): Promise<RoundStatus> {
  const round = await findRound(em, campaignCode, year);
  const rows = await em.find(
    EmulationRegistration,
    { round },
    { populate: ['unit'], orderBy: { unit: { code: 'asc' } } },
  );
  const units = rows.map((r): UnitRegistrationRow => ({
    unitCode: r.unit.code,
    unitName: r.unit.name,
    headName: r.unit.headName,
    registered: r.submittedAt !== null,
    submittedAt: r.submittedAt?.toISOString() ?? null,
    submittedBy: r.submittedBy ?? null,
    version: r.version,
    remindersSent: r.remindersSent,
    targets: r.targets ?? null,
    titles: r.titles ?? [],
  }));
  return {
    campaign: { code: round.campaign.code, name: round.campaign.name },
    year: round.year,
    deadline: round.deadline.toISOString(),
    reminders: round.reminders,
    closedAt: round.closedAt?.toISOString() ?? null,
    open: isOpen(round, now),
    workflowId: round.workflowId,
    templateVersion: round.template.version,
    indicators: indicatorsOf(round),
    expected: units.length,
    registered: units.filter((u) => u.registered).length,
    units,
  };
}

/**
 * Opens the round of `campaign` for `year` (its rows and links, audited) and starts its workflow.
 * Safe to retry: asking again with the same deadline answers the round as it is and starts its
 * workflow if an earlier attempt stored the round but could not start it; another deadline is a 409.
 */
export async function openRound(
  deps: {
    readonly em: EntityManager;
    readonly temporal: Client;
    readonly taskQueue: string;
    readonly linkSecret: string;
    readonly actor: Actor;
    readonly now: Date;
  },
  campaignCode: string,
  year: number,
  request: OpenRoundRequest,
): Promise<RoundStatus & { started: boolean }> {
  const { now } = deps;
  const deadline = instant(request.deadline, 'deadline');
  if (deadline.getTime() <= now.getTime())
    throw new ValidationError({ code: 'deadline_in_past', params: {} }, 'deadline');
  const reminders = request.reminders
    ? [...new Set(request.reminders.map((r) => instant(r, 'reminders').toISOString()))].sort()
    : defaultReminders(deadline, now);
  if (reminders.some((r) => Date.parse(r) <= now.getTime() || Date.parse(r) >= deadline.getTime()))
    throw new ValidationError(
      {
        code: 'field_invalid',
        params: { field: 'reminders', problem: 'must be an instant before the deadline and after now' },
      },
      'reminders',
    );
  const workflowId = registrationWorkflowId(campaignCode, year);
  const input = await deps.em.transactional(async (em) => {
    const [locked] = await em.execute<{ id: number }[]>('SELECT id FROM campaign WHERE code = ? FOR UPDATE', [
      campaignCode,
    ]);
    if (!locked) throw new NotFoundError({ code: 'campaign_unknown', params: { campaign: campaignCode } }, 'campaign');
    const existing = await em.findOne(RegistrationRound, { campaign: locked.id, year });
    if (existing) {
      if (existing.deadline.getTime() !== deadline.getTime())
        throw new ConflictError(
          {
            code: 'registration_round_differs',
            params: { campaign: campaignCode, year, deadline: existing.deadline.toISOString() },
          },
          'deadline',
        );
      return { roundId: existing.id, deadline: existing.deadline.toISOString(), reminders: existing.reminders };
    }
    const campaign = await em.findOneOrFail(Campaign, locked.id);
    const template = await em.findOne(
      ReportTemplate,
      { code: campaign.templateCode },
      { orderBy: { version: 'desc' } },
    );
    if (!template)
      throw new NotFoundError({ code: 'template_unknown', params: { template: campaign.templateCode } }, 'template');
    const { units } = await campaignUnits(em, campaign, request.units);
    if (units.length === 0) throw new ConflictError({ code: 'no_active_unit', params: {} }, 'units');
    const round = em.create(RegistrationRound, {
      campaign,
      year,
      template,
      deadline,
      reminders,
      workflowId,
      openedBy: deps.actor.id,
      closedAt: null,
    });
    // Ids first: each link's token is derived from its row's id, and only its hash is stored.
    const ids = await em.execute<{ id: number }[]>(
      `SELECT nextval('emulation_registration_id_seq')::int AS id FROM generate_series(1, ?)`,
      [units.length],
    );
    units.forEach((unit, i) => {
      const id = ids[i]!.id;
      em.create(EmulationRegistration, {
        id,
        round,
        unit,
        tokenHash: sha256(registrationToken(deps.linkSecret, id)),
        dispatchedAt: null,
        remindersSent: 0,
        targets: null,
        titles: null,
        submittedAt: null,
        submittedBy: null,
        version: 0,
      });
    });
    await em.flush();
    await appendAudit(em, {
      actor: deps.actor,
      action: 'registration_round.opened',
      subjectType: 'registration_round',
      subjectId: String(round.id),
      after: {
        campaign: campaignCode,
        year,
        deadline: deadline.toISOString(),
        reminders,
        templateVersion: template.version,
        units: units.map((u) => u.code),
        workflowId,
      },
      occurredAt: now,
    });
    return { roundId: round.id, deadline: deadline.toISOString(), reminders };
  });
  let started = true;
  try {
    await deps.temporal.workflow.start(registrationWorkflow, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [{ ...input, campaign: campaignCode }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    started = false;
  }
  return { ...(await roundStatus(deps.em.fork(), campaignCode, year, now)), started };
}

// ---------------------------------------------------------------- the unit's link

/** What a unit head sees behind the registration link. */
export interface RegistrationView {
  readonly unit: { readonly code: string; readonly name: string; readonly headName: string };
  readonly campaign: { readonly code: string; readonly name: string };
  readonly year: number;
  readonly deadline: string;
  /** Registrations and corrections are taken now. */
  readonly open: boolean;
  readonly indicators: readonly (RoundIndicator & { readonly suggested: number })[];
  readonly titles: readonly EmulationTitle[];
  /** What the unit registered last; null until it registers. */
  readonly registration: {
    readonly targets: Readonly<Record<string, number>>;
    readonly titles: readonly EmulationTitle[];
    readonly submittedAt: string;
    readonly submittedBy: string;
    readonly version: number;
  } | null;
}

const unknownLink = () => new LinkError({ code: 'link_unknown', params: {} }, 'unknown');

/** The registration behind a link token (its row locked first when `lock`). */
async function resolveRegistration(
  em: EntityManager,
  token: string,
  { lock = false } = {},
): Promise<IEmulationRegistration> {
  if (!LINK_TOKEN_PATTERN.test(token)) throw new LinkError({ code: 'link_malformed', params: {} }, 'unknown');
  const tokenHash = sha256(token);
  if (lock) {
    const [row] = await em.execute<{ id: number }[]>(
      'SELECT id FROM emulation_registration WHERE token_hash = ? FOR UPDATE',
      [tokenHash],
    );
    if (!row) throw unknownLink();
  }
  const registration = await em.findOne(
    EmulationRegistration,
    { tokenHash },
    { populate: ['unit', 'round', 'round.campaign', 'round.template'], ...(lock ? { refresh: true } : {}) },
  );
  if (!registration) throw unknownLink();
  return registration;
}

function viewOf(r: IEmulationRegistration, now: Date): RegistrationView {
  const round = r.round;
  return {
    unit: { code: r.unit.code, name: r.unit.name, headName: r.unit.headName },
    campaign: { code: round.campaign.code, name: round.campaign.name },
    year: round.year,
    deadline: round.deadline.toISOString(),
    open: isOpen(round, now),
    indicators: indicatorsOf(round).map((i) => ({ ...i, suggested: templateTargetValue(i.target) })),
    titles: EMULATION_TITLES,
    registration:
      r.submittedAt && r.targets
        ? {
            targets: r.targets,
            titles: r.titles ?? [],
            submittedAt: r.submittedAt.toISOString(),
            submittedBy: r.submittedBy ?? '',
            version: r.version,
          }
        : null,
  };
}

export async function readRegistration(em: EntityManager, token: string, now: Date): Promise<RegistrationView> {
  return viewOf(await resolveRegistration(em, token), now);
}

/**
 * Registers (or corrects) the unit's targets and titles: refused with 410 from the deadline on,
 * before anything is read from the request; otherwise checked against the round's template and
 * stored with its audit event (`registration.submitted`, then `registration.corrected` with what
 * it replaced) in one transaction.
 */
export async function submitRegistration(
  em: EntityManager,
  token: string,
  input: { readonly targets: ReadonlyMap<string, unknown>; readonly titles: readonly unknown[] },
  origin: string,
  now: Date,
): Promise<RegistrationView> {
  return em.transactional(async (tx) => {
    const r = await resolveRegistration(tx, token, { lock: true });
    if (!isOpen(r.round, now))
      throw new LinkError(
        { code: 'registration_closed', params: { closedAt: (r.round.closedAt ?? r.round.deadline).toISOString() } },
        'closed',
      );
    const checked = checkRegistration(r.round.template.definition, input.targets, input.titles);
    const before = r.submittedAt ? { targets: r.targets, titles: r.titles, version: r.version } : null;
    r.targets = Object.fromEntries(checked.targets);
    r.titles = [...checked.titles];
    r.submittedAt = now;
    r.submittedBy = r.unit.headName;
    r.version += 1;
    await tx.flush();
    await appendAudit(tx, {
      actor: { kind: 'link', id: `registration:${r.id}`, origin },
      action: before ? 'registration.corrected' : 'registration.submitted',
      subjectType: 'emulation_registration',
      subjectId: String(r.id),
      before,
      after: { targets: r.targets, titles: r.titles, version: r.version, unit: r.unit.code, year: r.round.year },
      occurredAt: now,
    });
    return viewOf(r, now);
  });
}

/** Whether a link token leads to a registration (for routes that resolve it before reading a body). */
export async function requireRegistrationLink(em: EntityManager, token: string): Promise<void> {
  await resolveRegistration(em, token);
}

// ---------------------------------------------------------------- the console's lists and downloads

export interface RoundListRow {
  readonly campaignCode: string;
  readonly year: number;
  readonly deadline: string;
  readonly closedAt: string | null;
  readonly expected: number;
  readonly registered: number;
}

/** The rounds of the campaigns `campaignCodes`, latest year first, with how many units registered. */
export async function listRounds(em: EntityManager, campaignCodes: readonly string[]): Promise<RoundListRow[]> {
  if (campaignCodes.length === 0) return [];
  const rows = await em.execute<
    { code: string; year: number; deadline: Date; closed_at: Date | null; expected: number; registered: number }[]
  >(
    `SELECT c.code, r.year, r.deadline, r.closed_at, count(g.id)::int AS expected, count(g.submitted_at)::int AS registered
     FROM registration_round r JOIN campaign c ON c.id = r.campaign_id JOIN emulation_registration g ON g.round_id = r.id
     WHERE c.code IN (SELECT jsonb_array_elements_text(?::jsonb))
     GROUP BY c.code, r.year, r.deadline, r.closed_at ORDER BY c.code, r.year DESC`,
    [JSON.stringify(campaignCodes)],
  );
  return rows.map((r) => ({
    campaignCode: r.code,
    year: r.year,
    deadline: new Date(r.deadline).toISOString(),
    closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
    expected: r.expected,
    registered: r.registered,
  }));
}

/** Audits the download of a round's table (`registration.downloaded`: file, size and SHA-256). */
export async function recordRegistrationDownload(
  em: EntityManager,
  actor: Actor,
  what: { readonly campaign: string; readonly year: number; readonly file: string },
  bytes: Buffer,
  now: Date,
): Promise<void> {
  await em.transactional((tx) =>
    appendAudit(tx, {
      actor,
      action: 'registration.downloaded',
      subjectType: 'campaign',
      subjectId: what.campaign,
      after: { year: what.year, file: what.file, bytes: bytes.length, sha256: sha256(bytes) },
      occurredAt: now,
    }),
  );
}
