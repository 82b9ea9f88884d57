import type { PlanSnapshot, StepStatus } from '../plan';
import { getPlanProgress, getTaskPlansByPlan } from './mirror-reads';
import type { Pool } from 'pg';

/**
 * The plan's `state` object rebuilt from the mirror, for when Temporal no longer has (or cannot replay) its history.
 */
export async function stateFromMirror(db: Pool, planId: string): Promise<PlanSnapshot | null> {
  const progress = await getPlanProgress(db, planId);
  if (!progress) return null;
  const tasks = await getTaskPlansByPlan(db, planId);
  const count = (...statuses: StepStatus[]) => tasks.filter((t) => statuses.includes(t.status)).length;
  return {
    planId: progress.planId,
    status: progress.status,
    description: progress.description,
    reason: progress.reason,
    startedAt: progress.startedAt,
    completedAt: progress.finishedAt,
    approvals: progress.approvals,
    operatorActions: progress.operatorActions,
    steps: tasks.map((t) => ({
      id: t.stepId,
      toolName: t.toolName,
      description: t.description,
      status: t.status,
      attempts: t.attempts,
      startedAt: t.startedAt,
      completedAt: t.finishedAt,
      error: t.errorMessage,
      errorType: t.errorType,
      result: t.result,
      compensation: t.compensation,
    })),
    summary: {
      total: tasks.length,
      pending: count('pending'),
      waitingApproval: count('waiting_approval'),
      waitingForResources: count('waiting_for_resources'),
      running: count('running'),
      completed: count('completed'),
      failed: count('failed'),
      skipped: count('skipped'),
      compensated: count('compensated'),
      compensationFailed: count('compensation_failed'),
    },
  };
}
