/**
 * Reads of the plan mirror in the terms of the batch-progress store it replaces: a plan's progress, its tasks (all, by
 * batch), and recent plans. For dashboards, other agents and `plan status` once Temporal's history of a plan is gone.
 * Strings the mirror stored escaped (NUL, lone surrogates: see jsonb-text.ts) come back as the plan had them.
 */
import type { Pool } from 'pg';
import type { PlanRow, PlanStatus, StepRow } from '../plan';
import { fromJsonb } from './jsonb-text';

/** A plan_progress row: what the workflow wrote, and when. */
export interface PlanProgress extends PlanRow {
  lastUpdated: string;
  version: number;
}

/** A task_plans row: what the workflow wrote for a step, and when. */
export interface TaskPlan extends Required<StepRow> {
  planId: string;
  updatedAt: string;
  version: number;
}

/** A timestamp as JavaScript's toISOString writes it, so mirror rows compare equal to the state object. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const PROGRESS_COLUMNS = `
  plan_id AS "planId", run_id AS "runId", description, status, reason, approvals,
  operator_actions AS "operatorActions", total_steps AS "totalSteps",
  completed_steps AS "completedSteps", failed_steps AS "failedSteps", skipped_steps AS "skippedSteps",
  total_batches AS "totalBatches", completed_batches AS "completedBatches", failed_batches AS "failedBatches",
  current_batch_index AS "currentBatchIndex", overall_success_rate::float8 AS "overallSuccessRate",
  ${iso('started_at')} AS "startedAt", ${iso('finished_at')} AS "finishedAt",
  ${iso('last_updated')} AS "lastUpdated", version::float8 AS version`;

const TASK_COLUMNS = `
  plan_id AS "planId", step_id AS "stepId", position, tool_name AS "toolName", description, parameters,
  batch_index AS "batchIndex", depends_on AS "dependsOn", complexity,
  is_required_validate_by_database AS "isRequiredValidateByDatabase", status, attempts, result,
  error_message AS "errorMessage", error_type AS "errorType", compensation,
  ${iso('started_at')} AS "startedAt", ${iso('finished_at')} AS "finishedAt",
  ${iso('updated_at')} AS "updatedAt", version::float8 AS version`;

/** One plan's progress row, or null. */
export async function getPlanProgress(db: Pool, planId: string): Promise<PlanProgress | null> {
  const { rows } = await db.query(`SELECT ${PROGRESS_COLUMNS} FROM plan_progress WHERE plan_id = $1`, [planId]);
  return rows[0] === undefined ? null : fromJsonb(rows[0] as PlanProgress);
}

/** Recent plans, most recently updated first, optionally of one status. */
export async function listPlanProgress(
  db: Pool,
  options: { status?: PlanStatus; limit?: number } = {},
): Promise<PlanProgress[]> {
  const { rows } = await db.query(
    `SELECT ${PROGRESS_COLUMNS} FROM plan_progress
      WHERE ($1::text IS NULL OR status = $1) ORDER BY last_updated DESC LIMIT $2`,
    [options.status ?? null, Math.min(options.limit ?? 50, 1000)],
  );
  return fromJsonb(rows as PlanProgress[]);
}

/** A plan's tasks, in the plan file's order. */
export async function getTaskPlansByPlan(db: Pool, planId: string): Promise<TaskPlan[]> {
  const { rows } = await db.query(`SELECT ${TASK_COLUMNS} FROM task_plans WHERE plan_id = $1 ORDER BY position`, [
    planId,
  ]);
  return fromJsonb(rows as TaskPlan[]);
}

/** The tasks of one batch of a plan (what getTaskPlansByBatch answered). */
export async function getTaskPlansByBatch(db: Pool, planId: string, batchIndex: number): Promise<TaskPlan[]> {
  const { rows } = await db.query(
    `SELECT ${TASK_COLUMNS} FROM task_plans WHERE plan_id = $1 AND batch_index = $2 ORDER BY position`,
    [planId, batchIndex],
  );
  return fromJsonb(rows as TaskPlan[]);
}
