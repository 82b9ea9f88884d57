/**
 * Starting and driving plans from TypeScript: what agent code imports instead of shelling out to the CLI,
 * and what the CLI itself is built on.
 */
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  checkPlan,
  compactPlan,
  needsApproval,
  type CancelInput,
  type DecisionAnswer,
  type DecisionInput,
  type PlanSnapshot,
  type Problem,
  type ToolCatalog,
} from '../plan';
import { PLAN_VALIDATION_ERROR } from '../plan/error-types';
import {
  cancelSignal,
  decideUpdate,
  planPendingApprovalKey,
  planStatusKey,
  RUN_PLAN_WORKFLOW,
  stateQuery,
} from '../workflows/definitions';
import type { runPlan } from '../workflows';
import { planDetails } from './plan-details';

/** Raised when a plan is refused before it starts; `problems` lists every one. */
export class PlanValidationError extends Error {
  override readonly name = PLAN_VALIDATION_ERROR;
  constructor(readonly problems: Problem[]) {
    super(`plan is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'})`);
  }
}

/** Raised when the plan refuses a decision (wrong approver, nothing waiting, already decided). */
export class DecisionRefusedError extends Error {
  override readonly name = 'DecisionRefusedError';
}

export interface StartPlanOptions {
  taskQueue: string;
  /** The tools the worker offers, to refuse unknown tools and bad parameters before anything starts. */
  catalog: ToolCatalog;
  /** Overrides the plan file's id; without either, a fresh id is made. */
  id?: string;
}

/** Validates a plan (the parsed plan file) and starts it as a `runPlan` workflow whose id is the plan id. */
export async function startPlan(
  client: Client,
  input: unknown,
  options: StartPlanOptions,
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof runPlan>> {
  const { plan, problems } = checkPlan(input, options.catalog);
  if (!plan) throw new PlanValidationError(problems);
  const planId = options.id ?? plan.id ?? `plan-${randomUUID()}`;
  return client.workflow.start<typeof runPlan>(RUN_PLAN_WORKFLOW, {
    workflowId: planId,
    taskQueue: options.taskQueue,
    args: [{ ...compactPlan(plan), id: planId }],
    staticSummary: plan.description || undefined,
    staticDetails: planDetails(plan),
    typedSearchAttributes: [
      { key: planStatusKey, value: needsApproval(plan.options) ? 'pending_approval' : 'draft' },
      { key: planPendingApprovalKey, value: needsApproval(plan.options) },
    ],
  });
}

/** Sends a validated decision; resolves with the plan's answer or throws DecisionRefusedError with its reason. */
export function decide(client: Client, planId: string, decision: DecisionInput): Promise<DecisionAnswer> {
  return refusableUpdate(client, planId, decideUpdate, decision);
}

/** Runs one of the plan's validating updates; a refusal (or a plan that has ended) is a DecisionRefusedError. */
export async function refusableUpdate<R, I>(
  client: Client,
  planId: string,
  update: UpdateDefinition<R, [I]>,
  input: I,
  /** What the workflow is to its user: "plan", or "agent". */
  noun = 'plan',
): Promise<R> {
  try {
    return await client.workflow.getHandle(planId).executeUpdate(update, { args: [input] });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw new DecisionRefusedError(err.cause?.message ?? err.message);
    // An update cannot reach a closed workflow; say so in the user's terms rather than "not found".
    if (err instanceof WorkflowNotFoundError && (await hasEnded(client, planId))) {
      throw new DecisionRefusedError(`${noun} "${planId}" has already ended`);
    }
    throw err;
  }
}

/** Cancels a plan, recording who and why: running steps are cancelled, completed ones compensated. */
export async function cancelPlan(client: Client, planId: string, input: CancelInput = {}): Promise<void> {
  await client.workflow.getHandle(planId).signal(cancelSignal, input);
}

/** The plan's current state, from the running workflow (or its history once it ended). */
export function getState(client: Client, planId: string): Promise<PlanSnapshot> {
  return client.workflow.getHandle(planId).query(stateQuery);
}

async function hasEnded(client: Client, planId: string): Promise<boolean> {
  const description = await client.workflow
    .getHandle(planId)
    .describe()
    .catch(() => null);
  return description !== null && description.status.name !== 'RUNNING';
}
