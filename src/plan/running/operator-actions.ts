/** Operator repair of a plan paused by a failure (`onFailure: pause`): retry a step, skip it, or abort the plan. */

export type OperatorAction =
  | { kind: 'retry'; step: string; by: string; parameters?: Record<string, unknown>; detail?: string }
  | { kind: 'skip'; step: string; by: string; result?: unknown; detail?: string }
  | { kind: 'abort'; by: string; detail?: string };

/** What the state (and the mirror) keep of each action: who, when, on which step. */
export interface OperatorActionRecord {
  action: OperatorAction['kind'];
  step: string | null;
  by: string;
  at: string;
  detail: string | null;
}

/** Input of the `retryStep` update; `step` may be left out when exactly one step has failed. */
export interface RetryStepInput {
  step?: string;
  parameters?: Record<string, unknown>;
  by?: string;
}

export interface SkipStepInput {
  step: string;
  result?: unknown;
  by?: string;
}

export interface AbortInput {
  by?: string;
  reason?: string;
}
