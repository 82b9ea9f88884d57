/**
 * Plan generation (the LLM plan generator of the Go execution-plan service it replaces): the model answers with a plan
 * as structured output; the answer is checked with the same validator as any plan, and while it is invalid its problems
 * go back to the model, a bounded number of times. The result is a valid plan or a PlanGenerationError listing what is
 * still wrong.
 */
import type OpenAI from 'openai';
import { checkPlan, formatProblem, type ToolCatalog } from '../plan';
import type { ToolDescription } from '../tools/registry';
import { PLAN_JSON_SCHEMA } from './plan-json-schema';
import { planningMessages, repairMessage, type ChatMessage, type PlanRequest } from './planner-prompt';
import { PLAN_GENERATION_ERROR } from '../plan/error-types';

/** Raised when no valid plan came back within the attempts; `problems` are the last answer's. */
export class PlanGenerationError extends Error {
  override readonly name = PLAN_GENERATION_ERROR;
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(message);
  }
}

export interface GeneratedPlan {
  /** The plan as the model wrote it (valid), ready to start. */
  plan: Record<string, unknown>;
  attempts: number;
  usage: { promptTokens: number; completionTokens: number; totalTokens: number };
}

export interface PlannerOptions {
  client: OpenAI;
  model: string;
  catalog: ToolCatalog;
  tools: ToolDescription[];
  maxAttempts?: number;
  signal?: AbortSignal;
}

/** Asks the model for a plan and repairs it until valid, at most `maxAttempts` (default 3) answers. */
export async function generatePlan(request: PlanRequest, options: PlannerOptions): Promise<GeneratedPlan> {
  const maxAttempts = options.maxAttempts ?? 3;
  const messages: ChatMessage[] = planningMessages(request, options.tools);
  const usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  let problems: string[] = [];
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const completion = await options.client.chat.completions.create(
      {
        model: options.model,
        messages,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'execution_plan', schema: PLAN_JSON_SCHEMA, strict: false },
        },
      },
      { signal: options.signal },
    );
    usage.promptTokens += completion.usage?.prompt_tokens ?? 0;
    usage.completionTokens += completion.usage?.completion_tokens ?? 0;
    usage.totalTokens += completion.usage?.total_tokens ?? 0;
    const answer = completion.choices[0]?.message?.content ?? '';
    messages.push({ role: 'assistant', content: answer });
    const parsed = parseAnswer(answer);
    if (typeof parsed === 'string') problems = [parsed];
    else {
      const checked = checkPlan(parsed, options.catalog);
      if (checked.plan) return { plan: parsed, attempts: attempt, usage };
      problems = checked.problems.map(formatProblem);
    }
    messages.push(repairMessage(problems));
  }
  throw new PlanGenerationError(
    `the model gave no valid plan in ${maxAttempts} attempt${maxAttempts === 1 ? '' : 's'}; still wrong:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    problems,
  );
}

function parseAnswer(answer: string): Record<string, unknown> | string {
  // Some servers wrap JSON in a code fence even when asked for JSON.
  const text = answer
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/```$/, '');
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : 'the answer is not a JSON object';
  } catch (err) {
    return `the answer is not JSON: ${(err as Error).message}`;
  }
}
