import { normalizePlan } from '../reading/normalize';
import { SUBPLAN_AWARE, withSubplans } from './subplan';
import type { ToolCatalog } from './tool-catalog';
import type { Plan, Problem } from '../types';
import { validatePlan } from './validate';

/**
 * Normalises then validates a plan as written, in one pass: shape problems first, then those of the graph, the
 * references and the tools among what could be read. Plan is null when anything is wrong.
 */
export function checkPlan(input: unknown, catalog?: ToolCatalog): { plan: Plan | null; problems: Problem[] } {
  const { plan, problems, readable } = normalizePlan(input);
  if (readable === null) return { plan, problems };
  // Every catalog also knows `subplan`, whose nested plans are checked with this same function.
  const effective = catalog === undefined || SUBPLAN_AWARE in catalog ? catalog : withSubplans(catalog, checkPlan);
  const all = [...problems, ...validatePlan(readable.plan, effective, readable.unread)];
  return { plan: all.length === 0 ? plan : null, problems: all };
}
