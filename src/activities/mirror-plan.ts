import { ApplicationFailure } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { MirrorBatch } from '../plan';
import { writeMirrorBatch } from '../store/plan-mirror';
import { MIRROR_DATA_ERROR } from '../plan/error-types';

/** The mirror activity: PostgreSQL being down is retried (by Temporal); rows it refuses are reported, not retried. */
export function createMirrorPlan(pool: Pool): (batch: MirrorBatch) => Promise<void> {
  return async (batch) => {
    try {
      await writeMirrorBatch(pool, batch);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      // SQLSTATE classes 22 (data exception) and 23 (integrity violation): the rows themselves are the problem.
      if (typeof code === 'string' && /^2[23]/.test(code)) {
        throw ApplicationFailure.nonRetryable(
          `PostgreSQL refused the mirror rows (${code}): ${(err as Error).message}`,
          MIRROR_DATA_ERROR,
        );
      }
      throw err;
    }
  };
}
