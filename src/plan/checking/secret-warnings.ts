/**
 * Credentials written into a plan: not wrong (the plan runs), but the value then sits in the plan file, in Temporal's
 * history (in clear without a payload codec) and in every copy of the plan. A warning points to `{{secrets.NAME}}`.
 */
import { isFields } from '../reading/fields';
import { formatFieldPath } from '../reading/field-path';
import { normalizePlan } from '../reading/normalize';
import { findPlaceholders } from '../graph/placeholders';
import { visitStrings } from '../graph/references';
import { mentionsSecret } from '../graph/secret-references';
import { SUBPLAN_TOOL } from '../subplan-tool';
import type { Plan, Problem } from '../types';

/**
 * Warnings for literal text in tools' secret parameters (`secretParamsOf` names them per tool), nested sub-plans
 * included; a value that comes from a secret or from an earlier step's result is not literal.
 */
export function literalSecretWarnings(plan: Plan, secretParamsOf: (toolName: string) => readonly string[]): Problem[] {
  const warnings: Problem[] = [];
  const check = (stepId: string, root: string, toolName: string, parameters: Record<string, unknown>): void => {
    for (const name of secretParamsOf(toolName)) {
      visitStrings(parameters[name], [name], (text, location) => {
        if (text === '' || mentionsSecret(text) || findPlaceholders(text, 'steps.').length > 0) return;
        const message = `a literal credential in a secret parameter of "${toolName}" is kept in the plan and its history; write {{secrets.NAME}} and give the worker PLAN_SECRET_NAME`;
        warnings.push({ stepId, field: formatFieldPath(root, location), message });
      });
    }
  };
  for (const step of plan.steps) {
    check(step.id, 'parameters', step.toolName, step.parameters);
    if (step.compensate !== null) {
      check(step.id, 'compensate.parameters', step.compensate.toolName, step.compensate.parameters);
    }
    if (step.toolName === SUBPLAN_TOOL && isFields(step.parameters.plan)) {
      const nested = normalizePlan(step.parameters.plan).plan;
      for (const warning of nested ? literalSecretWarnings(nested, secretParamsOf) : []) {
        warnings.push({ ...warning, stepId: `${step.id} > ${warning.stepId}` });
      }
    }
  }
  return warnings;
}
