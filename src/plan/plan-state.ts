/**
 * The state of one plan run and every transition it can make. The workflow drives it; it holds no I/O and no clock
 * of its own (times come in as ISO strings), so it is tested without Temporal. Work per transition is proportional to
 * what changed: dependency counters, not rescans of the whole plan.
 */
import { ApprovalGate, type NormalizedDecision } from './approval-gate';
import { BatchProgress, type BatchSummary } from './batch-progress';
import { compensationOrder } from './dag';
import { COMPENSATION_DEFAULTS } from './defaults';
import { SUBPLAN_TOOL } from './subplan';
import { needsApproval } from './needs-approval';
import type {
  Approval,
  CompensationOutcome,
  DecisionAnswer,
  PlanSnapshot,
  PlanSummary,
  StepSnapshot,
} from './snapshot';
import type { PlanStatus, StepStatus } from './statuses';
import type { OperatorAction, OperatorActionRecord } from './operator-actions';
import type { DependencyOutcome } from './dependency-outcomes';
import type { Plan, StepSpec } from './types';
import type { PlanProgress, StepProgressRow } from './plan-progress';

interface StepRecord extends StepSnapshot {
  spec: StepSpec;
  /** Index in the plan file. */
  position: number;
}

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
  private readonly records = new Map<string, StepRecord>();
  private readonly unmet = new Map<string, number>();
  private readonly dependents = new Map<string, string[]>();
  private ready: string[] = [];
  private readyHead = 0;
  private readonly counts = Object.fromEntries(
    ['pending', 'waiting_approval', 'running', 'completed', 'failed', 'skipped', 'compensated', 'compensation_failed'].map(
      (s) => [s, 0],
    ),
  ) as Record<StepStatus, number>;
  readonly planGate: ApprovalGate | null;
  private readonly stepGates = new Map<string, ApprovalGate>();
  private readonly batches = new BatchProgress();
  /** When scheduling began; the total timeout counts from it. */
  executingSince: string | null = null;
  /** Steps changed since the mirror last took them; all of them before the first write. */
  private changed = new Set<string>();
  private mirroredOnce = false;

  constructor(
    readonly plan: Plan,
    readonly planId: string,
    readonly startedAt: string,
  ) {
    const { options } = plan;
    const policy = { approvers: options.approvers, requiredApprovals: options.requiredApprovals };
    this.planGate = needsApproval(options) ? new ApprovalGate(policy, null) : null;
    for (const [position, spec] of plan.steps.entries()) {
      this.records.set(spec.id, {
        spec,
        position,
        id: spec.id,
        toolName: spec.toolName,
        description: spec.description,
        status: 'pending',
        attempts: 0,
        startedAt: null,
        completedAt: null,
        error: null,
        errorType: null,
        result: null,
        compensation: null,
      });
      this.counts.pending++;
      this.batches.add(spec.batchIndex);
      this.changed.add(spec.id);
      this.unmet.set(spec.id, spec.dependsOn.length);
      for (const dep of spec.dependsOn) {
        const list = this.dependents.get(dep);
        if (list) list.push(spec.id);
        else this.dependents.set(dep, [spec.id]);
      }
      if (spec.requiresApproval) this.stepGates.set(spec.id, new ApprovalGate(policy, spec.id));
    }
    if (this.planGate) {
      // Open from the first moment, so a decision sent before the workflow's first task is not lost.
      this.planGate.openedAt = Date.parse(startedAt);
      this.status = 'pending_approval';
    }
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
    for (const spec of this.plan.steps) if (this.unmet.get(spec.id) === 0) this.becomeReady(spec.id, at);
    this.touch();
  }

  /** Whether a decision, a timeout or a cancellation has settled the plan gate. */
  get planGateSettled(): boolean {
    return this.planGate === null || this.planGate.state !== 'waiting' || this.stopping;
  }

  /** Whether the plan or one of its steps waits for a decision now. */
  get pendingApproval(): boolean {
    if (this.planGate?.state === 'waiting' && !this.stopping) return true;
    return this.counts.waiting_approval > 0;
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
    let earliest: number | null = null;
    for (const gate of this.openGates()) {
      const deadline = gate.openedAt! + timeout;
      if (earliest === null || deadline < earliest) earliest = deadline;
    }
    return earliest;
  }

  /** Applies `onApprovalTimeout` to every gate whose wait ran out by `at`. */
  expireGates(at: string): void {
    const timeout = this.plan.options.approvalTimeoutMs;
    if (timeout === null) return;
    const now = Date.parse(at);
    const decision = this.plan.options.onApprovalTimeout;
    for (const gate of this.openGates()) {
      if (gate.openedAt! + timeout > now) continue;
      const text = `no decision within ${timeout} ms`;
      this.recordDecision(gate, { decision, by: APPROVAL_TIMEOUT_ACTOR, text, step: gate.step }, at, true);
    }
  }

  /** Removes and returns the next step that may start, in the order steps became ready; null when none. */
  takeReady(): StepSpec | null {
    if (this.stopping) return null;
    while (this.readyHead < this.ready.length) {
      const record = this.records.get(this.ready[this.readyHead++]!)!;
      if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
        this.ready = this.ready.slice(this.readyHead);
        this.readyHead = 0;
      }
      if (record.status === 'pending') return record.spec;
    }
    return null;
  }

  get running(): number {
    return this.counts.running;
  }

  /** True when nothing runs and nothing more can start without a decision that is not coming. */
  get finished(): boolean {
    if (this.counts.running > 0) return false;
    if (this.paused) return false;
    if (this.stopping) return true;
    return this.readyHead >= this.ready.length && this.counts.waiting_approval === 0;
  }

  start(id: string, at: string): void {
    const record = this.records.get(id)!;
    this.setStatus(record, 'running');
    record.startedAt = at;
    this.touch();
  }

  /** `startedAt` replaces the start time recorded by `start` (a local step reports its own). */
  complete(id: string, result: unknown, attempts: number, at: string, startedAt?: string): void {
    const record = this.records.get(id)!;
    this.setStatus(record, 'completed');
    Object.assign(record, { result, attempts, completedAt: at, error: null, errorType: null });
    if (startedAt !== undefined) record.startedAt = startedAt;
    for (const dependent of this.dependents.get(id) ?? []) this.dependencyFinished(dependent, at);
    this.touch();
  }

  fail(id: string, error: string, errorType: string | null, attempts: number, at: string): void {
    const record = this.records.get(id)!;
    this.setStatus(record, 'failed');
    Object.assign(record, { error, errorType, attempts, completedAt: at });
    if (this.plan.options.continueOnError) this.skipDependents(id, `skipped: step "${id}" failed`, at);
    else if (this.plan.options.onFailure === 'pause' && (this.paused || this.ending === null)) this.pause(`step "${id}" failed: ${error}`);
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
    const record = this.records.get(action.step);
    if (!record) return `plan "${this.planId}" has no step "${action.step}"`;
    if (record.status !== 'failed') return `step "${action.step}" has not failed (it is ${record.status})`;
    return null;
  }

  /** The one failed step, which a retry that names none means; null when none or several failed. */
  onlyFailedStep(): string | null {
    if (this.counts.failed !== 1) return null;
    for (const record of this.records.values()) if (record.status === 'failed') return record.id;
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
      const record = this.records.get(action.step)!;
      if (action.kind === 'retry') {
        this.setStatus(record, 'pending');
        Object.assign(record, { error: null, errorType: null, completedAt: null });
        if (action.parameters) this.overrides.set(record.id, action.parameters);
        this.ready.push(record.id);
      } else {
        this.setStatus(record, 'skipped');
        Object.assign(record, { result: action.result ?? null, error: `skipped by ${action.by}` });
        this.skippedByOperator = true;
        for (const dependent of this.dependents.get(record.id) ?? []) this.dependencyFinished(dependent, at);
      }
      if (this.counts.failed === 0) {
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
    const record = this.records.get(step.id);
    if (!record || record.status !== 'pending' || step.status !== 'completed') return;
    this.setStatus(record, 'completed');
    Object.assign(record, { result: step.result, attempts: step.attempts, startedAt: step.startedAt, completedAt: step.completedAt });
    for (const dependent of this.dependents.get(step.id) ?? []) this.unmet.set(dependent, this.unmet.get(dependent)! - 1);
    this.touch();
  }

  /** Completed steps that declare a compensation (sub-plans always can be undone), in layers: each layer after everything that depends on it. */
  compensationLayers(): StepSpec[][] {
    const completed = [...this.records.values()].filter((r) => r.status === 'completed').map((r) => r.id);
    return compensationOrder(this.plan.steps, completed)
      .map((layer) => layer.map((id) => this.records.get(id)!.spec).filter((spec) => spec.compensate !== null || spec.toolName === SUBPLAN_TOOL))
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
    const record = this.records.get(id)!;
    this.setStatus(record, outcome.status);
    record.compensation = outcome;
    this.touch();
  }

  resultOf(id: string): unknown {
    return this.records.get(id)?.result;
  }

  /** How each dependency of a step ended, in its dependsOn order: what `{{dependencies}}` stands for. */
  dependencyOutcomes(spec: StepSpec): DependencyOutcome[] {
    return spec.dependsOn.map((dep) => {
      const { status, result, error } = this.records.get(dep)!;
      return { step: dep, status, result, error };
    });
  }

  /** Ends the run: steps that never started become skipped, and the plan takes its final status. */
  finish(at: string): PlanStatus {
    const why = this.reason ? `not started: ${this.reason}` : 'not started';
    for (const record of this.records.values()) {
      if (record.status === 'pending' || record.status === 'waiting_approval') {
        this.setStatus(record, 'skipped');
        record.error = why;
      }
    }
    this.status = this.ending ?? (this.counts.failed > 0 || this.skippedByOperator ? 'partial' : 'completed');
    this.completedAt = at;
    this.touch();
    return this.status;
  }

  /** Everything a run that continues as new must carry; `restore` on a fresh state of the same plan takes it over. */
  progress(): PlanProgress {
    const steps: StepProgressRow[] = [];
    const unmet: [string, number][] = [];
    for (const r of this.records.values()) {
      if (r.status !== 'pending' || r.attempts > 0) {
        steps.push([r.id, r.status, r.attempts, r.startedAt, r.completedAt, r.error, r.errorType, r.result, r.compensation]);
      }
      const left = this.unmet.get(r.id)!;
      if ((r.status === 'pending' || r.status === 'waiting_approval') && left !== r.spec.dependsOn.length) unmet.push([r.id, left]);
    }
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
      planGate: this.planGate?.progress() ?? null,
      stepGates: [...this.stepGates].filter(([, gate]) => gate.openedAt !== null || gate.state !== 'waiting').map(([id, gate]) => [id, gate.progress()]),
      steps,
      unmet,
      unmirrored: this.mirroredOnce ? [...this.changed] : 'all',
    };
  }

  /** Takes over the progress an earlier run of this plan carried; call on a fresh state, before anything else. */
  restore(progress: PlanProgress): void {
    for (const [id, status, attempts, startedAt, completedAt, error, errorType, result, compensation] of progress.steps) {
      const record = this.records.get(id)!;
      this.setStatus(record, status);
      Object.assign(record, { attempts, startedAt, completedAt, error, errorType, result, compensation });
    }
    for (const [id, left] of progress.unmet) this.unmet.set(id, left);
    for (const [id, gate] of progress.stepGates) this.stepGates.get(id)!.restore(gate);
    if (progress.planGate) this.planGate?.restore(progress.planGate);
    this.approvals.push(...progress.approvals);
    this.operatorActions.push(...progress.operatorActions);
    for (const [id, parameters] of progress.overrides) this.overrides.set(id, parameters);
    // Readonly and private fields are set here once, as the constructor would have set them in the first run.
    Object.assign(this, {
      startedAt: progress.startedAt,
      // One past the carried number: the new run's first mirror write (with its run id) is newer than any before.
      seq: progress.seq + 1,
      status: progress.status,
      reason: progress.reason,
      ending: progress.ending,
      stopping: progress.stopping,
      paused: progress.paused,
      aborted: progress.aborted,
      skippedByOperator: progress.skippedByOperator,
      executingSince: progress.executingSince,
    });
    // Ready again: every pending step with nothing left to wait for (the earlier run had queued exactly these).
    if (this.executingSince !== null) {
      for (const spec of this.plan.steps) {
        if (this.records.get(spec.id)!.status === 'pending' && this.unmet.get(spec.id) === 0) this.ready.push(spec.id);
      }
    }
    this.mirroredOnce = progress.unmirrored !== 'all';
    this.changed = new Set(progress.unmirrored === 'all' ? this.records.keys() : progress.unmirrored);
  }

  summary(): PlanSummary {
    const c = this.counts;
    return {
      total: this.records.size,
      pending: c.pending,
      waitingApproval: c.waiting_approval,
      running: c.running,
      completed: c.completed,
      failed: c.failed,
      skipped: c.skipped,
      compensated: c.compensated,
      compensationFailed: c.compensation_failed,
    };
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
      steps: [...this.records.values()].map(({ spec: _spec, position: _position, ...step }) => step),
      summary: this.summary(),
    };
  }

  /** Per-batch counts of plans written in batch form (`batchIndex`), as the plan_progress mirror reports them. */
  batchSummary(): BatchSummary {
    return this.batches.summary();
  }

  /**
   * The steps changed since the last call, for the mirror; `full` on the first call, which returns every step.
   * Taking them does not count as a change.
   */
  takeChanges(): { full: boolean; steps: Array<{ spec: StepSpec; step: StepSnapshot; position: number }> } {
    const full = !this.mirroredOnce;
    this.mirroredOnce = true;
    const steps = [...this.changed].map((id) => {
      const { spec, position, ...step } = this.records.get(id)!;
      return { spec, step, position };
    });
    this.changed = new Set();
    return { full, steps };
  }

  private gateFor(step: string | null): ApprovalGate | string {
    if (step === null) return this.planGate ?? `plan "${this.planId}" does not require approval`;
    if (!this.records.has(step)) return `plan "${this.planId}" has no step "${step}"`;
    return this.stepGates.get(step) ?? `step "${step}" does not require approval`;
  }

  private *openGates(): Iterable<ApprovalGate> {
    if (this.planGate?.state === 'waiting' && this.planGate.openedAt !== null && !this.stopping) yield this.planGate;
    if (this.counts.waiting_approval === 0) return;
    for (const gate of this.stepGates.values()) if (gate.state === 'waiting' && gate.openedAt !== null) yield gate;
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
      const record = this.records.get(gate.step)!;
      if (gate.state === 'approved' && record.status === 'waiting_approval') {
        this.setStatus(record, 'pending');
        this.ready.push(record.id);
      }
      if (gate.state === 'rejected' && record.status === 'waiting_approval') {
        this.setStatus(record, 'skipped');
        record.error = timedOut ? 'approval timeout' : rejectedWhy;
        this.stop('rejected', record.error === 'approval timeout' ? `${what}: approval timeout` : rejectedWhy);
      }
    }
    this.touch();
  }

  private becomeReady(id: string, at: string): void {
    const gate = this.stepGates.get(id);
    const record = this.records.get(id)!;
    if (record.status !== 'pending') return;
    if (gate && gate.state !== 'approved') {
      this.setStatus(record, 'waiting_approval');
      gate.openedAt = Date.parse(at);
      return;
    }
    this.ready.push(id);
  }

  /**
   * Marks every not-yet-started step downstream of `id` skipped (continueOnError). A dependent that accepts failed
   * dependencies is not skipped: for it the failed or skipped step simply counts as finished.
   */
  private skipDependents(id: string, why: string, at: string): void {
    const finished = [id];
    while (finished.length > 0) {
      for (const dependent of this.dependents.get(finished.pop()!) ?? []) {
        const record = this.records.get(dependent)!;
        if (record.status !== 'pending' && record.status !== 'waiting_approval') continue;
        if (record.spec.acceptFailedDependencies) {
          this.dependencyFinished(dependent, at);
          continue;
        }
        this.setStatus(record, 'skipped');
        record.error = why;
        finished.push(dependent);
      }
    }
  }

  private dependencyFinished(id: string, at: string): void {
    const left = this.unmet.get(id)! - 1;
    this.unmet.set(id, left);
    if (left === 0) this.becomeReady(id, at);
  }

  private stop(ending: 'failed' | 'rejected' | 'cancelled', reason: string): void {
    this.stopping = true;
    if (this.ending === null) {
      this.ending = ending;
      this.reason = reason;
    }
  }

  private setStatus(record: StepRecord, status: StepStatus): void {
    this.counts[record.status]--;
    this.counts[status]++;
    this.batches.transition(record.spec.batchIndex, record.status, status);
    this.changed.add(record.id);
    record.status = status;
  }

  private touch(): void {
    this.seq++;
  }
}
