/**
 * A test workflow standing in for a run that continued as new, whose checkpoint load the test holds open for as
 * long as it likes: the real handlers, the real state, only the load replaced by a signal.
 */
import { condition, defineSignal, setHandler, workflowInfo } from '@temporalio/workflow';
import { checkPlan, PlanState, type CarriedProgress, type PlanSnapshot } from '../../../src/plan';
import { registerHandlers } from '../../../src/workflows/handlers';

/** Delivers the progress "loaded" from PostgreSQL. */
export const progressLoaded = defineSignal<[CarriedProgress]>('progressLoaded');
export const finish = defineSignal('finish');

export async function heldTakeover(input: unknown): Promise<PlanSnapshot> {
  const state = new PlanState(checkPlan(input).plan!, workflowInfo().workflowId, new Date().toISOString());
  const restoring = { done: false };
  registerHandlers(state, restoring);
  let progress: CarriedProgress | null = null;
  let finished = false;
  setHandler(progressLoaded, (loaded) => void (progress = loaded));
  setHandler(finish, () => void (finished = true));
  await condition(() => progress !== null);
  state.restore(progress!);
  restoring.done = true;
  await condition(() => finished);
  return state.snapshot();
}
