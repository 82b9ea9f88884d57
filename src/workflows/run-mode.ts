import type { StepSnapshot } from '../plan';

/** How a `runPlan` run starts: normally (no mode), or to undo an earlier run's completed steps. */
export interface RunPlanMode {
  /** Marks these steps completed with their recorded results, then runs their compensations and ends. */
  undo?: { steps: StepSnapshot[]; reason: string };
}
