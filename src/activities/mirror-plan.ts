import { ApplicationFailure } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { MirrorBatch } from '../plan';
import { MirrorRowsRefused, writeMirrorBatch } from '../store/plan-mirror';
import { MIRROR_DATA_ERROR } from '../plan/error-types';

/**
 * The mirror activity: PostgreSQL being down is retried (by Temporal). Rows it refuses for their content are
 * reported, not retried — the batch's other rows are written by then, and the same rows would be refused again.
 */
export function createMirrorPlan(pool: Pool): (batch: MirrorBatch) => Promise<void> {
  return async (batch) => {
    try {
      await writeMirrorBatch(pool, batch);
    } catch (err) {
      if (err instanceof MirrorRowsRefused) {
        throw ApplicationFailure.nonRetryable(
          `mirror of plan "${batch.plan.planId}": ${err.message}`,
          MIRROR_DATA_ERROR,
          {
            refused: err.refused,
          },
        );
      }
      throw err;
    }
  };
}
