import { ApplicationFailure, log, setHandler } from '@temporalio/workflow';
import { ANONYMOUS, normalizeDecision, normalizeDecisionInput, type Decision, type PlanState } from '../plan';
import { approveSignal, cancelSignal, decideUpdate, rejectSignal, stateQuery } from './definitions';

/** Error type of a decision the plan refused (wrong approver, nothing waiting, already decided). */
export const DECISION_REFUSED = 'DecisionRefused';

/** Registers every handler; called before the workflow's first await so no early signal or query is missed. */
export function registerHandlers(state: PlanState): void {
  setHandler(stateQuery, () => state.snapshot());
  setHandler(cancelSignal, (input) => cancelBySignal(state, input));
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
