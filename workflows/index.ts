export { cycleWorkflow } from './cycle.workflow';
export { unitWorkflow } from './unit.workflow';
export { unitBatchWorkflow } from './unit-batch.workflow';
export { scheduledCycleWorkflow } from './scheduled-cycle.workflow';
export { archiveCampaignWorkflow, archiveCycleWorkflow } from './archive.workflow';
export { cutOffWorkflow, summaryWorkflow } from './summary.workflow';
export { registrationWorkflow } from './registration.workflow';
export { titleVoteWorkflow } from './title-vote.workflow';
