import type { MirrorBatch, PlanRow, StepRow } from '../../src/plan';

/**
 * A mirror batch as a plan's workflow would send it, for writing to PostgreSQL directly: every field at its plain
 * value unless given, steps `s0`, `s1`... running. `generation` is also the plan's start time in epoch ms.
 */
export function mirrorBatch(
  planId: string,
  steps: Partial<StepRow>[],
  {
    generation = 1000,
    version = 1,
    status = 'executing',
  }: { generation?: number; version?: number; status?: PlanRow['status'] } = {},
): MirrorBatch {
  return {
    generation,
    version,
    full: true,
    plan: {
      planId,
      runId: `run-${generation}`,
      description: '',
      status,
      reason: null,
      approvals: [],
      operatorActions: [],
      totalSteps: steps.length,
      completedSteps: 0,
      failedSteps: 0,
      skippedSteps: 0,
      totalBatches: 0,
      completedBatches: 0,
      failedBatches: 0,
      currentBatchIndex: null,
      overallSuccessRate: 0,
      startedAt: new Date(generation).toISOString(),
      finishedAt: null,
    },
    steps: steps.map((step, position) => ({
      stepId: `s${position}`,
      position,
      toolName: 'echo',
      description: '',
      parameters: {},
      batchIndex: null,
      dependsOn: [],
      complexity: null,
      isRequiredValidateByDatabase: false,
      status: 'running',
      attempts: 1,
      result: null,
      errorMessage: null,
      errorType: null,
      compensation: null,
      startedAt: null,
      finishedAt: null,
      ...step,
    })),
  };
}
