/**
 * `"{{dependencies}}"`: a parameter that stands for how each of the step's dependencies ended — for fan-in steps
 * (the `merge` tool) that combine their dependencies' results without naming each one.
 */
import type { StepStatus } from '../statuses';
import { isFields } from '../reading/fields';

export interface DependencyOutcome {
  step: string;
  status: StepStatus;
  result: unknown;
  error: string | null;
}

const DEPENDENCIES = /^\{\{\s*dependencies\s*\}\}$/;

/** Replaces every string that is exactly `{{dependencies}}` with the outcomes; everything else is left as it is. */
export function withDependencyOutcomes(value: unknown, outcomes: () => DependencyOutcome[]): unknown {
  if (typeof value === 'string') return DEPENDENCIES.test(value) ? outcomes() : value;
  if (Array.isArray(value)) return value.map((item) => withDependencyOutcomes(item, outcomes));
  if (isFields(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, withDependencyOutcomes(item, outcomes)]),
    );
  }
  return value;
}

/** Where in a value `{{dependencies}}` stands: places whose value is known only at run time. */
export function dependencyPlaceholders(value: unknown, location: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return DEPENDENCIES.test(value) ? [location] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => dependencyPlaceholders(item, [...location, i]));
  if (isFields(value))
    return Object.entries(value).flatMap(([key, item]) => dependencyPlaceholders(item, [...location, key]));
  return [];
}
