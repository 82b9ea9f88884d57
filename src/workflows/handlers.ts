import type { UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, log, setHandler } from '@temporalio/workflow';
import { ANONYMOUS, normalizeDecision, normalizeDecisionInput, type Decision, type OperatorAction, type PlanState, type RetryStepInput, type SkipStepInput, type AbortInput } from '../plan';
import {
  abortUpdate,
  approveSignal,
  cancelSignal,
  decideUpdate,
  rejectSignal,
  retryStepUpdate,
  skipStepUpdate,
  stateQuery,
  type OperatorAnswer,
} from './definitions';

/** Error type of a decision the plan refused (wrong approver, nothing waiting, already decided). */
export const DECISION_REFUSED = 'DecisionRefused';

/** Registers every handler; called before the workflow's first await so no early signal or query is missed. */
export function registerHandlers(state: PlanState): void {
  setHandler(stateQuery, () => state.snapshot());
  setHandler(cancelSignal, (input) => cancelBySignal(state, input));
  registerOperatorUpdate<RetryStepInput>(state, retryStepUpdate, (input, by) => ({ kind: 'retry', step: input.step ?? onlyFailed(state), by, parameters: input.parameters }));
  registerOperatorUpdate<SkipStepInput>(state, skipStepUpdate, (input, by) => ({ kind: 'skip', step: input.step, by, result: input.result }));
  registerOperatorUpdate<AbortInput>(state, abortUpdate, (input, by) => ({ kind: 'abort', by, detail: input?.reason }));
  setHandler(approveSignal, (input) => decideBySignal(state, 'approve', input));
  setHandler(rejectSignal, (input) => decideBySignal(state, 'reject', input));
  setHandler(
    decideUpdate,
    (input) => {
      const decision = normalizeDecisionInput(input);
      if (typeof decision === 'string') throw ApplicationFailure.nonRetryable(decision, DECISION_REFUSED);
      return state.decide(decision, new Date().toISOString());
    },
    {
      // Refused here, a decision leaves no trace in history and the caller gets the reason.
      validator: (input) => {
        const decision = normalizeDecisionInput(input);
        const refusal = typeof decision === 'string' ? decision : state.refusalOf(decision);
        if (refusal) throw new Error(refusal);
      },
    },
  );
}

/** A signal cannot answer, so a refused one is logged and leaves the plan as it was. */
function decideBySignal(state: PlanState, kind: Decision, input: unknown): void {
  const decision = normalizeDecision(kind, input);
  const refusal = typeof decision === 'string' ? decision : state.refusalOf(decision);
  if (refusal !== null || typeof decision === 'string') {
    log.warn(`${kind} signal refused`, { planId: state.planId, refusal });
    return;
  }
  state.decide(decision, new Date().toISOString());
}

/** Records who cancelled and why; the plan then stops like on any cancellation. A second cancel changes nothing. */
function cancelBySignal(state: PlanState, input: unknown): void {
  if (state.stopping || state.completedAt !== null) {
    log.warn('cancel signal ignored: the plan is already ending', { planId: state.planId, reason: state.reason });
    return;
  }
  const { by, reason } = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const who = typeof by === 'string' && by.trim() !== '' ? by.trim() : ANONYMOUS;
  const why = typeof reason === 'string' && reason.trim() !== '' ? `: ${reason.trim()}` : '';
  state.cancel(`cancelled by ${who}${why}`);
}

/** An operator update: the validator refuses what cannot be done now (with the reason), the handler does it. */
function registerOperatorUpdate<I>(
  state: PlanState,
  update: UpdateDefinition<OperatorAnswer, [I]>,
  toAction: (input: I, by: string) => OperatorAction,
): void {
  const actionOf = (input: I): OperatorAction | string => {
    const by = (input as { by?: unknown } | undefined)?.by;
    if (by !== undefined && (typeof by !== 'string' || by.trim() === '')) return '"by" must be a non-empty string';
    const action = toAction(input, typeof by === 'string' ? by.trim() : ANONYMOUS);
    if (action.kind !== 'abort' && typeof action.step !== 'string') return '"step" must name a failed step';
    return action;
  };
  setHandler(
    update,
    (input) => {
      const action = actionOf(input) as OperatorAction; // the validator refused anything else
      state.operate(action, new Date().toISOString());
      return { status: state.status, step: action.kind === 'abort' ? null : action.step };
    },
    {
      validator: (input) => {
        const action = actionOf(input);
        const refusal = typeof action === 'string' ? action : state.operatorRefusal(action);
        if (refusal) throw new Error(refusal);
      },
    },
  );
}

/** The failed step a retry means when it names none: the only one, or none (refused by the validator). */
function onlyFailed(state: PlanState): string {
  const failed = state.snapshot().steps.filter((s) => s.status === 'failed');
  return failed.length === 1 ? failed[0]!.id : (undefined as unknown as string);
}
