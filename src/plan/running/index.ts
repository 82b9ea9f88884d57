// A running plan's state, pure and deterministic: which steps are ready, the approval gates, failures and operator
// repair, how the plan ends, what carries over to the next run, and the snapshots and mirror rows others read.
export { PlanState } from './plan-state';
export { APPROVAL_TIMEOUT_ACTOR } from './gate-book';
export {
  ApprovalGate,
  ANONYMOUS,
  normalizeDecision,
  normalizeDecisionInput,
  type GateProgress,
  type NormalizedDecision,
} from './approval-gate';
export { needsApproval } from './needs-approval';
export { compensationTimeoutMs, stepTimeoutMs, type ToolTimeouts } from './step-timeout';
export { applyDefaultCompensations } from './default-compensations';
export { boundedSnapshot, SNAPSHOT_LIMIT_BYTES } from './bounded-snapshot';
export type { CarriedProgress, StepProgressRow } from './carried-progress';
export type * from './snapshot';
export { takeMirrorBatch, type MirrorBatch, type PlanRow, type StepRow } from './mirror-batch';
export { REDACTED, redactParameters, type SecretParams } from './redact-parameters';
export type { BatchSummary } from './batch-progress';
export type {
  OperatorAction,
  OperatorActionRecord,
  RetryStepInput,
  SkipStepInput,
  AbortInput,
} from './operator-actions';
export { chunkText } from './chunk-text';
export { subplanMemoryRefusal } from './subplan-memory';
