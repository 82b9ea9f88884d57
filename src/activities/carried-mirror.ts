import { log } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { MirrorBatch } from '../plan';
import { stepCompletedSince, writeCarriedBatch, writeStepCompleted } from '../store/plan-mirror';

/**
 * How long a tool may run before its call writes what it carries. A quick tool's call writes it together with its
 * own outcome, in one statement; a slow one's shows the step running meanwhile.
 */
const QUICK_TOOL_MS = 250;

/** How long the next step's call waits to learn whether the write before it landed; not knowing counts as not. */
const CONFIRM_PATIENCE_MS = 2_000;

/** Which earlier carried write a call is to confirm: its version, and the step whose call carried it. */
export interface CarriedConfirmation {
  version: number;
  stepId: string;
}

/**
 * The mirror writes regular steps' calls do for their workflows, so a workflow never holds a task open for a
 * PostgreSQL write of its own between one step and the next. A call writes the changes it carries (its own start
 * among them) and, as its tool is done, its own result — in the background: the call hands back its outcome at once.
 * Whether that landed, the next step's call tells the workflow (from this process's own record, or from PostgreSQL
 * when that call runs elsewhere); what never gets confirmed the workflow writes again, itself, before it returns.
 */
export class CarriedWrites {
  /** Writes of this process by plan, generation and version, kept until confirmed or a few minutes old. */
  private readonly writes = new Map<string, Promise<boolean>>();

  constructor(private readonly pool: Pool) {}

  /** Starts a call's carried batch: written after QUICK_TOOL_MS unless the tool is done first. */
  begin(batch: MirrorBatch): CarriedWrite {
    return new CarriedWrite(this.pool, batch, (written) => this.remember(batch, written));
  }

  /** Whether the write a call carried (`batch`'s plan, `confirms`) landed, the calling step's result included. */
  async confirm(batch: MirrorBatch, confirms: CarriedConfirmation): Promise<boolean> {
    const key = keyOf(batch.plan.planId, batch.generation, confirms.version);
    const own = this.writes.get(key);
    this.writes.delete(key);
    const landed =
      own ??
      stepCompletedSince(this.pool, { ...confirms, planId: batch.plan.planId, generation: batch.generation }).catch(
        () => false,
      );
    return withinPatience(landed, false);
  }

  private remember(batch: MirrorBatch, written: Promise<boolean>): void {
    const key = keyOf(batch.plan.planId, batch.generation, batch.version);
    this.writes.set(key, written);
    // A write nobody asks about (the plan ended, the next step ran elsewhere) is forgotten.
    setTimeout(() => this.writes.delete(key), 5 * 60_000).unref();
  }
}

const keyOf = (planId: string, generation: number, version: number) => `${planId}\u0000${generation}\u0000${version}`;

/**
 * One call's carried batch. While the tool runs, the batch is tried until it is written; once the tool is done, one
 * try writes what is left: anything PostgreSQL did not take by then, the workflow writes itself (with its retries).
 */
export class CarriedWrite {
  private written: Promise<boolean> | null = null;
  private readonly timer: NodeJS.Timeout;
  private stopped = false;
  private wake: () => void = () => undefined;
  private readonly stopping = new Promise<void>((resolve) => (this.wake = resolve));

  constructor(
    private readonly pool: Pool,
    private readonly batch: MirrorBatch,
    private readonly finished: (written: Promise<boolean>) => void,
  ) {
    this.timer = setTimeout(() => {
      this.written = this.whileRunning();
    }, QUICK_TOOL_MS);
  }

  /**
   * The tool is done: the batch and the step's result are written from here on, in the background — after `after`
   * (the confirmation of the write before), so the older write lands first and this one does not shadow it.
   */
  complete(step: { stepId: string; attempts: number; result: unknown }, after?: Promise<unknown>): void {
    this.stop();
    this.finished(after ? after.then(() => this.writeResult(step)) : this.writeResult(step));
  }

  /** No more tries (the call failed, or its tool is done). */
  stop(): void {
    clearTimeout(this.timer);
    this.stopped = true;
    this.wake();
  }

  private async writeResult(step: { stepId: string; attempts: number; result: unknown }): Promise<boolean> {
    const { batch } = this;
    if (this.written === null) {
      // Unwritten by this attempt: the step's own row goes in as completed, in the same statement. An earlier
      // attempt may have written the batch already; then the row takes the result on its own, below.
      const finishedAt = new Date().toISOString();
      const steps = batch.steps.map((row) =>
        row.stepId === step.stepId ? { ...row, status: 'completed' as const, ...step, finishedAt } : row,
      );
      const updated = await this.attempt({ ...batch, steps });
      if (updated === null) return false;
      if (updated.has(step.stepId)) return true;
    } else if (!(await this.written)) {
      return false;
    }
    const row = { planId: batch.plan.planId, generation: batch.generation, version: batch.version, ...step };
    return writeStepCompleted(this.pool, row).catch((err: unknown) => {
      log.warn('writing the step result to the mirror failed; the workflow writes it again', { error: String(err) });
      return false;
    });
  }

  /** Tries the batch with backoff until it is written or the call stops (PostgreSQL may come back meanwhile). */
  private async whileRunning(): Promise<boolean> {
    for (let delay = 100; !this.stopped; delay = Math.min(delay * 2, 2_000)) {
      if ((await this.attempt(this.batch)) !== null) return true;
      await Promise.race([new Promise((resolve) => setTimeout(resolve, delay)), this.stopping]);
    }
    return false;
  }

  /** The steps whose rows took the batch, or null when PostgreSQL did not take it. */
  private attempt(batch: MirrorBatch): Promise<Set<string> | null> {
    return writeCarriedBatch(this.pool, batch).catch((err: unknown) => {
      log.warn('carried mirror write failed; the workflow writes these rows unless a later try lands', {
        error: String(err),
      });
      return null;
    });
  }
}

/** What `write` gives, or `late` if it takes longer than CONFIRM_PATIENCE_MS. */
function withinPatience<T>(write: Promise<T>, late: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const tooLate = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(late), CONFIRM_PATIENCE_MS)));
  return Promise.race([write, tooLate]).finally(() => clearTimeout(timer));
}
