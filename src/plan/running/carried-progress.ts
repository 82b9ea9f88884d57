/**
 * What a plan run hands to the next run when it continues as new: everything `PlanState` knows that the plan itself
 * does not say. Compact on purpose (steps as rows, untouched steps left out): it is what bounds a plan's size.
 */
import type { GateProgress } from './approval-gate';
import type { Approval, CompensationOutcome } from './snapshot';
import type { OperatorActionRecord } from './operator-actions';
import type { PlanStatus, StepStatus } from '../statuses';

/**
 * One step that is no longer untouched: [id, status, attempts, startedAt, completedAt, error, errorType, result,
 * compensation].
 */
export type StepProgressRow = [
  string,
  StepStatus,
  number,
  string | null,
  string | null,
  string | null,
  string | null,
  unknown,
  CompensationOutcome | null,
];

export interface CarriedProgress {
  startedAt: string;
  seq: number;
  status: PlanStatus;
  reason: string | null;
  ending: 'failed' | 'rejected' | 'cancelled' | null;
  stopping: boolean;
  paused: boolean;
  aborted: boolean;
  skippedByOperator: boolean;
  /** When scheduling began (the total timeout counts from it); null before. */
  executingSince: string | null;
  approvals: Approval[];
  operatorActions: OperatorActionRecord[];
  overrides: [string, Record<string, unknown>][];
  planGate: GateProgress | null;
  /** Step gates that have opened or been decided. */
  stepGates: [string, GateProgress][];
  steps: StepProgressRow[];
  /** Dependencies still unmet, for pending steps where some already are (others have all of theirs unmet). */
  unmet: [string, number][];
  /** Steps the mirror has not been sent since they changed (all of them when it never wrote). */
  unmirrored: string[] | 'all';
}
