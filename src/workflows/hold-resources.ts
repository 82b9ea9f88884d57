/**
 * Resource locks from the workflow's side: a step that declares `resources` waits for them (showing who is in its
 * way), runs holding them, and releases them before its outcome is recorded, so the next step to need them never
 * finds them still held by a step that is already over.
 */
import {
  ActivityCancellationType,
  CancellationScope,
  proxyActivities,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { PlanState, ResourceHolder, StepSpec } from '../plan';
import type { ResourceActivities, ResourceAnswer } from '../activities/resource-activities';

const { acquireResources } = proxyActivities<ResourceActivities>({
  // It answers within four minutes (sooner when who is in the way changes); a worker lost meanwhile is noticed by
  // the heartbeat, and the retry finds the request where it was, its place in line kept.
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  // Withdrawn only once the wait has stopped, so it cannot file the request again behind the withdrawal.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  summary: 'wait for resources',
});

const { releaseResources, releasePlanResources } = proxyActivities<ResourceActivities>({
  startToCloseTimeout: '30 seconds',
  // PostgreSQL away: keep trying; a lock must not stay with a step that is over.
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  summary: 'release resources',
});

/** Resources held for one step or compensation; `release` lets them go. */
export interface ResourceHold {
  fencingToken: number;
  release(): Promise<void>;
}

/**
 * Waits until all of the step's resources (it has some) are granted together; the step shows
 * `waiting_for_resources` and who is in its way meanwhile (a compensation waits without a status of its own). A
 * failure or cancellation while waiting withdraws the request and is rethrown.
 */
export async function holdResources(
  state: PlanState,
  spec: StepSpec,
  purpose: 'step' | 'compensation',
): Promise<ResourceHold> {
  const info = workflowInfo();
  const request = {
    requestId: uuid4(),
    namespace: info.namespace,
    planId: state.planId,
    firstRunId: info.firstExecutionRunId,
    stepId: spec.id,
    purpose,
    resources: spec.resources,
    priority: state.plan.options.priority,
  };
  const release = () => CancellationScope.nonCancellable(() => releaseResources(request.requestId));
  let seen: ResourceHolder[] | null = null;
  // Under way from here: the plan must not think it has nothing running while the step waits.
  if (purpose === 'step') state.awaitResources(spec.id, []);
  try {
    for (;;) {
      const answer: ResourceAnswer = await acquireResources(request, seen);
      if (answer.granted) return { fencingToken: answer.token, release };
      seen = answer.blockers;
      if (purpose === 'step') state.awaitResources(spec.id, answer.blockers);
    }
  } catch (err) {
    await release();
    throw err;
  }
}

/**
 * Releases whatever the plan's run still holds or waits for, as the plan ends: nothing should be left, but a lock
 * must never outlive its plan.
 */
export async function releaseAllResources(state: PlanState): Promise<void> {
  if (!state.plan.steps.some((spec) => spec.resources.length > 0)) return;
  await releasePlanResources(state.planId, workflowInfo().firstExecutionRunId);
}
