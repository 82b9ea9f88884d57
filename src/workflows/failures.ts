import { RetryState } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, CancelledFailure, TimeoutFailure } from '@temporalio/workflow';
import { formatProblem, type Problem } from '../plan';
import type { FailureDetails } from '../activities/types';
import { CANCELLED, PLAN_VALIDATION_ERROR } from '../plan/error-types';

/** Refuses a bad plan: non-retryable, every problem listed, the problems attached as details for programs. */
export function validationFailure(problems: Problem[]): ApplicationFailure {
  const lines = problems.map((p) => `- ${formatProblem(p)}`).join('\n');
  return ApplicationFailure.create({
    message: `plan is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines}`,
    type: PLAN_VALIDATION_ERROR,
    nonRetryable: true,
    details: [problems],
  });
}

export interface StepFailure {
  message: string;
  type: string | null;
  attempts: number;
}

/** Reads why a step's activity failed, and after how many attempts, from the failure chain Temporal delivers. */
export function describeFailure(err: unknown, maximumAttempts: number): StepFailure {
  if (!(err instanceof ActivityFailure)) {
    return { message: err instanceof Error ? err.message : String(err), type: null, attempts: 0 };
  }
  const cause = err.cause;
  const exhausted = err.retryState === RetryState.MAXIMUM_ATTEMPTS_REACHED ? maximumAttempts : 1;
  if (cause instanceof ApplicationFailure) {
    const details = cause.details?.[0] as Partial<FailureDetails> | undefined;
    return { message: cause.message, type: cause.type ?? null, attempts: details?.attempt ?? exhausted };
  }
  if (cause instanceof TimeoutFailure) {
    const kind = timeoutName(cause.timeoutType);
    return { message: `timed out (${kind})`, type: kind, attempts: exhausted };
  }
  if (cause instanceof CancelledFailure) return { message: 'cancelled', type: CANCELLED, attempts: exhausted };
  return { message: cause?.message ?? err.message, type: cause?.name ?? null, attempts: exhausted };
}

function timeoutName(timeoutType: unknown): string {
  // START_TO_CLOSE -> "StartToCloseTimeout", the name scripts branch on.
  const words = String(timeoutType).toLowerCase().split('_');
  return `${words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}Timeout`;
}
