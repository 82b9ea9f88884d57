/**
 * The names that cross process boundaries, defined once: workflow type, signals, queries, updates and
 * search attribute keys. Imported by the workflow, the client, the CLI and the tests.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  AbortInput,
  CancelInput,
  DecisionInput,
  DecisionAnswer,
  PlanEvent,
  PlanSnapshot,
  RetryStepInput,
  SkipStepInput,
} from '../plan';

/** What an operator action answers: the plan's status after it. */
export interface OperatorAnswer {
  status: PlanSnapshot['status'];
  step: string | null;
}

/** Workflow type of a plan run; the workflow id is the plan id. */
export const RUN_PLAN_WORKFLOW = 'runPlan';
/** Workflow type that generates a plan with the model, then runs it (after approval) as a child. */
export const PLAN_AND_RUN_WORKFLOW = 'planAndRun';
/** Workflow type that delivers a plan's step callbacks (`options.notify`); its id is `<planId>/notify`. */
export const DELIVER_PLAN_EVENTS_WORKFLOW = 'deliverPlanEvents';
/** Workflow type of the shared-memory expiry sweep. */
export const SWEEP_MEMORY_WORKFLOW = 'sweepExpiredMemory';
/** The Schedule that runs the sweep every minute. */
export const MEMORY_SWEEP_SCHEDULE_ID = 'durable-plans-memory-sweep';

/** Plan status, so `PlanStatus="pending_approval"` lists plans waiting for a decision. */
export const planStatusKey = defineSearchAttributeKey('PlanStatus', SearchAttributeType.KEYWORD);
/** True while the plan or one of its steps waits for approval. */
export const planPendingApprovalKey = defineSearchAttributeKey('PlanPendingApproval', SearchAttributeType.BOOL);
/** Every custom search attribute the project needs registered on its namespace. */
export const SEARCH_ATTRIBUTES = [planStatusKey, planPendingApprovalKey] as const;

/** Approve the plan (or, with `step`, one gated step). Input optional: `temporal workflow signal --name approve`. */
export const approveSignal = defineSignal<[Partial<DecisionInput>?]>('approve');
/** Reject the plan (or, with `step`, one gated step). */
export const rejectSignal = defineSignal<[Partial<DecisionInput>?]>('reject');
/** Cancels the plan, saying who and why: running steps are cancelled, completed ones compensated. */
export const cancelSignal = defineSignal<[CancelInput?]>('cancel');
/** The same decision as the signals, validated, so the caller learns whether it was taken. */
export const decideUpdate = defineUpdate<DecisionAnswer, [DecisionInput]>('decide');
/** Operator repair of a paused plan: retry a failed step (optionally with new parameters), skip it, or abort. */
export const retryStepUpdate = defineUpdate<OperatorAnswer, [RetryStepInput]>('retryStep');
export const skipStepUpdate = defineUpdate<OperatorAnswer, [SkipStepInput]>('skipStep');
export const abortUpdate = defineUpdate<OperatorAnswer, [AbortInput]>('abort');
/** One plan event for the callback deliverer, sent by the plan it belongs to. */
export const planEventSignal = defineSignal<[PlanEvent]>('planEvent');
/** The whole plan state: the same shape as the workflow's result and `plan status --json`. */
export const stateQuery = defineQuery<PlanSnapshot>('state');
