/**
 * Follows a plan to its end: a live view redrawn in place on a terminal, one plain line per change otherwise (a pipe,
 * a log, CI, TERM=dumb, --json). Used by `plan watch` and `plan start --wait`.
 */
import { readPlanState } from '../api/read-plan-state';
import type { PlanSnapshot } from '../plan';
import { stateQuery } from '../workflows/definitions';
import type { CliContext, Output } from './context';
import { LiveView, type LiveTerminal } from './live-view';
import { oneLine, progressBar } from './render-state';

const EVERY_MS = 500;

/** Resolves with the final state once the plan's workflow has closed. */
export async function followPlan(ctx: CliContext, planId: string): Promise<PlanSnapshot> {
  const client = await ctx.temporal();
  const handle = client.workflow.getHandle(planId);
  let closed = false;
  const ended = handle.result().then(
    () => (closed = true),
    () => (closed = true),
  );
  const view = viewFor(ctx.output, process.env, process.stdout);
  try {
    while (!closed) {
      const state = await handle.query(stateQuery).catch(() => null);
      if (state) view.show(state);
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, EVERY_MS))]);
    }
    const final = (await readPlanState(client, planId, () => ctx.database().catch(() => null))).state;
    view.show(final);
    return final;
  } finally {
    view.close();
  }
}

export interface View {
  show(state: PlanSnapshot): void;
  close(): void;
}

/**
 * The live view on a terminal that can move its cursor, in colour unless NO_COLOR is set (no-color.org); plain lines
 * when stdout is not a terminal, TERM is "dumb", or the output is JSON (which then prints only the final state).
 */
export function viewFor(output: Output, env: NodeJS.ProcessEnv, terminal: LiveTerminal): View {
  if (!output.tty || output.json || env.TERM === 'dumb') return new PlainView(output);
  return new LiveView(terminal, !env.NO_COLOR);
}

/** Prints what changed since the last look, one line each, with the time. */
class PlainView implements View {
  private planStatus: string | null = null;
  private readonly steps = new Map<string, string>();
  constructor(private readonly output: Output) {}

  close(): void {}

  show(state: PlanSnapshot): void {
    if (this.output.json) return;
    const time = new Date().toISOString().slice(11, 19);
    for (const step of state.steps) {
      const status = step.compensation?.status ?? step.status;
      if (this.steps.get(step.id) === status) continue;
      if (this.steps.has(step.id) || status !== 'pending') {
        const detail =
          step.error && (status === 'failed' || status === 'skipped') ? `: ${oneLine(step.error, 500)}` : '';
        this.output.out(`${time} step ${step.id} ${status}${detail}`);
      }
      this.steps.set(step.id, status);
    }
    if (state.status !== this.planStatus) {
      this.output.out(
        `${time} plan ${state.planId} ${state.status}${state.reason ? ` (${oneLine(state.reason, 500)})` : ''}  ${progressBar(state, 20, false)}`,
      );
      this.planStatus = state.status;
    }
  }
}
