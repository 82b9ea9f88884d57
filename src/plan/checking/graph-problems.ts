import { findCycles } from '../graph/dag';
import type { Problem, StepSpec } from '../types';
import { NOTHING_UNREAD, type Unread } from '../reading/unread';

/**
 * Duplicate ids, unknown and self dependencies, and every dependency cycle. An unknown dependency is not reported
 * while some step's id could not be read: it may name that step.
 */
export function graphProblems(steps: readonly StepSpec[], unread: Unread = NOTHING_UNREAD): Problem[] {
  const problems: Problem[] = [];
  const firstAt = new Map<string, number>();
  steps.forEach((step, index) => {
    const first = firstAt.get(step.id);
    if (first === undefined) firstAt.set(step.id, index);
    else
      problems.push({
        stepId: step.id,
        field: 'id',
        message: `used by steps ${first + 1} and ${index + 1}; ids must be unique`,
      });
  });
  for (const step of steps) {
    for (const id of step.dependsOn) {
      if (id === step.id)
        problems.push({ stepId: step.id, field: 'dependsOn', message: 'a step cannot depend on itself' });
      else if (!firstAt.has(id) && !unread.someStep)
        problems.push({ stepId: step.id, field: 'dependsOn', message: `unknown step "${id}"` });
    }
  }
  // Self dependencies are reported above; leaving them out keeps each one from also showing as a cycle.
  const withoutSelf = steps.map((step) => ({ id: step.id, dependsOn: step.dependsOn.filter((id) => id !== step.id) }));
  for (const cycle of findCycles(withoutSelf)) {
    problems.push({ stepId: cycle[0]!, field: 'dependsOn', message: `dependency cycle: ${cycle.join(' -> ')}` });
  }
  return problems;
}
