/**
 * Follows a plan to its end: a live progress bar and step list on a terminal, one plain line per change otherwise
 * (logs, CI). Used by `plan watch` and `plan start --wait`.
 */
import { readPlanState } from '../api/read-plan-state';
import type { PlanSnapshot } from '../plan';
import { stateQuery } from '../workflows/definitions';
import type { CliContext } from './context';
import { progressBar, table } from './render-state';

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
  const view = ctx.output.tty && !ctx.output.json ? new LiveView(ctx) : new PlainView(ctx);
  while (!closed) {
    const state = await handle.query(stateQuery).catch(() => null);
    if (state) view.show(state);
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, EVERY_MS))]);
  }
  const final = (await readPlanState(client, planId, () => ctx.database().catch(() => null))).state;
  view.show(final);
  return final;
}

interface View {
  show(state: PlanSnapshot): void;
}

/** Redraws the bar and the step list in place. */
class LiveView implements View {
  private lines = 0;
  constructor(private readonly ctx: CliContext) {}

  show(state: PlanSnapshot): void {
    const text = [
      progressBar(state),
      table(
        ['STEP', 'STATUS', 'ATTEMPTS'],
        state.steps.map((s) => [s.id, s.compensation?.status ?? s.status, String(s.attempts)]),
      ),
    ].join('\n');
    // Move up over the previous drawing and clear it, then draw again.
    this.ctx.output.out(`${this.lines > 0 ? `\x1b[${this.lines}F\x1b[J` : ''}${text}`);
    this.lines = text.split('\n').length;
  }
}

/** Prints what changed since the last look, one line each, with the time. */
class PlainView implements View {
  private planStatus: string | null = null;
  private readonly steps = new Map<string, string>();
  constructor(private readonly ctx: CliContext) {}

  show(state: PlanSnapshot): void {
    if (this.ctx.output.json) return;
    const time = new Date().toISOString().slice(11, 19);
    for (const step of state.steps) {
      const status = step.compensation?.status ?? step.status;
      if (this.steps.get(step.id) === status) continue;
      if (this.steps.has(step.id) || status !== 'pending') {
        const detail = step.error && (status === 'failed' || status === 'skipped') ? `: ${step.error}` : '';
        this.ctx.output.out(`${time} step ${step.id} ${status}${detail}`);
      }
      this.steps.set(step.id, status);
    }
    if (state.status !== this.planStatus) {
      this.ctx.output.out(
        `${time} plan ${state.planId} ${state.status}${state.reason ? ` (${state.reason})` : ''}  ${progressBar(state, 20, false)}`,
      );
      this.planStatus = state.status;
    }
  }
}
