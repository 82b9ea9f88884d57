/**
 * One approval gate (the plan's, or a step's): who may decide, how many distinct approvals it needs,
 * and whether a decision is acceptable now. Pure, so the workflow's signal and update paths share it.
 */
import type { Approval, Decision, DecisionAnswer, DecisionInput } from './snapshot';

export interface ApprovalPolicy {
  approvers: string[] | null;
  requiredApprovals: number;
}

export type GateState = 'waiting' | 'approved' | 'rejected';

/** What a gate carries to a continued run. */
export interface GateProgress {
  state: GateState;
  openedAt: number | null;
  approvedBy: string[];
}

export class ApprovalGate {
  state: GateState = 'waiting';
  /** When the gate started waiting, for the approval timeout; null until it is reached. */
  openedAt: number | null = null;
  private readonly approvedBy = new Set<string>();

  constructor(
    private readonly policy: ApprovalPolicy,
    /** The step this gate guards, or null for the plan gate. */
    readonly step: string | null,
  ) {}

  get approvals(): number {
    return this.approvedBy.size;
  }

  /** Returns why `input` cannot be taken now, or null when it can. */
  refusal(input: NormalizedDecision): string | null {
    const what = this.step === null ? 'the plan' : `step "${this.step}"`;
    if (this.state !== 'waiting') return `${what} is already ${this.state}`;
    if (this.openedAt === null) return `${what} is not waiting for approval yet`;
    const { approvers } = this.policy;
    if (approvers && !approvers.includes(input.by)) {
      return `"${input.by}" may not decide on ${what} (approvers: ${approvers.join(', ')})`;
    }
    if (input.decision === 'approve' && this.approvedBy.has(input.by)) {
      return `"${input.by}" already approved ${what}; ${this.policy.requiredApprovals} distinct approvals are needed`;
    }
    return null;
  }

  /** What a run that continues as new carries of this gate. */
  progress(): GateProgress {
    return { state: this.state, openedAt: this.openedAt, approvedBy: [...this.approvedBy] };
  }

  /** Takes over what an earlier run of the plan carried. */
  restore(progress: GateProgress): void {
    this.state = progress.state;
    this.openedAt = progress.openedAt;
    for (const by of progress.approvedBy) this.approvedBy.add(by);
  }

  /** Records an accepted decision; the caller checked `refusal` first. */
  apply(input: NormalizedDecision, at: string): Approval {
    if (input.decision === 'reject') this.state = 'rejected';
    else {
      this.approvedBy.add(input.by);
      if (this.approvedBy.size >= this.policy.requiredApprovals) this.state = 'approved';
    }
    return { by: input.by, at, comment: input.text, step: this.step, decision: input.decision };
  }

  /** What the one who decided learns: where the gate stands after their decision. */
  answer(input: NormalizedDecision): DecisionAnswer {
    return {
      decision: input.decision,
      step: this.step,
      gate: this.state,
      approvals: this.approvals,
      requiredApprovals: this.policy.requiredApprovals,
    };
  }
}

/** A decision with its defaults filled in and its shape checked. */
export interface NormalizedDecision {
  decision: Decision;
  by: string;
  text: string | null;
  step: string | null;
}

/** Who decided when a signal names nobody (e.g. the Web UI's "Send a Signal" with no input). */
export const ANONYMOUS = 'anonymous';

/** Checks and defaults a decision from any source; returns a message naming what is wrong when it is malformed. */
export function normalizeDecision(decision: Decision, input: unknown): NormalizedDecision | string {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) return 'decision input must be an object like {"by":"alice"}';
  const { by, comment, reason, step } = input as Record<string, unknown>;
  if (by !== undefined && (typeof by !== 'string' || by.trim() === '')) return '"by" must be a non-empty string';
  for (const [name, value] of [
    ['comment', comment],
    ['reason', reason],
  ] as const) {
    if (value !== undefined && value !== null && typeof value !== 'string') return `"${name}" must be a string`;
  }
  if (step !== undefined && step !== null && typeof step !== 'string') return '"step" must be a step id';
  const text = ((decision === 'approve' ? comment : reason) ?? comment ?? reason ?? null) as string | null;
  return { decision, by: (by as string | undefined)?.trim() ?? ANONYMOUS, text, step: (step as string | null) ?? null };
}

/** The decision a `decide` update carries, checked like a signal's. */
export function normalizeDecisionInput(input: DecisionInput | undefined): NormalizedDecision | string {
  if (!input || (input.decision !== 'approve' && input.decision !== 'reject')) {
    return '"decision" must be "approve" or "reject"';
  }
  return normalizeDecision(input.decision, input);
}
