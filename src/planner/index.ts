export { generatePlan, PlanGenerationError, type GeneratedPlan, type PlannerOptions } from './generate-plan';
export { planningMessages, type PlanRequest } from './planner-prompt';
export { PLAN_JSON_SCHEMA } from './plan-json-schema';
