import { ActivityCancellationType, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { CompensationSpec, StepSpec } from '../plan';
import type { PlanActivities, ToolActivity, ToolHint } from '../activities/types';

/**
 * The activity that checks a plan against the worker's tool registry. A regular activity, not a local one: code that
 * runs right after a local activity resolves reads a clock that differs on replay (measured: the first step's start
 * time moved), and the state's timestamps must be the same however the state is rebuilt.
 */
export const { checkPlanTools } = proxyActivities<PlanActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
  summary: "check the plan against the worker's tools",
});

/**
 * The activity that runs a step: type = tool name, id = step id, summary = step description, so Temporal Web
 * reads in the plan's own words; the step's retry and timeout settings become Temporal's retry policy.
 */
export function stepActivity(spec: StepSpec, hint: ToolHint | undefined): ToolActivity {
  const summary = spec.description || `${spec.toolName} ${spec.id}`;
  if (runsLocally(spec, hint)) return localToolActivity(spec, summary);
  return toolActivity(spec.toolName, spec.id, summary, spec, hint, spec.nonRetryableErrorTypes);
}

/** Whether a step runs as a local activity: as the step says, else as its tool prefers. */
export function runsLocally(spec: StepSpec, hint: ToolHint | undefined): boolean {
  return spec.local ?? hint?.local ?? false;
}

/**
 * A step as a local activity: run by the worker that runs the workflow, recorded as one marker. Same timeout and
 * retry policy; retries after a long backoff wait on a server timer, as Temporal does for local activities.
 */
function localToolActivity(spec: StepSpec, summary: string): ToolActivity {
  const activities = proxyLocalActivities<Record<string, ToolActivity>>({
    summary,
    startToCloseTimeout: spec.timeoutMs,
    retry: retryPolicy(spec, spec.nonRetryableErrorTypes),
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  return activities[spec.toolName]!;
}

function retryPolicy(policy: { maxRetries: number; retryDelayMs: number }, nonRetryableErrorTypes: string[]) {
  return {
    maximumAttempts: policy.maxRetries + 1,
    initialInterval: Math.max(1, policy.retryDelayMs),
    backoffCoefficient: 2,
    nonRetryableErrorTypes,
  };
}

/** The activity that runs a step's compensation, with its own retries. */
export function compensationActivity(spec: StepSpec & { compensate: CompensationSpec }, hint: ToolHint | undefined): ToolActivity {
  const { compensate } = spec;
  return toolActivity(compensate.toolName, `${spec.id}:compensate`, `compensate ${spec.id}`, compensate, hint, []);
}

function toolActivity(
  toolName: string,
  activityId: string,
  summary: string,
  policy: { maxRetries: number; retryDelayMs: number; timeoutMs: number },
  hint: ToolHint | undefined,
  nonRetryableErrorTypes: string[],
): ToolActivity {
  const activities = proxyActivities<Record<string, ToolActivity>>({
    activityId,
    summary,
    startToCloseTimeout: policy.timeoutMs,
    heartbeatTimeout: hint?.heartbeatTimeoutMs ?? undefined,
    retry: retryPolicy(policy, nonRetryableErrorTypes),
    // A cancelled step is over only when its tool has stopped, so compensation never races the step it undoes.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  return activities[toolName]!;
}
