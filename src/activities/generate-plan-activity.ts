import { ApplicationFailure, Context } from '@temporalio/activity';
import { generatePlan, PlanGenerationError, type GeneratedPlan, type PlanRequest } from '../planner';
import type { ToolRegistry } from '../tools/registry';
import { llmFailure } from '../tools/llm/llm-failures';
import type { LlmAccess } from '../tools/llm/llm-access';
import { LLM_NOT_CONFIGURED, PLAN_GENERATION_ERROR } from '../plan/error-types';

export interface GeneratePlanInput extends PlanRequest {
  maxAttempts?: number;
  model?: string;
}

/** The planner as an activity: model errors become typed failures so Temporal's retry policy is the only one. */
export function createGeneratePlan(
  llm: LlmAccess | null,
  registry: ToolRegistry,
): (input: GeneratePlanInput) => Promise<GeneratedPlan> {
  return async (input) => {
    const model = input.model ?? llm?.defaultModel ?? null;
    if (!llm || !model) {
      throw ApplicationFailure.nonRetryable(
        'the worker has no model to plan with: set OPENAI_BASE_URL (any OpenAI-compatible server) or OPENAI_API_KEY, and PLAN_LLM_MODEL',
        LLM_NOT_CONFIGURED,
      );
    }
    try {
      return await generatePlan(input, {
        client: llm.client,
        model,
        catalog: registry,
        tools: registry.describe(),
        maxAttempts: input.maxAttempts,
        signal: Context.current().cancellationSignal,
      });
    } catch (err) {
      if (err instanceof PlanGenerationError) {
        throw ApplicationFailure.create({
          message: err.message,
          type: PLAN_GENERATION_ERROR,
          nonRetryable: true,
          details: [err.problems],
        });
      }
      throw llmFailure(err, llm.secrets);
    }
  };
}
