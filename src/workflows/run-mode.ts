import type { StepSnapshot } from '../plan';

/** How a `runPlan` run starts: normally (no mode), reusing an earlier run's results, or undoing them. */
export interface RunPlanMode {
  /** Marks these steps completed with their recorded results, then runs their compensations and ends. */
  undo?: { steps: StepSnapshot[]; reason: string };
  /** Resume or fork: these steps count as completed with their recorded results; the rest of the plan runs. */
  reuse?: { steps: StepSnapshot[] };
}
