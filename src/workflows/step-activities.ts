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

/** How an activity retries, and how long each attempt may take. */
interface AttemptPolicy {
  maxRetries: number;
  retryDelayMs: number;
  timeoutMs: number;
}

/**
 * The activity that runs a step: type = tool name, id = step id, summary = step description, so Temporal Web
 * reads in the plan's own words; the step's retry settings and `timeoutMs` (see stepTimeoutMs) become Temporal's
 * retry policy and start-to-close timeout.
 */
export function stepActivity(spec: StepSpec, hint: ToolHint | undefined, timeoutMs: number): ToolActivity {
  const summary = spec.description || `${spec.toolName} ${spec.id}`;
  const policy = { maxRetries: spec.maxRetries, retryDelayMs: spec.retryDelayMs, timeoutMs };
  if (runsLocally(spec, hint)) return localToolActivity(spec, summary, policy);
  return toolActivity(spec.toolName, spec.id, summary, policy, hint, spec.nonRetryableErrorTypes);
}

/** Whether a step runs as a local activity: as the step says, else as its tool prefers. */
export function runsLocally(spec: StepSpec, hint: ToolHint | undefined): boolean {
  return spec.local ?? hint?.local ?? false;
}

/**
 * A step as a local activity: run by the worker that runs the workflow, recorded as one marker. Same timeout and
 * retry policy; retries after a long backoff wait on a server timer, as Temporal does for local activities.
 */
function localToolActivity(spec: StepSpec, summary: string, policy: AttemptPolicy): ToolActivity {
  const activities = proxyLocalActivities<Record<string, ToolActivity>>({
    summary,
    startToCloseTimeout: policy.timeoutMs,
    retry: retryPolicy(policy, spec.nonRetryableErrorTypes),
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  return activities[spec.toolName]!;
}

function retryPolicy(policy: AttemptPolicy, nonRetryableErrorTypes: string[]) {
  return {
    maximumAttempts: policy.maxRetries + 1,
    initialInterval: Math.max(1, policy.retryDelayMs),
    backoffCoefficient: 2,
    nonRetryableErrorTypes,
  };
}

/** The activity that runs a step's compensation, with its own retries and `timeoutMs` (see compensationTimeoutMs). */
export function compensationActivity(
  spec: StepSpec & { compensate: CompensationSpec },
  hint: ToolHint | undefined,
  timeoutMs: number,
): ToolActivity {
  const { compensate } = spec;
  const policy = { maxRetries: compensate.maxRetries, retryDelayMs: compensate.retryDelayMs, timeoutMs };
  return toolActivity(compensate.toolName, `${spec.id}:compensate`, `compensate ${spec.id}`, policy, hint, []);
}

function toolActivity(
  toolName: string,
  activityId: string,
  summary: string,
  policy: AttemptPolicy,
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
