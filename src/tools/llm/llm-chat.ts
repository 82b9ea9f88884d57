import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { attemptSignal } from '../attempt-signal';
import { heartbeatWhile, WAITING_TOOL_HEARTBEAT_TIMEOUT_MS } from '../heartbeat-while';
import { defineTool } from '../tool';
import { LLM_NOT_CONFIGURED, LLM_UNAVAILABLE } from '../../plan/error-types';
import { scrubSecrets } from '../secrets';
import { llmFailure } from './llm-failures';

const message = z.object({ role: z.enum(['system', 'developer', 'user', 'assistant']), content: z.string() });

const responseFormat = z.union([
  z.object({ type: z.enum(['text', 'json_object']) }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().min(1),
      schema: z.record(z.string(), z.unknown()),
      strict: z.boolean().optional(),
    }),
  }),
]);

/** One chat completion from the worker's OpenAI-compatible server; Temporal's retry policy is the only retry. */
export const llmChat = defineTool({
  name: 'llm_chat',
  description:
    "Asks the worker's OpenAI-compatible model server (OpenAI, Ollama, vLLM, llama.cpp) for one chat completion. " +
    'Returns { content, json, model, finishReason, usage: { promptTokens, completionTokens, totalTokens } }; json is ' +
    'the parsed content when responseFormat asks for JSON. Rate limits, 5xx, network errors and timeouts fail with ' +
    'LlmUnavailable and are retried (after Retry-After); other 4xx fail with LlmRequestError, not retried; an answer ' +
    "larger than the worker's PLAN_LLM_MAX_RESPONSE_BYTES fails with LlmResponseTooLarge.",
  parameters: z.object({
    messages: z.array(message).min(1),
    model: z.string().min(1).optional().describe("default: the worker's PLAN_LLM_MODEL"),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().min(1).optional(),
    responseFormat: responseFormat
      .optional()
      .describe('{ type: "json_object" } or { type: "json_schema", json_schema } for JSON'),
  }),
  risk: 'read',
  heartbeatTimeoutMs: WAITING_TOOL_HEARTBEAT_TIMEOUT_MS,
  run: async (p, context) => {
    const llm = context.llm;
    if (!llm) {
      throw ApplicationFailure.nonRetryable(
        'llm_chat has no model server on this worker: set OPENAI_API_KEY (for api.openai.com) or OPENAI_BASE_URL ' +
          '(any OpenAI-compatible server, e.g. http://localhost:11434/v1 for Ollama), and PLAN_LLM_MODEL, in the ' +
          "worker's environment",
        LLM_NOT_CONFIGURED,
      );
    }
    const model = p.model ?? llm.defaultModel;
    if (!model) {
      throw ApplicationFailure.nonRetryable(
        'llm_chat needs a model: pass `model`, or set PLAN_LLM_MODEL on the worker',
        LLM_NOT_CONFIGURED,
      );
    }
    const limit = attemptSignal(context);
    const request = llm.client.chat.completions.create(
      {
        model,
        messages: p.messages,
        temperature: p.temperature,
        // max_tokens rather than max_completion_tokens: every OpenAI-compatible server knows it.
        max_tokens: p.maxTokens,
        response_format: p.responseFormat,
      },
      { signal: limit.signal },
    );
    const completion = await heartbeatWhile(context.heartbeat, request).catch((err: unknown) => {
      if (context.signal.aborted) throw context.signal.reason;
      if (limit.timedOut())
        throw ApplicationFailure.retryable(`model server gave no answer within ${limit.limitMs} ms`, LLM_UNAVAILABLE);
      throw llmFailure(err, llm.secrets);
    });
    const choice = completion.choices[0];
    if (!choice)
      throw ApplicationFailure.retryable(
        `model server answered without a choice (model ${completion.model})`,
        LLM_UNAVAILABLE,
      );
    const content = choice.message.content ?? '';
    const usage = completion.usage;
    // A server may put the key into what it answers, too.
    return scrubSecrets(
      {
        content,
        json: p.responseFormat && p.responseFormat.type !== 'text' ? parseJson(content) : null,
        model: completion.model,
        finishReason: choice.finish_reason,
        usage: usage
          ? {
              promptTokens: usage.prompt_tokens,
              completionTokens: usage.completion_tokens,
              totalTokens: usage.total_tokens,
            }
          : null,
      },
      llm.secrets,
    );
  },
});

// A model asked for JSON may still run out of tokens mid-object; the text stays in `content` either way.
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
