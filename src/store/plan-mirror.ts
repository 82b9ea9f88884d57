/**
 * Writes a mirror batch from the plan workflow into plan_progress and task_plans, in one transaction. Rows are
 * applied only when their (generation, version) is newer than what is stored, so writes are idempotent and
 * order-insensitive: a retried or late batch changes nothing.
 */
import type { Pool, PoolClient } from 'pg';
import type { MirrorBatch, StepRow } from '../plan';
import { describeRefusal, isDataRefusal } from './data-refusal';
import { jsonbText } from './jsonb-text';
import { inTransaction } from './pool';

const UPSERT_PLAN = `
  INSERT INTO plan_progress AS t (
    plan_id, run_id, description, status, reason, approvals, operator_actions, total_steps, completed_steps, failed_steps,
    skipped_steps, total_batches, completed_batches, failed_batches, current_batch_index, overall_success_rate,
    started_at, finished_at, last_updated, generation, version)
  SELECT p."planId", p."runId", p.description, p.status, p.reason, p.approvals, p."operatorActions", p."totalSteps", p."completedSteps",
         p."failedSteps", p."skippedSteps", p."totalBatches", p."completedBatches", p."failedBatches",
         p."currentBatchIndex", p."overallSuccessRate", p."startedAt", p."finishedAt", now(), $2, $3
    FROM jsonb_to_record($1::jsonb) AS p(
      "planId" text, "runId" text, description text, status text, reason text, approvals jsonb, "operatorActions" jsonb,
      "totalSteps" int,
      "completedSteps" int, "failedSteps" int, "skippedSteps" int, "totalBatches" int, "completedBatches" int,
      "failedBatches" int, "currentBatchIndex" int, "overallSuccessRate" numeric, "startedAt" timestamptz,
      "finishedAt" timestamptz)
  ON CONFLICT (plan_id) DO UPDATE SET
    run_id = excluded.run_id, description = excluded.description, status = excluded.status, reason = excluded.reason,
    approvals = excluded.approvals, operator_actions = excluded.operator_actions, total_steps = excluded.total_steps, completed_steps = excluded.completed_steps,
    failed_steps = excluded.failed_steps, skipped_steps = excluded.skipped_steps,
    total_batches = excluded.total_batches, completed_batches = excluded.completed_batches,
    failed_batches = excluded.failed_batches, current_batch_index = excluded.current_batch_index,
    overall_success_rate = excluded.overall_success_rate, started_at = excluded.started_at,
    finished_at = excluded.finished_at, last_updated = now(), generation = excluded.generation,
    version = excluded.version
  WHERE (excluded.generation, excluded.version) > (t.generation, t.version)`;

const STEP_COLUMNS = `
  "stepId" text, position int, "toolName" text, description text, parameters jsonb, "batchIndex" int, "dependsOn" text[],
  complexity text, "isRequiredValidateByDatabase" boolean, status text, attempts int, result jsonb,
  "resultKept" boolean, "errorMessage" text, "errorType" text, compensation jsonb, "startedAt" timestamptz, "finishedAt" timestamptz`;

// A result kept in stored_results (too large for history) is written as the value itself, not as its marker.
const resultValue = (planId: string) => `coalesce(
  (SELECT r.value FROM stored_results r WHERE r.plan_id = ${planId} AND r.sha256 = s.result->'$storedResult'->>'sha256'),
  s.result)`;
const RESULT_VALUE = resultValue('$1');

// A full write creates every row of the run; partial writes only update rows that exist.
const UPSERT_STEPS = `
  INSERT INTO task_plans AS t (
    plan_id, step_id, position, tool_name, description, parameters, batch_index, depends_on, complexity,
    is_required_validate_by_database, status, attempts, result, error_message, error_type, compensation_status,
    compensation, started_at, finished_at, updated_at, generation, version)
  SELECT $1, s."stepId", s.position, s."toolName", s.description, coalesce(s.parameters, '{}'::jsonb), s."batchIndex",
         s."dependsOn", s.complexity, s."isRequiredValidateByDatabase", s.status, s.attempts, ${RESULT_VALUE},
         s."errorMessage", s."errorType", s.compensation->>'status', s.compensation, s."startedAt", s."finishedAt",
         now(), $3, $4
    FROM jsonb_to_recordset($2::jsonb) AS s(${STEP_COLUMNS})
  ON CONFLICT (plan_id, step_id) DO UPDATE SET
    position = excluded.position, tool_name = excluded.tool_name, description = excluded.description, parameters = excluded.parameters,
    batch_index = excluded.batch_index, depends_on = excluded.depends_on, complexity = excluded.complexity,
    is_required_validate_by_database = excluded.is_required_validate_by_database, status = excluded.status,
    attempts = excluded.attempts, result = excluded.result, error_message = excluded.error_message,
    error_type = excluded.error_type, compensation_status = excluded.compensation_status,
    compensation = excluded.compensation, started_at = excluded.started_at, finished_at = excluded.finished_at,
    updated_at = now(), generation = excluded.generation, version = excluded.version
  WHERE (excluded.generation, excluded.version) > (t.generation, t.version)`;

// Placeholders given, so the update can also be part of the one statement a carried batch is written in.
const updateSteps = (planId: string, rows: string, generation: string, version: string) => `
  UPDATE task_plans AS t SET
    status = s.status, attempts = s.attempts,
    result = CASE WHEN s."resultKept" THEN t.result ELSE ${resultValue(planId)} END, error_message = s."errorMessage",
    error_type = s."errorType", compensation_status = s.compensation->>'status', compensation = s.compensation,
    started_at = s."startedAt", finished_at = s."finishedAt", updated_at = now(), generation = ${generation},
    version = ${version}
    FROM jsonb_to_recordset(${rows}::jsonb) AS s(${STEP_COLUMNS})
   WHERE t.plan_id = ${planId} AND t.step_id = s."stepId" AND (${generation}::bigint, ${version}::bigint) > (t.generation, t.version)`;

const UPDATE_STEPS = updateSteps('$1', '$2', '$3', '$4');

// A batch a step's call carries (never a full one): plan row and step rows in one statement, one round trip.
const WRITE_CARRIED = `
  WITH plan_row AS (${UPSERT_PLAN} RETURNING 1),
       step_rows AS (${updateSteps('$4', '$5', '$2', '$3')} RETURNING t.step_id)
  SELECT step_id FROM step_rows`;

// A step's own activity, as it completes: its row as its start left it (same run, same version) takes the result.
const COMPLETE_STEP = `
  UPDATE task_plans SET status = 'completed', attempts = $5, result = $6::jsonb, finished_at = now(), updated_at = now()
   WHERE plan_id = $1 AND step_id = $2 AND generation = $3 AND version = $4 AND status = 'running'`;

// Whether a step's row holds its completion as of a version (or a later write of the workflow's).
const STEP_COMPLETED_SINCE = `
  SELECT 1 FROM task_plans
   WHERE plan_id = $1 AND step_id = $2 AND status = 'completed' AND (generation, version) >= ($3::bigint, $4::bigint)`;

// Steps of an older run of the same plan id that this run does not have.
const DELETE_STALE_STEPS = `DELETE FROM task_plans WHERE plan_id = $1 AND generation < $2`;

/** A row of a batch PostgreSQL refused for its content: the plan row (stepId null) or a step's. */
export interface RefusedRow {
  stepId: string | null;
  reason: string;
}

/** Thrown after the rest of a batch was written: the rows PostgreSQL refused for their content. */
export class MirrorRowsRefused extends Error {
  constructor(readonly refused: RefusedRow[]) {
    const rows = refused.map((row) => (row.stepId === null ? 'the plan row' : `step "${row.stepId}"`));
    super(`PostgreSQL refused ${rows.join(', ')}: ${refused.map((row) => row.reason).join('; ')}`);
    this.name = 'MirrorRowsRefused';
  }
}

/**
 * Applies a mirror batch; returns whether the plan row was newer than what was stored. When PostgreSQL refuses the
 * batch for its content, each row is written on its own, so one bad row never takes the others with it; the refused
 * ones are then thrown as MirrorRowsRefused.
 */
export async function writeMirrorBatch(pool: Pool, batch: MirrorBatch): Promise<boolean> {
  const refused: RefusedRow[] = [];
  const written = await inTransaction(pool, async (client) => {
    try {
      return await inSavepoint(client, () => writeRows(client, batch, batch.steps));
    } catch (err) {
      if (!isDataRefusal(err)) throw err;
      return writeRowByRow(client, batch, refused);
    }
  });
  if (refused.length > 0) throw new MirrorRowsRefused(refused);
  return written;
}

async function writeRowByRow(client: PoolClient, batch: MirrorBatch, refused: RefusedRow[]): Promise<boolean> {
  let written = false;
  for (const steps of [[], ...batch.steps.map((step) => [step])]) {
    try {
      written = (await inSavepoint(client, () => writeRows(client, batch, steps, steps.length === 0))) || written;
    } catch (err) {
      if (!isDataRefusal(err)) throw err;
      refused.push({ stepId: steps[0]?.stepId ?? null, reason: describeRefusal(err) });
    }
  }
  return written;
}

// The plan row (unless left out), then the given step rows; a full write also drops an older run's leftover rows.
async function writeRows(client: PoolClient, batch: MirrorBatch, steps: StepRow[], withPlan = true): Promise<boolean> {
  const { plan, generation, version } = batch;
  const planResult = withPlan ? await client.query(UPSERT_PLAN, [jsonbText(plan), generation, version]) : null;
  if (steps.length > 0) {
    const rows = jsonbText(steps);
    await client.query(batch.full ? UPSERT_STEPS : UPDATE_STEPS, [plan.planId, rows, generation, version]);
  }
  if (batch.full && withPlan) await client.query(DELETE_STALE_STEPS, [plan.planId, generation]);
  return (planResult?.rowCount ?? 0) > 0;
}

async function inSavepoint<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('SAVEPOINT mirror_rows');
  try {
    const result = await work();
    await client.query('RELEASE SAVEPOINT mirror_rows');
    return result;
  } catch (err) {
    await client.query('ROLLBACK TO SAVEPOINT mirror_rows');
    throw err;
  }
}

/**
 * Writes a completed step's result and status from the step's own activity, right after the batch it carried
 * (`generation`, `version`) marked it running; returns whether the row took it. Any later write of the row by the
 * workflow wins, and a write from a call the workflow has already given up on finds the row moved on and changes
 * nothing.
 */
export async function writeStepCompleted(
  pool: Pool,
  row: { planId: string; stepId: string; generation: number; version: number; attempts: number; result: unknown },
): Promise<boolean> {
  const { planId, stepId, generation, version, attempts, result } = row;
  const written = await pool.query(COMPLETE_STEP, [planId, stepId, generation, version, attempts, jsonbText(result)]);
  return (written.rowCount ?? 0) > 0;
}

/**
 * Writes a batch a step's call carried, in one statement: the rows exist (the full write made them), so this only
 * updates; returns the steps whose rows took it (a repeated write changes none). Rows PostgreSQL refuses for their
 * content fail the whole statement; the workflow then writes them again row by row.
 */
export async function writeCarriedBatch(pool: Pool, batch: MirrorBatch): Promise<Set<string>> {
  const { plan, generation, version } = batch;
  const params = [jsonbText(plan), generation, version, plan.planId, jsonbText(batch.steps)];
  const { rows } = await pool.query<{ step_id: string }>(WRITE_CARRIED, params);
  return new Set(rows.map((row) => row.step_id));
}

/** Whether the write a step's call carried (`version`) landed with that step's completion, or something newer did. */
export async function stepCompletedSince(
  pool: Pool,
  row: { planId: string; stepId: string; generation: number; version: number },
): Promise<boolean> {
  const { rowCount } = await pool.query(STEP_COMPLETED_SINCE, [row.planId, row.stepId, row.generation, row.version]);
  return (rowCount ?? 0) > 0;
}
