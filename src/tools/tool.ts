import type { z } from 'zod';
import type { MemoryNamespace } from '../plan';
import type { SharedMemory } from '../store/shared-memory';
import type { LlmAccess } from './llm/llm-access';
import type { ShellAccess } from './shell/shell-access';
import type { SqlConnections } from './sql/sql-connections';

/** How much harm a tool can do; shown to approvers and to the planner. */
export type RiskLevel = 'read' | 'write' | 'destructive';

/** Error type of a call whose parameters do not fit its tool; never retried, the same call would fail the same way. */
export const INVALID_PARAMETERS = 'InvalidParameters';

/** What a tool gets besides its parameters. */
export interface ToolContext {
  planId: string;
  stepId: string;
  /** 1 for the first attempt; Temporal's retry policy decides whether there is another. */
  attempt: number;
  /** `<planId>:<stepId>`, the same across retries and worker crashes, for tools that must act once. */
  idempotencyKey: string;
  /**
   * When this attempt must be over (epoch ms): a little before Temporal's start-to-close timeout, so a tool that
   * stops itself by then fails with its own error type and leaves nothing running behind the retry.
   */
  deadline: number;
  /** Reports liveness; required for long tools so a cancellation reaches them. */
  heartbeat(details?: unknown): void;
  /** Aborted when the step is cancelled. */
  signal: AbortSignal;
  /** The shared memory store (PostgreSQL). */
  memory: SharedMemory;
  /** The step's default memory namespace: the plan's `options.memoryNamespace`, else the plan's own. */
  namespace: MemoryNamespace;
  /** What the `shell` tool may run, and the environment commands start from. */
  shell: ShellAccess;
  /** The databases `sql_query` may use, by name. */
  sql: SqlConnections;
  /** The OpenAI-compatible server of `llm_chat`; null when the worker has none configured. */
  llm: LlmAccess | null;
}

export interface Tool<S extends z.ZodType = z.ZodType> {
  /** snake_case; also the activity type, so Temporal Web shows it. */
  name: string;
  description: string;
  parameters: S;
  risk: RiskLevel;
  /**
   * Top-level parameters whose values are credentials: they are scrubbed from the tool's results and errors, and
   * the plan mirror redacts them (see `secretParamsOf`). Tools keep them out of anything they log.
   */
  secretParams?: string[];
  /**
   * Set for tools that heartbeat: the step's heartbeat timeout, so a dead worker is noticed and a cancellation
   * is delivered promptly. Leave unset for short tools.
   */
  heartbeatTimeoutMs?: number;
  /**
   * Whether steps may run it as a Temporal local activity (`local: true`): only for short tools that need no
   * heartbeat. 'default' makes local the tool's default (a step's `local: false` still wins). Unset: never.
   */
  local?: 'allowed' | 'default';
  run(parameters: z.infer<S>, context: ToolContext): Promise<unknown>;
  /**
   * The tool's default compensation: how to undo a call, given its parameters and result. A step of this tool that
   * declares no `compensate` of its own is undone with it (the worker registers it as activity `<name>:undo`).
   */
  undo?: {
    description: string;
    run(input: { parameters: z.infer<S>; result: unknown }, context: ToolContext): Promise<unknown>;
  };
}

/** The activity type of a tool's default compensation. */
export const undoActivityName = (toolName: string) => `${toolName}:undo`;

/** Declares a tool with its parameter type inferred from its schema. */
export function defineTool<S extends z.ZodType>(tool: Tool<S>): Tool<S> {
  return tool;
}
