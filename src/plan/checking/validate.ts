import { catalogProblems } from './catalog-problems';
import { graphProblems } from './graph-problems';
import { payloadProblems } from './payload-problems';
import { referenceProblems } from './reference-problems';
import type { ToolCatalog } from './tool-catalog';
import type { Plan, Problem } from '../types';

/** Everything wrong with a normalised plan as a whole: its graph, its references, its tools, its size. */
export function validatePlan(plan: Plan, catalog?: ToolCatalog): Problem[] {
  return [
    ...(plan.steps.length === 0 ? [{ stepId: null, field: 'steps', message: 'a plan needs at least one step' }] : []),
    ...graphProblems(plan.steps),
    ...referenceProblems(plan.steps),
    ...(catalog === undefined ? [] : catalogProblems(plan.steps, catalog)),
    ...payloadProblems(plan),
  ];
}
