import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { MirrorBatch } from '../plan';
import { MirrorRowsRefused, writeMirrorBatch } from '../store/plan-mirror';
import { MIRROR_DATA_ERROR } from '../plan/error-types';
import { PLAN_METRICS } from '../workflows/metric-names';

/**
 * How long after a change PostgreSQL held it: from the workflow's clock (its workflow task's time) to this worker's.
 */
const mirrorLag = () =>
  Context.current().metricMeter.createHistogram(
    PLAN_METRICS.mirrorLag.name,
    'float',
    undefined,
    PLAN_METRICS.mirrorLag.description,
  );

/**
 * The mirror activity: PostgreSQL being down is retried (by Temporal). Rows it refuses for their content are
 * reported, not retried — the batch's other rows are written by then, and the same rows would be refused again.
 */
export function createMirrorPlan(pool: Pool): (batch: MirrorBatch, changedAt?: number) => Promise<void> {
  return async (batch, changedAt) => {
    try {
      await writeMirrorBatch(pool, batch);
      if (changedAt !== undefined) mirrorLag().record(Math.max(0, Date.now() - changedAt) / 1000);
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
