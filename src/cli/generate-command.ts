/**
 * `plan generate "<task>"`: the model writes a plan, the validator checks it (repairing it with the model), you get a
 * file.
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { startPlan } from '../api/plans';
import { generatePlan, PlanGenerationError } from '../planner';
import { createLlmAccess } from '../tools/llm/llm-access';
import { integerOption, stringOption } from './args';
import { CliError, EXIT, usageError } from './errors';
import type { Command } from './command';

export const generate: Command = {
  spec: {
    usage:
      'plan generate "<task>" [--context TEXT] [--constraint TEXT ...] [--out FILE] [--start] [--no-approval] [--max-attempts N] [--model NAME]',
    summary:
      'Asks the model (OPENAI_BASE_URL / OPENAI_API_KEY, PLAN_LLM_MODEL) for a plan, validates it and lets the model repair\n' +
      'it (3 attempts by default). Prints the plan as YAML, writes it with --out, starts it with --start — waiting for\n' +
      'approval unless --no-approval.',
    example: 'npm run -s plan -- generate "optimise the slow order queries" --constraint "read-only" --out plan.yaml',
    options: {
      context: { type: 'string' },
      constraint: { type: 'string', multiple: true },
      out: { type: 'string' },
      start: { type: 'boolean' },
      'no-approval': { type: 'boolean' },
      'max-attempts': { type: 'string' },
      model: { type: 'string' },
      json: { type: 'boolean' },
    },
    positionals: 1,
  },
  async run(ctx, parsed) {
    const { llm } = ctx.config;
    const access = createLlmAccess(llm);
    const model = stringOption(parsed, 'model') ?? llm.model;
    if (!access || !model) {
      throw usageError(
        'no model configured. Set OPENAI_BASE_URL to any OpenAI-compatible server (Ollama: http://localhost:11434/v1,\n' +
          'vLLM, llama.cpp) or OPENAI_API_KEY for OpenAI, and PLAN_LLM_MODEL to the model name (or pass --model).',
      );
    }
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
      `generated in ${generated.attempts} attempt(s), ${generated.usage.totalTokens} tokens${out ? `; written to ${out}` : ''}`,
    );
    if (!parsed.values.start) return EXIT.ok;
    const handle = await startPlan(await ctx.temporal(), plan, { taskQueue: ctx.config.taskQueue, catalog: registry });
    ctx.output.err(`started plan ${handle.workflowId}: ${ctx.webLink(handle.workflowId, handle.firstExecutionRunId)}`);
    if (requireApproval) ctx.output.err(`approve it: npm run -s plan -- approve ${handle.workflowId} --by <your-name>`);
    return EXIT.ok;
  },
};
