import { ancestorsOf } from './dag';
import { formatFieldPath } from './field-path';
import { malformedReferences, referencedSteps, REFERENCE_SYNTAX } from './references';
import type { Problem, StepSpec } from './types';

/** References that are malformed, or that name a step whose result will not be there when the step starts. */
export function referenceProblems(steps: readonly StepSpec[]): Problem[] {
  const known = new Set(steps.map((step) => step.id));
  const problems: Problem[] = [];
  for (const step of steps) {
    // Computed only when a reference reaches past the direct dependencies: O(steps + dependencies) each time.
    let ancestors: Set<string> | undefined;
    const isUpstream = (id: string): boolean =>
      step.dependsOn.includes(id) || (ancestors ??= ancestorsOf(steps, step.id)).has(id);
    const check = (root: string, parameters: Record<string, unknown>, selfAllowed: boolean): void => {
      for (const { text, location } of malformedReferences(parameters)) {
        problems.push({
          stepId: step.id,
          field: formatFieldPath(root, location),
          message: `malformed reference "${text}": write ${REFERENCE_SYNTAX}`,
        });
      }
      for (const { stepId, location } of referencedSteps(parameters)) {
        const message =
          stepId === step.id
            ? selfAllowed
              ? null
              : 'a step cannot use its own result (only its compensation can)'
            : !known.has(stepId)
              ? `references unknown step "${stepId}"`
              : isUpstream(stepId)
                ? null
                : `references step "${stepId}", which it does not depend on: add "${stepId}" to dependsOn`;
        if (message !== null) problems.push({ stepId: step.id, field: formatFieldPath(root, location), message });
      }
    };
    check('parameters', step.parameters, false);
    // A compensation runs after its step, so it may use the step's own result.
    if (step.compensate !== null) check('compensate.parameters', step.compensate.parameters, true);
  }
  return problems;
}
