import type { CarriedProgress } from './carried-progress';
import type { OperatorAction, OperatorActionRecord } from './operator-actions';
import type { StepSpec } from '../types';

/** What a continued run carries of the repairs (under the names the carried progress has always used). */
type RepairProgress = Pick<CarriedProgress, 'aborted' | 'skippedByOperator' | 'operatorActions' | 'overrides'>;

/**
 * What operators did to a plan paused by a failure: each retry, skip and abort with who and when, the parameters a
 * retried step runs with, and the marks they leave on how the plan ends. What an action does to the steps and the
 * plan's status stays in `PlanState`.
 */
export class RepairBook {
  /** Retry, skip and abort, with who and when, in the order they happened. */
  readonly actions: OperatorActionRecord[] = [];
  /** New parameters an operator gave a step to retry with. */
  private readonly overrides = new Map<string, Record<string, unknown>>();
  /** An abort undoes the completed steps whatever `onFailure` says. */
  aborted = false;
  /** A skipped failure keeps the plan from ending `completed`. */
  skipped = false;

  /** Records an action that was checked already. */
  record(action: OperatorAction, at: string): void {
    const step = action.kind === 'abort' ? null : action.step;
    this.actions.push({ action: action.kind, step, by: action.by, at, detail: action.detail ?? null });
    if (action.kind === 'abort') this.aborted = true;
    else if (action.kind === 'skip') this.skipped = true;
    else if (action.parameters) this.overrides.set(action.step, action.parameters);
  }

  /** The parameters a step runs with: an operator's replacement on retry, else the plan's. */
  parametersOf(spec: StepSpec): Record<string, unknown> {
    return this.overrides.get(spec.id) ?? spec.parameters;
  }

  /** What a continued run needs of the repairs. */
  progress(): RepairProgress {
    return {
      aborted: this.aborted,
      skippedByOperator: this.skipped,
      operatorActions: [...this.actions],
      overrides: [...this.overrides],
    };
  }

  /** Takes over what `progress` carried. */
  restore(progress: RepairProgress): void {
    this.aborted = progress.aborted;
    this.skipped = progress.skippedByOperator;
    this.actions.push(...progress.operatorActions);
    for (const [id, parameters] of progress.overrides) this.overrides.set(id, parameters);
  }
}
