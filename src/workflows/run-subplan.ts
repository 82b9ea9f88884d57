/**
 * A `subplan` step: the nested plan runs as a child `runPlan` workflow with id `<parent>/<step>`, its own approval
 * policy and, unless the step names one, its own shared-memory namespace; it may reach no shared memory its parent
 * may not. Its final state is the step's result.
 * Cancelling the parent cancels the child (which compensates itself); compensating the parent undoes a completed
 * child by running its compensations in an "undo" child run.
 */
import {
  ChildWorkflowCancellationType,
  ChildWorkflowFailure,
  executeChild,
  isCancellation,
  ParentClosePolicy,
} from '@temporalio/workflow';
import { subplanMemoryRefusal, type PlanSnapshot, type PlanState, type StepSpec } from '../plan';
import { RUN_PLAN_WORKFLOW } from './definitions';
import type { RunPlanMode } from './run-mode';
import { stepCompleted, stepFailed } from './step-endings';
import { CANCELLED, MEMORY_ACCESS_DENIED, SUBPLAN_FAILED } from '../plan/error-types';

function child(state: PlanState, spec: StepSpec, suffix: string, args: [unknown, RunPlanMode?]): Promise<PlanSnapshot> {
  return executeChild<(plan: unknown, mode?: RunPlanMode) => Promise<PlanSnapshot>>(RUN_PLAN_WORKFLOW, {
    workflowId: `${state.planId}/${spec.id}${suffix}`,
    args,
    staticSummary: spec.description || `sub-plan ${spec.id} of ${state.planId}`,
    // The child is done only when it has stopped and compensated; the parent's own saga waits for that.
    cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
  });
}

/** Runs the child plan and records the outcome on the step, which started at `startedAt`; never throws. */
export async function runSubplan(
  state: PlanState,
  spec: StepSpec,
  parameters: Record<string, unknown>,
  startedAt: string,
): Promise<void> {
  const nested = { ...(parameters.plan as Record<string, unknown>) };
  if (typeof parameters.namespace === 'string') {
    nested.options = {
      ...(nested.options as Record<string, unknown> | undefined),
      memoryNamespace: parameters.namespace,
    };
  }
  const refusal = subplanMemoryRefusal(state.plan.options, nested);
  if (refusal !== null) {
    stepFailed(state, spec, startedAt, { error: refusal, type: MEMORY_ACCESS_DENIED, attempts: 1 });
    return;
  }
  try {
    const result = await child(state, spec, '', [nested]);
    if (result.status === 'completed') stepCompleted(state, spec, startedAt, { result, attempts: 1 });
    else
      stepFailed(state, spec, startedAt, {
        error: `sub-plan ended ${result.status}${result.reason ? `: ${result.reason}` : ''}`,
        type: SUBPLAN_FAILED,
        attempts: 1,
      });
  } catch (err) {
    const cause = err instanceof ChildWorkflowFailure ? err.cause : err;
    const message = isCancellation(err) ? 'cancelled' : ((cause as Error | undefined)?.message ?? String(err));
    const type = isCancellation(err) ? CANCELLED : ((cause as { type?: string } | undefined)?.type ?? SUBPLAN_FAILED);
    stepFailed(state, spec, startedAt, { error: `sub-plan: ${message}`, type, attempts: 1 });
  }
}

/**
 * Undoes a completed sub-plan: its completed steps' compensations run in a child of their own. Returns an error or
 * null.
 */
export async function undoSubplan(state: PlanState, spec: StepSpec): Promise<string | null> {
  const done = state.resultOf(spec.id) as PlanSnapshot;
  const nested = (spec.parameters.plan ?? null) as unknown;
  const plan = typeof nested === 'object' && nested !== null ? nested : null;
  if (plan === null) return 'the sub-plan was given by reference; its plan is not known here to undo it';
  const undone = await child(state, spec, '/undo', [
    plan,
    { undo: { steps: done.steps, reason: `undone by ${state.planId}` } },
  ]);
  return undone.summary.compensationFailed > 0
    ? `${undone.summary.compensationFailed} compensation(s) of the sub-plan failed`
    : null;
}
