/**
 * Resume and fork: a plan that ended without undoing its work runs again, reusing the recorded results of the steps
 * that completed. Resume keeps the plan id (a new run of the same workflow id, so the plan's history, Temporal Web
 * page and mirror row stay one); fork starts a new plan from a chosen step, with edited parameters if given.
 */
import type { Client } from '@temporalio/client';
import { checkPlan, compactPlan, descendantsOf, type PlanSnapshot, type StepSnapshot, type ToolCatalog } from '../plan';
import { RUN_PLAN_WORKFLOW } from '../workflows/definitions';
import type { runPlan } from '../workflows';
import type { RunPlanMode } from '../workflows/run-mode';
import { readPlanState } from './read-plan-state';
import { DecisionRefusedError, PlanValidationError } from './plans';

const RESUMABLE = new Set(['failed', 'partial', 'cancelled']);

/** The plan a run was started with: the input of its first history event. */
export async function planInputOf(client: Client, planId: string): Promise<Record<string, unknown>> {
  const history = await client.workflow.getHandle(planId).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error(`plan "${planId}" has no recorded input`);
  return client.options.loadedDataConverter.payloadConverter.fromPayload(payload) as Record<string, unknown>;
}

/**
 * The state of an ended plan that may run again; `orCompleted`: a completed one too (a fork re-runs part of it on
 * purpose).
 */
async function endedState(client: Client, planId: string, orCompleted = false): Promise<PlanSnapshot> {
  const { state, execution } = await readPlanState(client, planId, async () => null);
  if (execution === 'RUNNING') throw new DecisionRefusedError(`plan "${planId}" is still running`);
  if (!RESUMABLE.has(state.status) && !(orCompleted && state.status === 'completed')) {
    throw new DecisionRefusedError(
      `plan "${planId}" ended ${state.status}; only failed, partial or cancelled plans can run again`,
    );
  }
  const undone = state.steps.filter((s) => s.compensation !== null).map((s) => s.id);
  if (undone.length > 0)
    throw new DecisionRefusedError(`plan "${planId}" was compensated (${undone.join(', ')}); start it afresh instead`);
  return state;
}

const completed = (steps: StepSnapshot[]) => steps.filter((s) => s.status === 'completed');

/**
 * Runs an ended plan again under the same id, reusing its completed steps; approval is asked again if the plan asks.
 */
export async function resumePlan(client: Client, planId: string, taskQueue: string) {
  const state = await endedState(client, planId);
  const input = await planInputOf(client, planId);
  const mode: RunPlanMode = { reuse: { steps: completed(state.steps) } };
  return client.workflow.start<(plan: unknown, mode?: RunPlanMode) => ReturnType<typeof runPlan>>(RUN_PLAN_WORKFLOW, {
    workflowId: planId,
    taskQueue,
    args: [input, mode],
  });
}

/** Starts a new plan `newId` from `fromStep` of an ended plan: `fromStep` and what follows it run again. */
export async function forkPlan(
  client: Client,
  planId: string,
  options: {
    fromStep: string;
    parameters?: Record<string, unknown>;
    newId: string;
    taskQueue: string;
    catalog: ToolCatalog;
  },
) {
  const state = await endedState(client, planId, true);
  // Normalised, so batch-form plans (tasks, batches) fork the same way; sent back in compact form.
  const { plan } = checkPlan(await planInputOf(client, planId));
  if (!plan) throw new Error(`plan "${planId}" was started with an input that is not a valid plan`);
  if (!plan.steps.some((s) => s.id === options.fromStep))
    throw new DecisionRefusedError(`plan "${planId}" has no step "${options.fromStep}"`);
  const rerun = descendantsOf(plan.steps, options.fromStep);
  if (options.parameters) plan.steps.find((s) => s.id === options.fromStep)!.parameters = options.parameters;
  const edited = compactPlan(plan);
  const checked = checkPlan(edited, options.catalog);
  if (!checked.plan) throw new PlanValidationError(checked.problems);
  const reuse = completed(state.steps).filter((s) => !rerun.has(s.id));
  return client.workflow.start<(plan: unknown, mode?: RunPlanMode) => ReturnType<typeof runPlan>>(RUN_PLAN_WORKFLOW, {
    workflowId: options.newId,
    taskQueue: options.taskQueue,
    args: [{ ...edited, id: options.newId }, { reuse: { steps: reuse } }],
  });
}
