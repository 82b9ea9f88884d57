import { proxyActivities } from '@temporalio/workflow';
import type { PlanActivities } from '../activities/types';

const { cleanupExpiredMemory } = proxyActivities<PlanActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 3 },
  summary: 'delete expired shared-memory entries',
});

/** Deletes expired shared-memory entries; a Temporal Schedule runs it every minute. Returns how many it removed. */
export async function sweepExpiredMemory(): Promise<number> {
  return cleanupExpiredMemory();
}
