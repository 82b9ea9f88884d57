import { dependencyPlaceholders } from '../graph/dependency-outcomes';
import { formatFieldPath } from '../reading/field-path';
import { ownParameters } from './subplan';
import { malformedReferences, referencedSteps } from '../graph/references';
import { secretLocations } from '../graph/secret-references';
import type { ToolCatalog } from './tool-catalog';
import type { Problem, StepSpec } from '../types';
import { suggestion } from '../reading/closest-name';
import { isUnread, NOTHING_UNREAD, type Unread } from '../reading/unread';

/**
 * Unknown tools, and parameters that do not fit their tool's schema where their value is already known; of a plan
 * with shape problems, only where the tool's name (or the parameters) could be read.
 */
export function catalogProblems(
  steps: readonly StepSpec[],
  catalog: ToolCatalog,
  unread: Unread = NOTHING_UNREAD,
): Problem[] {
  const problems: Problem[] = [];
  const check = (
    stepId: string,
    root: string,
    { toolName, parameters }: { toolName: string; parameters: Record<string, unknown> },
    parametersRead: boolean,
  ): void => {
    if (!catalog.has(toolName)) {
      problems.push({ stepId, field: formatFieldPath(root, ['toolName']), message: unknownTool(toolName, catalog) });
      return;
    }
    if (!parametersRead) return;
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
  steps.forEach((step, i) => {
    const fields = unread.fields[i];
    if (!isUnread(fields, 'toolName')) check(step.id, '', step, !isUnread(fields, 'parameters'));
    if (step.local === true && catalog.has(step.toolName) && catalog.mayRunLocally?.(step.toolName) === false) {
      problems.push({
        stepId: step.id,
        field: 'local',
        message: `tool "${step.toolName}" cannot run as a local activity: it may run long or needs heartbeats; remove "local"`,
      });
    }
    if (step.compensate !== null && !isUnread(fields, 'compensate.toolName')) {
      check(step.id, 'compensate', step.compensate, !isUnread(fields, 'compensate.parameters'));
    }
  });
  return problems;
}

// What the catalog can say about the name (a misspelt MCP server), else the likeliest tool meant.
function unknownTool(toolName: string, catalog: ToolCatalog): string {
  const hint = catalog.unknownToolHint?.(toolName);
  if (hint) return `unknown tool "${toolName}": ${hint}`;
  return `unknown tool "${toolName}"${suggestion(toolName, catalog.names?.() ?? [])}`;
}

function startsWith(path: readonly (string | number)[], prefix: readonly (string | number)[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(segment) === String(path[i]));
}
