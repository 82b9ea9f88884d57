import type { StepSnapshot } from '../plan';
import type { Continuation } from './continue-as-new';

/** How a `runPlan` run starts: normally (no mode), reusing an earlier run's results, or undoing them. */
export interface RunPlanMode {
  /** Marks these steps completed with their recorded results, then runs their compensations and ends. */
  undo?: { steps: StepSnapshot[]; reason: string };
  /** Resume or fork: these steps count as completed with their recorded results; the rest of the plan runs. */
  reuse?: { steps: StepSnapshot[] };
  /** A run that continued as new: its progress is in PostgreSQL, saved by the run named here. */
  continued?: Continuation;
}
