/**
 * `planAndRun`: a task in, a finished plan out. The model writes the plan (an activity, retried by Temporal), the
 * plan runs as the child `runPlan` workflow `<id>/plan` — waiting for approval first, always, unless the caller
 * says otherwise: nobody should run what a model wrote without a look.
 */
import {
  ChildWorkflowCancellationType,
  executeChild,
  ParentClosePolicy,
  proxyActivities,
  setCurrentDetails,
  workflowInfo,
} from '@temporalio/workflow';
import type { GeneratePlanInput } from '../activities/generate-plan-activity';
import type { PlanActivities } from '../activities/types';
import type { PlanSnapshot } from '../plan';
import type { GeneratedPlan } from '../planner';
import { RUN_PLAN_WORKFLOW } from './definitions';
import { LLM_NOT_CONFIGURED, LLM_REQUEST_ERROR, PLAN_GENERATION_ERROR } from '../plan/error-types';

const { generatePlan } = proxyActivities<PlanActivities>({
  startToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '2 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [PLAN_GENERATION_ERROR, LLM_NOT_CONFIGURED, LLM_REQUEST_ERROR],
  },
  summary: 'ask the model for a plan',
});

export interface PlanAndRunInput extends GeneratePlanInput {
  /** Default true: the generated plan waits for approval before any step. */
  requireApproval?: boolean;
}

export interface PlanAndRunResult {
  generated: { plan: Record<string, unknown>; attempts: number; usage: GeneratedPlan['usage'] };
  state: PlanSnapshot;
}

/** Generates a plan for the task, then runs it (after approval) as a child workflow. */
export async function planAndRun(input: PlanAndRunInput): Promise<PlanAndRunResult> {
  setCurrentDetails(`Asking the model for a plan: ${input.task}`);
  const generated = await generatePlan(input);
  const requireApproval = input.requireApproval ?? true;
  const options = {
    ...(generated.plan.options as Record<string, unknown> | undefined),
    requireApproval,
    ...(requireApproval ? { autoApprove: false } : {}),
  };
  const childId = `${workflowInfo().workflowId}/plan`;
  setCurrentDetails(
    `Generated a plan of ${(generated.plan.steps as unknown[]).length} steps in ${generated.attempts} attempt(s); it runs as \`${childId}\`.` +
      (requireApproval ? `\n\nApprove it: \`npm run -s plan -- approve ${childId}\`` : ''),
  );
  const state = await executeChild<(plan: unknown) => Promise<PlanSnapshot>>(RUN_PLAN_WORKFLOW, {
    workflowId: childId,
    args: [{ ...generated.plan, options }],
    staticSummary: typeof generated.plan.description === 'string' ? generated.plan.description : input.task,
    cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
  });
  return { generated: { plan: generated.plan, attempts: generated.attempts, usage: generated.usage }, state };
}
