import { report } from './fields';
import { MAX_BATCH_DEPENDENCIES } from '../limits';
import type { StepDraft } from './normalize-step';
import type { Problem, StepSpec } from '../types';

/**
 * The steps with, for each step in a batch, a dependency on every step of the batch before it (batches run in
 * order, one after the other).
 */
export function withBatchDependencies(drafts: readonly StepDraft[], problems: Problem[]): StepSpec[] {
  const steps = drafts.map((draft) => draft.spec);
  if (!drafts.some((draft) => draft.batchGiven)) return steps;
  const unbatched = drafts.filter((draft) => !draft.batchGiven);
  for (const draft of unbatched) report(draft.scope, 'batchIndex', 'required, since other steps have one');
  if (unbatched.length > 0) return steps;

  const members = new Map<number, string[]>();
  for (const step of steps) {
    if (step.batchIndex === null) continue;
    const ids = members.get(step.batchIndex) ?? [];
    ids.push(step.id);
    members.set(step.batchIndex, ids);
  }
  const order = [...members.keys()].sort((a, b) => a - b);
  const previous = new Map(order.slice(1).map((batch, i) => [batch, members.get(order[i]!)!]));

  // Every step of a batch depends on every step of the one before, so wide batches grow quadratically:
  // count before building lists that could never fit in a plan anyway.
  const implied = steps.reduce((sum, step) => sum + (previous.get(step.batchIndex!)?.length ?? 0), 0);
  if (implied > MAX_BATCH_DEPENDENCIES) {
    problems.push({
      stepId: null,
      field: 'batchIndex',
      message:
        `the batches imply ${implied} dependencies (each step depends on every step of the previous batch); ` +
        `at most ${MAX_BATCH_DEPENDENCIES} fit in a plan: use smaller batches, or dependsOn instead`,
    });
    return steps;
  }
  return steps.map((step) => {
    const before = previous.get(step.batchIndex!);
    return before === undefined ? step : { ...step, dependsOn: [...new Set([...step.dependsOn, ...before])] };
  });
}
