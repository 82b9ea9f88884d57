/** Large step results kept out of workflow history (see migration 004); the workflow holds markers instead. */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { fromJsonb, jsonbText } from './jsonb-text';

export interface StoredRow {
  planId: string;
  sha256: string;
}

/** The key a JSON text is stored under. */
export function sha256Of(json: string): string {
  return createHash('sha256').update(json).digest('hex');
}

/**
 * Stores a value, keyed by the hash of its JSON text `json`; storing the same value again changes nothing. Strings
 * jsonb refuses (NUL, lone surrogates) are stored escaped and come back as they were (see jsonb-text.ts).
 */
export async function storeResult(
  pool: Pool,
  planId: string,
  stepId: string,
  value: unknown,
  json: string,
): Promise<string> {
  const sha256 = sha256Of(json);
  await pool.query(
    `INSERT INTO stored_results (plan_id, sha256, step_id, value, bytes) VALUES ($1, $2, $3, $4::jsonb, $5)
     ON CONFLICT (plan_id, sha256) DO NOTHING`,
    [planId, sha256, stepId, jsonbText(value), Buffer.byteLength(json)],
  );
  return sha256;
}

/** Fetches stored values; the map's keys are `planId/sha256`. A missing row is simply absent from the map. */
export async function loadResults(pool: Pool, rows: StoredRow[]): Promise<Map<string, unknown>> {
  if (rows.length === 0) return new Map();
  const { rows: found } = await pool.query<{ plan_id: string; sha256: string; value: unknown }>(
    `SELECT r.plan_id, r.sha256, r.value
       FROM stored_results r
       JOIN unnest($1::text[], $2::text[]) AS k(plan_id, sha256) USING (plan_id, sha256)`,
    [rows.map((r) => r.planId), rows.map((r) => r.sha256)],
  );
  return new Map(found.map((row) => [`${row.plan_id}/${row.sha256}`, fromJsonb(row.value)]));
}
