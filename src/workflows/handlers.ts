import { ApplicationFailure, log, setHandler } from '@temporalio/workflow';
import { normalizeDecision, normalizeDecisionInput, type Decision, type PlanState } from '../plan';
import { approveSignal, decideUpdate, rejectSignal, stateQuery } from './definitions';

/** Error type of a decision the plan refused (wrong approver, nothing waiting, already decided). */
export const DECISION_REFUSED = 'DecisionRefused';

/** Registers every handler; called before the workflow's first await so no early signal or query is missed. */
export function registerHandlers(state: PlanState): void {
  setHandler(stateQuery, () => state.snapshot());
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
