import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes on every baocao workflow; registered with the Temporal server. */
export const CAMPAIGN = defineSearchAttributeKey('BaocaoCampaign', SearchAttributeType.KEYWORD);
export const PERIOD = defineSearchAttributeKey('BaocaoPeriod', SearchAttributeType.KEYWORD);
export const UNIT = defineSearchAttributeKey('BaocaoUnit', SearchAttributeType.KEYWORD);
export const STAGE = defineSearchAttributeKey('BaocaoStage', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [CAMPAIGN, PERIOD, UNIT, STAGE] as const;
