/**
 * The shared-memory expiry sweep as a Temporal Schedule (every minute, overlaps skipped) instead of a timer in some
 * process: it runs wherever a worker runs, survives restarts, and shows up in Temporal Web under Schedules.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { MEMORY_SWEEP_SCHEDULE_ID, SWEEP_MEMORY_WORKFLOW } from '../workflows/definitions';

/** Creates the sweep schedule unless it exists; returns whether it created it. */
export async function ensureMemorySweepSchedule(
  client: Client,
  options: { taskQueue: string; scheduleId?: string },
): Promise<boolean> {
  const scheduleId = options.scheduleId ?? MEMORY_SWEEP_SCHEDULE_ID;
  try {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '1 minute' }] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
      action: {
        type: 'startWorkflow',
        workflowType: SWEEP_MEMORY_WORKFLOW,
        workflowId: scheduleId,
        taskQueue: options.taskQueue,
        workflowExecutionTimeout: '10 minutes',
      },
      memo: { purpose: 'delete expired shared-memory entries (durable-plans)' },
    });
    return true;
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return false;
    throw err;
  }
}
