import { COMPENSATION_DEFAULTS, defaultOnFailure, OPTION_DEFAULTS, STEP_DEFAULTS } from './defaults';
import { isFields } from './fields';
import { SUBPLAN_TOOL } from '../subplan-tool';
import type { Plan, StepSpec } from '../types';

/**
 * The plan with every defaulted field left out, which normalises back to the same plan: the form to send over Temporal.
 */
export function compactPlan(plan: Plan): Record<string, unknown> {
  const anyCompensation = plan.steps.some((step) => step.compensate !== null || step.toolName === SUBPLAN_TOOL);
  // An onFailure the author wrote stays even when it equals today's default: the worker may learn of default
  // compensations and change the default, but never an explicit choice.
  const { onFailureChosen, ...written } = plan.options;
  const options = withoutDefaults(
    written,
    onFailureChosen ? OPTION_DEFAULTS : { ...OPTION_DEFAULTS, onFailure: defaultOnFailure(anyCompensation) },
  );
  const steps = plan.steps.map(compactStep);
  return withoutDefaults(
    { id: plan.id, description: plan.description, options, steps },
    { id: null, description: '', options: {} },
  );
}

/** One step with every defaulted field left out. */
export function compactStep(step: StepSpec): Record<string, unknown> {
  const { compensate, ...fields } = step;
  const compact = withoutDefaults(fields, STEP_DEFAULTS);
  if (compensate === null) return compact;
  return { ...compact, compensate: withoutDefaults(compensate, COMPENSATION_DEFAULTS) };
}

function withoutDefaults(values: object, defaults: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).filter(([key, value]) => !(key in defaults && isDefault(value, defaults[key]))),
  );
}

// Defaults that are containers are empty ones; comparing sizes avoids serialising large parameters.
function isDefault(value: unknown, fallback: unknown): boolean {
  if (Array.isArray(value)) return Array.isArray(fallback) && value.length === 0;
  if (isFields(value)) return isFields(fallback) && Object.keys(value).length === 0;
  return value === fallback;
}
