/**
 * The shapes that cross between the workflow and the activities. Workflow code imports this file with
 * `import type` only.
 */
import type { MirrorBatch, Problem, SecretSlot } from '../plan';
import type { GeneratedPlan } from '../planner';
import type { GeneratePlanInput } from './generate-plan-activity';
import type { CarriedConfirmation } from './carried-mirror';
import type { PlanEventDelivery } from './deliver-plan-event';

/** One call of a tool for a step (or for a step's compensation). */
export interface StepCall {
  planId: string;
  stepId: string;
  /** Parameters with every `{{steps...}}` reference already resolved. */
  parameters: Record<string, unknown>;
  /**
   * Where the plan wrote `{{secrets.NAME}}` in these parameters: the activity fills in those places only. Absent: none.
   */
  secrets?: SecretSlot[];
  /** A compensation gets its own idempotency key, distinct from the step's. */
  purpose: 'step' | 'compensation';
  /** The plan's `options.memoryNamespace`; null means the plan's own namespace. */
  memoryNamespace: string | null;
  /** The plan's `options.memoryNamespaces`: what its steps may reach besides the above and their own namespace. */
  memoryNamespaces?: string[];
  /** The fencing token of the resources the call holds (`resources`); absent when it holds none. */
  fencingToken?: number;
  /**
   * What an open circuit breaker does to the call: 'wait' (absent) fails it with a CircuitOpen that Temporal retries
   * after the cool-down; 'fail' fails it for good, for plans that pause on a failure.
   */
  onCircuitOpen?: 'wait' | 'fail';
  /**
   * The plan's mirror changes this step carries to PostgreSQL (this step starting among them), so the workflow does
   * not hold its task open for a write of its own; written at each attempt's start. Absent: none to carry.
   */
  mirror?: MirrorBatch;
  /** The carried write of the step before (its version, its step) this call is to confirm; absent: none. */
  confirms?: CarriedConfirmation;
}

export interface StepOutcome {
  result: unknown;
  /** The attempt that succeeded (1 = first). */
  attempt: number;
  /** Only from a local activity: when its first attempt was scheduled and when it finished, by the worker's clock. */
  startedAt?: string;
  finishedAt?: string;
  /**
   * Only for a call that carried mirror changes: they and this step's result are being written, in the background;
   * the next carrying call confirms it (`confirmed`). A worker that does not know `StepCall.mirror` leaves this out,
   * and the workflow then writes those rows itself.
   */
  mirrored?: 'pending';
  /** Only for a call given `confirms`: whether that earlier write landed. */
  confirmed?: boolean;
}

/** What a failing tool call attaches to its ApplicationFailure, so the plan can count attempts. */
export interface FailureDetails {
  attempt: number;
}

/** How the workflow should run a tool: the worker knows, the workflow does not import tools. */
export interface ToolHint {
  heartbeatTimeoutMs: number | null;
  /**
   * The tool's default start-to-close timeout, used when a step sets none (see stepTimeoutMs); null: the tool has
   * none. Absent from hints recorded before tools could declare one, which read it as null.
   */
  timeoutMs?: number | null;
  /** Top-level parameters holding credentials: the mirror shows them as "[redacted]". */
  secretParams: string[];
  /** The activity type of the tool's default compensation, or null when it has none. */
  undo: string | null;
  /** Whether the tool's steps run as local activities unless they say otherwise. */
  local: boolean;
}

export interface ToolCheck {
  problems: Problem[];
  hints: Record<string, ToolHint>;
}

/** Every tool is an activity of this shape, named after the tool. */
export type ToolActivity = (call: StepCall) => Promise<StepOutcome>;

/** Where one piece of a plan's carried progress is kept: the run that wrote it, and its index. */
export interface CheckpointChunkRef {
  planId: string;
  runId: string;
  chunk: number;
}

export interface CheckpointChunk extends CheckpointChunkRef {
  data: string;
}

export interface PlanActivities {
  /** Checks a plan (compact form) against the worker's tool registry. */
  checkPlanTools(compact: Record<string, unknown>): Promise<ToolCheck>;
  /**
   * Writes the plan's changed rows to PostgreSQL; run as a local activity, one in flight at a time. `changedAt`: when
   * the first change the batch carries was made (workflow clock, ms), for the mirror-lag metric.
   */
  mirrorPlan(batch: MirrorBatch, changedAt?: number): Promise<void>;
  /** Stores one chunk of the progress a run carries over when it continues as new. */
  saveCheckpoint(chunk: CheckpointChunk): Promise<void>;
  /** Reads one chunk back, in the run that continued. */
  loadCheckpoint(ref: CheckpointChunkRef): Promise<string>;
  /** Drops a plan's checkpoints once its last run has ended. */
  dropCheckpoints(planId: string): Promise<void>;
  /** Deletes expired shared-memory entries; returns how many. */
  cleanupExpiredMemory(): Promise<number>;
  /** Asks the model for a plan and repairs it until valid (the planner, as an activity). */
  generatePlan(input: GeneratePlanInput): Promise<GeneratedPlan>;
  /** POSTs one plan event to one callback target, signed (step callbacks, `options.notify`). */
  deliverPlanEvent(delivery: PlanEventDelivery): Promise<void>;
}
