import type { z } from 'zod';
import type { MemoryNamespace } from '../plan';
import type { SharedMemory } from '../store/shared-memory';

/** How much harm a tool can do; shown to approvers and to the planner. */
export type RiskLevel = 'read' | 'write' | 'destructive';

/** What a tool gets besides its parameters. */
export interface ToolContext {
  planId: string;
  stepId: string;
  /** 1 for the first attempt; Temporal's retry policy decides whether there is another. */
  attempt: number;
  /** `<planId>:<stepId>`, the same across retries and worker crashes, for tools that must act once. */
  idempotencyKey: string;
  /** Reports liveness; required for long tools so a cancellation reaches them. */
  heartbeat(details?: unknown): void;
  /** Aborted when the step is cancelled. */
  signal: AbortSignal;
  /** The shared memory store (PostgreSQL). */
  memory: SharedMemory;
  /** The step's default memory namespace: the plan's `options.memoryNamespace`, else the plan's own. */
  namespace: MemoryNamespace;
}

export interface Tool<S extends z.ZodType = z.ZodType> {
  /** snake_case; also the activity type, so Temporal Web shows it. */
  name: string;
  description: string;
  parameters: S;
  risk: RiskLevel;
  /**
   * Set for tools that heartbeat: the step's heartbeat timeout, so a dead worker is noticed and a cancellation
   * is delivered promptly. Leave unset for short tools.
   */
  heartbeatTimeoutMs?: number;
  run(parameters: z.infer<S>, context: ToolContext): Promise<unknown>;
}

/** Declares a tool with its parameter type inferred from its schema. */
export function defineTool<S extends z.ZodType>(tool: Tool<S>): Tool<S> {
  return tool;
}
