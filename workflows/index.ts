export { cycleWorkflow } from './cycle.workflow';
export { unitWorkflow } from './unit.workflow';
export { scheduledCycleWorkflow } from './scheduled-cycle.workflow';
