export { cycleWorkflow } from './cycle.workflow';
export { unitWorkflow } from './unit.workflow';
