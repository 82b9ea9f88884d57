import { normalizePlan } from './normalize';
import type { ToolCatalog } from './tool-catalog';
import type { Plan, Problem } from './types';
import { validatePlan } from './validate';

/** Normalises then validates a plan as written; plan is null when anything is wrong. */
export function checkPlan(input: unknown, catalog?: ToolCatalog): { plan: Plan | null; problems: Problem[] } {
  const normalized = normalizePlan(input);
  if (normalized.plan === null) return normalized;
  const problems = validatePlan(normalized.plan, catalog);
  return { plan: problems.length === 0 ? normalized.plan : null, problems };
}
