import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
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
  return toolActivity(spec.toolName, spec.id, spec.description || `${spec.toolName} ${spec.id}`, spec, hint, spec.nonRetryableErrorTypes);
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
    retry: {
      maximumAttempts: policy.maxRetries + 1,
      initialInterval: Math.max(1, policy.retryDelayMs),
      backoffCoefficient: 2,
      nonRetryableErrorTypes,
    },
    // A cancelled step is over only when its tool has stopped, so compensation never races the step it undoes.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  return activities[toolName]!;
}
