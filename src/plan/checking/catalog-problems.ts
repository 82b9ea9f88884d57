import { dependencyPlaceholders } from '../graph/dependency-outcomes';
import { formatFieldPath } from '../reading/field-path';
import { ownParameters } from './subplan';
import { malformedReferences, referencedSteps } from '../graph/references';
import { secretLocations } from '../graph/secret-references';
import type { ToolCatalog } from './tool-catalog';
import type { Problem, StepSpec } from '../types';

/** Unknown tools, and parameters that do not fit their tool's schema where their value is already known. */
export function catalogProblems(steps: readonly StepSpec[], catalog: ToolCatalog): Problem[] {
  const problems: Problem[] = [];
  const check = (stepId: string, root: string, toolName: string, parameters: Record<string, unknown>): void => {
    if (!catalog.has(toolName)) {
      const hint = catalog.unknownToolHint?.(toolName);
      problems.push({
        stepId,
        field: formatFieldPath(root, ['toolName']),
        message: `unknown tool "${toolName}"${hint ? `: ${hint}` : ''}`,
      });
      return;
    }
    // A place holding a reference gets its value only at run time, so the schema cannot judge it (or below it) now;
    // whether its key is one the tool takes is known already.
    const own = ownParameters(toolName, parameters);
    const deferred = [
      ...[...referencedSteps(own), ...malformedReferences(own)].map((ref) => ref.location),
      ...dependencyPlaceholders(own),
      ...secretLocations(own),
    ];
    for (const issue of catalog.checkParameters(toolName, parameters)) {
      if (!issue.unknownKey && deferred.some((location) => startsWith(issue.path, location))) continue;
      problems.push({
        stepId,
        field: formatFieldPath(formatFieldPath(root, ['parameters']), issue.path),
        message: issue.message,
      });
    }
  };
  for (const step of steps) {
    check(step.id, '', step.toolName, step.parameters);
    if (step.local === true && catalog.has(step.toolName) && catalog.mayRunLocally?.(step.toolName) === false) {
      problems.push({
        stepId: step.id,
        field: 'local',
        message: `tool "${step.toolName}" cannot run as a local activity: it may run long or needs heartbeats; remove "local"`,
      });
    }
    if (step.compensate !== null) check(step.id, 'compensate', step.compensate.toolName, step.compensate.parameters);
  }
  return problems;
}

function startsWith(path: readonly (string | number)[], prefix: readonly (string | number)[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(segment) === String(path[i]));
}
