export { runPlan } from './run-plan';
