/**
 * The agent workflow's activities: a model call (context from PostgreSQL, tokens streamed back to it, the answer
 * stored), a tool call (the plans' tool registry, the answer stored), and the mirror row.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { functionName, functionTable } from '../agents/function-names';
import { planContext, summaryRequest, SUMMARY_INSTRUCTIONS } from '../agents/context-window';
import { modelMessages } from '../agents/model-messages';
import { streamAnswer } from '../agents/stream-answer';
import type { TurnSlots } from '../agents/turn-slots';
import { AGENT_TOOL_CALL_MISSING, INVALID_PARAMETERS, LLM_NOT_CONFIGURED, LLM_UNAVAILABLE } from '../plan/error-types';
import {
  readAnswer,
  readConversation,
  readToolAnswer,
  readToolCall,
  saveSummary,
  writeMessage,
} from '../store/agent-conversation';
import { writeTokens } from '../store/agent-events';
import { writeAgent } from '../store/agent-mirror';
import { PLAN_JSON_SCHEMA } from '../planner/plan-json-schema';
import { SUBMIT_PLAN_TOOL } from '../workflows/agent-definitions';
import { heartbeatWhile } from '../tools/heartbeat-while';
import { llmFailure } from '../tools/llm/llm-failures';
import type { LlmAccess } from '../tools/llm/llm-access';
import { openAiFunctionTools } from '../tools/openai-tools';
import type { ToolRegistry } from '../tools/registry';
import type { AgentActivities, ModelCallInput, ModelCallOutcome } from './agent-types';
import { invokeTool, type ActivityServices } from './tool-activities';

const PREVIEW_CHARS = 2_000;
const ARGUMENTS_PREVIEW_CHARS = 500;

export interface AgentActivityDeps {
  pool: Pool;
  tools: ToolRegistry;
  services: ActivityServices;
  slots: TurnSlots;
}

export function createAgentActivities(deps: AgentActivityDeps): AgentActivities {
  return {
    agentModelCall: (input) => modelCall(deps, input),
    async agentToolCall(input) {
      const context = Context.current();
      const call = await readToolCall(deps.pool, input.agentId, input.callSeq, input.callId);
      if (!call)
        throw ApplicationFailure.nonRetryable(
          `tool call "${input.callId}" is not in message ${input.callSeq} of agent "${input.agentId}"`,
          AGENT_TOOL_CALL_MISSING,
        );
      // An earlier attempt that stored the answer and then lost its worker has run the tool: it is not run twice.
      const answered = await readToolAnswer(deps.pool, input.agentId, input.resultSeq);
      if (answered !== null) return { preview: answered.slice(0, PREVIEW_CHARS) };
      const tool = deps.tools.get(input.tool);
      if (!tool) throw ApplicationFailure.nonRetryable(`this worker has no tool "${input.tool}"`, INVALID_PARAMETERS);
      const parameters = parseArguments(call.arguments);
      const { result } = await invokeTool(tool, deps.services, {
        planId: input.agentId,
        stepId: `turn-${input.turn}:${input.callId}`,
        parameters,
        purpose: 'step',
        memoryNamespace: null,
      });
      const content = cutAnswer(typeof result === 'string' ? result : JSON.stringify(result));
      await writeMessage(deps.pool, input.agentId, input.turn, {
        seq: input.resultSeq,
        role: 'tool',
        content,
        toolCallId: input.callId,
        toolName: tool.name,
      });
      context.log.info('tool call answered', { tool: tool.name, callId: input.callId });
      return { preview: content.slice(0, PREVIEW_CHARS) };
    },
    mirrorAgent: (record) => writeAgent(deps.pool, record),
  };
}

async function modelCall(deps: AgentActivityDeps, input: ModelCallInput): Promise<ModelCallOutcome> {
  const context = Context.current();
  const llm = deps.services.llm;
  if (!llm)
    throw ApplicationFailure.nonRetryable(
      'agents need a model server on the worker: set OPENAI_BASE_URL (any OpenAI-compatible server) or ' +
        'OPENAI_API_KEY, and PLAN_LLM_MODEL',
      LLM_NOT_CONFIGURED,
    );
  const model = input.options.model ?? llm.defaultModel;
  if (!model)
    throw ApplicationFailure.nonRetryable(
      'the agent names no model: start it with --model, or set PLAN_LLM_MODEL on the worker',
      LLM_NOT_CONFIGURED,
    );
  for (const write of input.writes) await writeMessage(deps.pool, input.agentId, input.turn, write);
  const table = functionTable(input.options.tools);
  // The last round the turn allows offers no tools, so the model must answer in words.
  const offered = input.call + 1 >= input.options.maxToolRounds ? [] : input.options.tools;
  const described = deps.tools.describe().filter((tool) => offered.includes(tool.name));
  const tools = [
    ...openAiFunctionTools(described).map((tool) => ({
      ...tool,
      function: { ...tool.function, name: functionName(tool.function.name) },
    })),
    ...(offered.includes(SUBMIT_PLAN_TOOL) ? [SUBMIT_PLAN_FUNCTION] : []),
  ];
  const { attempt } = context.info;
  // An earlier attempt that stored its answer and then lost its worker has done the call: its answer stands, so the
  // tool calls the workflow runs are the ones stored, and the model is not asked (nor billed) twice.
  const stored = await readAnswer(deps.pool, input.agentId, input.replySeq);
  const answer =
    stored ??
    (await deps.slots.hold(context.cancellationSignal, () =>
      heartbeatWhile(
        (details) => context.heartbeat(details),
        (async () => {
          const summary = await summarised(deps.pool, llm, model, input, context.cancellationSignal);
          return streamAnswer(llm.client, {
            model,
            messages: modelMessages(input.options.system, summary.text, summary.keep),
            tools,
            signal: context.cancellationSignal,
            onPiece: () => context.heartbeat(),
            onText: (chunk) =>
              writeTokens(deps.pool, { agentId: input.agentId, turn: input.turn, call: input.call, attempt }, [chunk]),
          });
        })(),
      ).catch((err: unknown) => {
        if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason;
        throw llmFailure(err, llm.secrets);
      }),
    ));
  if (!stored)
    await writeMessage(deps.pool, input.agentId, input.turn, {
      seq: input.replySeq,
      role: 'assistant',
      content: answer.content,
      toolCalls: answer.toolCalls.length > 0 ? answer.toolCalls : null,
    });
  // Two attempts racing (a worker cut off, not dead) store one answer: the one stored is the one acted on.
  const kept = stored ?? (await readAnswer(deps.pool, input.agentId, input.replySeq)) ?? answer;
  return {
    preview: kept.content.slice(0, PREVIEW_CHARS),
    toolCalls: kept.toolCalls.map((call) => {
      const name = table.get(call.name) ?? null;
      if (name === SUBMIT_PLAN_TOOL)
        return {
          id: call.id,
          tool: SUBMIT_PLAN_TOOL,
          requested: call.name,
          needsApproval: false,
          argumentsPreview: call.arguments.slice(0, ARGUMENTS_PREVIEW_CHARS),
          plan: proposedPlan(call.arguments),
          timeoutMs: null,
          heartbeatTimeoutMs: null,
        };
      const tool = name === null ? undefined : deps.tools.get(name);
      return {
        id: call.id,
        tool: tool ? tool.name : null,
        requested: call.name,
        needsApproval:
          tool !== undefined && (tool.risk === 'destructive' || input.options.approveTools.includes(tool.name)),
        argumentsPreview: call.arguments.slice(0, ARGUMENTS_PREVIEW_CHARS),
        timeoutMs: tool?.timeoutMs ?? null,
        heartbeatTimeoutMs: tool?.heartbeatTimeoutMs ?? null,
      };
    }),
  };
}

/**
 * The conversation as the model gets it: when it no longer fits the agent's budget, the older part is summarised
 * (one more model call) and the summary kept, so the next call starts from it.
 */
async function summarised(
  pool: Pool,
  llm: LlmAccess,
  model: string,
  input: ModelCallInput,
  signal: AbortSignal,
): Promise<{ text: string | null; keep: Awaited<ReturnType<typeof readConversation>>['messages'] }> {
  const conversation = await readConversation(pool, input.agentId);
  const plan = planContext(conversation, input.options.contextTokens);
  if (plan.summarise.length === 0) return { text: conversation.summary?.content ?? null, keep: plan.keep };
  const completion = await llm.client.chat.completions.create(
    {
      model,
      messages: [
        { role: 'system', content: SUMMARY_INSTRUCTIONS },
        { role: 'user', content: summaryRequest(conversation.summary?.content ?? null, plan.summarise) },
      ],
    },
    { signal },
  );
  const text = completion.choices[0]?.message.content;
  if (!text) throw ApplicationFailure.retryable('the model gave an empty summary', LLM_UNAVAILABLE);
  await saveSummary(pool, input.agentId, plan.summarise[plan.summarise.length - 1]!.seq, text);
  return { text, keep: plan.keep };
}

/**
 * A tool's answer as stored: whole up to MAX_TOOL_ANSWER_CHARS, else cut with a note, so one tool that returns a
 * database dump cannot fill the conversation table (the model sees at most TOOL_ANSWER_MAX_CHARS of it anyway).
 */
export const MAX_TOOL_ANSWER_CHARS = 1024 * 1024;
function cutAnswer(text: string): string {
  if (text.length <= MAX_TOOL_ANSWER_CHARS) return text;
  return `${text.slice(0, MAX_TOOL_ANSWER_CHARS)}\n[cut: the answer had ${text.length} characters]`;
}

/** What `submit_plan` offers the model: one argument, a plan in the plan file's format. */
const SUBMIT_PLAN_FUNCTION = {
  type: 'function',
  function: {
    name: SUBMIT_PLAN_TOOL,
    description:
      'Proposes a plan of tool steps to run. It runs only after a person approves it; the answer is how it ended ' +
      '(status, reason, each step).',
    parameters: { type: 'object', required: ['plan'], properties: { plan: PLAN_JSON_SCHEMA } },
  },
} as const;

/** The plan in a `submit_plan` call's arguments, or why there is none (the plan itself is judged when it starts). */
function proposedPlan(text: string): { proposed: Record<string, unknown> } | { problem: string } {
  try {
    const { plan } = parseArguments(text) as { plan?: unknown };
    if (typeof plan !== 'object' || plan === null || Array.isArray(plan))
      return { problem: 'the arguments need a "plan" object' };
    return { proposed: plan as Record<string, unknown> };
  } catch (err) {
    return { problem: (err as Error).message };
  }
}

/** The model's argument text as parameters: a JSON object, else a failure the model is told about. */
function parseArguments(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text.trim() === '' ? '{}' : text);
  } catch (err) {
    throw ApplicationFailure.nonRetryable(`the arguments are not JSON: ${(err as Error).message}`, INVALID_PARAMETERS);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw ApplicationFailure.nonRetryable('the arguments must be a JSON object', INVALID_PARAMETERS);
  return value as Record<string, unknown>;
}
