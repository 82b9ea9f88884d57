/** `plan validate`, `plan start`, `plan cancel`: from a plan file to a running plan, and back out of it. */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { readPlanState } from '../api/read-plan-state';
import { cancelPlan, startPlan } from '../api/plans';
import { formatProblem, literalSecretWarnings, needsApproval, type Plan } from '../plan';
import type { ToolRegistry } from '../tools';
import { stringOption } from './args';
import { defaultActor, type Command } from './command';
import { EXIT, refused, usageError } from './errors';
import { followPlan } from './follow';
import { loadPlanFile } from './load-plan';
import { renderState } from './render-state';
import { count } from './plural';

export const validate: Command = {
  spec: {
    usage: 'plan validate <file> [--json]',
    summary: 'Checks a plan file (YAML or JSON) without starting it; lists every problem with the step it concerns.',
    example: 'npm run -s plan -- validate examples/cicd.yaml',
    options: {
      json: {
        type: 'boolean',
        description:
          'print the outcome as JSON on stdout: the counts and warnings, or every problem of an invalid plan',
      },
    },
    positionals: 1,
  },
  async run(ctx, { positionals }) {
    const tools = await ctx.tools();
    const { plan } = loadPlanFile(positionals[0]!, tools);
    const batches = new Set(plan.steps.map((s) => s.batchIndex).filter((b) => b !== null)).size;
    const warnings = secretWarnings(plan, tools);
    if (ctx.output.json) {
      ctx.output.out(JSON.stringify({ valid: true, steps: plan.steps.length, batches, warnings }));
      return EXIT.ok;
    }
    for (const warning of warnings) ctx.output.err(`warning: ${formatProblem(warning)}`);
    ctx.output.out(`valid: ${count(plan.steps.length, 'step')}, ${count(batches, 'batch', 'batches')}`);
    return EXIT.ok;
  },
};

export const start: Command = {
  spec: {
    usage: 'plan start <file> [--id ID] [--wait] [--json]',
    summary:
      'Validates a plan file and starts it (workflow id = plan id). Prints the plan id, its Temporal Web link and, when\n' +
      'it needs approval, the command that approves. --wait follows it to the end: exit 0 if completed, 1 otherwise.',
    example: 'npm run -s plan -- start examples/hello.yaml --id hello-1 --wait',
    options: {
      id: { type: 'string', value: 'ID', description: "the plan's id (its workflow id) instead of the file's own" },
      wait: { type: 'boolean', description: 'follow the plan to its end; exit 0 if it completed, 1 otherwise' },
      json: {
        type: 'boolean',
        description: 'print the plan id, run id, link and approve command as JSON; with --wait, the final state',
      },
    },
    positionals: 1,
  },
  async run(ctx, parsed) {
    const catalog = await ctx.tools();
    const { plan, input } = loadPlanFile(parsed.positionals[0]!, catalog);
    for (const warning of secretWarnings(plan, catalog)) ctx.output.err(`warning: ${formatProblem(warning)}`);
    const client = await ctx.temporal();
    const id = stringOption(parsed, 'id');
    let handle;
    try {
      handle = await startPlan(client, input, { taskQueue: ctx.config.taskQueue, catalog, ...(id ? { id } : {}) });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw usageError(`a plan with id "${id ?? plan.id}" is already running; choose another with --id`);
      }
      throw err;
    }
    const planId = handle.workflowId;
    const runId = handle.firstExecutionRunId;
    const waits = needsApproval(plan.options);
    const approve = `npm run -s plan -- approve ${planId} --by <your-name>`;
    if (!parsed.values.wait || !ctx.output.json) {
      if (ctx.output.json) {
        ctx.output.out(
          JSON.stringify({ planId, runId, url: ctx.webUrl(planId, runId), ...(waits ? { approve } : {}) }),
        );
      } else {
        ctx.output.out(`Started plan ${planId}`);
        ctx.output.out(`  Temporal Web: ${ctx.webLink(planId, runId)}`);
        if (waits) ctx.output.out(`  Waiting for approval: ${approve}`);
        if (!parsed.values.wait) ctx.output.out(`  Follow it: npm run -s plan -- watch ${planId}`);
      }
    }
    if (!parsed.values.wait) return EXIT.ok;
    const final = await followPlan(ctx, planId);
    ctx.output.out(ctx.output.json ? JSON.stringify(final, null, 2) : `\n${renderState(final)}`);
    return final.status === 'completed' ? EXIT.ok : EXIT.planEndedBadly;
  },
};

export const cancel: Command = {
  spec: {
    usage: 'plan cancel <planId> [--reason TEXT] [--by NAME]',
    summary: 'Cancels a plan: running steps are cancelled, completed ones compensated; who and why are recorded.',
    example: 'npm run -s plan -- cancel release-42 --reason "wrong environment"',
    options: {
      reason: { type: 'string', value: 'TEXT', description: 'why, recorded with the cancellation' },
      by: { type: 'string', value: 'NAME', description: 'who cancels, as recorded (default: your user name)' },
    },
    positionals: 1,
  },
  async run(ctx, parsed) {
    const planId = parsed.positionals[0]!;
    const handle = (await ctx.temporal()).workflow.getHandle(planId);
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') {
      // Temporal records most plan endings as a completed run; the plan's own status says how it really ended.
      const reading = await readPlanState(await ctx.temporal(), planId, () => ctx.database().catch(() => null)).catch(
        () => null,
      );
      throw refused(
        `plan "${planId}" has already ended (${reading?.state.status ?? description.status.name.toLowerCase()})`,
      );
    }
    await cancelPlan(await ctx.temporal(), planId, {
      by: stringOption(parsed, 'by') ?? defaultActor(),
      reason: stringOption(parsed, 'reason'),
    });
    ctx.output.out(
      `Cancelling plan ${planId}: running steps stop, completed steps are compensated. Follow it: npm run -s plan -- watch ${planId}`,
    );
    return EXIT.ok;
  },
};

/** Literal credentials in secret parameters: said, never refused (the plan is valid). */
function secretWarnings(plan: Plan, tools: ToolRegistry) {
  return literalSecretWarnings(plan, (name) => tools.get(name)?.secretParams ?? []);
}
