import { catalogProblems } from './catalog-problems';
import { graphProblems } from './graph-problems';
import { payloadProblems } from './payload-problems';
import { referenceProblems } from './reference-problems';
import type { ToolCatalog } from './tool-catalog';
import type { Plan, Problem } from '../types';
import { NOTHING_UNREAD, type Unread } from '../reading/unread';

/**
 * Everything wrong with a normalised plan as a whole: its graph, its references, its tools, its size. Given what
 * could not be read of a plan with shape problems, it checks the rest and skips what relies on that.
 */
export function validatePlan(plan: Plan, catalog?: ToolCatalog, unread: Unread = NOTHING_UNREAD): Problem[] {
  const empty = plan.steps.length === 0 && !unread.someStep;
  return [
    ...(empty ? [{ stepId: null, field: 'steps', message: 'a plan needs at least one step' }] : []),
    ...graphProblems(plan.steps, unread),
    ...referenceProblems(plan.steps, unread),
    ...(catalog === undefined ? [] : catalogProblems(plan.steps, catalog, unread)),
    ...payloadProblems(plan),
  ];
}
