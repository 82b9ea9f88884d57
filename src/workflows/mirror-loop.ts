import { CancellationScope, condition, log, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import { takeMirrorBatch, type MirrorBatch, type PlanState } from '../plan';
import type { PlanActivities, StepCall, StepOutcome } from '../activities/types';
import type { LocalWaves } from './local-waves';
import { MIRROR_DATA_ERROR } from '../plan/error-types';

const { mirrorPlan } = proxyLocalActivities<PlanActivities>({
  startToCloseTimeout: '30 seconds',
  // PostgreSQL may be down for a while: keep trying, with backoff capped so the mirror catches up soon after.
  // Beyond the first retry the backoff runs on a server timer, so the plan's own work is never held up.
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: [MIRROR_DATA_ERROR],
  },
  localRetryThreshold: '1 second',
  summary: 'mirror to PostgreSQL',
});

/** A carried write not yet confirmed: its batch, and the step whose call carried it. */
interface Unconfirmed {
  batch: MirrorBatch;
  stepId: string;
}

/** What a step's call carries: the batch to write, and the write before it to confirm; `call` as StepCall has them. */
export interface CarriedMirror {
  batch: MirrorBatch;
  confirming: Unconfirmed | null;
  call: Pick<StepCall, 'mirror' | 'confirms'>;
}

/** Runs started before steps carried the mirror's changes replay with the loop writing every change itself. */
export const CARRIED_MIRROR_PATCH = 'steps-carry-mirror';

/** At most this many step rows ride a step's call; a larger batch (say, many steps skipped) is written here. */
const MAX_CARRIED_ROWS = 64;

/**
 * The one background loop that mirrors the plan into PostgreSQL: whenever the state's sequence number moved past
 * what was taken, it sends every change since in one local activity call — so a burst of transitions is one
 * write and one history event. It survives the workflow's cancellation, so the final state always lands.
 *
 * While the plan runs steps, the changes ride the next regular step's call instead (`carry`): a local activity
 * holds its workflow task open until it returns, so writing here would put a PostgreSQL write between every step and
 * the next. So while scheduling, the loop writes only what the scheduler's last pass left untaken. A step's call
 * reports whether its rows and its result reached PostgreSQL; what it cannot confirm is changed again and written
 * once more. Rows are versioned, so whichever write lands last, the newest content stays.
 *
 * Nothing that runs when a write resolves reads the workflow clock: after a local activity that clock differs on
 * replay, and the state's timestamps must not (test/integration/replay-state.test.ts holds us to it).
 */
export class MirrorLoop {
  private closing = false;
  private readonly done: Promise<void>;
  /** The version of the last batch taken, and when the state first changed since: what the mirror's lag counts from. */
  private taken = -1;
  private changedAt: number | null = Date.now();
  /** Writes not yet confirmed or given up on: the loop's own and the batches steps carry. */
  private inFlight = 0;
  /** While the first (full) write, which creates the rows, has not returned, nothing is carried. */
  private creating = false;
  /** While the plan schedules steps: the sequence number its scheduler last looked at. */
  private scheduledAt: number | null = null;
  /** Completed steps whose own activity wrote their result: batches leave the result out. */
  private readonly resultsWritten = new Set<string>();
  /** The last carried write, which the next carrying call is to confirm. */
  private unconfirmed: Unconfirmed | null = null;

  constructor(
    private readonly state: PlanState,
    /** Tool name -> parameters never to be written (credentials). */
    private readonly secrets: Readonly<Record<string, readonly string[]>>,
    /** The mirror's writes are local activities too, so they take turns with local steps. */
    private readonly waves: LocalWaves,
    /** Whether steps carry the changes (runs recorded before they did replay without). */
    private readonly carrying: boolean,
  ) {
    this.done = CancellationScope.nonCancellable(() => this.run());
    // Notes when the state first changes after a batch was taken (also while a write is in flight).
    state.onChange = () => {
      if (this.state.seq !== this.taken) this.changedAt ??= Date.now();
    };
  }

  /** Resolves once PostgreSQL holds the state as it is now; the loop goes on. */
  flush(): Promise<void> {
    this.settleUnconfirmed();
    return condition(() => this.taken === this.state.seq && this.inFlight === 0);
  }

  /** Writes whatever is still unwritten, then stops; resolves once PostgreSQL holds the state as it is now. */
  async close(): Promise<void> {
    this.settleUnconfirmed();
    this.closing = true;
    await this.done;
  }

  /** The scheduler made a pass over the state as it is now (`null`: it stopped scheduling). */
  scheduled(seq: number | null): void {
    if (this.carrying) this.scheduledAt = seq;
  }

  /**
   * The changes since the last batch, for a regular step's call to write (and the write before it to confirm), or
   * undefined when there are none or they are better written here. Hand the step's outcome to `carried`.
   */
  carry(): CarriedMirror | undefined {
    const pending = this.state.pendingMirrorChanges;
    if (!this.carrying || this.creating || pending === 'all' || pending > MAX_CARRIED_ROWS) return undefined;
    // Only the one step running carries: that is a chain, where a write of the loop's own would sit between every
    // step and the next. With many running, one write of the loop's takes the changes of many, and every step but
    // the one just started keeps running meanwhile.
    if (this.state.running > 1) return undefined;
    if (this.state.seq === this.taken) return undefined;
    this.inFlight++;
    const confirming = this.unconfirmed;
    this.unconfirmed = null;
    const batch = this.take();
    const confirms = confirming && { version: confirming.batch.version, stepId: confirming.stepId };
    return { batch, confirming, call: { mirror: batch, ...(confirms ? { confirms } : {}) } };
  }

  /**
   * A step's call that carried `carried` is over, with `outcome` (null: it failed). Its own write lands in the
   * background, for the next carrying call to confirm; what it was to confirm and did not is written again here.
   */
  carried(carried: CarriedMirror, stepId: string, outcome: StepOutcome | null): void {
    this.inFlight--;
    if (carried.confirming && outcome?.confirmed !== true) this.writeAgain(carried.confirming);
    if (outcome?.mirrored === 'pending') {
      this.unconfirmed = { batch: carried.batch, stepId };
      // Until told otherwise, its result is in PostgreSQL: later rows of the step leave it out of history.
      this.resultsWritten.add(stepId);
    } else {
      this.state.mirrorAgain(carried.batch.steps.map((row) => row.stepId));
    }
  }

  /** No call will confirm the last carried write: its rows are written here, to be sure. */
  private settleUnconfirmed(): void {
    if (this.unconfirmed) this.writeAgain(this.unconfirmed);
    this.unconfirmed = null;
  }

  private writeAgain(write: Unconfirmed): void {
    this.resultsWritten.delete(write.stepId);
    this.state.mirrorAgain(write.batch.steps.map((row) => row.stepId));
  }

  private async run(): Promise<void> {
    for (;;) {
      await condition(
        () =>
          ((this.state.seq !== this.taken && this.schedulerDone) || (this.closing && this.inFlight === 0)) &&
          this.waves.idle &&
          (this.waves.mirrorMayWrite || this.closing),
      );
      if (this.state.seq === this.taken) {
        if (this.closing && this.inFlight === 0) return;
        // A step carried the changes between the wake-up and now.
        continue;
      }
      this.settleUnconfirmed();
      // Only the activity reads this time, to measure the lag; it is not recorded anywhere replay would compare.
      const changedAt = this.changedAt ?? Date.now();
      const batch = this.take();
      this.waves.mirrorWrote();
      this.inFlight++;
      this.creating = batch.full;
      try {
        await this.waves.run(() => mirrorPlan(batch, changedAt));
      } catch (err) {
        // Only rows PostgreSQL refuses for their content end up here (everything else is retried); the plan goes on.
        log.error('mirror write refused; the next change writes the plan row again', {
          planId: this.state.planId,
          error: String(err),
        });
      }
      this.creating = false;
      this.inFlight--;
    }
  }

  /** Whether the scheduler has seen the latest change: until it has, a step it starts may still carry it. */
  private get schedulerDone(): boolean {
    return this.scheduledAt === null || this.scheduledAt === this.state.seq;
  }

  private take(): MirrorBatch {
    const batch = takeMirrorBatch(this.state, workflowInfo().runId, this.secrets);
    this.taken = batch.version;
    this.changedAt = null;
    if (!this.carrying) return batch;
    for (const row of batch.steps) {
      if (row.status !== 'completed') this.resultsWritten.delete(row.stepId);
      else if (this.resultsWritten.has(row.stepId)) Object.assign(row, { result: null, resultKept: true });
    }
    return batch;
  }
}
