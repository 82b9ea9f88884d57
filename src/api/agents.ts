/**
 * Starting and talking to agents from TypeScript: what `plan agent ...` is built on. An agent is an `agent` workflow
 * whose id is the agent id; its conversation and its stream are in PostgreSQL (subscribeAgent, waitForReply).
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { AgentInput, AgentOptions, AgentState, LifecycleInput, SendAnswer } from '../activities/agent-types';
import { functionTable } from '../agents/function-names';
import type { ToolCatalog } from '../plan';
import { readReply } from '../store/agent-conversation';
import { lastEventId } from '../store/agent-events';
import { listAgents } from '../store/agent-mirror';
import {
  AGENT_WORKFLOW,
  agentQuery,
  pauseUpdate,
  resumeUpdate,
  sendUpdate,
  spawnUpdate,
  SUBMIT_PLAN_TOOL,
  terminateUpdate,
} from '../workflows/agent-definitions';
import { DecisionRefusedError, refusableUpdate } from './plans';
import { subscribeAgent } from './subscribe-agent';

/** An agent that cannot be started as asked: a bad id, an unknown tool, an id in use. */
export class AgentStartError extends Error {
  override readonly name = 'AgentStartError';
}

/** The defaults of what `startAgent` leaves out. */
export const AGENT_DEFAULTS = { contextTokens: 16_000, maxToolRounds: 8 } as const;

/** Every model call's input carries the system prompt through history, so it is kept to a page or two. */
export const MAX_SYSTEM_PROMPT_CHARS = 16 * 1024;

const AGENT_ID = /^[A-Za-z0-9_.:-]{1,128}(\/[A-Za-z0-9_.-]{1,64})*$/;

export interface StartAgentOptions {
  taskQueue: string;
  /** The tools the worker offers, so an unknown tool is refused before the agent starts. */
  catalog: ToolCatalog;
}

/**
 * Starts agent `agentId`. An id `<parent>/<name>` starts a child of the running agent `<parent>`, which cancels it
 * when it ends.
 */
export async function startAgent(
  client: Client,
  agentId: string,
  options: Partial<AgentOptions>,
  start: StartAgentOptions,
): Promise<void> {
  const full = agentOptions(options, start.catalog);
  if (!AGENT_ID.test(agentId))
    throw new AgentStartError(
      `agent id "${agentId}" must be letters, digits and _ . : - (a child: <parent>/<name>), at most 128 characters`,
    );
  const slash = agentId.lastIndexOf('/');
  if (slash > 0) {
    const parentId = agentId.slice(0, slash);
    await refusableUpdate(client, parentId, spawnUpdate, { name: agentId.slice(slash + 1), options: full }, 'agent');
    return;
  }
  try {
    await client.workflow.start(AGENT_WORKFLOW, {
      workflowId: agentId,
      taskQueue: start.taskQueue,
      args: [{ agentId, options: full } satisfies AgentInput],
      staticSummary: `agent ${agentId}${full.group ? ` (group ${full.group})` : ''}`,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError)
      throw new AgentStartError(`an agent or plan with id "${agentId}" is already running`);
    throw err;
  }
}

/** The options with their defaults, every tool checked against the catalogue and against what models accept. */
export function agentOptions(options: Partial<AgentOptions>, catalog: ToolCatalog): AgentOptions {
  const tools = [...new Set(options.tools ?? [])];
  const approveTools = [...new Set(options.approveTools ?? [])];
  for (const tool of [...tools, ...approveTools]) {
    if (!catalog.has(tool) && tool !== SUBMIT_PLAN_TOOL)
      throw new AgentStartError(`unknown tool "${tool}"; \`plan tools\` lists them`);
  }
  try {
    functionTable(tools);
  } catch (err) {
    throw new AgentStartError((err as Error).message);
  }
  if (options.system && options.system.length > MAX_SYSTEM_PROMPT_CHARS)
    throw new AgentStartError(
      `the system prompt is ${options.system.length} characters; at most ${MAX_SYSTEM_PROMPT_CHARS} (every model call carries it)`,
    );
  const positive = (value: number | undefined, name: string, fallback: number) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 1) throw new AgentStartError(`${name} must be a positive integer`);
    return value;
  };
  return {
    system: options.system ?? null,
    model: options.model ?? null,
    tools,
    approveTools,
    group: options.group ?? null,
    contextTokens: positive(options.contextTokens, 'contextTokens', AGENT_DEFAULTS.contextTokens),
    maxToolRounds: positive(options.maxToolRounds, 'maxToolRounds', AGENT_DEFAULTS.maxToolRounds),
  };
}

/** Puts a message in the agent's inbox; resolves with its acknowledgement id. A refusal says why. */
export function sendToAgent(
  client: Client,
  agentId: string,
  text: string,
  options: { from?: string; id?: string } = {},
): Promise<SendAnswer> {
  return refusableUpdate(client, agentId, sendUpdate, { text, ...options }, 'agent');
}

/** Sends the message to every member of a group that is not terminated; the answers by agent id. */
export async function sendToGroup(
  client: Client,
  pool: Pool,
  group: string,
  text: string,
  options: { from?: string } = {},
): Promise<Array<{ agentId: string } & SendAnswer>> {
  const members = (await listAgents(pool, { group })).filter((row) => row.status !== 'terminated');
  if (members.length === 0) throw new DecisionRefusedError(`group "${group}" has no running agents`);
  return Promise.all(
    members.map(async ({ agentId }) => ({ agentId, ...(await sendToAgent(client, agentId, text, options)) })),
  );
}

/** The agent's state from its workflow (or its history, once it ended). */
export function agentState(client: Client, agentId: string): Promise<AgentState> {
  return client.workflow.getHandle(agentId).query(agentQuery);
}

export function pauseAgent(client: Client, agentId: string, input: LifecycleInput = {}): Promise<AgentState> {
  return refusableUpdate(client, agentId, pauseUpdate, input, 'agent');
}

export function resumeAgent(client: Client, agentId: string, input: LifecycleInput = {}): Promise<AgentState> {
  return refusableUpdate(client, agentId, resumeUpdate, input, 'agent');
}

export function terminateAgent(client: Client, agentId: string, input: LifecycleInput = {}): Promise<AgentState> {
  return refusableUpdate(client, agentId, terminateUpdate, input, 'agent');
}

/**
 * The agent's answer to the message acknowledged as `ackId`, once the turn that took it is over; rejects when
 * `signal` aborts first.
 */
export async function waitForReply(pool: Pool, agentId: string, ackId: string, signal?: AbortSignal): Promise<string> {
  // The stream starts where the table is read, so a reply stored in between is not missed.
  const stream = subscribeAgent(pool, agentId, { signal, from: await lastEventId(pool, agentId) });
  try {
    let reply = await readReply(pool, agentId, ackId);
    if (reply !== null) return reply;
    for await (const event of stream) {
      if (event.type !== 'message' || event.role !== 'assistant') continue;
      reply = await readReply(pool, agentId, ackId);
      if (reply !== null) return reply;
    }
    throw signal?.reason ?? new Error('stopped waiting for the reply');
  } finally {
    await stream.return(undefined);
  }
}
