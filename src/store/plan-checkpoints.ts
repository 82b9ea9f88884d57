/** What a plan carries across continue-as-new, in chunks (see migration 004). */
import type { Pool } from 'pg';

/**
 * Writes one chunk of the checkpoint run `runId` continues from. Idempotent: a retried write stores the same text.
 * Earlier runs' checkpoints stay until the plan ends, so a reset of a run to before its load still finds them.
 */
export async function saveCheckpointChunk(
  pool: Pool,
  planId: string,
  runId: string,
  chunk: number,
  data: string,
): Promise<void> {
  await pool.query(
    `INSERT INTO plan_checkpoints (plan_id, run_id, chunk, data) VALUES ($1, $2, $3, $4)
     ON CONFLICT (plan_id, run_id, chunk) DO UPDATE SET data = excluded.data`,
    [planId, runId, chunk, data],
  );
}

/** Reads one chunk; null when it is not there. */
export async function loadCheckpointChunk(
  pool: Pool,
  planId: string,
  runId: string,
  chunk: number,
): Promise<string | null> {
  const { rows } = await pool.query<{ data: string }>(
    'SELECT data FROM plan_checkpoints WHERE plan_id = $1 AND run_id = $2 AND chunk = $3',
    [planId, runId, chunk],
  );
  return rows[0]?.data ?? null;
}

/** Drops every checkpoint of a plan (its last run ended, nothing will continue from them). */
export async function dropCheckpoints(pool: Pool, planId: string): Promise<void> {
  await pool.query('DELETE FROM plan_checkpoints WHERE plan_id = $1', [planId]);
}
