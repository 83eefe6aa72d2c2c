/**
 * Emulation blocs (khối thi đua) of a campaign, their scoring tables, the council's hand scores
 * and the bloc's ranking over a window. The ranking reads the same months as the campaign's
 * periodic summary (db/summary-reading.ts) and is computed by domain/scoring.ts.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import { appendAudit, canonicalJson, type Actor } from '../../db/audit';
import { Bloc, Campaign, FrozenRanking, HandScoreEntry, ScoringTable, Unit } from '../../db/entities';
import type { IBloc } from '../../db/entities/scoring.entity';
import { registeredTargets } from '../../db/registration-reading';
import { readSummaryMonths, summaryCycles } from '../../db/summary-reading';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import type { Refusal } from '../../domain/refusals';
import { registeredTarget } from '../../domain/registration';
import {
  CRITERION_KINDS,
  MAX_CRITERIA,
  MAX_WEIGHT,
  scoreBloc,
  type Criterion,
  type CriterionKind,
  type HandScore,
  type RankedUnit,
  type TargetOf,
} from '../../domain/scoring';
import type { SummaryWindow } from '../../domain/summary-window';
import { auditChange, CODE_PATTERN, iso, requireText, uniquely, type AdminContext } from './admin-common';
import type { Scope } from './people.service';
import { unitsInScope } from './scope.service';
import { campaignAndWindow, type CampaignRef } from './summary.service';

export interface BlocView {
  readonly campaign: string;
  readonly code: string;
  readonly name: string;
  readonly year: number;
  readonly units: { readonly code: string; readonly name: string }[];
  readonly criteria: Criterion[];
  /** Windows whose ranking is frozen. */
  readonly frozenWindows: string[];
  readonly updatedAt: string;
}

export interface BlocInput {
  readonly code: string;
  readonly name: string;
  readonly year: number;
  readonly unitCodes: readonly string[];
}

export type BlocPatch = Partial<Pick<BlocInput, 'name' | 'unitCodes'>>;

const NAME = { max: 300 } as const;
const LABEL = { max: 300 } as const;
const REASON = { max: 2000 } as const;
const MAX_UNITS = 500;

async function campaignOf(em: EntityManager, code: string) {
  const campaign = await em.findOne(Campaign, { code });
  if (!campaign) throw new NotFoundError({ code: 'campaign_unknown', params: { campaign: code } }, 'campaign');
  return campaign;
}

async function blocOf(em: EntityManager, campaignCode: string, code: string, lock = false): Promise<IBloc> {
  const campaign = await campaignOf(em, campaignCode);
  const bloc = await em.findOne(
    Bloc,
    { campaign, code },
    lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['campaign'] } : { populate: ['campaign'] },
  );
  if (!bloc) throw new NotFoundError({ code: 'bloc_unknown', params: { campaign: campaignCode, bloc: code } }, 'bloc');
  return bloc;
}

async function viewOf(em: EntityManager, bloc: IBloc): Promise<BlocView> {
  const units = await em.find(Unit, { code: { $in: bloc.unitCodes } }, { fields: ['code', 'name'] });
  const table = await em.findOne(ScoringTable, { bloc });
  const frozen = await em.find(FrozenRanking, { bloc }, { fields: ['windowCode'], orderBy: { windowCode: 'asc' } });
  const nameOf = new Map(units.map((u) => [u.code, u.name]));
  return {
    campaign: bloc.campaign.code,
    code: bloc.code,
    name: bloc.name,
    year: bloc.year,
    units: bloc.unitCodes.map((code) => ({ code, name: nameOf.get(code) ?? code })),
    criteria: table?.criteria ?? [],
    frozenWindows: frozen.map((f) => f.windowCode),
    updatedAt: iso(table && table.updatedAt > bloc.updatedAt ? table.updatedAt : bloc.updatedAt),
  };
}

/**
 * Unit codes, each once, sorted, all of active units within the actor's scopes (a subtree
 * administrator puts only their own units in a bloc; others read as unknown).
 */
async function memberCodes(em: EntityManager, raw: readonly string[], scopes?: readonly Scope[]): Promise<string[]> {
  const codes = [...new Set(raw)].sort();
  if (codes.length === 0 || codes.length > MAX_UNITS)
    throw new ValidationError(
      { code: 'field_invalid', params: { field: 'unitCodes', problem: `must list 1 to ${MAX_UNITS} units` } },
      'unitCodes',
    );
  const known = new Set(
    (
      await em.find(
        Unit,
        { $and: [{ code: { $in: codes }, active: true }, scopes ? unitsInScope(scopes) : {}] },
        { fields: ['code'] },
      )
    ).map((u) => u.code),
  );
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length)
    throw new NotFoundError({ code: 'units_inactive_or_unknown', params: { units: unknown } }, 'unitCodes');
  return codes;
}

async function refuseIfFrozen(em: EntityManager, bloc: IBloc, windowCode?: string): Promise<void> {
  const frozen = await em.findOne(FrozenRanking, windowCode ? { bloc, windowCode } : { bloc }, {
    fields: ['windowCode'],
  });
  if (frozen)
    throw new ConflictError(
      { code: 'ranking_frozen', params: { bloc: bloc.code, window: frozen.windowCode } },
      windowCode ? 'window' : 'bloc',
    );
}

/** The campaign's blocs, by year then code. */
export async function listBlocs(em: EntityManager, campaignCode: string): Promise<BlocView[]> {
  const campaign = await campaignOf(em, campaignCode);
  const blocs = await em.find(Bloc, { campaign }, { populate: ['campaign'], orderBy: { year: 'desc', code: 'asc' } });
  return Promise.all(blocs.map((b) => viewOf(em, b)));
}

export async function getBloc(em: EntityManager, campaignCode: string, code: string): Promise<BlocView> {
  return viewOf(em, await blocOf(em, campaignCode, code));
}

export async function createBloc(ctx: AdminContext, campaignCode: string, input: BlocInput): Promise<BlocView> {
  const name = requireText('name', input.name, NAME);
  const duplicate: Refusal = { code: 'already_exists', params: { kind: 'bloc', key: input.code } };
  return uniquely('code', duplicate, () =>
    ctx.em.transactional(async (tx) => {
      const campaign = await campaignOf(tx, campaignCode);
      if (await tx.count(Bloc, { campaign, code: input.code })) throw new ConflictError(duplicate, 'code');
      const unitCodes = await memberCodes(tx, input.unitCodes, ctx.scopes);
      const bloc = tx.create(Bloc, { campaign, code: input.code, name, year: input.year, unitCodes });
      await tx.flush();
      const view = await viewOf(tx, bloc);
      await auditChange(
        tx,
        ctx,
        'bloc.created',
        { type: 'bloc', id: `${campaign.code}/${bloc.code}` },
        { after: { name, year: bloc.year, unitCodes } },
      );
      return view;
    }),
  );
}

/** Renames a bloc or changes its units (not once one of its rankings is frozen); audited before/after. */
export async function updateBloc(
  ctx: AdminContext,
  campaignCode: string,
  code: string,
  patch: BlocPatch,
): Promise<BlocView> {
  const name = patch.name === undefined ? undefined : requireText('name', patch.name, NAME);
  return ctx.em.transactional(async (tx) => {
    const bloc = await blocOf(tx, campaignCode, code, true);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if (name !== undefined && name !== bloc.name) {
      before.name = bloc.name;
      after.name = bloc.name = name;
    }
    if (patch.unitCodes !== undefined) {
      const unitCodes = await memberCodes(tx, patch.unitCodes, ctx.scopes);
      if (canonicalJson(unitCodes) !== canonicalJson(bloc.unitCodes)) {
        await refuseIfFrozen(tx, bloc);
        before.unitCodes = bloc.unitCodes;
        after.unitCodes = bloc.unitCodes = unitCodes;
      }
    }
    if (Object.keys(after).length) {
      await tx.flush();
      await auditChange(tx, ctx, 'bloc.updated', { type: 'bloc', id: `${campaignCode}/${code}` }, { before, after });
    }
    return viewOf(tx, bloc);
  });
}

const invalid = (field: string, problem: string): ValidationError =>
  new ValidationError({ code: 'field_invalid', params: { field, problem } }, field);

/** Checks a scoring table's criteria: codes unique, labels in both languages, whole-point weights. */
function checkCriteria(raw: readonly Criterion[]): Criterion[] {
  if (raw.length === 0 || raw.length > MAX_CRITERIA)
    throw invalid('criteria', `must list 1 to ${MAX_CRITERIA} criteria`);
  const seen = new Set<string>();
  return raw.map((c, i) => {
    const at = `criteria[${i}]`;
    if (!CODE_PATTERN.test(c.code)) throw invalid(`${at}.code`, 'must be 1–64 letters, digits, "-" or "_"');
    if (seen.has(c.code)) throw invalid(`${at}.code`, `"${c.code}" appears twice; each criterion must appear once`);
    seen.add(c.code);
    if (!Number.isInteger(c.weight) || c.weight < 1 || c.weight > MAX_WEIGHT)
      throw invalid(`${at}.weight`, `must be a whole number of points from 1 to ${MAX_WEIGHT}`);
    if (!(CRITERION_KINDS as readonly string[]).includes(c.kind))
      throw invalid(`${at}.kind`, `must be one of ${CRITERION_KINDS.join(', ')}`);
    return {
      code: c.code,
      label: {
        vi: requireText(`${at}.label.vi`, c.label.vi, LABEL),
        en: requireText(`${at}.label.en`, c.label.en, LABEL),
      },
      weight: c.weight,
      kind: c.kind as CriterionKind,
    };
  });
}

/**
 * Replaces the bloc's scoring table with `criteria` (adding, removing, reordering and reweighing
 * are all this), refused once a ranking of the bloc is frozen; audited before/after.
 */
export async function setScoringTable(
  ctx: AdminContext,
  campaignCode: string,
  code: string,
  raw: readonly Criterion[],
): Promise<BlocView> {
  const criteria = checkCriteria(raw);
  return ctx.em.transactional(async (tx) => {
    const bloc = await blocOf(tx, campaignCode, code, true);
    const table = await tx.findOne(ScoringTable, { bloc });
    const before = table?.criteria ?? [];
    if (canonicalJson(before) !== canonicalJson(criteria)) {
      await refuseIfFrozen(tx, bloc);
      if (table) table.criteria = criteria;
      else tx.create(ScoringTable, { bloc, criteria });
      await tx.flush();
      await auditChange(
        tx,
        ctx,
        'scoring_table.updated',
        { type: 'bloc', id: `${campaignCode}/${code}` },
        { before: { criteria: before }, after: { criteria } },
      );
    }
    return viewOf(tx, bloc);
  });
}

function windowInYear(bloc: IBloc, window: SummaryWindow): void {
  if (!window.periods.every((p) => p.startsWith(`${bloc.year}-`)))
    throw new ValidationError(
      { code: 'window_outside_year', params: { window: window.code, year: bloc.year } },
      'window',
    );
}

async function blocAndWindow(em: EntityManager, campaignCode: string, blocCode: string, windowCode: string) {
  const { campaign, window } = await campaignAndWindow(em, campaignCode, windowCode);
  const bloc = await blocOf(em, campaignCode, blocCode);
  windowInYear(bloc, window);
  return { campaign, window, bloc };
}

export interface HandScoreInput {
  readonly unitCode: string;
  readonly criterionCode: string;
  /** 0..weight, at most 2 decimals. */
  readonly points: number;
  readonly reason: string;
}

/**
 * Sets the council's points for a unit on a hand-scored criterion over a window, with a reason
 * (required), who and when; refused once the ranking of that window is frozen. Audited
 * before/after; setting the same points and reason again changes nothing.
 */
export async function setHandScore(
  ctx: AdminContext,
  campaignCode: string,
  blocCode: string,
  windowCode: string,
  input: HandScoreInput,
): Promise<HandScore> {
  const reason = requireText('reason', input.reason, REASON);
  return ctx.em.transactional(async (tx) => {
    const { window } = await campaignAndWindow(tx, campaignCode, windowCode);
    const bloc = await blocOf(tx, campaignCode, blocCode, true);
    windowInYear(bloc, window);
    const criterion = (await tx.findOne(ScoringTable, { bloc }))?.criteria.find((c) => c.code === input.criterionCode);
    if (!criterion)
      throw new NotFoundError(
        { code: 'criterion_unknown', params: { criterion: input.criterionCode } },
        'criterionCode',
      );
    if (criterion.kind !== 'hand')
      throw new ValidationError(
        { code: 'criterion_not_by_hand', params: { criterion: criterion.code } },
        'criterionCode',
      );
    if (!bloc.unitCodes.includes(input.unitCode))
      throw new NotFoundError(
        { code: 'unit_not_in_bloc', params: { unit: input.unitCode, bloc: bloc.code } },
        'unitCode',
      );
    const hundredths = Math.round(input.points * 100);
    if (!(hundredths >= 0 && hundredths <= 100 * criterion.weight && Math.abs(hundredths - input.points * 100) < 1e-6))
      throw new ValidationError(
        { code: 'hand_points_out_of_range', params: { criterion: criterion.code, weight: criterion.weight } },
        'points',
      );
    await refuseIfFrozen(tx, bloc, window.code);
    const key = { bloc, windowCode: window.code, criterionCode: criterion.code, unitCode: input.unitCode };
    const entry = await tx.findOne(HandScoreEntry, key);
    const before = entry ? { points: entry.hundredths / 100, reason: entry.reason, by: entry.setBy } : null;
    const current = (e: { hundredths: number; reason: string; setBy: string; setAt: Date }): HandScore => ({
      unitCode: input.unitCode,
      criterionCode: criterion.code,
      hundredths: e.hundredths,
      reason: e.reason,
      by: e.setBy,
      at: iso(e.setAt),
    });
    if (entry && entry.hundredths === hundredths && entry.reason === reason) return current(entry);
    const written =
      entry ?? tx.create(HandScoreEntry, { ...key, hundredths, reason, setBy: ctx.actor.id, setAt: ctx.now });
    Object.assign(written, { hundredths, reason, setBy: ctx.actor.id, setAt: ctx.now });
    await tx.flush();
    await auditChange(
      tx,
      ctx,
      'hand_score.set',
      { type: 'bloc', id: `${campaignCode}/${blocCode}` },
      {
        before: before && { window: window.code, unitCode: input.unitCode, criterionCode: criterion.code, ...before },
        after: {
          window: window.code,
          unitCode: input.unitCode,
          criterionCode: criterion.code,
          points: hundredths / 100,
          reason,
          by: ctx.actor.id,
        },
      },
    );
    return current(written);
  });
}

export interface BlocRanking {
  readonly campaign: CampaignRef;
  readonly bloc: { readonly code: string; readonly name: string; readonly year: number };
  readonly window: SummaryWindow;
  readonly criteria: readonly Criterion[];
  /** Best first; see domain/scoring.ts for the tie-breaks. */
  readonly rows: readonly RankedUnit[];
  readonly frozen?: { readonly frozenAt: string; readonly frozenBy: string; readonly sha256: string };
}

/**
 * The targets the attainment criterion compares with: what each unit registered for the bloc's
 * year (đăng ký thi đua), taking the kind of the template's target (a ceiling stays a ceiling);
 * the template's target where the unit registered nothing.
 */
async function registeredTargetsOf(em: EntityManager, bloc: IBloc): Promise<TargetOf> {
  const registered = await registeredTargets(em, bloc.campaign.id, bloc.year);
  return (unitCode, indicatorCode, templateTarget) => {
    const figure = registered.get(unitCode)?.get(indicatorCode);
    return figure === undefined ? null : registeredTarget(templateTarget, figure);
  };
}

async function computeRanking(
  em: EntityManager,
  bloc: IBloc,
  window: SummaryWindow,
  criteria: readonly Criterion[],
): Promise<RankedUnit[]> {
  const cycles = await summaryCycles(em, bloc.campaign.id, window.periods);
  const months = await readSummaryMonths(em, cycles, window.periods);
  const units = await em.find(Unit, { code: { $in: bloc.unitCodes } }, { fields: ['code', 'name'] });
  const hand = await em.find(HandScoreEntry, { bloc, windowCode: window.code });
  return scoreBloc({
    window,
    months,
    units: units.map((u) => ({ code: u.code, name: u.name })).sort((a, b) => a.code.localeCompare(b.code)),
    criteria,
    hand: hand.map((h) => ({
      unitCode: h.unitCode,
      criterionCode: h.criterionCode,
      hundredths: h.hundredths,
      reason: h.reason,
      by: h.setBy,
      at: iso(h.setAt),
    })),
    targetOf: await registeredTargetsOf(em, bloc),
  });
}

/**
 * The bloc's ranking over a window: ordered rows (unit, score, rank, breakdown per criterion with
 * the monthly reports each share was read from). A frozen ranking reads as it was frozen.
 */
export async function blocRanking(
  em: EntityManager,
  campaignCode: string,
  blocCode: string,
  windowCode: string,
): Promise<BlocRanking> {
  const { campaign, window, bloc } = await blocAndWindow(em, campaignCode, blocCode, windowCode);
  const criteria = (await em.findOne(ScoringTable, { bloc }))?.criteria ?? [];
  const head = {
    campaign: { code: campaign.code, name: campaign.name },
    bloc: { code: bloc.code, name: bloc.name, year: bloc.year },
    window,
    criteria,
  };
  const frozen = await em.findOne(FrozenRanking, { bloc, windowCode: window.code }, { populate: ['content'] });
  if (frozen)
    return {
      ...head,
      rows: frozen.content,
      frozen: { frozenAt: iso(frozen.frozenAt), frozenBy: frozen.frozenBy, sha256: frozen.sha256 },
    };
  return { ...head, rows: await computeRanking(em, bloc, window, criteria) };
}

/**
 * Freezes the bloc's ranking over a window as it is now (hand scores and table locked), audited
 * with its SHA-256. Once per bloc and window: asking again answers the first freeze (`started: false`).
 */
export async function freezeRanking(
  ctx: AdminContext,
  campaignCode: string,
  blocCode: string,
  windowCode: string,
): Promise<NonNullable<BlocRanking['frozen']> & { started: boolean }> {
  return ctx.em.transactional(async (tx) => {
    const { window } = await campaignAndWindow(tx, campaignCode, windowCode);
    const bloc = await blocOf(tx, campaignCode, blocCode, true);
    windowInYear(bloc, window);
    const earlier = await tx.findOne(FrozenRanking, { bloc, windowCode: window.code });
    if (earlier)
      return { frozenAt: iso(earlier.frozenAt), frozenBy: earlier.frozenBy, sha256: earlier.sha256, started: false };
    const criteria = (await tx.findOne(ScoringTable, { bloc }))?.criteria ?? [];
    const content = await computeRanking(tx, bloc, window, criteria);
    const sha256 = createHash('sha256').update(canonicalJson(content)).digest('hex');
    tx.create(FrozenRanking, {
      bloc,
      windowCode: window.code,
      content,
      sha256,
      frozenAt: ctx.now,
      frozenBy: ctx.actor.id,
    });
    await tx.flush();
    await auditChange(
      tx,
      ctx,
      'ranking.frozen',
      { type: 'bloc', id: `${campaignCode}/${blocCode}` },
      { after: { window: window.code, sha256, ranks: content.map((r) => [r.unitCode, r.rank, r.score]) } },
    );
    return { frozenAt: iso(ctx.now), frozenBy: ctx.actor.id, sha256, started: true };
  });
}

/** Audits the download of a ranking table (`ranking.downloaded`: file, size and SHA-256). */
export async function recordRankingDownload(
  em: EntityManager,
  actor: Actor,
  what: { readonly campaign: string; readonly bloc: string; readonly window: string; readonly file: string },
  bytes: Buffer,
  now: Date,
): Promise<void> {
  await em.transactional((tx) =>
    appendAudit(tx, {
      actor,
      action: 'ranking.downloaded',
      subjectType: 'bloc',
      subjectId: `${what.campaign}/${what.bloc}`,
      after: {
        window: what.window,
        file: what.file,
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
      occurredAt: now,
    }),
  );
}
