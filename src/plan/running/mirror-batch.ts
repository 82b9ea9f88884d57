/**
 * What the workflow sends to PostgreSQL: the plan's row and the rows of the steps that changed since the last
 * write, versioned by the plan state's sequence number. Built from the state the `state` query returns, so the
 * mirror and the query cannot disagree.
 */
import type { PlanState } from './plan-state';
import { redactParameters, type SecretParams } from './redact-parameters';
import type { Approval, CompensationOutcome } from './snapshot';
import type { OperatorActionRecord } from './operator-actions';
import type { PlanStatus, StepStatus } from '../statuses';

export interface PlanRow {
  planId: string;
  runId: string;
  description: string;
  status: PlanStatus;
  reason: string | null;
  approvals: Approval[];
  operatorActions: OperatorActionRecord[];
  totalSteps: number;
  completedSteps: number;
  failedSteps: number;
  skippedSteps: number;
  totalBatches: number;
  completedBatches: number;
  failedBatches: number;
  currentBatchIndex: number | null;
  /** Completed steps as a percentage of all steps, two decimals. */
  overallSuccessRate: number;
  startedAt: string;
  finishedAt: string | null;
}

export interface StepRow {
  stepId: string;
  /** Index of the step in the plan file. */
  position: number;
  toolName: string;
  description: string;
  /** Only in a full write: parameters do not change while the plan runs. */
  parameters?: Record<string, unknown>;
  batchIndex: number | null;
  dependsOn: string[];
  complexity: 'low' | 'medium' | 'high' | null;
  isRequiredValidateByDatabase: boolean;
  status: StepStatus;
  attempts: number;
  result: unknown;
  /** The step's own activity wrote its result: PostgreSQL keeps that, and `result` here is left out (null). */
  resultKept?: boolean;
  errorMessage: string | null;
  errorType: string | null;
  compensation: CompensationOutcome | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface MirrorBatch {
  /**
   * Orders writes: the plan's first start time (ms) then its sequence number. A later run of the same plan id starts
   * a newer generation, so its writes win over anything an older run left behind.
   */
  generation: number;
  version: number;
  /** The first write of a run: every step, with its parameters; older generations' leftover rows are removed. */
  full: boolean;
  plan: PlanRow;
  steps: StepRow[];
}

/**
 * Takes the changes since the last batch from the state and shapes them as rows; `secrets` maps tool -> secret
 * parameters.
 */
export function takeMirrorBatch(state: PlanState, runId: string, secrets: SecretParams = {}): MirrorBatch {
  const { full, steps } = state.takeChanges();
  const summary = state.summary();
  const batches = state.batchSummary();
  return {
    generation: Date.parse(state.startedAt),
    version: state.seq,
    full,
    plan: {
      planId: state.planId,
      runId,
      description: state.plan.description,
      status: state.status,
      reason: state.reason,
      approvals: [...state.approvals],
      operatorActions: [...state.operatorActions],
      totalSteps: summary.total,
      completedSteps: summary.completed,
      failedSteps: summary.failed,
      skippedSteps: summary.skipped,
      ...batches,
      overallSuccessRate: summary.total === 0 ? 0 : Math.round((summary.completed / summary.total) * 10_000) / 100,
      startedAt: state.startedAt,
      finishedAt: state.completedAt,
    },
    steps: steps.map(({ spec, step, position }) => ({
      stepId: spec.id,
      position,
      toolName: spec.toolName,
      description: spec.description,
      ...(full ? { parameters: redactParameters(spec.toolName, spec.parameters, secrets) } : {}),
      batchIndex: spec.batchIndex,
      dependsOn: spec.dependsOn,
      complexity: spec.complexity,
      isRequiredValidateByDatabase: spec.isRequiredValidateByDatabase,
      status: step.status,
      attempts: step.attempts,
      result: step.result,
      errorMessage: step.error,
      errorType: step.errorType,
      compensation: step.compensation,
      startedAt: step.startedAt,
      finishedAt: step.completedAt,
    })),
  };
}
