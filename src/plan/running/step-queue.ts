import type { StepSpec } from '../types';

/**
 * Which steps may start: each step's count of unmet dependencies, who depends on whom, and the ready list in the
 * order steps became ready. It knows nothing of statuses: `PlanState` says what a finished dependency means and which
 * ready entries are still startable, so work per change is proportional to the change, not to the plan.
 */
export class StepQueue {
  private readonly unmet = new Map<string, number>();
  private readonly dependents = new Map<string, string[]>();
  private ready: string[] = [];
  private head = 0;

  constructor(private readonly steps: readonly StepSpec[]) {
    for (const spec of steps) {
      this.unmet.set(spec.id, spec.dependsOn.length);
      for (const dep of spec.dependsOn) {
        const list = this.dependents.get(dep);
        if (list) list.push(spec.id);
        else this.dependents.set(dep, [spec.id]);
      }
    }
  }

  /** The steps that depend on `id` directly. */
  dependentsOf(id: string): readonly string[] {
    return this.dependents.get(id) ?? [];
  }

  /** Whether every dependency of `id` has finished. */
  allMet(id: string): boolean {
    return this.unmet.get(id) === 0;
  }

  /** Counts one dependency of `id` as finished; true when that was its last one. */
  dependencyFinished(id: string): boolean {
    const left = this.unmet.get(id)! - 1;
    this.unmet.set(id, left);
    return left === 0;
  }

  /** Counts `id` as finished for every step that depends on it; returns those it was the last dependency of. */
  finished(id: string): string[] {
    return this.dependentsOf(id).filter((dependent) => this.dependencyFinished(dependent));
  }

  /** Queues a step to start, after those queued before it. */
  push(id: string): void {
    this.ready.push(id);
  }

  /** Removes and returns the next queued step that `startable` accepts (others are dropped); null when none is left. */
  take(startable: (id: string) => boolean): string | null {
    while (this.head < this.ready.length) {
      const id = this.ready[this.head++]!;
      // Drop the consumed front now and then, so a long plan's list does not keep every id it ever queued.
      if (this.head > 1024 && this.head * 2 > this.ready.length) {
        this.ready = this.ready.slice(this.head);
        this.head = 0;
      }
      if (startable(id)) return id;
    }
    return null;
  }

  /** Whether nothing is queued. */
  get empty(): boolean {
    return this.head >= this.ready.length;
  }

  /** The unmet counts worth carrying to a continued run: of `open` steps, those where some dependencies finished. */
  progress(open: (id: string) => boolean): [string, number][] {
    return this.steps
      .filter((spec) => open(spec.id) && this.unmet.get(spec.id) !== spec.dependsOn.length)
      .map((spec) => [spec.id, this.unmet.get(spec.id)!]);
  }

  /** Takes over carried unmet counts, and queues again the `pending` steps with nothing left to wait for. */
  restore(unmet: [string, number][], pending: (id: string) => boolean): void {
    for (const [id, left] of unmet) this.unmet.set(id, left);
    for (const spec of this.steps) if (pending(spec.id) && this.allMet(spec.id)) this.ready.push(spec.id);
  }
}
