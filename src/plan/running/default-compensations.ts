import { COMPENSATION_DEFAULTS } from '../reading/defaults';
import type { Plan } from '../types';

/**
 * Gives every step without a compensation of its own its tool's default one (`undoOf` names its activity), before
 * anything runs. When the plan did not choose `onFailure`, having something to undo makes it `compensate`.
 */
export function applyDefaultCompensations(plan: Plan, undoOf: (toolName: string) => string | null): void {
  let any = false;
  for (const spec of plan.steps) {
    const undo = spec.compensate === null ? undoOf(spec.toolName) : null;
    if (undo === null) continue;
    spec.compensate = {
      ...COMPENSATION_DEFAULTS,
      toolName: undo,
      parameters: { parameters: spec.parameters, result: `{{steps.${spec.id}.result}}` },
    };
    any = true;
  }
  if (any && !plan.options.onFailureChosen) plan.options.onFailure = 'compensate';
}
