/**
 * The annual review's proposals to the council: from a bloc's ranking over a window, in rank
 * order, each unit nominated for the titles it registered for that year (đăng ký thi đua), with
 * its rank and score as the reason. The secretariat edits the list before it opens a title vote
 * with it (the council, not this list, decides).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { registeredTitles } from '../../db/registration-reading';
import { EMULATION_TITLE_NAMES } from '../../domain/emulation-titles';
import { campaignRef } from './summary.service';
import { blocRanking } from './scoring.service';
import type { NomineeInput } from './title-votes.service';

export interface RankingNominations {
  /** The bloc's year: the year of the title vote these nominations are for. */
  readonly year: number;
  readonly nominees: readonly (NomineeInput & { readonly reason: string })[];
}

export async function nominationsFromRanking(
  em: EntityManager,
  campaignCode: string,
  blocCode: string,
  windowCode: string,
): Promise<RankingNominations> {
  const ranking = await blocRanking(em, campaignCode, blocCode, windowCode);
  const campaign = await campaignRef(em, campaignCode);
  const titles = await registeredTitles(em, campaign.id, ranking.bloc.year);
  const size = ranking.rows.length;
  return {
    year: ranking.bloc.year,
    nominees: ranking.rows.flatMap((row) =>
      (titles.get(row.unitCode) ?? []).map((title) => ({
        unitCode: row.unitCode,
        title,
        reason: `Hạng ${row.rank}/${size} khối ${ranking.bloc.name} (${ranking.window.code}), ${row.scoreDisplay} điểm; đơn vị đã đăng ký danh hiệu ${EMULATION_TITLE_NAMES[title].vi}`,
      })),
    ),
  };
}

/** The nominations as the title-vote form takes them: one a line, `unit code; title code; reason`. */
export const nominationLines = (n: RankingNominations): string =>
  n.nominees.map((x) => `${x.unitCode}; ${x.title}; ${x.reason.replace(/[;\n]/g, ',')}`).join('\n');
