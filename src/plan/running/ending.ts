import type { CarriedProgress } from './carried-progress';

/** What a plan ends as when its steps' outcomes do not decide it. */
export type EndingKind = NonNullable<CarriedProgress['ending']>;

/** What a continued run carries of the ending (under the names the carried progress has always used). */
type EndingProgress = Pick<CarriedProgress, 'ending' | 'reason' | 'stopping' | 'paused'>;

/**
 * Whether a run still starts steps, and why not: it is ending (the first failure, rejection or cancellation decides
 * what it ends as, and why), or it is paused after a failure until an operator repairs the step or aborts. The plan's
 * status stays in `PlanState`.
 */
export class Ending {
  /** What the plan ends as; null while its steps' outcomes decide (completed or partial). */
  kind: EndingKind | null = null;
  reason: string | null = null;
  /** No new step starts. */
  stopping = false;
  /** onFailure: pause — a failure waits for an operator to retry, skip or abort. */
  paused = false;

  /** Stops new starts; the first ending, with its reason, is what the plan ends as. A pause stays. */
  stop(kind: EndingKind, reason: string): void {
    this.stopping = true;
    if (this.kind !== null) return;
    this.kind = kind;
    this.reason = reason;
  }

  /** Stops new starts even if paused, so the run ends: a cancellation, or an operator's abort. */
  abandon(kind: EndingKind, reason: string): void {
    this.paused = false;
    this.stop(kind, reason);
  }

  /** Stops new starts until an operator repairs the failure `reason` names. */
  pause(reason: string): void {
    this.paused = true;
    this.stopping = true;
    this.reason = reason;
  }

  /** Lifts a pause: the operator left no failed step. */
  resume(): void {
    this.paused = false;
    this.stopping = false;
    this.reason = null;
  }

  /** What a continued run needs of the ending. */
  progress(): EndingProgress {
    return { reason: this.reason, ending: this.kind, stopping: this.stopping, paused: this.paused };
  }

  /** Takes over what `progress` carried. */
  restore(progress: EndingProgress): void {
    this.kind = progress.ending;
    this.reason = progress.reason;
    this.stopping = progress.stopping;
    this.paused = progress.paused;
  }
}
