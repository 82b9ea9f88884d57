// The plan model's public face, one folder per concern: reading, graph, checking, running. parse.ts
// (src/plan/reading/parse.ts) is left out on purpose: it pulls in `yaml`, which workflows must not bundle.
export { PLAN_STATUSES, STEP_STATUSES, isTerminalPlanStatus, type PlanStatus, type StepStatus } from './statuses';
export type { CompensationSpec, OnFailure, Plan, PlanOptions, Problem, StepSpec } from './types';
export {
  MAX_BATCH_DEPENDENCIES,
  MAX_NESTING_DEPTH,
  MAX_PARALLEL_STEPS,
  MAX_PLAN_BYTES,
  MAX_REFERENCE_LENGTH,
  MAX_RETRIES,
  MAX_STEPS,
  PLAN_ID_PATTERN,
  PLAN_TIMEOUT_MS,
  RETRY_DELAY_MS,
  STEP_ID_PATTERN,
  STEP_TIMEOUT_MS,
  type IntegerRange,
} from './limits';
export { SUBPLAN_TOOL } from './subplan-tool';
export * from './notify-events';
export * from './resources';
export { utf8Length } from './utf8-length';
export * from './error-types';
export * from './reading';
export * from './graph';
export * from './checking';
export * from './running';
