/**
 * The agent workflow's names, defined once: its type, its message signal and updates, its query. Approvals use the
 * plans' own `approve`/`reject` signals and `decide` update (definitions.ts), so `plan approve <agent-id>` and
 * Temporal Web's signal dialog work on agents as on plans.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  AgentMessageInput,
  AgentOptions,
  AgentState,
  LifecycleInput,
  SendAnswer,
} from '../activities/agent-types';

/**
 * The tool an agent lists to propose whole plans: each call runs the plan as a child `runPlan` that waits for approval
 * like any plan (`plan approve <agent>/plan-<turn>-<call>`), and its final state is the call's answer.
 */
export const SUBMIT_PLAN_TOOL = 'submit_plan';

/** Workflow type of an agent; the workflow id is the agent id. */
export const AGENT_WORKFLOW = 'agent';

/** A message for the agent's inbox. A malformed one is dropped (logged); use `send` to be told. */
export const messageSignal = defineSignal<[AgentMessageInput]>('message');
/** The same message, checked, answered with its acknowledgement id. */
export const sendUpdate = defineUpdate<SendAnswer, [AgentMessageInput]>('send');
/** No new model or tool call starts until `resume`; the one running finishes. */
export const pauseUpdate = defineUpdate<AgentState, [LifecycleInput]>('pause');
/** Ends a pause, or retries the turn that failed (status `error`). */
export const resumeUpdate = defineUpdate<AgentState, [LifecycleInput]>('resume');
/** Stops the agent for good: the running call is cancelled, the workflow ends with its state. */
export const terminateUpdate = defineUpdate<AgentState, [LifecycleInput]>('terminate');
/** Starts a child agent `<this id>/<name>`, cancelled with this one. */
export const spawnUpdate = defineUpdate<string, [SpawnInput]>('spawn');
/** Status, inbox length, turns, last reply, children. */
export const agentQuery = defineQuery<AgentState>('agent');

export interface SpawnInput {
  /** The child's own name: its id is `<parent>/<name>`. */
  name: string;
  options: AgentOptions;
}
