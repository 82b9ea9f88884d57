import type { NotifyTarget } from './notify-events';
import type { ResourceClaim } from './resources';
/** What to run to undo a completed step; every field defaulted. */
export interface CompensationSpec {
  toolName: string;
  parameters: Record<string, unknown>;
  maxRetries: number;
  retryDelayMs: number;
  /** As written; null: the compensation tool's own default, else its step's timeout (see compensationTimeoutMs). */
  timeoutMs: number | null;
}

/** One step of a normalised plan; every field defaulted. */
export interface StepSpec {
  id: string;
  toolName: string;
  description: string;
  parameters: Record<string, unknown>;
  /** Explicit dependencies, then those derived from batches, without duplicates. */
  dependsOn: string[];
  maxRetries: number;
  retryDelayMs: number;
  /**
   * As written; null: the tool's own default, else options.stepTimeoutMs. Kept apart from those so that what the
   * plan says wins over the tool, and the tool over the plan's default (see stepTimeoutMs).
   */
  timeoutMs: number | null;
  requiresApproval: boolean;
  nonRetryableErrorTypes: string[];
  compensate: CompensationSpec | null;
  /** Fields of the batch plan format we accept (taskId, complexity, ...), kept so the mirror answers in its terms. */
  batchIndex: number | null;
  complexity: 'low' | 'medium' | 'high' | null;
  isRequiredValidateByDatabase: boolean;
  /**
   * Run once every dependency has finished, even if some failed or were skipped (with continueOnError): for fan-in
   * steps such as `merge` in first_success mode, which see each dependency's outcome through `{{dependencies}}`.
   */
  acceptFailedDependencies: boolean;
  /**
   * Run as a Temporal local activity (true), as a regular one (false), or as the tool prefers (null). Local suits
   * short tools: one history marker instead of three events, and no task-queue round trip.
   */
  local: boolean | null;
  /**
   * Resources the step (and its compensation) holds while it runs: shared for `read`, exclusive for `write`, all
   * granted together, so a step never holds one while it waits for another.
   */
  resources: ResourceClaim[];
}

/** What a failure under stopOnError leads to: undo what completed, wait for an operator, or just fail. */
export type OnFailure = 'compensate' | 'pause' | 'fail';

/** How a plan runs; every field defaulted. */
export interface PlanOptions {
  requireApproval: boolean;
  /** null waits for a decision forever. */
  approvalTimeoutMs: number | null;
  onApprovalTimeout: 'reject' | 'approve';
  autoApprove: boolean;
  /** null lets anyone approve. */
  approvers: string[] | null;
  requiredApprovals: number;
  allowParallel: boolean;
  maxParallelSteps: number;
  /**
   * After a failure, keep running independent branches (the failed step's dependents are skipped) instead of
   * stopping. Plan files may say it either way: `continueOnError: true` or `stopOnError: false`.
   */
  continueOnError: boolean;
  stepTimeoutMs: number;
  totalTimeoutMs: number | null;
  onFailure: OnFailure;
  /** Whether the plan file chose `onFailure`: a tool's default compensation may change the default, never a choice. */
  onFailureChosen: boolean;
  /**
   * Shared-memory namespace of the plan's steps, `project/environment/agent_type/session_id`; null = the plan's own.
   */
  memoryNamespace: string | null;
  /**
   * Shared memory the plan's steps may reach besides their own namespace and `memoryNamespace`: whole namespaces, or
   * prefixes ending in `/*`. Anything else is refused (MemoryAccessDenied).
   */
  memoryNamespaces: string[];
  /** Whether the plan is mirrored into PostgreSQL (default true); off for plans nobody reads there. */
  mirror: boolean;
  /** Step callbacks: where the plan's events are POSTed, signed, by a delivery workflow of its own. */
  notify: NotifyTarget[];
  /** Where the plan's steps stand in line for resources: higher first; waiting raises it, so nobody starves. */
  priority: number;
}

/** A normalised plan: what workflows, client and planner consume. */
export interface Plan {
  id: string | null;
  description: string;
  options: PlanOptions;
  steps: StepSpec[];
}

/** One thing wrong with a plan; stepId is null when no single step is concerned. */
export interface Problem {
  stepId: string | null;
  field: string | null;
  message: string;
}
