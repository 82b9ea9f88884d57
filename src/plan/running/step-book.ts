import { BatchProgress, type BatchSummary } from './batch-progress';
import type { StepProgressRow } from './carried-progress';
import { compensationOrder } from '../graph/dag';
import type { DependencyOutcome } from '../graph/dependency-outcomes';
import type { PlanSummary, StepSnapshot } from './snapshot';
import { STEP_STATUSES, type StepStatus } from '../statuses';
import { SUBPLAN_TOOL } from '../subplan-tool';
import type { StepSpec } from '../types';

/** A step as the state keeps it: what the `state` object shows, with its spec and its place in the plan file. */
export interface StepRecord extends StepSnapshot {
  spec: StepSpec;
  /** Index in the plan file. */
  position: number;
}

/**
 * The plan's steps as they stand: one record each, counts by status, batch progress, and which steps changed since
 * the mirror last took them; and what can be read off them (dependency outcomes, what to compensate). Every status
 * change goes through `setStatus`, so the counts never drift; which change follows from what is `PlanState`'s to say.
 */
export class StepBook {
  private readonly records = new Map<string, StepRecord>();
  readonly counts = Object.fromEntries(STEP_STATUSES.map((s) => [s, 0])) as Record<StepStatus, number>;
  private readonly batches = new BatchProgress();
  /** Steps changed since the mirror last took them; all of them before the first write. */
  private changed = new Set<string>();
  private mirroredOnce = false;

  constructor(private readonly specs: readonly StepSpec[]) {
    for (const [position, spec] of specs.entries()) {
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
    }
  }

  /** The record of a step the plan has (callers pass ids from the plan itself). */
  get(id: string): StepRecord {
    return this.records.get(id)!;
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  /** Every record, in the plan file's order. */
  all(): IterableIterator<StepRecord> {
    return this.records.values();
  }

  /** The one failed step; null when none or several failed. */
  onlyFailed(): string | null {
    if (this.counts.failed !== 1) return null;
    for (const record of this.records.values()) if (record.status === 'failed') return record.id;
    return null;
  }

  /** Moves a step to `status`, with the fields that change along; returns its record. */
  update(id: string, status: StepStatus, changes: Partial<StepSnapshot> = {}): StepRecord {
    const record = this.get(id);
    this.setStatus(record, status);
    return Object.assign(record, changes);
  }

  /** How each dependency of a step ended, in its dependsOn order: what `{{dependencies}}` stands for. */
  outcomesOf(spec: StepSpec): DependencyOutcome[] {
    return spec.dependsOn.map((dep) => {
      const { status, result, error } = this.get(dep);
      return { step: dep, status, result, error };
    });
  }

  /**
   * Completed steps that declare a compensation (sub-plans always can be undone), in layers: each layer after
   * everything that depends on it.
   */
  compensationLayers(): StepSpec[][] {
    const completed = [...this.records.values()].filter((r) => r.status === 'completed').map((r) => r.id);
    return compensationOrder(this.specs, completed)
      .map((layer) =>
        layer
          .map((id) => this.get(id).spec)
          .filter((spec) => spec.compensate !== null || spec.toolName === SUBPLAN_TOOL),
      )
      .filter((layer) => layer.length > 0);
  }

  private setStatus(record: StepRecord, status: StepStatus): void {
    this.counts[record.status]--;
    this.counts[status]++;
    this.batches.transition(record.spec.batchIndex, record.status, status);
    this.changed.add(record.id);
    record.status = status;
  }

  summary(): PlanSummary {
    const c = this.counts;
    return {
      total: this.records.size,
      pending: c.pending,
      waitingApproval: c.waiting_approval,
      waitingForResources: c.waiting_for_resources,
      running: c.running,
      completed: c.completed,
      failed: c.failed,
      skipped: c.skipped,
      compensated: c.compensated,
      compensationFailed: c.compensation_failed,
    };
  }

  /** The steps as the `state` object shows them. */
  snapshots(): StepSnapshot[] {
    return [...this.records.values()].map(({ spec: _spec, position: _position, ...step }) => step);
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

  /**
   * How many steps a batch taken now would hold, or 'all' before the first write (which holds every step, with its
   * parameters).
   */
  get pendingChanges(): number | 'all' {
    return this.mirroredOnce ? this.changed.size : 'all';
  }

  /** Puts steps back among the changed ones: a batch that held them may not have reached PostgreSQL. */
  changedAgain(ids: readonly string[]): void {
    for (const id of ids) if (this.records.has(id)) this.changed.add(id);
  }

  /** What a continued run needs of the steps: every step that is no longer untouched, and what the mirror lacks. */
  progress(): { steps: StepProgressRow[]; unmirrored: string[] | 'all' } {
    const steps: StepProgressRow[] = [];
    for (const r of this.records.values()) {
      if (r.status !== 'pending' || r.attempts > 0) {
        steps.push([
          r.id,
          r.status,
          r.attempts,
          r.startedAt,
          r.completedAt,
          r.error,
          r.errorType,
          r.result,
          r.compensation,
        ]);
      }
    }
    return { steps, unmirrored: this.mirroredOnce ? [...this.changed] : 'all' };
  }

  /** Takes over what `progress` carried. */
  restore(progress: { steps: StepProgressRow[]; unmirrored: string[] | 'all' }): void {
    for (const [
      id,
      status,
      attempts,
      startedAt,
      completedAt,
      error,
      errorType,
      result,
      compensation,
    ] of progress.steps) {
      const record = this.records.get(id)!;
      this.setStatus(record, status);
      Object.assign(record, { attempts, startedAt, completedAt, error, errorType, result, compensation });
    }
    this.mirroredOnce = progress.unmirrored !== 'all';
    this.changed = new Set(progress.unmirrored === 'all' ? this.records.keys() : progress.unmirrored);
  }
}
