/**
 * Who the council is for a vote. A campaign's council is the people seated on it (active); a
 * campaign with no seats has the installation's council: every active person holding the council
 * role over the whole installation or over that campaign. When a review opens, its council is
 * recorded (`ReviewRoll`): quorum and thresholds of that vote count those people, whatever the
 * council becomes afterwards, and each person once, whatever tokens or sessions they use.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { CouncilMember, ReviewRoll, RoleAssignment } from './entities';

/** The council of a campaign now: person ids, ascending. */
export async function councilOf(em: EntityManager, campaignId: number): Promise<number[]> {
  const seated = await em.find(CouncilMember, { campaign: campaignId }, { populate: ['person'] });
  const ids = seated.length
    ? seated.filter((s) => s.person.status === 'active').map((s) => s.person.id)
    : (
        await em.find(RoleAssignment, {
          role: 'council',
          person: { status: 'active' },
          $or: [{ scopeKind: 'installation' }, { scopeKind: 'campaign', campaign: campaignId }],
        })
      ).map((a) => a.person.id);
  return [...new Set(ids)].sort((a, b) => a - b);
}

/**
 * Records the council of a cycle's review of `version` (in the caller's transaction) unless it is
 * recorded already; answers the recorded roll.
 */
export async function recordReviewRoll(
  em: EntityManager,
  cycle: { id: number; campaign: { id: number } },
  version: number,
): Promise<number[]> {
  const existing = await em.findOne(ReviewRoll, { cycle: cycle.id, reportVersion: version });
  if (existing) return existing.memberIds;
  const memberIds = await councilOf(em, cycle.campaign.id);
  await em.execute(
    `INSERT INTO review_roll (created_at, updated_at, cycle_id, report_version, member_ids, members)
     VALUES (now(), now(), ?, ?, ?::jsonb, ?) ON CONFLICT (cycle_id, report_version) DO NOTHING`,
    [cycle.id, version, JSON.stringify(memberIds), memberIds.length],
  );
  return (await em.findOneOrFail(ReviewRoll, { cycle: cycle.id, reportVersion: version }, { refresh: true })).memberIds;
}

/**
 * The council of a review: as recorded when it opened, or (for a review opened before rolls were
 * recorded) as it is now.
 */
export async function reviewRollOf(
  em: EntityManager,
  cycle: { id: number; campaign: { id: number } },
  version: number,
): Promise<number[]> {
  const roll = await em.findOne(ReviewRoll, { cycle: cycle.id, reportVersion: version });
  return roll ? roll.memberIds : councilOf(em, cycle.campaign.id);
}
