/**
 * The state of one plan run and every transition it can make. The workflow drives it; it holds no I/O and no clock
 * of its own (times come in as ISO strings), so it is tested without Temporal. Work per transition is proportional to
 * what changed: dependency counters, not rescans of the whole plan.
 */
import type { ApprovalGate, NormalizedDecision } from './approval-gate';
import type { BatchSummary } from './batch-progress';
import type { CarriedProgress } from './carried-progress';
import { compensationOrder } from './dag';
import { COMPENSATION_DEFAULTS } from './defaults';
import { GateBook } from './gate-book';
import { needsApproval } from './needs-approval';
import { StepBook } from './step-book';
import { StepQueue } from './step-queue';
import { SUBPLAN_TOOL } from './subplan';
import type {
  Approval,
  CompensationOutcome,
  DecisionAnswer,
  PlanSnapshot,
  PlanSummary,
  StepSnapshot,
} from './snapshot';
import type { PlanStatus } from './statuses';
import type { OperatorAction, OperatorActionRecord } from './operator-actions';
import type { DependencyOutcome } from './dependency-outcomes';
import type { Plan, StepSpec } from './types';

/** Who decides when an approval wait times out. */
export const APPROVAL_TIMEOUT_ACTOR = 'approval-timeout';

export class PlanState {
  status: PlanStatus = 'draft';
  reason: string | null = null;
  completedAt: string | null = null;
  readonly approvals: Approval[] = [];
  /** Bumped on every change: wakes the scheduler and versions the mirror's rows. */
  seq = 0;
  /** No new step starts (a failure under stopOnError, a rejection, a cancellation). */
  stopping = false;
  private ending: 'failed' | 'rejected' | 'cancelled' | null = null;
  /** onFailure: pause — a failure waits for an operator to retry, skip or abort. */
  private paused = false;
  private aborted = false;
  private skippedByOperator = false;
  /** Retry, skip and abort, with who and when, in the order they happened. */
  readonly operatorActions: OperatorActionRecord[] = [];
  /** New parameters an operator gave a step to retry with. */
  private readonly overrides = new Map<string, Record<string, unknown>>();
  private readonly steps: StepBook;
  private readonly queue: StepQueue;
  private readonly gates: GateBook;
  /** When scheduling began; the total timeout counts from it. */
  executingSince: string | null = null;

  constructor(
    readonly plan: Plan,
    readonly planId: string,
    private started: string,
  ) {
    this.queue = new StepQueue(plan.steps);
    this.gates = new GateBook(plan, started, needsApproval(plan.options));
    this.steps = new StepBook(plan.steps);
    if (this.gates.plan) this.status = 'pending_approval';
  }

  /** When the plan's first run started (a continued run keeps it). */
  get startedAt(): string {
    return this.started;
  }

  /** The plan's own approval gate; null when the plan does not wait for approval. */
  get planGate(): ApprovalGate | null {
    return this.gates.plan;
  }

  /**
   * Gives every step without a compensation of its own its tool's default one (`undoOf` names its activity), before
   * anything runs. When the plan did not choose `onFailure`, having something to undo makes it `compensate`.
   */
  applyDefaultCompensations(undoOf: (toolName: string) => string | null, onFailureChosen: boolean): void {
    let any = false;
    for (const spec of this.plan.steps) {
      const undo = spec.compensate === null ? undoOf(spec.toolName) : null;
      if (undo === null) continue;
      spec.compensate = {
        ...COMPENSATION_DEFAULTS,
        toolName: undo,
        parameters: { parameters: spec.parameters, result: `{{steps.${spec.id}.result}}` },
      };
      any = true;
    }
    if (any && !onFailureChosen) this.plan.options.onFailure = 'compensate';
  }

  /** Starts scheduling: every step without dependencies becomes ready, in the plan file's order. */
  beginExecution(at: string): void {
    if (this.executingSince !== null) return; // a run that continued as new took over the scheduling state
    this.executingSince = at;
    this.status = 'executing';
    // Steps whose dependencies are all met: none at all, or all reused from an earlier run (resume, fork).
    for (const spec of this.plan.steps) if (this.queue.allMet(spec.id)) this.becomeReady(spec.id, at);
    this.touch();
  }

  /** Whether a decision, a timeout or a cancellation has settled the plan gate. */
  get planGateSettled(): boolean {
    return this.planGate === null || this.planGate.state !== 'waiting' || this.stopping;
  }

  /** Whether the plan or one of its steps waits for a decision now. */
  get pendingApproval(): boolean {
    if (this.planGate?.state === 'waiting' && !this.stopping) return true;
    return this.steps.counts.waiting_approval > 0;
  }

  /** Returns why a decision cannot be taken now, or null when it can; changes nothing. */
  refusalOf(decision: NormalizedDecision): string | null {
    if (this.completedAt !== null) return `plan "${this.planId}" already ended ${this.status}`;
    const gate = this.gateFor(decision.step);
    return typeof gate === 'string' ? gate : gate.refusal(decision);
  }

  /** Takes a decision that `refusalOf` accepted. */
  decide(decision: NormalizedDecision, at: string): DecisionAnswer {
    const gate = this.gateFor(decision.step) as ApprovalGate;
    this.recordDecision(gate, decision, at);
    return {
      decision: decision.decision,
      step: decision.step,
      gate: gate.state,
      approvals: gate.approvals,
      requiredApprovals: this.plan.options.requiredApprovals,
    };
  }

  /** The earliest moment (ms) an open gate's approval wait runs out, or null. */
  nextGateDeadline(): number | null {
    const timeout = this.plan.options.approvalTimeoutMs;
    if (timeout === null) return null;
    return this.gates.nextDeadline(timeout, this.stopping, this.steps.counts.waiting_approval > 0);
  }

  /** Applies `onApprovalTimeout` to every gate whose wait ran out by `at`. */
  expireGates(at: string): void {
    const timeout = this.plan.options.approvalTimeoutMs;
    if (timeout === null) return;
    const now = Date.parse(at);
    const decision = this.plan.options.onApprovalTimeout;
    for (const gate of this.gates.open(this.stopping, this.steps.counts.waiting_approval > 0)) {
      if (gate.openedAt! + timeout > now) continue;
      const text = `no decision within ${timeout} ms`;
      this.recordDecision(gate, { decision, by: APPROVAL_TIMEOUT_ACTOR, text, step: gate.step }, at, true);
    }
  }

  /** Removes and returns the next step that may start, in the order steps became ready; null when none. */
  takeReady(): StepSpec | null {
    if (this.stopping) return null;
    const id = this.queue.take((candidate) => this.steps.get(candidate).status === 'pending');
    return id === null ? null : this.steps.get(id).spec;
  }

  get running(): number {
    return this.steps.counts.running;
  }

  /** True when nothing runs and nothing more can start without a decision that is not coming. */
  get finished(): boolean {
    if (this.steps.counts.running > 0) return false;
    if (this.paused) return false;
    if (this.stopping) return true;
    return this.queue.empty && this.steps.counts.waiting_approval === 0;
  }

  start(id: string, at: string): void {
    const record = this.steps.get(id);
    this.steps.setStatus(record, 'running');
    record.startedAt = at;
    this.touch();
  }

  /** `startedAt` replaces the start time recorded by `start` (a local step reports its own). */
  complete(id: string, result: unknown, attempts: number, at: string, startedAt?: string): void {
    const record = this.steps.get(id);
    this.steps.setStatus(record, 'completed');
    Object.assign(record, { result, attempts, completedAt: at, error: null, errorType: null });
    if (startedAt !== undefined) record.startedAt = startedAt;
    for (const dependent of this.queue.dependentsOf(id)) this.dependencyFinished(dependent, at);
    this.touch();
  }

  fail(id: string, error: string, errorType: string | null, attempts: number, at: string): void {
    const record = this.steps.get(id);
    this.steps.setStatus(record, 'failed');
    Object.assign(record, { error, errorType, attempts, completedAt: at });
    if (this.plan.options.continueOnError) this.skipDependents(id, `skipped: step "${id}" failed`, at);
    else if (this.plan.options.onFailure === 'pause' && (this.paused || this.ending === null))
      this.pause(`step "${id}" failed: ${error}`);
    else this.stop('failed', `step "${id}" failed: ${error}`);
    this.touch();
  }

  /** The parameters a step runs with: an operator's replacement on retry, else the plan's. */
  parametersOf(spec: StepSpec): Record<string, unknown> {
    return this.overrides.get(spec.id) ?? spec.parameters;
  }

  /** Why an operator action cannot be taken now, or null. */
  operatorRefusal(action: OperatorAction): string | null {
    if (!this.paused) return `plan "${this.planId}" is not paused (it is ${this.status})`;
    if (action.kind === 'abort') return null;
    if (!this.steps.has(action.step)) return `plan "${this.planId}" has no step "${action.step}"`;
    const record = this.steps.get(action.step);
    if (record.status !== 'failed') return `step "${action.step}" has not failed (it is ${record.status})`;
    return null;
  }

  /** The one failed step, which a retry that names none means; null when none or several failed. */
  onlyFailedStep(): string | null {
    if (this.steps.counts.failed !== 1) return null;
    for (const record of this.steps.all()) if (record.status === 'failed') return record.id;
    return null;
  }

  /** Retries or skips a failed step, or aborts the paused plan; the caller checked `operatorRefusal` first. */
  operate(action: OperatorAction, at: string): void {
    const step = action.kind === 'abort' ? null : action.step;
    this.operatorActions.push({ action: action.kind, step, by: action.by, at, detail: action.detail ?? null });
    if (action.kind === 'abort') {
      this.paused = false;
      this.aborted = true;
      this.stop('failed', `aborted by ${action.by}${action.detail ? `: ${action.detail}` : ''}`);
    } else {
      const record = this.steps.get(action.step);
      if (action.kind === 'retry') {
        this.steps.setStatus(record, 'pending');
        Object.assign(record, { error: null, errorType: null, completedAt: null });
        if (action.parameters) this.overrides.set(record.id, action.parameters);
        this.queue.push(record.id);
      } else {
        this.steps.setStatus(record, 'skipped');
        Object.assign(record, { result: action.result ?? null, error: `skipped by ${action.by}` });
        this.skippedByOperator = true;
        for (const dependent of this.queue.dependentsOf(record.id)) this.dependencyFinished(dependent, at);
      }
      if (this.steps.counts.failed === 0) {
        this.paused = false;
        this.stopping = false;
        this.status = 'executing';
        this.reason = null;
      }
    }
    this.touch();
  }

  private pause(reason: string): void {
    this.paused = true;
    this.stopping = true;
    this.status = 'paused';
    this.reason = reason;
  }

  /** Stops new starts because of a cancellation (a Temporal cancel, a `cancel` signal, the total timeout). */
  cancel(reason: string): void {
    this.paused = false;
    this.stop('cancelled', reason);
    this.touch();
  }

  /** Whether the plan is ending by cancellation, so running steps should be cancelled too. */
  get cancelling(): boolean {
    return this.ending === 'cancelled';
  }

  /** Takes over a step an earlier run completed, result and times included, without running it again. */
  restoreCompleted(step: StepSnapshot): void {
    const record = this.steps.get(step.id);
    if (!record || record.status !== 'pending' || step.status !== 'completed') return;
    this.steps.setStatus(record, 'completed');
    Object.assign(record, {
      result: step.result,
      attempts: step.attempts,
      startedAt: step.startedAt,
      completedAt: step.completedAt,
    });
    // Counted down only: beginExecution queues what became ready, in the plan file's order.
    for (const dependent of this.queue.dependentsOf(step.id)) this.queue.dependencyFinished(dependent);
    this.touch();
  }

  /**
   * Completed steps that declare a compensation (sub-plans always can be undone), in layers: each layer after
   * everything that depends on it.
   */
  compensationLayers(): StepSpec[][] {
    const completed = [...this.steps.all()].filter((r) => r.status === 'completed').map((r) => r.id);
    return compensationOrder(this.plan.steps, completed)
      .map((layer) =>
        layer
          .map((id) => this.steps.get(id).spec)
          .filter((spec) => spec.compensate !== null || spec.toolName === SUBPLAN_TOOL),
      )
      .filter((layer) => layer.length > 0);
  }

  /** Whether the way the plan is ending calls for its completed steps to be undone. */
  get needsCompensation(): boolean {
    if (this.ending === 'failed') return this.plan.options.onFailure === 'compensate' || this.aborted;
    return this.ending === 'cancelled' || this.ending === 'rejected';
  }

  beginCompensation(): void {
    this.status = 'compensating';
    this.touch();
  }

  recordCompensation(id: string, outcome: CompensationOutcome): void {
    const record = this.steps.get(id);
    this.steps.setStatus(record, outcome.status);
    record.compensation = outcome;
    this.touch();
  }

  resultOf(id: string): unknown {
    return this.steps.has(id) ? this.steps.get(id).result : undefined;
  }

  /** How each dependency of a step ended, in its dependsOn order: what `{{dependencies}}` stands for. */
  dependencyOutcomes(spec: StepSpec): DependencyOutcome[] {
    return spec.dependsOn.map((dep) => {
      const { status, result, error } = this.steps.get(dep);
      return { step: dep, status, result, error };
    });
  }

  /** Ends the run: steps that never started become skipped, and the plan takes its final status. */
  finish(at: string): PlanStatus {
    const why = this.reason ? `not started: ${this.reason}` : 'not started';
    for (const record of this.steps.all()) {
      if (record.status === 'pending' || record.status === 'waiting_approval') {
        this.steps.setStatus(record, 'skipped');
        record.error = why;
      }
    }
    this.status = this.ending ?? (this.steps.counts.failed > 0 || this.skippedByOperator ? 'partial' : 'completed');
    this.completedAt = at;
    this.touch();
    return this.status;
  }

  /** Everything a run that continues as new must carry; `restore` on a fresh state of the same plan takes it over. */
  progress(): CarriedProgress {
    return {
      startedAt: this.startedAt,
      seq: this.seq,
      status: this.status,
      reason: this.reason,
      ending: this.ending,
      stopping: this.stopping,
      paused: this.paused,
      aborted: this.aborted,
      skippedByOperator: this.skippedByOperator,
      executingSince: this.executingSince,
      approvals: [...this.approvals],
      operatorActions: [...this.operatorActions],
      overrides: [...this.overrides],
      ...this.gates.progress(),
      ...this.steps.progress(),
      unmet: this.queue.progress((id) => this.isOpen(id)),
    };
  }

  /** Takes over the progress an earlier run of this plan carried; call on a fresh state, before anything else. */
  restore(progress: CarriedProgress): void {
    this.steps.restore(progress);
    this.gates.restore(progress);
    this.approvals.push(...progress.approvals);
    this.operatorActions.push(...progress.operatorActions);
    for (const [id, parameters] of progress.overrides) this.overrides.set(id, parameters);
    this.started = progress.startedAt;
    // One past the carried number: the new run's first mirror write (with its run id) is newer than any before.
    this.seq = progress.seq + 1;
    this.status = progress.status;
    this.reason = progress.reason;
    this.ending = progress.ending;
    this.stopping = progress.stopping;
    this.paused = progress.paused;
    this.aborted = progress.aborted;
    this.skippedByOperator = progress.skippedByOperator;
    this.executingSince = progress.executingSince;
    // Ready again once scheduling had begun: every pending step with nothing left to wait for (as the run had queued).
    const pending = (id: string) => this.executingSince !== null && this.steps.get(id).status === 'pending';
    this.queue.restore(progress.unmet, pending);
  }

  summary(): PlanSummary {
    return this.steps.summary();
  }

  snapshot(): PlanSnapshot {
    return {
      planId: this.planId,
      status: this.status,
      description: this.plan.description,
      reason: this.reason,
      startedAt: this.startedAt,
      completedAt: this.completedAt,
      approvals: [...this.approvals],
      operatorActions: [...this.operatorActions],
      steps: this.steps.snapshots(),
      summary: this.summary(),
    };
  }

  /** Per-batch counts of plans written in batch form (`batchIndex`), as the plan_progress mirror reports them. */
  batchSummary(): BatchSummary {
    return this.steps.batchSummary();
  }

  /** The steps changed since the last call, for the mirror (every step on the first call); not itself a change. */
  takeChanges(): ReturnType<StepBook['takeChanges']> {
    return this.steps.takeChanges();
  }

  private gateFor(step: string | null): ApprovalGate | string {
    if (step === null) return this.gates.plan ?? `plan "${this.planId}" does not require approval`;
    if (!this.steps.has(step)) return `plan "${this.planId}" has no step "${step}"`;
    return this.gates.step(step) ?? `step "${step}" does not require approval`;
  }

  /** Whether a step has yet to start: pending, or waiting for its approval. */
  private isOpen(id: string): boolean {
    const { status } = this.steps.get(id);
    return status === 'pending' || status === 'waiting_approval';
  }

  /** Applies a decision the gate accepted (or a timeout, which bypasses the approver list). */
  private recordDecision(gate: ApprovalGate, decision: NormalizedDecision, at: string, timedOut = false): void {
    this.approvals.push(gate.apply(decision, at));
    const what = gate.step === null ? 'plan' : `step "${gate.step}"`;
    const rejectedWhy = `${what} rejected by ${decision.by}${decision.text ? `: ${decision.text}` : ''}`;
    if (gate.step === null) {
      if (gate.state === 'approved') this.status = 'approved';
      if (gate.state === 'rejected') {
        this.stop('rejected', timedOut ? 'approval timeout' : rejectedWhy);
        this.status = 'rejected';
      }
    } else {
      const record = this.steps.get(gate.step);
      if (gate.state === 'approved' && record.status === 'waiting_approval') {
        this.steps.setStatus(record, 'pending');
        this.queue.push(record.id);
      }
      if (gate.state === 'rejected' && record.status === 'waiting_approval') {
        this.steps.setStatus(record, 'skipped');
        record.error = timedOut ? 'approval timeout' : rejectedWhy;
        this.stop('rejected', record.error === 'approval timeout' ? `${what}: approval timeout` : rejectedWhy);
      }
    }
    this.touch();
  }

  private becomeReady(id: string, at: string): void {
    const gate = this.gates.step(id);
    const record = this.steps.get(id);
    if (record.status !== 'pending') return;
    if (gate && gate.state !== 'approved') {
      this.steps.setStatus(record, 'waiting_approval');
      gate.openedAt = Date.parse(at);
      return;
    }
    this.queue.push(id);
  }

  /**
   * Marks every not-yet-started step downstream of `id` skipped (continueOnError). A dependent that accepts failed
   * dependencies is not skipped: for it the failed or skipped step simply counts as finished.
   */
  private skipDependents(id: string, why: string, at: string): void {
    const finished = [id];
    while (finished.length > 0) {
      for (const dependent of this.queue.dependentsOf(finished.pop()!)) {
        const record = this.steps.get(dependent);
        if (!this.isOpen(dependent)) continue;
        if (record.spec.acceptFailedDependencies) {
          this.dependencyFinished(dependent, at);
          continue;
        }
        this.steps.setStatus(record, 'skipped');
        record.error = why;
        finished.push(dependent);
      }
    }
  }

  private dependencyFinished(id: string, at: string): void {
    if (this.queue.dependencyFinished(id)) this.becomeReady(id, at);
  }

  private stop(ending: 'failed' | 'rejected' | 'cancelled', reason: string): void {
    this.stopping = true;
    if (this.ending === null) {
      this.ending = ending;
      this.reason = reason;
    }
  }

  private touch(): void {
    this.seq++;
  }
}
