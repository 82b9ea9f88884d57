import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { describeBlockers, type PlanState } from '../plan';
import { planPendingApprovalKey, planStatusKey } from './definitions';
import { PlanNotifier } from './plan-notifier';

/** Keeps Temporal's view of the plan current: search attributes on each transition, live details on each change. */
export class Visibility {
  private status: string | null = null;
  private pending: boolean | null = null;
  private details = '';

  constructor(private readonly state: PlanState) {}

  publish(): void {
    const { status, pendingApproval } = this.state;
    // A gate that opens once the plan runs (a step's); the plan's own is announced where the plan waits for it.
    if (pendingApproval && this.pending === false && this.state.plan.options.notify.length > 0)
      PlanNotifier.emit(this.state, 'approval_requested', { gates: waitingGates(this.state) });
    if (status !== this.status || pendingApproval !== this.pending) {
      upsertSearchAttributes([
        { key: planStatusKey, value: status },
        { key: planPendingApprovalKey, value: pendingApproval },
      ]);
      this.status = status;
      this.pending = pendingApproval;
    }
    const details = describe(this.state);
    if (details !== this.details) {
      setCurrentDetails(details);
      this.details = details;
    }
  }
}

/** The gates waiting now: null for the plan's, else step ids. */
function waitingGates(state: PlanState): Array<string | null> {
  const steps = state
    .snapshot()
    .steps.filter((step) => step.status === 'waiting_approval')
    .map((step) => step.id);
  return state.planGateSettled ? steps : [null, ...steps];
}

/** Markdown for Temporal Web's "Current details": progress, and while waiting the exact command that approves. */
function describe(state: PlanState): string {
  const s = state.summary();
  // "1 of 2", not "1/2": Temporal Web's markdown typesets 1/2 as the glyph ½. Compensations are counted when there
  // are any: a compensated step has left "completed", and the line should still add up.
  const undone = [
    s.compensated > 0 ? `, ${s.compensated} compensated` : '',
    s.compensationFailed > 0 ? `, ${s.compensationFailed} failed to compensate` : '',
  ].join('');
  const lines = [
    `**${state.status}** — ${s.completed} of ${s.total} steps completed, ${s.running} running, ${s.failed} failed, ${s.skipped} skipped${undone}`,
  ];
  if (state.reason) lines.push(`Reason: ${state.reason}`);
  if (s.waitingForResources > 0) {
    for (const step of state.snapshot().steps) {
      if (step.status !== 'waiting_for_resources') continue;
      lines.push(`Step \`${step.id}\` waits for resources: ${describeBlockers(step.waitingFor ?? [])}.`);
    }
  }
  if (state.pendingApproval) {
    const id = state.planId;
    const stepHint = state.planGateSettled ? ' (add `"step":"<id>"` for a step gate)' : '';
    lines.push(
      `Waiting for approval${stepHint}. Approve with \`npm run -s plan -- approve ${id}\` or ` +
        `\`temporal workflow signal --workflow-id ${id} --name approve --input '{"by":"your-name"}'\`.`,
    );
  }
  return lines.join('\n\n');
}
