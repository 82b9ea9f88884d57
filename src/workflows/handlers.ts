import type { UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, condition, log, setHandler } from '@temporalio/workflow';
import {
  ANONYMOUS,
  boundedSnapshot,
  normalizeDecision,
  normalizeDecisionInput,
  type Decision,
  type DecisionAnswer,
  type NormalizedDecision,
  type OperatorAction,
  type PlanState,
  type RetryStepInput,
  type SkipStepInput,
  type AbortInput,
} from '../plan';
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
import { DECISION_REFUSED } from '../plan/error-types';
import { nowIso } from './clock';
import { decisionsTaken } from './plan-telemetry';

/**
 * Whether the state is whole. A run that continued as new loads its progress first: until then signals wait,
 * updates are accepted and checked once it is loaded, and the query asks to be retried.
 */
export interface Restoring {
  readonly done: boolean;
}

const WHOLE: Restoring = { done: true };

/** Registers every handler; called before the workflow's first await so no early signal or query is missed. */
export function registerHandlers(state: PlanState, restoring: Restoring = WHOLE): void {
  // Synchronous whenever the state is whole, so handling is exactly as in a run that never continued.
  const onceWhole = (apply: () => void): void | Promise<void> =>
    restoring.done ? apply() : condition(() => restoring.done).then(apply);
  setHandler(stateQuery, () => {
    if (!restoring.done)
      throw new Error(`plan "${state.planId}" is taking over from its previous run (continue-as-new); ask again`);
    return boundedSnapshot(state.snapshot());
  });
  setHandler(cancelSignal, (input) => onceWhole(() => cancelBySignal(state, input)));
  registerOperatorUpdate<RetryStepInput>(state, restoring, retryStepUpdate, (input, by) => {
    const step = input.step ?? state.onlyFailedStep();
    return step === null ? NAME_A_FAILED_STEP : { kind: 'retry', step, by, parameters: input.parameters };
  });
  registerOperatorUpdate<SkipStepInput>(state, restoring, skipStepUpdate, (input, by) => ({
    kind: 'skip',
    step: input.step,
    by,
    result: input.result,
  }));
  registerOperatorUpdate<AbortInput>(state, restoring, abortUpdate, (input, by) => ({
    kind: 'abort',
    by,
    detail: input?.reason,
  }));
  setHandler(approveSignal, (input) => onceWhole(() => decideBySignal(state, 'approve', input)));
  setHandler(rejectSignal, (input) => onceWhole(() => decideBySignal(state, 'reject', input)));
  const refusalOf = (input: Parameters<typeof normalizeDecisionInput>[0]): string | null => {
    const decision = normalizeDecisionInput(input);
    return typeof decision === 'string' ? decision : state.refusalOf(decision);
  };
  setRefusableUpdate(restoring, decideUpdate, refusalOf, (input) =>
    decide(state, normalizeDecisionInput(input) as NormalizedDecision),
  );
}

/** Takes a decision the state accepts, and tells it. */
function decide(state: PlanState, decision: NormalizedDecision): DecisionAnswer {
  const since = state.approvals.length;
  const answer = state.decide(decision, nowIso());
  decisionsTaken(state, since);
  return answer;
}

/**
 * An update whose validator refuses, with the reason, what cannot be done now — so a refused update leaves no trace
 * in history. While a continued run is still loading its state the validator cannot judge: the update is accepted,
 * waits, and is judged (and refused, if so) once the state is whole. Otherwise `apply` runs synchronously, so a
 * second racing update already sees its effect in its own validator.
 */
function setRefusableUpdate<R, I>(
  restoring: Restoring,
  update: UpdateDefinition<R, [I]>,
  refusalOf: (input: I) => string | null,
  apply: (input: I) => R,
): void {
  setHandler(
    update,
    async (input) => {
      if (!restoring.done) {
        await condition(() => restoring.done);
        const refusal = refusalOf(input);
        if (refusal) throw ApplicationFailure.nonRetryable(refusal, DECISION_REFUSED);
      }
      return apply(input);
    },
    {
      validator: (input) => {
        const refusal = restoring.done ? refusalOf(input) : null;
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
  decide(state, decision);
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

const NAME_A_FAILED_STEP = '"step" must name a failed step';

/** An operator update: the validator refuses what cannot be done now (with the reason), the handler does it. */
function registerOperatorUpdate<I>(
  state: PlanState,
  restoring: Restoring,
  update: UpdateDefinition<OperatorAnswer, [I]>,
  toAction: (input: I, by: string) => OperatorAction | string,
): void {
  const actionOf = (input: I): OperatorAction | string => {
    const by = (input as { by?: unknown } | undefined)?.by;
    if (by !== undefined && (typeof by !== 'string' || by.trim() === '')) return '"by" must be a non-empty string';
    const action = toAction(input, typeof by === 'string' ? by.trim() : ANONYMOUS);
    // Inputs come from outside (Temporal Web, the CLI): a step the types promise may still be missing.
    if (typeof action !== 'string' && action.kind !== 'abort' && typeof action.step !== 'string')
      return NAME_A_FAILED_STEP;
    return action;
  };
  const refusalOf = (input: I): string | null => {
    const action = actionOf(input);
    return typeof action === 'string' ? action : state.operatorRefusal(action);
  };
  setRefusableUpdate(restoring, update, refusalOf, (input) => {
    const action = actionOf(input) as OperatorAction; // refusalOf refused anything else
    state.operate(action, nowIso());
    return { status: state.status, step: action.kind === 'abort' ? null : action.step };
  });
}
