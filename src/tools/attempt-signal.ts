import type { ToolContext } from './tool';

/** An abort signal for a tool's I/O, and how to tell its two causes apart afterwards. */
export interface AttemptSignal {
  /** Aborted when the step is cancelled or the time limit passes. */
  signal: AbortSignal;
  /** The time limit applied: the tool's own timeout, never beyond the attempt's deadline. */
  limitMs: number;
  /** True when the time limit (not a cancellation) aborted the signal. */
  timedOut(): boolean;
}

/**
 * Combines the step's cancellation with a time limit: the tool's `timeoutMs` when given, and in any case the
 * attempt's deadline, so the I/O stops before Temporal abandons the attempt and starts the next one.
 */
export function attemptSignal(context: Pick<ToolContext, 'signal' | 'deadline'>, timeoutMs?: number): AttemptSignal {
  const limitMs = Math.max(1, Math.min(timeoutMs ?? Number.POSITIVE_INFINITY, context.deadline - Date.now()));
  const timeout = AbortSignal.timeout(limitMs);
  return {
    signal: AbortSignal.any([context.signal, timeout]),
    limitMs,
    timedOut: () => timeout.aborted && !context.signal.aborted,
  };
}
