export { runPlan } from './run-plan';
export { sweepExpiredMemory } from './sweep-expired-memory';
