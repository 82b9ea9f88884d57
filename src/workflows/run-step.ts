import {
  compensationTimeoutMs,
  ownParameters,
  ReferenceResolutionError,
  resolveReferences,
  secretSlots,
  stepTimeoutMs,
  SUBPLAN_TOOL,
  withDependencyOutcomes,
  withNestedPlan,
  type CompensationSpec,
  type PlanState,
  type SecretSlot,
  type StepSpec,
  type ToolTimeouts,
} from '../plan';
import type { ToolHint } from '../activities/types';
import { describeFailure } from './failures';
import { compensationActivity, runsLocally, stepActivity } from './step-activities';
import type { LocalWaves } from './local-waves';
import { runSubplan, undoSubplan } from './run-subplan';
import { nowIso } from './clock';
import { compensationEnded, stepStarted } from './plan-telemetry';
import { PlanNotifier } from './plan-notifier';
import { stepCompleted, stepFailed } from './step-endings';
import { holdResources, type ResourceHold } from './hold-resources';
import type { MirrorLoop } from './mirror-loop';

/** The tools' own default timeouts, as the worker reported them (absent from hints recorded before tools had any). */
const timeoutsOf =
  (hints: Record<string, ToolHint>): ToolTimeouts =>
  (toolName) =>
    hints[toolName]?.timeoutMs;

/**
 * Runs one step (a tool activity, or a child workflow for a sub-plan) to its end and records the outcome, failures
 * included. It rejects only for a bug of ours (an error that is neither a failed call nor an unresolvable reference):
 * that fails the workflow task, which Temporal retries until fixed code replays it, rather than failing the plan.
 */
export async function runStep(
  state: PlanState,
  spec: StepSpec,
  hints: Record<string, ToolHint>,
  waves: LocalWaves,
  mirror: MirrorLoop | null,
): Promise<void> {
  // Only a step that needs resources waits here: any await would change the order of a plain step's commands, and
  // so the replay of every plan recorded before resources existed.
  let hold: ResourceHold | null = null;
  if (spec.resources.length > 0) {
    try {
      hold = await holdResources(state, spec, 'step');
    } catch (err) {
      const failure = describeFailure(err, 1);
      stepFailed(state, spec, nowIso(), { error: failure.message, type: failure.type, attempts: 0 });
      return;
    }
  }
  const startedAt = nowIso();
  state.start(spec.id, startedAt);
  stepStarted(state, spec);
  PlanNotifier.emit(state, 'step_started', { stepId: spec.id, tool: spec.toolName });
  let parameters: Record<string, unknown>;
  const own = ownParameters(spec.toolName, state.parametersOf(spec));
  try {
    const withOutcomes = withDependencyOutcomes(own, () => state.dependencyOutcomes(spec));
    const resolved = resolveReferences(withOutcomes, (id) => state.resultOf(id)) as Record<string, unknown>;
    parameters = withNestedPlan(spec.toolName, resolved, state.parametersOf(spec));
  } catch (err) {
    if (!(err instanceof ReferenceResolutionError)) throw err;
    if (hold) await hold.release();
    stepFailed(state, spec, startedAt, { error: err.message, type: err.name, attempts: 0 });
    return;
  }
  // Validation refuses resources on a sub-plan step: its own steps declare theirs.
  if (spec.toolName === SUBPLAN_TOOL) return runSubplan(state, spec, parameters, startedAt);
  const hint = hints[spec.toolName];
  const timeoutMs = stepTimeoutMs(spec, state.plan.options, timeoutsOf(hints));
  const local = runsLocally(spec, hint);
  // A regular step's call writes the mirror's pending changes, its own start among them (see MirrorLoop).
  const carried = local ? undefined : mirror?.carry();
  let ending: () => void;
  try {
    const call = () =>
      stepActivity(
        spec,
        hint,
        timeoutMs,
      )({
        planId: state.planId,
        stepId: spec.id,
        parameters,
        ...withSecrets(own),
        ...withFencingToken(hold),
        // A plan that pauses on a failure pauses on an open breaker too, rather than retrying into it.
        ...(state.plan.options.onFailure === 'pause' ? { onCircuitOpen: 'fail' as const } : {}),
        purpose: 'step',
        memoryNamespace: state.plan.options.memoryNamespace,
        memoryNamespaces: state.plan.options.memoryNamespaces,
        ...carried?.call,
      });
    const outcome = await (local ? waves.run(call) : call());
    if (carried) mirror!.carried(carried, spec.id, outcome);
    // A local step's times come from the worker, recorded with its result: the workflow clock after a local
    // activity is not the same on replay.
    ending = () => stepCompleted(state, spec, startedAt, { ...outcome, attempts: outcome.attempt });
  } catch (err) {
    if (carried) mirror!.carried(carried, spec.id, null);
    const failure = describeFailure(err, spec.maxRetries + 1);
    ending = () =>
      stepFailed(state, spec, startedAt, { error: failure.message, type: failure.type, attempts: failure.attempts });
  }
  // Released before the outcome is recorded: a step that depends on this one and needs the same resources must not
  // find them still held by a step that is over.
  if (hold) await hold.release();
  ending();
}

/** Runs a completed step's compensation and records its outcome; never throws. */
export async function compensateStep(state: PlanState, spec: StepSpec, hints: Record<string, ToolHint>): Promise<void> {
  const startedAt = nowIso();
  let error: string | null = null;
  try {
    if (spec.compensate === null) {
      // Only a sub-plan is compensated without a compensation of its own: its child's compensations run.
      error = await undoSubplan(state, spec);
      compensated(state, spec, startedAt, error);
      return;
    }
    const parameters = resolveReferences(spec.compensate.parameters, (id) => state.resultOf(id)) as Record<
      string,
      unknown
    >;
    const undoable = spec as StepSpec & { compensate: CompensationSpec };
    const timeoutMs = compensationTimeoutMs(undoable, state.plan.options, timeoutsOf(hints));
    // A compensation takes the resources its step took: it changes the same things back.
    const hold = spec.resources.length > 0 ? await holdResources(state, spec, 'compensation') : null;
    try {
      await compensationActivity(
        undoable,
        hints[spec.compensate.toolName],
        timeoutMs,
      )({
        planId: state.planId,
        stepId: spec.id,
        parameters,
        ...withSecrets(spec.compensate.parameters),
        ...withFencingToken(hold),
        purpose: 'compensation',
        memoryNamespace: state.plan.options.memoryNamespace,
        memoryNamespaces: state.plan.options.memoryNamespaces,
      });
    } finally {
      if (hold) await hold.release();
    }
  } catch (err) {
    error =
      err instanceof ReferenceResolutionError
        ? err.message
        : describeFailure(err, (spec.compensate?.maxRetries ?? 0) + 1).message;
  }
  compensated(state, spec, startedAt, error);
}

/** Records how a step's compensation (started at `startedAt`) ended, and tells it. */
function compensated(state: PlanState, spec: StepSpec, startedAt: string, error: string | null): void {
  const outcome = {
    status: error === null ? ('compensated' as const) : ('compensation_failed' as const),
    startedAt,
    completedAt: nowIso(),
    error,
  };
  state.recordCompensation(spec.id, outcome);
  compensationEnded(state, spec, outcome);
}

/** Where the plan wrote `{{secrets.…}}`, for the activity to fill in; nothing added when it wrote none. */
function withSecrets(authored: Record<string, unknown>): { secrets?: SecretSlot[] } {
  const slots = secretSlots(authored);
  return slots.length === 0 ? {} : { secrets: slots };
}

/** The fencing token of the resources the call runs holding; nothing added when it holds none. */
function withFencingToken(hold: ResourceHold | null): { fencingToken?: number } {
  return hold === null ? {} : { fencingToken: hold.fencingToken };
}
