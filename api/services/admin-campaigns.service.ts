/**
 * Emulation campaigns: the recurring monthly obligation, with the template its cycles pin and the
 * policy they snapshot when they start.
 */
import type { Refusal } from '../../domain/refusals';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Campaign, Policy, ReportTemplate, Unit } from '../../db/entities';
import type { ICampaign, IPolicy } from '../../db/entities/campaign.entity';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import { canonicalJson } from '../../db/audit';
import { checkDocumentSettings, documentSettingsOf, type DocumentSettings } from '../../documents/settings';
import { auditChange, iso, requireText, uniquely, type AdminContext } from './admin-common';
import type { Scope } from './people.service';
import { campaignsInScope } from './scope.service';

export interface CampaignView {
  readonly code: string;
  readonly name: string;
  readonly templateCode: string;
  readonly policyCode: string;
  readonly active: boolean;
  /** The unit at the top of the campaign's tree; null when every unit reports straight to the council. */
  readonly rootCode: string | null;
  /** The settings of its documents in force (the defaults where none were set). */
  readonly documentSettings: DocumentSettings;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface CampaignInput {
  readonly code: string;
  readonly name: string;
  readonly templateCode: string;
  readonly policyCode: string;
  readonly active?: boolean;
  readonly rootCode?: string | null;
}

export type CampaignPatch = Partial<Omit<CampaignInput, 'code'>> & {
  readonly documentSettings?: Readonly<Record<string, unknown>>;
};

const viewOf = (c: ICampaign): CampaignView => ({
  code: c.code,
  name: c.name,
  templateCode: c.templateCode,
  policyCode: c.policy.code,
  active: c.active,
  rootCode: c.rootUnit?.code ?? null,
  documentSettings: documentSettingsOf(c.documentSettings),
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
});

const NAME = { max: 300 } as const;

async function templateMustExist(em: EntityManager, templateCode: string): Promise<void> {
  if (!(await em.count(ReportTemplate, { code: templateCode }))) {
    throw new NotFoundError({ code: 'template_code_unknown', params: { template: templateCode } }, 'templateCode');
  }
}

async function policyOf(em: EntityManager, policyCode: string): Promise<IPolicy> {
  const policy = await em.findOne(Policy, { code: policyCode });
  if (!policy) throw new NotFoundError({ code: 'policy_unknown', params: { policy: policyCode } }, 'policyCode');
  return policy;
}

async function rootOf(em: EntityManager, rootCode: string | null | undefined) {
  if (!rootCode) return null;
  const unit = await em.findOne(Unit, { code: rootCode });
  if (!unit) throw new NotFoundError({ code: 'unit_unknown', params: { unit: rootCode } }, 'rootCode');
  return unit;
}

/** The campaigns within `scopes` (api/services/scope.service.ts), by code. */
export async function listCampaigns(em: EntityManager, scopes: readonly Scope[]): Promise<CampaignView[]> {
  return (
    await em.find(Campaign, campaignsInScope(scopes), { populate: ['policy', 'rootUnit'], orderBy: { code: 'asc' } })
  ).map(viewOf);
}

export async function getCampaign(em: EntityManager, code: string): Promise<CampaignView> {
  const c = await em.findOne(Campaign, { code }, { populate: ['policy', 'rootUnit'] });
  if (!c) throw new NotFoundError({ code: 'campaign_unknown', params: { campaign: code } }, 'code');
  return viewOf(c);
}

export async function createCampaign(ctx: AdminContext, input: CampaignInput): Promise<CampaignView> {
  const name = requireText('name', input.name, NAME);
  const duplicate: Refusal = { code: 'already_exists', params: { kind: 'campaign', key: input.code } };
  return uniquely('code', duplicate, () =>
    ctx.em.transactional(async (tx) => {
      if (await tx.count(Campaign, { code: input.code })) throw new ConflictError(duplicate, 'code');
      await templateMustExist(tx, input.templateCode);
      const policy = await policyOf(tx, input.policyCode);
      const campaign = tx.create(Campaign, {
        code: input.code,
        name,
        templateCode: input.templateCode,
        policy,
        active: input.active ?? true,
        rootUnit: await rootOf(tx, input.rootCode),
      });
      await tx.flush();
      const view = viewOf(campaign);
      await auditChange(tx, ctx, 'campaign.created', { type: 'campaign', id: campaign.code }, { after: view });
      return view;
    }),
  );
}

/**
 * Partial update of name, template, policy, active and document settings (only the settings
 * given change; each is checked and a problem names `documentSettings.<key>`); the code never
 * changes. The audit event keeps what changed, before and after.
 */
export async function updateCampaign(ctx: AdminContext, code: string, patch: CampaignPatch): Promise<CampaignView> {
  const name = patch.name === undefined ? undefined : requireText('name', patch.name, NAME);
  const settingsPatch = patch.documentSettings;
  return ctx.em.transactional(async (tx) => {
    const campaign = await tx.findOne(Campaign, { code }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!campaign) throw new NotFoundError({ code: 'campaign_unknown', params: { campaign: code } }, 'code');
    await tx.populate(campaign, ['policy', 'rootUnit']);
    const current = viewOf(campaign);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if (name !== undefined && name !== campaign.name) {
      before.name = campaign.name;
      after.name = campaign.name = name;
    }
    if (patch.templateCode !== undefined && patch.templateCode !== campaign.templateCode) {
      await templateMustExist(tx, patch.templateCode);
      before.templateCode = campaign.templateCode;
      after.templateCode = campaign.templateCode = patch.templateCode;
    }
    if (patch.policyCode !== undefined && patch.policyCode !== current.policyCode) {
      campaign.policy = await policyOf(tx, patch.policyCode);
      before.policyCode = current.policyCode;
      after.policyCode = patch.policyCode;
    }
    if (patch.active !== undefined && patch.active !== campaign.active) {
      before.active = campaign.active;
      after.active = campaign.active = patch.active;
    }
    if (patch.rootCode !== undefined && (patch.rootCode || null) !== current.rootCode) {
      campaign.rootUnit = await rootOf(tx, patch.rootCode);
      before.rootCode = current.rootCode;
      after.rootCode = patch.rootCode || null;
    }
    if (settingsPatch !== undefined) {
      const { settings, problems } = checkDocumentSettings(current.documentSettings, settingsPatch);
      const problem = problems[0];
      if (problem)
        throw new ValidationError(
          { code: 'field_invalid', params: { field: problem.field, problem: problem.message } },
          problem.field,
        );
      if (canonicalJson(settings) !== canonicalJson(current.documentSettings)) {
        before.documentSettings = current.documentSettings;
        after.documentSettings = campaign.documentSettings = { ...settings, recipients: [...settings.recipients] };
      }
    }
    if (Object.keys(after).length === 0) return current;
    await tx.flush();
    await auditChange(tx, ctx, 'campaign.updated', { type: 'campaign', id: code }, { before, after });
    return viewOf(campaign);
  });
}
