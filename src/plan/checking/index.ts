// Checking a plan before it runs: its graph, its references, its payload sizes, and every step's parameters against
// the catalogue of tools it may call (sub-plans included), each problem naming its step and field.
export { checkPlan } from './check-plan';
export { validatePlan } from './validate';
export { formatProblem } from './format-problem';
export { literalSecretWarnings } from './secret-warnings';
export type { ParameterIssue, ToolCatalog } from './tool-catalog';
export { unknownParameter } from './unknown-parameter';
export { ownParameters, withNestedPlan, withSubplans, type SubplanParameters } from './subplan';
