import { normalizePlan } from '../reading/normalize';
import { SUBPLAN_AWARE, withSubplans } from './subplan';
import type { ToolCatalog } from './tool-catalog';
import type { Plan, Problem } from '../types';
import { validatePlan } from './validate';

/** Normalises then validates a plan as written; plan is null when anything is wrong. */
export function checkPlan(input: unknown, catalog?: ToolCatalog): { plan: Plan | null; problems: Problem[] } {
  const normalized = normalizePlan(input);
  if (normalized.plan === null) return normalized;
  // Every catalog also knows `subplan`, whose nested plans are checked with this same function.
  const effective = catalog === undefined || SUBPLAN_AWARE in catalog ? catalog : withSubplans(catalog, checkPlan);
  const problems = validatePlan(normalized.plan, effective);
  return { plan: problems.length === 0 ? normalized.plan : null, problems };
}
