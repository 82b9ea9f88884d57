/**
 * Sub-plans (a planner handing parts of the work to sub-agents): a step with `toolName: subplan` runs a nested plan as
 * a child workflow. It is not an activity, so no registry holds it; this catalog wrapper knows it and validates the
 * nested plan like any plan, so a bad sub-plan is refused before the parent starts.
 */
import { isFields } from '../reading/fields';
import { formatProblem } from './format-problem';
import { parseNamespace } from '../reading/memory-namespace';
import type { ParameterIssue, ToolCatalog } from './tool-catalog';
import type { Plan, Problem } from '../types';
import { unknownParameter } from './unknown-parameter';
import { SUBPLAN_TOOL } from '../subplan-tool';

/** Marks a catalog that already knows `subplan`, so nesting does not wrap it again (and lose count of depth). */
export const SUBPLAN_AWARE = Symbol('subplan-aware');
const MAX_DEPTH = 5;
const SUBPLAN_PARAMETERS = ['plan', 'namespace'];

/** What a subplan step's parameters hold once files are inlined. */
export interface SubplanParameters {
  plan: Record<string, unknown>;
  /** Shared-memory namespace of the sub-plan; default: its own (context isolation). */
  namespace?: string;
}

type Check = (input: unknown, catalog: ToolCatalog) => { plan: Plan | null; problems: Problem[] };

/** A catalog that also knows `subplan` and checks nested plans with `check` (checkPlan), down to 5 levels. */
export function withSubplans(catalog: ToolCatalog, check: Check, depth = 0): ToolCatalog {
  const self: ToolCatalog & { [SUBPLAN_AWARE]: true } = {
    [SUBPLAN_AWARE]: true,
    has: (name) => name === SUBPLAN_TOOL || catalog.has(name),
    // A sub-plan runs as a child workflow, never as a local activity.
    ...(catalog.mayRunLocally
      ? { mayRunLocally: (name: string) => name !== SUBPLAN_TOOL && catalog.mayRunLocally!(name) }
      : {}),
    ...(catalog.unknownToolHint ? { unknownToolHint: (name: string) => catalog.unknownToolHint!(name) } : {}),
    names: () => [...(catalog.names?.() ?? []), SUBPLAN_TOOL],
    checkParameters(name, parameters): ParameterIssue[] {
      if (name !== SUBPLAN_TOOL) return catalog.checkParameters(name, parameters);
      return subplanIssues(
        parameters,
        depth >= MAX_DEPTH ? null : (input) => check(input, withSubplans(catalog, check, depth + 1)),
      );
    },
  };
  return self;
}

function subplanIssues(
  parameters: Record<string, unknown>,
  checkNested: ((input: unknown) => { problems: Problem[] }) | null,
): ParameterIssue[] {
  const issues: ParameterIssue[] = [];
  for (const key of Object.keys(parameters)) {
    if (key === 'file') {
      issues.push({
        path: ['file'],
        message: 'sub-plan files are read by the client: start the plan with `plan start`, which inlines them',
      });
    } else if (!SUBPLAN_PARAMETERS.includes(key)) {
      issues.push(unknownParameter(key, SUBPLAN_PARAMETERS));
    }
  }
  const { plan, namespace } = parameters;
  if (namespace !== undefined && (typeof namespace !== 'string' || typeof parseNamespace(namespace) === 'string')) {
    issues.push({ path: ['namespace'], message: 'must be a namespace path project/environment/agent_type/session_id' });
  }
  if (plan === undefined) {
    if (!('file' in parameters)) issues.push({ path: ['plan'], message: 'required: the nested plan' });
    return issues;
  }
  if (checkNested === null) return [...issues, { path: ['plan'], message: `sub-plans nest at most ${MAX_DEPTH} deep` }];
  for (const problem of checkNested(plan).problems) issues.push({ path: ['plan'], message: formatProblem(problem) });
  return issues;
}

/**
 * The part of a step's parameters that belongs to the step itself: a sub-plan's nested `plan` (an object) has
 * references of its own, to its own steps, so the parent neither checks nor resolves them.
 */
export function ownParameters(toolName: string, parameters: Record<string, unknown>): Record<string, unknown> {
  if (toolName !== SUBPLAN_TOOL || !isFields(parameters.plan)) return parameters;
  const { plan: _nested, ...own } = parameters;
  return own;
}

/** Puts the nested plan back after the parent resolved its own parameters. */
export function withNestedPlan(
  toolName: string,
  resolved: Record<string, unknown>,
  original: Record<string, unknown>,
): Record<string, unknown> {
  return toolName === SUBPLAN_TOOL && isFields(original.plan) ? { ...resolved, plan: original.plan } : resolved;
}
