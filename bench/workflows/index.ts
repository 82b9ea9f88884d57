export { runPlan, planAndRun, sweepExpiredMemory } from '../../src/workflows';
export { handwrittenPlan } from './handwritten';
export { awaitPromises } from './promise-cost';
