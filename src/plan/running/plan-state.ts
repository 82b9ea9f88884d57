/**
 * The state of one plan run and every transition it can make. The workflow drives it; it holds no I/O and no clock
 * of its own (times come in as ISO strings), so it is tested without Temporal. Work per transition is proportional to
 * what changed: dependency counters, not rescans of the whole plan. What it keeps lives in small books that own their
 * data and call nothing back (steps, the ready queue, approval gates, operator repairs, the ending); which status
 * follows from what is decided here.
 */
import type { ApprovalGate, NormalizedDecision } from './approval-gate';
import type { BatchSummary } from './batch-progress';
import type { CarriedProgress } from './carried-progress';
import type { DependencyOutcome } from '../graph/dependency-outcomes';
import { Ending } from './ending';
import { GateBook } from './gate-book';
import type { OperatorAction, OperatorActionRecord } from './operator-actions';
import { RepairBook } from './repair-book';
import type {
  Approval,
  CompensationOutcome,
  DecisionAnswer,
  PlanSnapshot,
  PlanSummary,
  StepSnapshot,
} from './snapshot';
import type { PlanStatus } from '../statuses';
import { StepBook } from './step-book';
import { StepQueue } from './step-queue';
import type { Plan, StepSpec } from '../types';
import type { ResourceHolder } from '../resources';

export class PlanState {
  status: PlanStatus = 'draft';
  completedAt: string | null = null;
  /** Bumped on every change: wakes the scheduler and versions the mirror's rows. */
  seq = 0;
  /** Told of every change as it happens, without a promise of its own (each costs the workflow tens of µs). */
  onChange: (() => void) | null = null;
  /** When scheduling began; the total timeout counts from it. */
  executingSince: string | null = null;
  private readonly steps: StepBook;
  private readonly queue: StepQueue;
  private readonly gates: GateBook;
  private readonly repairs = new RepairBook();
  private readonly ending = new Ending();

  constructor(
    readonly plan: Plan,
    readonly planId: string,
    private started: string,
  ) {
    this.steps = new StepBook(plan.steps);
    this.queue = new StepQueue(plan.steps);
    this.gates = new GateBook(plan, planId, started);
    if (this.gates.plan) this.status = 'pending_approval';
  }

  /** When the plan's first run started (a continued run keeps it). */
  get startedAt(): string {
    return this.started;
  }

  /** Why the plan is paused or ending (the first reason wins), or null. */
  get reason(): string | null {
    return this.ending.reason;
  }

  /** No new step starts (a failure under stopOnError, a pause, a rejection, a cancellation). */
  get stopping(): boolean {
    return this.ending.stopping;
  }

  /** Every decision taken, by a person or a timeout, in the order taken. */
  get approvals(): readonly Approval[] {
    return this.gates.approvals;
  }

  /** Retry, skip and abort, with who and when, in the order they happened. */
  get operatorActions(): readonly OperatorActionRecord[] {
    return this.repairs.actions;
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
    return this.gates.plan === null || this.gates.plan.state !== 'waiting' || this.stopping;
  }

  /** Whether the plan or one of its steps waits for a decision now. */
  get pendingApproval(): boolean {
    if (this.gates.plan?.state === 'waiting' && !this.stopping) return true;
    return this.stepsWaiting;
  }

  /** Returns why a decision cannot be taken now, or null when it can; changes nothing. */
  refusalOf(decision: NormalizedDecision): string | null {
    if (this.completedAt !== null) return `plan "${this.planId}" already ended ${this.status}`;
    return this.gates.refusal(decision);
  }

  /** Takes a decision that `refusalOf` accepted. */
  decide(decision: NormalizedDecision, at: string): DecisionAnswer {
    const gate = this.gates.take(decision, at);
    this.decided(gate, decision);
    return gate.answer(decision);
  }

  /** The earliest moment (ms) an open gate's approval wait runs out, or null. */
  nextGateDeadline(): number | null {
    return this.gates.nextDeadline(this.stopping, this.stepsWaiting);
  }

  /** Applies `onApprovalTimeout` to every gate whose wait ran out by `at`. */
  expireGates(at: string): void {
    for (const [gate, decision] of this.gates.expire(at, this.stopping, this.stepsWaiting)) {
      this.decided(gate, decision, true);
    }
  }

  /** Removes and returns the next step that may start, in the order steps became ready; null when none. */
  takeReady(): StepSpec | null {
    if (this.stopping) return null;
    const id = this.queue.take((candidate) => this.steps.get(candidate).status === 'pending');
    return id === null ? null : this.steps.get(id).spec;
  }

  /** Steps under way: running, or waiting for the resources they need. */
  get running(): number {
    return this.steps.counts.running + this.steps.counts.waiting_for_resources;
  }

  /** True when nothing runs and nothing more can start without a decision that is not coming. */
  get finished(): boolean {
    if (this.running > 0) return false;
    if (this.ending.paused) return false;
    if (this.stopping) return true;
    return this.queue.empty && !this.stepsWaiting;
  }

  start(id: string, at: string): void {
    delete this.steps.update(id, 'running', { startedAt: at }).waitingFor;
    this.touch();
  }

  /** The step waits for its resources; `blockers` are who is in its way. */
  awaitResources(id: string, blockers: ResourceHolder[]): void {
    this.steps.update(id, 'waiting_for_resources', { waitingFor: blockers });
    this.touch();
  }

  /** `startedAt` replaces the start time recorded by `start` (a local step reports its own). */
  complete(id: string, result: unknown, attempts: number, at: string, startedAt?: string): void {
    const changes = { result, attempts, completedAt: at, error: null, errorType: null };
    this.steps.update(id, 'completed', startedAt === undefined ? changes : { ...changes, startedAt });
    for (const ready of this.queue.finished(id)) this.becomeReady(ready, at);
    this.touch();
  }

  fail(id: string, error: string, errorType: string | null, attempts: number, at: string): void {
    this.steps.update(id, 'failed', { error, errorType, attempts, completedAt: at });
    if (this.plan.options.continueOnError) this.skipDependents(id, `skipped: step "${id}" failed`, at);
    else if (this.plan.options.onFailure === 'pause' && (this.ending.paused || this.ending.kind === null)) {
      this.ending.pause(`step "${id}" failed: ${error}`);
      this.status = 'paused';
    } else this.ending.stop('failed', `step "${id}" failed: ${error}`);
    this.touch();
  }

  /** The parameters a step runs with: an operator's replacement on retry, else the plan's. */
  parametersOf(spec: StepSpec): Record<string, unknown> {
    return this.repairs.parametersOf(spec);
  }

  /** Why an operator action cannot be taken now, or null. */
  operatorRefusal(action: OperatorAction): string | null {
    if (!this.ending.paused) return `plan "${this.planId}" is not paused (it is ${this.status})`;
    if (action.kind === 'abort') return null;
    if (!this.steps.has(action.step)) return `plan "${this.planId}" has no step "${action.step}"`;
    const { status } = this.steps.get(action.step);
    return status === 'failed' ? null : `step "${action.step}" has not failed (it is ${status})`;
  }

  /** The one failed step, which a retry that names none means; null when none or several failed. */
  onlyFailedStep(): string | null {
    return this.steps.onlyFailed();
  }

  /** Retries or skips a failed step, or aborts the paused plan; the caller checked `operatorRefusal` first. */
  operate(action: OperatorAction, at: string): void {
    this.repairs.record(action, at);
    if (action.kind === 'abort') {
      this.ending.abandon('failed', `aborted by ${action.by}${action.detail ? `: ${action.detail}` : ''}`);
    } else {
      if (action.kind === 'retry') {
        this.steps.update(action.step, 'pending', { error: null, errorType: null, completedAt: null });
        this.queue.push(action.step);
      } else {
        this.steps.update(action.step, 'skipped', { result: action.result ?? null, error: `skipped by ${action.by}` });
        for (const ready of this.queue.finished(action.step)) this.becomeReady(ready, at);
      }
      if (this.steps.counts.failed === 0) {
        this.ending.resume();
        this.status = 'executing';
      }
    }
    this.touch();
  }

  /** Stops new starts because of a cancellation (a Temporal cancel, a `cancel` signal, the total timeout). */
  cancel(reason: string): void {
    this.ending.abandon('cancelled', reason);
    this.touch();
  }

  /** Whether the plan is ending by cancellation, so running steps should be cancelled too. */
  get cancelling(): boolean {
    return this.ending.kind === 'cancelled';
  }

  /** Takes over a step an earlier run completed, result and times included, without running it again. */
  restoreCompleted(step: StepSnapshot): void {
    if (step.status !== 'completed' || !this.steps.has(step.id) || this.steps.get(step.id).status !== 'pending') return;
    const { result, attempts, startedAt, completedAt } = step;
    this.steps.update(step.id, 'completed', { result, attempts, startedAt, completedAt });
    // Counted down only: beginExecution queues what became ready, in the plan file's order.
    this.queue.finished(step.id);
    this.touch();
  }

  /**
   * Completed steps that declare a compensation (sub-plans always can be undone), in layers: each layer after
   * everything that depends on it.
   */
  compensationLayers(): StepSpec[][] {
    return this.steps.compensationLayers();
  }

  /** Whether the way the plan is ending calls for its completed steps to be undone. */
  get needsCompensation(): boolean {
    const { kind } = this.ending;
    if (kind === 'failed') return this.plan.options.onFailure === 'compensate' || this.repairs.aborted;
    return kind === 'cancelled' || kind === 'rejected';
  }

  beginCompensation(): void {
    this.status = 'compensating';
    this.touch();
  }

  recordCompensation(id: string, outcome: CompensationOutcome): void {
    this.steps.update(id, outcome.status, { compensation: outcome });
    this.touch();
  }

  resultOf(id: string): unknown {
    return this.steps.has(id) ? this.steps.get(id).result : undefined;
  }

  /** How each dependency of a step ended, in its dependsOn order: what `{{dependencies}}` stands for. */
  dependencyOutcomes(spec: StepSpec): DependencyOutcome[] {
    return this.steps.outcomesOf(spec);
  }

  /** Ends the run: steps that never started become skipped, and the plan takes its final status. */
  finish(at: string): PlanStatus {
    const why = this.reason ? `not started: ${this.reason}` : 'not started';
    for (const { id } of this.steps.all()) if (this.isOpen(id)) this.steps.update(id, 'skipped', { error: why });
    const partial = this.steps.counts.failed > 0 || this.repairs.skipped;
    this.status = this.ending.kind ?? (partial ? 'partial' : 'completed');
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
      executingSince: this.executingSince,
      ...this.ending.progress(),
      ...this.repairs.progress(),
      ...this.gates.progress(),
      ...this.steps.progress(),
      unmet: this.queue.progress((id) => this.isOpen(id)),
    };
  }

  /** Takes over the progress an earlier run of this plan carried; call on a fresh state, before anything else. */
  restore(progress: CarriedProgress): void {
    this.steps.restore(progress);
    this.gates.restore(progress);
    this.repairs.restore(progress);
    this.ending.restore(progress);
    this.started = progress.startedAt;
    // One past the carried number: the new run's first mirror write (with its run id) is newer than any before.
    this.seq = progress.seq + 1;
    this.status = progress.status;
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

  /** How many steps the mirror's next batch would hold; 'all' before its first write. */
  get pendingMirrorChanges(): number | 'all' {
    return this.steps.pendingChanges;
  }

  /**
   * The mirror could not confirm that these steps' rows (and the plan's) reached PostgreSQL: they are changes again,
   * so the next write carries them — and that is a change of state.
   */
  mirrorAgain(stepIds: readonly string[]): void {
    this.steps.changedAgain(stepIds);
    this.touch();
  }

  /** Whether some step waits for its approval. */
  private get stepsWaiting(): boolean {
    return this.steps.counts.waiting_approval > 0;
  }

  /** Whether a step has yet to start: pending, or waiting for its approval. */
  private isOpen(id: string): boolean {
    const { status } = this.steps.get(id);
    return status === 'pending' || status === 'waiting_approval';
  }

  /** What a decision the gates took does to the plan or its step (a timeout's rejection says so instead of who). */
  private decided(gate: ApprovalGate, decision: NormalizedDecision, timedOut = false): void {
    const what = gate.step === null ? 'plan' : `step "${gate.step}"`;
    const rejectedWhy = `${what} rejected by ${decision.by}${decision.text ? `: ${decision.text}` : ''}`;
    if (gate.step === null) {
      if (gate.state === 'approved') this.status = 'approved';
      if (gate.state === 'rejected') {
        this.ending.stop('rejected', timedOut ? 'approval timeout' : rejectedWhy);
        this.status = 'rejected';
      }
    } else if (this.steps.get(gate.step).status === 'waiting_approval') {
      if (gate.state === 'approved') {
        this.steps.update(gate.step, 'pending');
        this.queue.push(gate.step);
      }
      if (gate.state === 'rejected') {
        this.steps.update(gate.step, 'skipped', { error: timedOut ? 'approval timeout' : rejectedWhy });
        this.ending.stop('rejected', timedOut ? `${what}: approval timeout` : rejectedWhy);
      }
    }
    this.touch();
  }

  private becomeReady(id: string, at: string): void {
    if (this.steps.get(id).status !== 'pending') return;
    const gate = this.gates.step(id);
    if (gate && gate.state !== 'approved') {
      this.steps.update(id, 'waiting_approval');
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
        if (!this.isOpen(dependent)) continue;
        if (this.steps.get(dependent).spec.acceptFailedDependencies) {
          if (this.queue.dependencyFinished(dependent)) this.becomeReady(dependent, at);
          continue;
        }
        this.steps.update(dependent, 'skipped', { error: why });
        finished.push(dependent);
      }
    }
  }

  private touch(): void {
    this.seq++;
    this.onChange?.();
  }
}
