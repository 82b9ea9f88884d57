import { ApplicationFailure } from '@temporalio/activity';
import type { Pool } from 'pg';
import { dropCheckpoints, loadCheckpointChunk, saveCheckpointChunk } from '../store/plan-checkpoints';
import type { CheckpointChunk, CheckpointChunkRef, PlanActivities } from './types';
import { CHECKPOINT_MISSING } from '../plan/error-types';

/** The activities that carry a plan's progress across continue-as-new through PostgreSQL. */
export function createCheckpointActivities(
  pool: Pool,
): Pick<PlanActivities, 'saveCheckpoint' | 'loadCheckpoint' | 'dropCheckpoints'> {
  return {
    saveCheckpoint: ({ planId, runId, chunk, data }: CheckpointChunk) =>
      saveCheckpointChunk(pool, planId, runId, chunk, data),
    async loadCheckpoint({ planId, runId, chunk }: CheckpointChunkRef) {
      const data = await loadCheckpointChunk(pool, planId, runId, chunk);
      if (data === null) {
        throw ApplicationFailure.nonRetryable(
          `checkpoint chunk ${chunk} of plan "${planId}" (run ${runId}) is missing from PostgreSQL`,
          CHECKPOINT_MISSING,
        );
      }
      return data;
    },
    dropCheckpoints: (planId: string) => dropCheckpoints(pool, planId),
  };
}
