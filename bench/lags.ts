import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';

/**
 * Per step: ms from ActivityTaskCompleted in history to the task_plans row's updated_at (PostgreSQL's clock, same
 * machine).
 */
export async function mirrorLags(client: Client, pool: Pool, planIds: string[]): Promise<number[]> {
  const lags: number[] = [];
  for (const planId of planIds) {
    const history = await client.workflow.getHandle(planId).fetchHistory();
    const scheduled = new Map<number, string>();
    const completedAt = new Map<string, number>();
    for (const event of history.events ?? []) {
      const attrs = event.activityTaskScheduledEventAttributes;
      if (attrs?.activityId) scheduled.set(Number(event.eventId), attrs.activityId);
      const done = event.activityTaskCompletedEventAttributes;
      const stepId = done ? scheduled.get(Number(done.scheduledEventId)) : undefined;
      if (stepId)
        completedAt.set(
          stepId,
          Number(event.eventTime?.seconds ?? 0) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6),
        );
    }
    const { rows } = await pool.query(
      `SELECT step_id, (extract(epoch FROM updated_at) * 1000)::float8 AS ms FROM task_plans WHERE plan_id = $1`,
      [planId],
    );
    for (const row of rows) {
      const at = completedAt.get(row.step_id);
      if (at !== undefined) lags.push(row.ms - at);
    }
  }
  return lags.sort((a, b) => a - b);
}

/** The p-th percentile of sorted numbers. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
