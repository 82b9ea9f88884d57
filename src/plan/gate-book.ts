import { ApprovalGate, type GateProgress } from './approval-gate';
import type { Plan } from './types';

/**
 * The plan's approval gates: the plan gate (when the plan waits for approval before any step) and one per step that
 * requires approval; when each opened, and which have run out of time. What a decision does to the plan stays in
 * `PlanState`.
 */
export class GateBook {
  readonly plan: ApprovalGate | null;
  private readonly steps = new Map<string, ApprovalGate>();

  constructor(
    { options, steps }: Plan,
    /** The plan gate opens with the run, so a decision sent before the workflow's first task is not lost. */
    startedAt: string,
    needsApproval: boolean,
  ) {
    const policy = { approvers: options.approvers, requiredApprovals: options.requiredApprovals };
    this.plan = needsApproval ? new ApprovalGate(policy, null) : null;
    if (this.plan) this.plan.openedAt = Date.parse(startedAt);
    for (const spec of steps) if (spec.requiresApproval) this.steps.set(spec.id, new ApprovalGate(policy, spec.id));
  }

  /** The gate of a step, if it requires approval. */
  step(id: string): ApprovalGate | undefined {
    return this.steps.get(id);
  }

  /** Gates waiting for a decision: the plan gate unless the plan is stopping, step gates only when `stepsWait`. */
  *open(stopping: boolean, stepsWait: boolean): Iterable<ApprovalGate> {
    if (this.plan?.state === 'waiting' && this.plan.openedAt !== null && !stopping) yield this.plan;
    if (!stepsWait) return;
    for (const gate of this.steps.values()) if (gate.state === 'waiting' && gate.openedAt !== null) yield gate;
  }

  /** The earliest moment (ms) an open gate's wait of `timeoutMs` runs out, or null. */
  nextDeadline(timeoutMs: number, stopping: boolean, stepsWait: boolean): number | null {
    let earliest: number | null = null;
    for (const gate of this.open(stopping, stepsWait)) {
      const deadline = gate.openedAt! + timeoutMs;
      if (earliest === null || deadline < earliest) earliest = deadline;
    }
    return earliest;
  }

  /** What a continued run needs: the plan gate, and the step gates that opened or were decided. */
  progress(): { planGate: GateProgress | null; stepGates: [string, GateProgress][] } {
    return {
      planGate: this.plan?.progress() ?? null,
      stepGates: [...this.steps]
        .filter(([, gate]) => gate.openedAt !== null || gate.state !== 'waiting')
        .map(([id, gate]) => [id, gate.progress()]),
    };
  }

  /** Takes over what `progress` carried. */
  restore(progress: { planGate: GateProgress | null; stepGates: [string, GateProgress][] }): void {
    for (const [id, gate] of progress.stepGates) this.steps.get(id)!.restore(gate);
    if (progress.planGate) this.plan?.restore(progress.planGate);
  }
}
