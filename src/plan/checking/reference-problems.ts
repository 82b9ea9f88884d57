import { formatFieldPath } from '../reading/field-path';
import { malformedReferences, referencedSteps, REFERENCE_SYNTAX } from '../graph/references';
import { malformedSecretReferences, SECRET_SYNTAX } from '../graph/secret-references';
import { ownParameters } from './subplan';
import { dependsTransitively } from '../graph/transitive-dependencies';
import type { Problem, StepSpec } from '../types';
import { isUnread, NOTHING_UNREAD, type Unread } from '../reading/unread';

/**
 * References (to steps or secrets) that are malformed, or that name a step whose result will not be there when the
 * step starts; of a plan with shape problems, only those the problems already reported do not explain.
 */
export function referenceProblems(steps: readonly StepSpec[], unread: Unread = NOTHING_UNREAD): Problem[] {
  const known = new Set(steps.map((step) => step.id));
  const problems: Problem[] = [];
  // References past the direct dependencies are answered together at the end: one walk, not one per reference.
  const distant: { problem: Problem; pair: [string, string] }[] = [];
  const check = (
    step: StepSpec,
    root: string,
    parameters: Record<string, unknown>,
    { selfAllowed, dependenciesRead }: { selfAllowed: boolean; dependenciesRead: boolean },
  ): void => {
    for (const { text, location } of malformedReferences(parameters)) {
      const message = `malformed reference "${text}": write ${REFERENCE_SYNTAX}`;
      problems.push({ stepId: step.id, field: formatFieldPath(root, location), message });
    }
    for (const { text, location } of malformedSecretReferences(parameters)) {
      const message = `malformed secret reference "${text}": write ${SECRET_SYNTAX}`;
      problems.push({ stepId: step.id, field: formatFieldPath(root, location), message });
    }
    for (const { stepId, location } of referencedSteps(parameters)) {
      const problem = { stepId: step.id, field: formatFieldPath(root, location), message: '' };
      if (stepId === step.id) {
        if (selfAllowed) continue;
        problem.message = 'a step cannot use its own result (only its compensation can)';
      } else if (!known.has(stepId)) {
        if (unread.someStep) continue;
        problem.message = `references unknown step "${stepId}"`;
      } else if (step.dependsOn.includes(stepId) || !dependenciesRead) {
        continue;
      } else {
        problem.message = `references step "${stepId}", which it does not depend on: add "${stepId}" to dependsOn`;
        distant.push({ problem, pair: [step.id, stepId] });
      }
      problems.push(problem);
    }
  };
  steps.forEach((step, i) => {
    const fields = unread.fields[i];
    const dependenciesRead = !isUnread(fields, 'dependsOn') && !isUnread(fields, 'batchIndex');
    check(step, 'parameters', ownParameters(step.toolName, step.parameters), { selfAllowed: false, dependenciesRead });
    // A compensation runs after its step, so it may use the step's own result.
    if (step.compensate !== null) {
      check(step, 'compensate.parameters', step.compensate.parameters, { selfAllowed: true, dependenciesRead });
    }
  });
  const upstream = dependsTransitively(
    steps,
    distant.map((reference) => reference.pair),
  );
  // Unknown (null) only around a dependency cycle, which is the problem worth reporting there.
  const fine = new Set(distant.filter((_, i) => upstream[i] !== false).map((reference) => reference.problem));
  return problems.filter((problem) => !fine.has(problem));
}
