/**
 * The ways a step run ends — its tool's activity or its sub-plan's child returned or failed, or a reference could not
 * be resolved — each recorded on the state and told (plan-telemetry.ts) in one place.
 */
import type { PlanState, StepSpec } from '../plan';
import { nowIso } from './clock';
import { stepEnded } from './plan-telemetry';
import { PlanNotifier } from './plan-notifier';

/** A step that started at `startedAt` completed; a local step reports its own start and end (`outcome`). */
export function stepCompleted(
  state: PlanState,
  spec: StepSpec,
  startedAt: string,
  outcome: { result: unknown; attempts: number; startedAt?: string; finishedAt?: string },
): void {
  const at = outcome.finishedAt ?? nowIso();
  state.complete(spec.id, outcome.result, outcome.attempts, at, outcome.startedAt);
  const { attempts } = outcome;
  stepEnded(state, spec, { status: 'completed', startedAt: outcome.startedAt ?? startedAt, endedAt: at, attempts });
  PlanNotifier.emit(state, 'step_completed', { stepId: spec.id, tool: spec.toolName, attempts });
}

/** A step that started at `startedAt` failed. */
export function stepFailed(
  state: PlanState,
  spec: StepSpec,
  startedAt: string,
  failure: { error: string; type: string | null; attempts: number },
): void {
  const at = nowIso();
  state.fail(spec.id, failure.error, failure.type, failure.attempts, at);
  const { error, type: errorType, attempts } = failure;
  stepEnded(state, spec, { status: 'failed', startedAt, endedAt: at, attempts, errorType, error });
  PlanNotifier.emit(state, 'step_failed', { stepId: spec.id, tool: spec.toolName, attempts, error, errorType });
}
