/** `plan retry`, `plan skip`, `plan abort` repair a paused plan; `plan resume`, `plan fork` run an ended one again. */
import { abortPlan, retryStep, skipStep } from '../api/operator';
import { forkPlan, resumePlan } from '../api/resume';
import type { OperatorAnswer } from '../workflows/definitions';
import { stringOption, type Parsed } from './args';
import type { CliContext } from './context';
import { EXIT, usageError } from './errors';
import { defaultActor, type Command } from './command';

function json(parsed: Parsed, name: string): unknown {
  const text = stringOption(parsed, name);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw usageError(`--${name} must be JSON: ${(err as Error).message}`);
  }
}

/** A JSON-object option (step parameters), or undefined when absent. */
function jsonObject(parsed: Parsed, name: string): Record<string, unknown> | undefined {
  const value = json(parsed, name);
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw usageError(`--${name} must be a JSON object`);
  }
  return value as Record<string, unknown> | undefined;
}

async function operate(
  ctx: CliContext,
  planId: string,
  call: () => Promise<OperatorAnswer>,
  done: string,
): Promise<number> {
  const answer = await call();
  ctx.output.out(`${done}; plan ${planId} is ${answer.status}`);
  return EXIT.ok;
}

export const retry: Command = {
  spec: {
    usage: 'plan retry <planId> [--step ID] [--params JSON] [--by NAME]',
    summary:
      'Runs a failed step of a paused plan again (the only failed one unless --step), with new parameters if given.',
    example: `npm run -s plan -- retry release-42 --step deploy --params '{"url":"https://deploy.example/api"}'`,
    options: {
      step: { type: 'string', value: 'ID', description: 'the failed step to run again (needed when several failed)' },
      params: { type: 'string', value: 'JSON', description: 'new parameters for the step, a JSON object' },
      by: { type: 'string', value: 'NAME', description: 'who retries, as recorded (default: your user name)' },
    },
    positionals: 1,
  },
  async run(ctx, parsed) {
    const planId = parsed.positionals[0]!;
    const parameters = jsonObject(parsed, 'params');
    const step = stringOption(parsed, 'step');
    return operate(
      ctx,
      planId,
      async () =>
        retryStep(await ctx.temporal(), planId, {
          ...(step ? { step } : {}),
          parameters,
          by: stringOption(parsed, 'by') ?? defaultActor(),
        }),
      `retrying ${step ?? 'the failed step'}`,
    );
  },
};

export const skip: Command = {
  spec: {
    usage: 'plan skip <planId> --step ID [--result JSON] [--by NAME]',
    summary: 'Skips a failed step of a paused plan; its dependents run, seeing --result as its result.',
    example: `npm run -s plan -- skip release-42 --step smoke_test --result '{"ok":true}'`,
    options: {
      step: { type: 'string', value: 'ID', description: 'the failed step to skip (required)' },
      result: { type: 'string', value: 'JSON', description: "what its dependents see as the step's result" },
      by: { type: 'string', value: 'NAME', description: 'who skips, as recorded (default: your user name)' },
    },
    positionals: 1,
  },
  async run(ctx, parsed) {
    const planId = parsed.positionals[0]!;
    const step = stringOption(parsed, 'step');
    if (!step) throw usageError('--step is required: which failed step to skip');
    const result = json(parsed, 'result');
    return operate(
      ctx,
      planId,
      async () =>
        skipStep(await ctx.temporal(), planId, { step, result, by: stringOption(parsed, 'by') ?? defaultActor() }),
      `skipped ${step}`,
    );
  },
};

export const abort: Command = {
  spec: {
    usage: 'plan abort <planId> [--reason TEXT] [--by NAME]',
    summary: 'Ends a paused plan: completed steps are compensated and the plan fails, recording who and why.',
    example: 'npm run -s plan -- abort release-42 --reason "rolled back by hand"',
    options: {
      reason: { type: 'string', value: 'TEXT', description: 'why, recorded with the abort' },
      by: { type: 'string', value: 'NAME', description: 'who aborts, as recorded (default: your user name)' },
    },
    positionals: 1,
  },
  async run(ctx, parsed) {
    const planId = parsed.positionals[0]!;
    return operate(
      ctx,
      planId,
      async () =>
        abortPlan(await ctx.temporal(), planId, {
          by: stringOption(parsed, 'by') ?? defaultActor(),
          reason: stringOption(parsed, 'reason'),
        }),
      'aborted',
    );
  },
};

export const resume: Command = {
  spec: {
    usage: 'plan resume <planId>',
    summary:
      'Runs a plan that ended failed, partial or cancelled (without compensation) again, under the same id: completed steps are reused, the rest runs.',
    example: 'npm run -s plan -- resume release-42',
    options: {},
    positionals: 1,
  },
  async run(ctx, parsed) {
    const planId = parsed.positionals[0]!;
    const handle = await resumePlan(await ctx.temporal(), planId, ctx.config.taskQueue);
    ctx.output.out(
      `Resumed plan ${planId} (new run ${handle.firstExecutionRunId})\n  Temporal Web: ${ctx.webLink(planId, handle.firstExecutionRunId)}`,
    );
    return EXIT.ok;
  },
};

export const fork: Command = {
  spec: {
    usage: 'plan fork <planId> --from STEP [--params JSON] [--id NEW_ID]',
    summary:
      'Starts a new plan from STEP of an ended plan (with new parameters for STEP if given), reusing the results of the steps before it.',
    example: `npm run -s plan -- fork release-42 --from deploy --params '{"environment":"staging"}'`,
    options: {
      from: { type: 'string', value: 'STEP', description: 'the step to run again from (required)' },
      params: { type: 'string', value: 'JSON', description: 'new parameters for that step, a JSON object' },
      id: { type: 'string', value: 'NEW_ID', description: "the new plan's id (default: <planId>-fork-<time>)" },
    },
    positionals: 1,
  },
  async run(ctx, parsed) {
    const planId = parsed.positionals[0]!;
    const fromStep = stringOption(parsed, 'from');
    if (!fromStep) throw usageError('--from is required: the step to run again from');
    const parameters = jsonObject(parsed, 'params');
    const newId = stringOption(parsed, 'id') ?? `${planId}-fork-${Date.now().toString(36)}`;
    const handle = await forkPlan(await ctx.temporal(), planId, {
      fromStep,
      parameters,
      newId,
      taskQueue: ctx.config.taskQueue,
      catalog: await ctx.tools(),
    });
    ctx.output.out(
      `Forked ${planId} from ${fromStep} as plan ${newId}\n  Temporal Web: ${ctx.webLink(newId, handle.firstExecutionRunId)}`,
    );
    return EXIT.ok;
  },
};
