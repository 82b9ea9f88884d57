export { runPlan } from './run-plan';
export { planAndRun } from './plan-and-run';
export { sweepExpiredMemory } from './sweep-expired-memory';
export { agent } from './agent';
export { deliverPlanEvents } from './deliver-plan-events';
