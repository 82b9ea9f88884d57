/**
 * Continue-as-new for plans whose history grows long: the run hands its progress to a fresh run of the same plan.
 * The progress goes through PostgreSQL in chunks (it can outgrow one payload); the new run's input carries only the
 * plan as started and a reference to the chunks.
 */
import { allHandlersFinished, condition, continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { chunkText, type CarriedProgress, type PlanState } from '../plan';
import type { PlanActivities, ToolHint } from '../activities/types';
import type { runPlan } from './run-plan';
import { CHECKPOINT_MISSING } from '../plan/error-types';

const { saveCheckpoint, loadCheckpoint, dropCheckpoints } = proxyActivities<PlanActivities>({
  startToCloseTimeout: '1 minute',
  // PostgreSQL may be away for a while: the plan waits for it rather than give up its progress.
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: [CHECKPOINT_MISSING],
  },
  summary: 'carry the plan over to its next run',
});

export { dropCheckpoints };

/** What a continued run is started with besides the plan. */
export interface Continuation {
  /** The run that saved the progress. */
  runId: string;
  chunks: number;
  /** The worker's answer to the first run's tool check, so it is not asked again. */
  hints: Record<string, ToolHint>;
}

/** Characters per chunk: even at 3 bytes a character a chunk stays under 1 MB, half of Temporal's payload limit. */
const CHUNK_CHARS = 256 * 1024;

/** Saves the progress (again, if it changed meanwhile) and continues as new; never returns. */
export async function carryOver(state: PlanState, input: unknown, hints: Record<string, ToolHint>): Promise<never> {
  const { runId } = workflowInfo();
  for (;;) {
    // Updates still running would be cut off by the new run: let them finish and land in the progress.
    await condition(allHandlersFinished);
    const seen = state.seq;
    const chunks = chunkText(JSON.stringify(state.progress()), CHUNK_CHARS);
    await Promise.all(chunks.map((data, chunk) => saveCheckpoint({ planId: state.planId, runId, chunk, data })));
    // A signal or update taken while saving is in memory only: save once more so nothing is lost.
    if (state.seq === seen && allHandlersFinished()) {
      return continueAsNew<typeof runPlan>(input, { continued: { runId, chunks: chunks.length, hints } });
    }
  }
}

/** Reads the progress the previous run saved. */
export async function takeOver(planId: string, continuation: Continuation): Promise<CarriedProgress> {
  const { runId, chunks } = continuation;
  const parts = await Promise.all(
    Array.from({ length: chunks }, (_, chunk) => loadCheckpoint({ planId, runId, chunk })),
  );
  return JSON.parse(parts.join('')) as CarriedProgress;
}
