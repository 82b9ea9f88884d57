import { ApprovalGate, type NormalizedDecision } from './approval-gate';
import type { CarriedProgress } from './carried-progress';
import { needsApproval } from './needs-approval';
import type { Approval } from './snapshot';
import type { Plan } from '../types';

/** Who decides when an approval wait times out. */
export const APPROVAL_TIMEOUT_ACTOR = 'approval-timeout';

/** What a continued run carries of the gates (under the names the carried progress has always used). */
type GateBookProgress = Pick<CarriedProgress, 'approvals' | 'planGate' | 'stepGates'>;

/**
 * The plan's approval gates and the decisions taken at them: the plan gate (when the plan waits for approval before
 * any step) and one per step that requires approval; when each opened, and which have run out of time. What a
 * decision does to the plan and its steps stays in `PlanState`.
 */
export class GateBook {
  readonly plan: ApprovalGate | null;
  /** Every decision taken, by a person or a timeout, in the order taken. */
  readonly approvals: Approval[] = [];
  private readonly steps = new Map<string, ApprovalGate>();
  private readonly stepIds: ReadonlySet<string>;
  /** How long an open gate waits for a decision; null: for ever. */
  private readonly timeoutMs: number | null;
  private readonly onTimeout: NormalizedDecision['decision'];

  constructor(
    { options, steps }: Plan,
    /** Named in refusals. */
    private readonly planId: string,
    /** The plan gate opens with the run, so a decision sent before the workflow's first task is not lost. */
    startedAt: string,
  ) {
    const policy = { approvers: options.approvers, requiredApprovals: options.requiredApprovals };
    this.plan = needsApproval(options) ? new ApprovalGate(policy, null) : null;
    if (this.plan) this.plan.openedAt = Date.parse(startedAt);
    for (const spec of steps) if (spec.requiresApproval) this.steps.set(spec.id, new ApprovalGate(policy, spec.id));
    this.stepIds = new Set(steps.map((spec) => spec.id));
    this.timeoutMs = options.approvalTimeoutMs;
    this.onTimeout = options.onApprovalTimeout;
  }

  /** The gate of a step, if it requires approval. */
  step(id: string): ApprovalGate | undefined {
    return this.steps.get(id);
  }

  /** Returns why a decision cannot be taken now, or null when it can; changes nothing. */
  refusal(decision: NormalizedDecision): string | null {
    const gate = this.gateFor(decision.step);
    return typeof gate === 'string' ? gate : gate.refusal(decision);
  }

  /** Takes a decision that `refusal` accepted; returns its gate. */
  take(decision: NormalizedDecision, at: string): ApprovalGate {
    const gate = this.gateFor(decision.step) as ApprovalGate;
    this.approvals.push(gate.apply(decision, at));
    return gate;
  }

  /** Gates waiting for a decision: the plan gate unless the plan is stopping, step gates only when `stepsWait`. */
  *open(stopping: boolean, stepsWait: boolean): Iterable<ApprovalGate> {
    if (this.plan?.state === 'waiting' && this.plan.openedAt !== null && !stopping) yield this.plan;
    if (!stepsWait) return;
    for (const gate of this.steps.values()) if (gate.state === 'waiting' && gate.openedAt !== null) yield gate;
  }

  /** The earliest moment (ms) an open gate's wait runs out; null when none is open or gates wait for ever. */
  nextDeadline(stopping: boolean, stepsWait: boolean): number | null {
    if (this.timeoutMs === null) return null;
    let earliest: number | null = null;
    for (const gate of this.open(stopping, stepsWait)) {
      const deadline = gate.openedAt! + this.timeoutMs;
      if (earliest === null || deadline < earliest) earliest = deadline;
    }
    return earliest;
  }

  /** Takes `onApprovalTimeout` at every open gate whose wait ran out by `at`; returns each gate with that decision. */
  expire(at: string, stopping: boolean, stepsWait: boolean): [ApprovalGate, NormalizedDecision][] {
    const timeoutMs = this.timeoutMs;
    if (timeoutMs === null) return [];
    const now = Date.parse(at);
    const text = `no decision within ${timeoutMs} ms`;
    const expired = [...this.open(stopping, stepsWait)].filter((gate) => gate.openedAt! + timeoutMs <= now);
    return expired.map((gate) => {
      // A timeout is no approver: it bypasses the approver list, so the gate applies it without asking `refusal`.
      const decision = { decision: this.onTimeout, by: APPROVAL_TIMEOUT_ACTOR, text, step: gate.step };
      this.approvals.push(gate.apply(decision, at));
      return [gate, decision];
    });
  }

  /** What a continued run needs: the decisions, the plan gate, and the step gates that opened or were decided. */
  progress(): GateBookProgress {
    return {
      approvals: [...this.approvals],
      planGate: this.plan?.progress() ?? null,
      stepGates: [...this.steps]
        .filter(([, gate]) => gate.openedAt !== null || gate.state !== 'waiting')
        .map(([id, gate]) => [id, gate.progress()]),
    };
  }

  /** Takes over what `progress` carried. */
  restore(progress: GateBookProgress): void {
    this.approvals.push(...progress.approvals);
    for (const [id, gate] of progress.stepGates) this.steps.get(id)!.restore(gate);
    if (progress.planGate) this.plan?.restore(progress.planGate);
  }

  /** The gate a decision is for, or why there is none. */
  private gateFor(step: string | null): ApprovalGate | string {
    if (step === null) return this.plan ?? `plan "${this.planId}" does not require approval`;
    if (!this.stepIds.has(step)) return `plan "${this.planId}" has no step "${step}"`;
    return this.steps.get(step) ?? `step "${step}" does not require approval`;
  }
}
