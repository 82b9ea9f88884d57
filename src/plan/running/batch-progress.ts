/**
 * The batch view of a plan written in batch form (`batchIndex`, the form of the batch-progress store we replace), kept
 * incrementally as steps change status: a batch is completed when all its steps completed, failed when any failed; the
 * current batch is the first with a step still to finish.
 */
import type { StepStatus } from '../statuses';

interface BatchCounts {
  total: number;
  completed: number;
  failed: number;
  /** Steps that are pending, waiting for approval or running. */
  open: number;
}

export interface BatchSummary {
  totalBatches: number;
  completedBatches: number;
  failedBatches: number;
  currentBatchIndex: number | null;
}

const OPEN: ReadonlySet<StepStatus> = new Set(['pending', 'waiting_approval', 'waiting_for_resources', 'running']);

export class BatchProgress {
  private readonly batches = new Map<number, BatchCounts>();

  add(batchIndex: number | null): void {
    if (batchIndex === null) return;
    const counts = this.batches.get(batchIndex) ?? { total: 0, completed: 0, failed: 0, open: 0 };
    counts.total++;
    counts.open++;
    this.batches.set(batchIndex, counts);
  }

  transition(batchIndex: number | null, from: StepStatus, to: StepStatus): void {
    if (batchIndex === null) return;
    const counts = this.batches.get(batchIndex)!;
    counts.completed += Number(to === 'completed') - Number(from === 'completed');
    counts.failed += Number(to === 'failed') - Number(from === 'failed');
    counts.open += Number(OPEN.has(to)) - Number(OPEN.has(from));
  }

  /** O(number of batches), which is small: computed when the mirror writes, not on every transition. */
  summary(): BatchSummary {
    let completedBatches = 0;
    let failedBatches = 0;
    let current: number | null = null;
    let last: number | null = null;
    for (const [index, counts] of this.batches) {
      if (counts.completed === counts.total) completedBatches++;
      if (counts.failed > 0) failedBatches++;
      if (counts.open > 0 && (current === null || index < current)) current = index;
      if (last === null || index > last) last = index;
    }
    return { totalBatches: this.batches.size, completedBatches, failedBatches, currentBatchIndex: current ?? last };
  }
}
