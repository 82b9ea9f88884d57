/** `plan status`, `plan watch`, `plan list`, `plan graph`: what a plan is doing, has done, and looks like. */
import { WorkflowNotFoundError } from '@temporalio/client';
import { PlanHasNoStateError, readPlanState } from '../api/read-plan-state';
import { checkPlan, PLAN_STATUSES, type Plan, type PlanStatus } from '../plan';
import { getTaskPlansByPlan } from '../store/mirror-reads';
import { planStatusKey, RUN_PLAN_WORKFLOW } from '../workflows/definitions';
import { integerOption, stringOption } from './args';
import type { CliContext } from './context';
import { EXIT, refused, usageError } from './errors';
import { followPlan } from './follow';
import { GRAPH_FORMATS, renderGraph, type GraphFormat } from './graph';
import { isPlanFile, loadPlanFile } from './load-plan';
import type { Command } from './command';
import { renderState, table } from './render-state';
import { callWaits } from './call-waits';

async function stateOf(ctx: CliContext, planId: string) {
  try {
    return await readPlanState(await ctx.temporal(), planId, () => ctx.database().catch(() => null));
  } catch (err) {
    if (err instanceof PlanHasNoStateError) throw refused(`plan "${planId}" failed before it ran:\n${err.message}`);
    throw err;
  }
}

export const status: Command = {
  spec: {
    usage: 'plan status <planId> [--json]',
    summary:
      'Shows a plan: status, approvals, and each step with its status, attempts, duration and error. Works while it\n' +
      'runs, after it ended, and from the PostgreSQL mirror once Temporal no longer has it. --json prints the state object.',
    example: 'npm run -s plan -- status release-42 --json',
    options: { json: { type: 'boolean', description: 'print the state object (the shape of the `state` query)' } },
    positionals: 1,
  },
  async run(ctx, { positionals }) {
    const reading = await stateOf(ctx, positionals[0]!);
    if (ctx.output.json) ctx.output.out(JSON.stringify(reading.state, null, 2));
    else {
      const notes =
        reading.source === 'mirror'
          ? ['(from the PostgreSQL mirror: Temporal could not answer for this plan)']
          : reading.source === 'query' && reading.state.summary.running > 0
            ? await callWaits(await ctx.temporal(), positionals[0]!)
            : [];
      ctx.output.out(renderState(reading.state, notes.join('\n') || undefined));
    }
    return EXIT.ok;
  },
};

export const watch: Command = {
  spec: {
    usage: 'plan watch <planId>',
    summary:
      'Follows a plan until it ends: a live progress bar on a terminal, one line per change otherwise. Exit 0 if it completed, 1 otherwise.',
    example: 'npm run -s plan -- watch release-42',
    options: {},
    positionals: 1,
  },
  async run(ctx, { positionals }) {
    const planId = positionals[0]!;
    await (await ctx.temporal()).workflow.getHandle(planId).describe(); // an unknown plan is exit 2, before following
    const final = await followPlan(ctx, planId);
    return final.status === 'completed' ? EXIT.ok : EXIT.planEndedBadly;
  },
};

export const list: Command = {
  spec: {
    usage: 'plan list [--status STATUS] [--limit N] [--json]',
    summary: `Recent plans from Temporal visibility, newest first. STATUS is one of: ${PLAN_STATUSES.join(', ')}.`,
    example: 'npm run -s plan -- list --status pending_approval',
    options: {
      status: { type: 'string', value: 'STATUS', description: 'only the plans in this status' },
      limit: { type: 'string', value: 'N', description: 'at most this many plans (default 20)' },
      json: { type: 'boolean', description: 'print the plans as a JSON array' },
    },
    positionals: 0,
  },
  async run(ctx, parsed) {
    const wanted = stringOption(parsed, 'status');
    if (wanted !== undefined && !(PLAN_STATUSES as readonly string[]).includes(wanted)) {
      throw usageError(`--status must be one of ${PLAN_STATUSES.join(', ')}; got "${wanted}"`);
    }
    const limit = integerOption(stringOption(parsed, 'limit'), 'limit') ?? 20;
    const query = `WorkflowType = '${RUN_PLAN_WORKFLOW}'${wanted ? ` AND ${planStatusKey.name} = '${wanted}'` : ''}`;
    const plans = [];
    for await (const wf of (await ctx.temporal()).workflow.list({ query, pageSize: Math.min(limit, 1000) })) {
      plans.push({
        planId: wf.workflowId,
        runId: wf.runId,
        status: (wf.typedSearchAttributes.get(planStatusKey) ?? null) as PlanStatus | null,
        execution: wf.status.name,
        startTime: wf.startTime.toISOString(),
        closeTime: wf.closeTime?.toISOString() ?? null,
      });
      if (plans.length >= limit) break;
    }
    plans.sort((a, b) => b.startTime.localeCompare(a.startTime));
    if (ctx.output.json) ctx.output.out(JSON.stringify(plans, null, 2));
    else if (plans.length === 0) ctx.output.out(wanted ? `no plans with status ${wanted}` : 'no plans');
    else
      ctx.output.out(
        table(
          ['PLAN', 'STATUS', 'STARTED', 'ENDED'],
          plans.map((p) => [p.planId, p.status ?? '?', p.startTime, p.closeTime ?? '']),
        ),
      );
    return EXIT.ok;
  },
};

export const graph: Command = {
  spec: {
    usage: 'plan graph <file|planId> [--format mermaid|dot|svg]',
    summary:
      "Prints a plan's DAG as Mermaid (default), Graphviz DOT or SVG (laid out by Graphviz built in, nothing to\n" +
      'install); given a plan id, steps are coloured by status.',
    example: 'npm run -s plan -- graph examples/cicd.yaml --format svg > cicd.svg',
    options: {
      format: { type: 'string', value: 'FORMAT', description: 'mermaid (default), dot (Graphviz) or svg (a picture)' },
    },
    positionals: 1,
  },
  async run(ctx, parsed) {
    const format = (stringOption(parsed, 'format') ?? 'mermaid') as GraphFormat;
    if (!GRAPH_FORMATS.includes(format)) {
      throw usageError(
        `--format must be ${GRAPH_FORMATS.slice(0, -1).join(', ')} or ${GRAPH_FORMATS.at(-1)}; got "${format}"`,
      );
    }
    const target = parsed.positionals[0]!;
    if (isPlanFile(target)) {
      ctx.output.out(await renderGraph(loadPlanFile(target, await ctx.tools()).plan, format));
      return EXIT.ok;
    }
    const reading = await stateOf(ctx, target);
    ctx.output.out(await renderGraph(await planOf(ctx, target), format, reading.state));
    return EXIT.ok;
  },
};

/** The plan a workflow was started with (its first history event's input), or its shape from the mirror. */
async function planOf(ctx: CliContext, planId: string): Promise<Plan> {
  const client = await ctx.temporal();
  const history = await client.workflow
    .getHandle(planId)
    .fetchHistory()
    .catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    });
  let input: unknown;
  if (history) {
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    input = payload ? client.options.loadedDataConverter.payloadConverter.fromPayload(payload) : null;
  } else {
    const tasks = await getTaskPlansByPlan(await ctx.database(), planId);
    input = { steps: tasks.map((t) => ({ id: t.stepId, toolName: t.toolName, dependsOn: t.dependsOn })) };
  }
  const { plan } = checkPlan(input);
  if (!plan) throw usageError(`plan "${planId}" was started with an input that is not a valid plan`);
  return plan;
}
