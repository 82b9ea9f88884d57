import { CancellationScope, condition, log, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import { takeMirrorBatch, type PlanState } from '../plan';
import type { PlanActivities } from '../activities/types';
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

/**
 * The one background loop that mirrors the plan into PostgreSQL: whenever the state's sequence number moved past
 * what was written, it sends every change since in one local activity call — so a burst of transitions is one
 * write and one history event. It survives the workflow's cancellation, so the final state always lands.
 * Nothing that runs when a write resolves reads the workflow clock: after a local activity that clock differs on
 * replay, and the state's timestamps must not (test/integration/replay-state.test.ts holds us to it).
 */
export class MirrorLoop {
  private written = -1;
  private closing = false;
  private readonly done: Promise<void>;
  /** The version of the last batch taken, and when the state first changed since: what the mirror's lag counts from. */
  private taken = -1;
  private changedAt: number | null = Date.now();

  constructor(
    private readonly state: PlanState,
    /** Tool name -> parameters never to be written (credentials). */
    private readonly secrets: Readonly<Record<string, readonly string[]>>,
    /** The mirror's writes are local activities too, so they take turns with local steps. */
    private readonly waves: LocalWaves,
  ) {
    this.done = CancellationScope.nonCancellable(() => this.run());
    void CancellationScope.nonCancellable(() => this.noteChanges());
  }

  /** Resolves once PostgreSQL holds the state as it is now; the loop goes on. */
  flush(): Promise<void> {
    return condition(() => this.written === this.state.seq);
  }

  /** Writes whatever is still unwritten, then stops; resolves once PostgreSQL holds the state as it is now. */
  async close(): Promise<void> {
    this.closing = true;
    await this.done;
  }

  private async run(): Promise<void> {
    const { runId } = workflowInfo();
    for (;;) {
      await condition(
        () =>
          (this.state.seq !== this.written || this.closing) &&
          this.waves.idle &&
          (this.waves.mirrorMayWrite || this.closing),
      );
      if (this.state.seq === this.written) return;
      const batch = takeMirrorBatch(this.state, runId, this.secrets);
      // Only the activity reads this time, to measure the lag; it is not recorded anywhere replay would compare.
      const changedAt = this.changedAt ?? Date.now();
      this.taken = batch.version;
      this.changedAt = null;
      this.waves.mirrorWrote();
      try {
        await this.waves.run(() => mirrorPlan(batch, changedAt));
      } catch (err) {
        // Only rows PostgreSQL refuses for their content end up here (everything else is retried); the plan goes on.
        log.error('mirror write refused; the next change writes the plan row again', {
          planId: this.state.planId,
          error: String(err),
        });
      }
      this.written = batch.version;
    }
  }

  /** Notes when the state first changes after a batch was taken (also while a write is in flight). */
  private async noteChanges(): Promise<void> {
    for (;;) {
      const seen = this.state.seq;
      await condition(() => this.state.seq !== seen);
      if (this.state.seq !== this.taken) this.changedAt ??= Date.now();
    }
  }
}
