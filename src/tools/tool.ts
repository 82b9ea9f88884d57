import type { Logger } from '@temporalio/common';
import type { z } from 'zod';
import type { OutboundPolicy } from './http/outbound-policy';
import type { LlmAccess } from './llm/llm-access';
import type { ShellAccess } from './shell/shell-access';
import type { SqlConnections } from './sql/sql-connections';
import type { StepMemory } from './step-memory';

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
  /**
   * When this attempt must be over (epoch ms): a little before Temporal's start-to-close timeout, so a tool that
   * stops itself by then fails with its own error type and leaves nothing running behind the retry.
   */
  deadline: number;
  /** Reports liveness; required for long tools so a cancellation reaches them. */
  heartbeat(details?: unknown): void;
  /** Aborted when the step is cancelled. */
  signal: AbortSignal;
  /**
   * Every secret this call carries — its secret parameters' values and the `{{secrets.NAME}}` values filled in —
   * longest first. The worker scrubs them from what the tool returns or throws; a tool that cuts text (output, bodies)
   * redacts them before cutting, so a secret straddling the cut leaves no half behind.
   */
  secrets: readonly string[];
  /** Shared memory in the step's namespace, writing as this step, so a tool need not work out where or as whom. */
  memory: StepMemory;
  /** The activity's logger, so a tool's lines carry the workflow and activity ids of its step. */
  logger: Logger;
  /** What the `shell` tool may run, and the environment commands start from. */
  shell: ShellAccess;
  /** The databases `sql_query` may use, by name. */
  sql: SqlConnections;
  /** The OpenAI-compatible server of `llm_chat`; null when the worker has none configured. */
  llm: LlmAccess | null;
  /**
   * Where requests made on the plan's behalf may go: pass every destination through it (`outboundFetch` does, on each
   * redirect hop), so no tool reaches the worker's own machine or network unless PLAN_HTTP_ALLOW opens it.
   */
  http: OutboundPolicy;
  /**
   * The fencing token of the resources the step holds (its `resources`), null when it holds none: it grows with
   * every grant, so a store that remembers the last token it saw can refuse a write from a holder that lost its lock.
   */
  fencingToken: number | null;
}

export interface Tool<S extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  /** snake_case; also the activity type, so Temporal Web shows it. */
  name: string;
  description: string;
  /** What a step passes; an object schema refuses keys it does not name (unless `.loose()`), so typos are caught. */
  parameters: S;
  /**
   * The parameters' JSON Schema when it comes from elsewhere (an MCP server's input schema): what `plan tools` and
   * the planner are shown, as the source wrote it; `parameters` then only checks them.
   */
  parametersJsonSchema?: Record<string, unknown>;
  /**
   * What `run` returns: a misfit fails this step (InvalidToolResult), not the steps reading it; keeps the parsed value.
   */
  result?: R;
  /** Default start-to-close timeout of the tool's steps, for tools slower or stricter than a plan's default. */
  timeoutMs?: number;
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
  /**
   * What a call reaches, for circuit breakers kept per tool and target (`per: 'target'`): the HTTP host, the SQL
   * connection's name. Unset: the tool is its own target.
   */
  target?(parameters: z.infer<S>): string;
  run(parameters: z.infer<S>, context: ToolContext): Promise<z.input<R>>;
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

/** Declares a tool with its parameter and result types inferred from its schemas. */
export function defineTool<S extends z.ZodType, R extends z.ZodType = z.ZodType>(tool: Tool<S, R>): Tool<S, R> {
  return tool;
}
