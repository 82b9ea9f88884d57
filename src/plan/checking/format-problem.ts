import type { Problem } from '../types';

/** One line for a person: `step "deploy": dependsOn: unknown step "biuld"`. */
export function formatProblem(problem: Problem): string {
  const step = problem.stepId === null ? '' : `step "${problem.stepId}": `;
  const field = problem.field === null ? '' : `${problem.field}: `;
  return `${step}${field}${problem.message}`;
}
