/**
 * `submit_plan`: a plan the model proposed runs as a child `runPlan` under `planId`, made to wait for a person's
 * approval whatever it says; the call's answer is how it ended, or why it did not run (an invalid plan's problems).
 */
import { ChildWorkflowFailure, executeChild, isCancellation, ParentClosePolicy } from '@temporalio/workflow';
import type { ToolCallRequest } from '../activities/agent-types';
import type { PlanSnapshot } from '../plan';
import { RUN_PLAN_WORKFLOW } from './definitions';

export async function runProposedPlan(planId: string, request: ToolCallRequest): Promise<string> {
  const proposal = request.plan;
  if (!proposal || 'problem' in proposal) return `error: ${proposal?.problem ?? 'no plan in the call'}`;
  const options = { ...(proposal.proposed.options as object | undefined), requireApproval: true, autoApprove: false };
  try {
    const ended = await executeChild<(plan: unknown) => Promise<PlanSnapshot>>(RUN_PLAN_WORKFLOW, {
      workflowId: planId,
      args: [{ ...proposal.proposed, options }],
      staticSummary: `plan proposed by agent ${planId.slice(0, planId.lastIndexOf('/plan-'))}`,
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    });
    return JSON.stringify({
      planId,
      status: ended.status,
      reason: ended.reason,
      steps: ended.steps.map((step) => ({ id: step.id, status: step.status, error: step.error })),
    });
  } catch (err) {
    if (isCancellation(err)) throw err;
    const cause = err instanceof ChildWorkflowFailure && err.cause ? err.cause : (err as Error);
    return `error: plan ${planId} did not run: ${cause.message}`;
  }
}
