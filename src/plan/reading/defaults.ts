import type { CompensationSpec, OnFailure, PlanOptions, StepSpec } from '../types';

// One place for the defaults, so that normalising fills exactly what compacting leaves out.

export const OPTION_DEFAULTS = {
  requireApproval: false,
  approvalTimeoutMs: null,
  onApprovalTimeout: 'reject',
  autoApprove: false,
  approvers: null,
  requiredApprovals: 1,
  // One step at a time unless told otherwise: the safe choice for steps that touch the same things, and what
  // teams coming from batch runners expect.
  allowParallel: false,
  maxParallelSteps: 10,
  continueOnError: false,
  stepTimeoutMs: 300_000,
  totalTimeoutMs: null,
  memoryNamespace: null,
  memoryNamespaces: [],
  mirror: true,
  notify: [],
  priority: 0,
} as const satisfies Omit<PlanOptions, 'onFailure' | 'onFailureChosen'>;

/** Undo what completed when a plan fails, if any step says how; otherwise just fail. */
export function defaultOnFailure(anyCompensation: boolean): OnFailure {
  return anyCompensation ? 'compensate' : 'fail';
}

/**
 * Step defaults. A null timeoutMs is decided when the step runs (its tool's default, else options.stepTimeoutMs). The
 * empty containers are for compacting: normalising builds fresh ones, so that no two steps share an object.
 */
export const STEP_DEFAULTS = {
  description: '',
  parameters: {},
  dependsOn: [],
  maxRetries: 0,
  retryDelayMs: 1000,
  timeoutMs: null,
  requiresApproval: false,
  nonRetryableErrorTypes: [],
  compensate: null,
  batchIndex: null,
  complexity: null,
  isRequiredValidateByDatabase: false,
  acceptFailedDependencies: false,
  local: null,
  resources: [],
} as const satisfies Omit<StepSpec, 'id' | 'toolName'>;

/** Compensation defaults; a null timeoutMs is decided when it runs (its tool's default, else its step's timeout). */
export const COMPENSATION_DEFAULTS = {
  parameters: {},
  maxRetries: 3,
  retryDelayMs: 1000,
  timeoutMs: null,
} as const satisfies Omit<CompensationSpec, 'toolName'>;
