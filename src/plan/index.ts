// The plan model's public face. parse.ts is left out on purpose: it pulls in `yaml`, which workflows must not bundle.
export { PLAN_STATUSES, STEP_STATUSES, isTerminalPlanStatus, type PlanStatus, type StepStatus } from './statuses';
export type { CompensationSpec, OnFailure, Plan, PlanOptions, Problem, StepSpec } from './types';
export type { ParameterIssue, ToolCatalog } from './tool-catalog';
export { unknownParameter } from './unknown-parameter';
export {
  MAX_BATCH_DEPENDENCIES,
  MAX_PARALLEL_STEPS,
  MAX_PLAN_BYTES,
  MAX_RETRIES,
  MAX_STEPS,
  PLAN_ID_PATTERN,
  PLAN_TIMEOUT_MS,
  RETRY_DELAY_MS,
  STEP_ID_PATTERN,
  STEP_TIMEOUT_MS,
  type IntegerRange,
} from './limits';
export { normalizePlan } from './normalize';
export { validatePlan } from './validate';
export { checkPlan } from './check-plan';
export { compactPlan, compactStep } from './compact-plan';
export { needsApproval } from './needs-approval';
export { compensationTimeoutMs, stepTimeoutMs, type ToolTimeouts } from './step-timeout';
export { formatProblem } from './format-problem';
export type { DagStep } from './graph';
export { ancestorsOf, compensationOrder, dependentsOf, descendantsOf, findCycle, findCycles } from './dag';
export { dependsTransitively } from './transitive-dependencies';
export {
  REFERENCE_SYNTAX,
  ReferenceResolutionError,
  followPath,
  malformedReferences,
  referencedSteps,
  resolveReferences,
  type MalformedReference,
  type StepReference,
} from './references';
export {
  asText,
  INTERPOLATION,
  isInterpolation,
  isStoredResult,
  STORED_RESULT,
  type InterpolationMarker,
  type StoredResultMarker,
  type StoredResultRef,
} from './stored-result';
export { utf8Length } from './utf8-length';
export { PlanState } from './plan-state';
export { APPROVAL_TIMEOUT_ACTOR } from './gate-book';
export { applyDefaultCompensations } from './default-compensations';
export { boundedSnapshot, SNAPSHOT_LIMIT_BYTES } from './bounded-snapshot';
export type { CarriedProgress, StepProgressRow } from './carried-progress';
export type { GateProgress } from './approval-gate';
export {
  ApprovalGate,
  ANONYMOUS,
  normalizeDecision,
  normalizeDecisionInput,
  type NormalizedDecision,
} from './approval-gate';
export type * from './snapshot';
export {
  formatNamespace,
  NAMESPACE_PARTS,
  parseNamespace,
  parseNamespacePrefix,
  planNamespace,
  type MemoryNamespace,
  type MemoryNamespacePrefix,
} from './memory-namespace';
export { REDACTED, takeMirrorBatch, type MirrorBatch, type PlanRow, type StepRow } from './mirror-batch';
export type { BatchSummary } from './batch-progress';
export { nonJsonParts } from './json-value';
export { withDependencyOutcomes, type DependencyOutcome } from './dependency-outcomes';
export { ownParameters, SUBPLAN_TOOL, withNestedPlan, withSubplans, type SubplanParameters } from './subplan';
export type {
  OperatorAction,
  OperatorActionRecord,
  RetryStepInput,
  SkipStepInput,
  AbortInput,
} from './operator-actions';
export { chunkText } from './chunk-text';
export * from './error-types';
