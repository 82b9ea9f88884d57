/**
 * `plan generate "<task>"`: the model writes a plan, the validator checks it (repairing it with the model), you get a
 * file.
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { startPlan } from '../api/plans';
import { DEFAULTS } from '../config';
import { generatePlan, PlanGenerationError } from '../planner';
import { createLlmAccess } from '../tools/llm/llm-access';
import { integerOption, stringOption } from './args';
import { CliError, EXIT, usageError } from './errors';
import type { Command } from './command';
import { count } from './plural';

export const generate: Command = {
  spec: {
    usage:
      'plan generate "<task>" [--context TEXT] [--constraint TEXT ...] [--out FILE] [--start] [--no-approval] [--max-attempts N] [--model NAME]',
    summary:
      'Asks the model for a plan, validates it and lets the model repair it (3 attempts by default). Prints the plan\n' +
      'as YAML, writes it with --out, starts it with --start — waiting for approval unless --no-approval. The model:\n' +
      `OPENAI_API_KEY for OpenAI itself (${DEFAULTS.openAiModel} unless PLAN_LLM_MODEL), or OPENAI_BASE_URL for any\n` +
      'OpenAI-compatible server with PLAN_LLM_MODEL naming its model.',
    example: 'npm run -s plan -- generate "optimise the slow order queries" --constraint "read-only" --out plan.yaml',
    options: {
      context: { type: 'string', value: 'TEXT', description: 'what the model should know about the task' },
      constraint: {
        type: 'string',
        value: 'TEXT',
        multiple: true,
        description: 'a rule the plan must keep (repeatable)',
      },
      out: { type: 'string', value: 'FILE', description: 'write the plan to this file instead of printing it' },
      start: { type: 'boolean', description: 'start the plan once generated' },
      'no-approval': { type: 'boolean', description: 'the plan does not wait for approval before it runs' },
      'max-attempts': { type: 'string', value: 'N', description: 'attempts at a valid plan (default 3)' },
      model: {
        type: 'string',
        value: 'NAME',
        description: `the model to ask (default PLAN_LLM_MODEL; at OpenAI itself, ${DEFAULTS.openAiModel})`,
      },
      json: { type: 'boolean', description: 'print the plan as JSON instead of YAML' },
    },
    positionals: 1,
  },
  async run(ctx, parsed) {
    const { llm } = ctx.config;
    const access = createLlmAccess(llm);
    const model = stringOption(parsed, 'model') ?? llm.model;
    if (!access || !model) throw usageError(noModelMessage(llm.baseUrl));
    const registry = await ctx.tools();
    let generated;
    try {
      generated = await generatePlan(
        {
          task: parsed.positionals[0]!,
          context: stringOption(parsed, 'context'),
          constraints: (parsed.values.constraint as string[] | undefined) ?? [],
        },
        {
          client: access.client,
          model,
          catalog: registry,
          tools: registry.describe(),
          maxAttempts: integerOption(stringOption(parsed, 'max-attempts'), 'max-attempts'),
        },
      );
    } catch (err) {
      if (err instanceof PlanGenerationError) throw new CliError(err.message, EXIT.planEndedBadly);
      throw new CliError(`the model server failed: ${(err as Error).message}`, EXIT.unreachable);
    }
    const requireApproval = !parsed.values['no-approval'];
    const plan = { ...generated.plan, options: { ...(generated.plan.options as object | undefined), requireApproval } };
    const text = ctx.output.json ? JSON.stringify(plan, null, 2) : stringify(plan);
    const out = stringOption(parsed, 'out');
    if (out) writeFileSync(out, text);
    else ctx.output.out(text);
    ctx.output.err(
      `generated in ${count(generated.attempts, 'attempt')}, ${count(generated.usage.totalTokens, 'token')}${out ? `; written to ${out}` : ''}`,
    );
    if (!parsed.values.start) return EXIT.ok;
    const handle = await startPlan(await ctx.temporal(), plan, { taskQueue: ctx.config.taskQueue, catalog: registry });
    ctx.output.err(`started plan ${handle.workflowId}: ${ctx.webLink(handle.workflowId, handle.firstExecutionRunId)}`);
    if (requireApproval) ctx.output.err(`approve it: npm run -s plan -- approve ${handle.workflowId} --by <your-name>`);
    return EXIT.ok;
  },
};

// Both ways to get a model, with the variables each needs: a person without one has nothing else to go on.
function noModelMessage(baseUrl: string | null): string {
  if (baseUrl !== null) {
    return `no model named for the server at OPENAI_BASE_URL (${baseUrl}): set PLAN_LLM_MODEL to one it serves, or pass --model`;
  }
  return (
    'no model configured. Either:\n' +
    `  - OpenAI itself: set OPENAI_API_KEY (the model is ${DEFAULTS.openAiModel} unless PLAN_LLM_MODEL or --model names another), or\n` +
    '  - any OpenAI-compatible server (Ollama: http://localhost:11434/v1, vLLM, llama.cpp): set OPENAI_BASE_URL to it,\n' +
    '    PLAN_LLM_MODEL to the model name (or pass --model), and OPENAI_API_KEY if it wants a key.'
  );
}
