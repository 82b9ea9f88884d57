import { log } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { MirrorBatch } from '../plan';
import { writeCarriedBatch, writeStepCompleted } from '../store/plan-mirror';

/**
 * How long a step waits, once its tool is done, for the mirror writes it carries. PostgreSQL being slow or away must
 * not hold up the plan: what is not confirmed in time, the workflow writes again itself.
 */
const WRITE_PATIENCE_MS = 2_000;

/**
 * How long a tool may run before its call writes what it carries. A quick tool's call writes it together with its
 * own outcome, in one statement; a slow one's shows the step running meanwhile.
 */
const QUICK_TOOL_MS = 250;

/**
 * The mirror writes of a regular step's call, for its workflow: the changes it carries (its own start among them),
 * then its own result as it completes. This keeps the workflow from holding a task open for a local activity that
 * writes PostgreSQL on every step. It never fails the call: PostgreSQL away is retried while the tool runs (a long
 * step still shows its start once PostgreSQL is back); what is not confirmed in time is reported back as not done,
 * and the workflow writes those rows again.
 */
export class CarriedWrite {
  private stopped = false;
  private written: Promise<boolean> | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pool: Pool,
    private readonly batch: MirrorBatch,
  ) {
    this.timer = setTimeout(() => {
      this.written = this.writeUntilStopped();
    }, QUICK_TOOL_MS);
  }

  /** Once the tool is done: whether the carried batch and the step's result reached PostgreSQL. */
  async complete(step: { stepId: string; attempts: number; result: unknown }): Promise<boolean> {
    clearTimeout(this.timer);
    const { batch } = this;
    if (this.written === null) {
      // Still unwritten by this attempt: the step's own row goes in as completed, in the same statement. An earlier
      // attempt may have written the batch already; then the row takes the result on its own, below.
      const finishedAt = new Date().toISOString();
      const steps = batch.steps.map((row) =>
        row.stepId === step.stepId ? { ...row, status: 'completed' as const, ...step, finishedAt } : row,
      );
      const updated = await withinPatience(this.attempt({ ...batch, steps }), null);
      if (updated === null) return false;
      if (updated.has(step.stepId)) return true;
    } else {
      const written = await withinPatience(this.written, false);
      this.stop();
      if (!written) return false;
    }
    const row = { planId: batch.plan.planId, generation: batch.generation, version: batch.version, ...step };
    return withinPatience(
      writeStepCompleted(this.pool, row).catch((err: unknown) => {
        log.warn('writing the step result to the mirror failed; the workflow writes it again', { error: String(err) });
        return false;
      }),
      false,
    );
  }

  /** The call failed, or is over: no more tries. */
  stop(): void {
    clearTimeout(this.timer);
    this.stopped = true;
  }

  private async writeUntilStopped(): Promise<boolean> {
    for (let delay = 100; !this.stopped; delay = Math.min(delay * 2, 2_000)) {
      if (await this.attempt(this.batch)) return true;
      await new Promise((resolve) => setTimeout(resolve, delay));
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

/** What `write` gives, or `late` if it takes longer than WRITE_PATIENCE_MS. */
function withinPatience<T>(write: Promise<T>, late: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const tooLate = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(late), WRITE_PATIENCE_MS)));
  return Promise.race([write, tooLate]).finally(() => clearTimeout(timer));
}
