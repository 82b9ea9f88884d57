/**
 * The `state` object: one shape shared by the `state` query, the workflow's result, `plan status --json` and the
 * mirror, so scripts can rely on it.
 */
import type { PlanStatus, StepStatus } from '../statuses';
import type { OperatorActionRecord } from './operator-actions';
import type { ResourceHolder } from '../resources';

export type Decision = 'approve' | 'reject';

/** A decision sent by a person or a program: by signal, by update, or from the CLI. */
export interface DecisionInput {
  decision: Decision;
  by?: string;
  /** Why, for an approval. */
  comment?: string;
  /** Why, for a rejection. */
  reason?: string;
  /** Targets a step gate instead of the plan gate. */
  step?: string | null;
}

/** The `cancel` signal's input. */
export interface CancelInput {
  by?: string;
  reason?: string;
}

/** What the `decide` update answers when it accepts a decision. */
export interface DecisionAnswer {
  decision: Decision;
  step: string | null;
  /** The gate after this decision: still waiting for more approvals, approved or rejected. */
  gate: 'waiting' | 'approved' | 'rejected';
  approvals: number;
  requiredApprovals: number;
}

export interface Approval {
  by: string;
  at: string;
  comment: string | null;
  step: string | null;
  decision: Decision;
}

export interface CompensationOutcome {
  status: 'compensated' | 'compensation_failed';
  startedAt: string;
  completedAt: string;
  error: string | null;
}

export interface StepSnapshot {
  id: string;
  toolName: string;
  description: string;
  status: StepStatus;
  attempts: number;
  startedAt: string | null;
  completedAt: string | null;
  /** Why it failed or was skipped. */
  error: string | null;
  /** The failure's type (`ApplicationFailure.type`, `StartToCloseTimeout`, ...), for scripts to branch on. */
  errorType: string | null;
  result: unknown;
  compensation: CompensationOutcome | null;
  /** Only while `waiting_for_resources`: who holds what it needs, or waits ahead of it for it. */
  waitingFor?: ResourceHolder[];
}

export interface PlanSummary {
  total: number;
  pending: number;
  waitingApproval: number;
  /** Started, and waiting for the resources they need (see StepSnapshot.waitingFor). */
  waitingForResources: number;
  running: number;
  completed: number;
  failed: number;
  skipped: number;
  compensated: number;
  compensationFailed: number;
}

export interface PlanSnapshot {
  planId: string;
  status: PlanStatus;
  description: string;
  /** Why the plan ended the way it did (`timeout`, `rejected by bob: ...`, `step deploy failed`), else null. */
  reason: string | null;
  startedAt: string;
  completedAt: string | null;
  approvals: Approval[];
  /** Retries, skips and aborts by an operator of a paused plan. */
  operatorActions: OperatorActionRecord[];
  steps: StepSnapshot[];
  summary: PlanSummary;
  /**
   * Set only when `steps` was left out because the state would not fit one Temporal payload (plans of many thousand
   * steps): how many steps there are. The mirror (and `plan status`, which reads it then) has every step.
   */
  stepsOmitted?: number;
}
