import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { BaseSchema } from './base';
import { Campaign } from './campaign.entity';
import { Cycle } from './cycle.entity';

/**
 * The full Temporal history of a closed workflow, kept because the Temporal server drops closed
 * histories after its retention period: a cycle's (the cycle, its batches and units), or one of a
 * campaign's own (a summary's freezing, a cut-off, a registration round, a title vote), which has
 * `campaign` and no `cycle`. `history` is the proto-JSON form that `Worker.runReplayHistory` accepts.
 */
export const WorkflowHistory = defineEntity({
  name: 'WorkflowHistory',
  extends: BaseSchema,
  uniques: [{ properties: ['workflowId', 'runId'] }],
  properties: {
    cycle: () => p.manyToOne(Cycle).nullable(),
    campaign: () => p.manyToOne(Campaign).nullable(),
    workflowId: p.string().length(300).index(),
    runId: p.string().length(100),
    status: p.string().length(30),
    eventCount: p.integer(),
    sizeBytes: p.integer(),
    sha256: p.string().length(64),
    history: p.json<unknown>().lazy(),
  },
});
export type IWorkflowHistory = InferEntity<typeof WorkflowHistory>;
