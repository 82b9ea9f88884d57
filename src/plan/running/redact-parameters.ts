/**
 * What the mirror shows of a step's parameters: the values of its tool's secret parameters replaced, and, for a
 * sub-plan, the same done to every step of the nested plan (and to their compensations), however deep.
 */
import { isFields, type Fields } from '../reading/fields';
import { SUBPLAN_TOOL } from '../subplan-tool';

/** What a redacted parameter shows instead of its value. */
export const REDACTED = '[redacted]';

/** Tool name -> its secret parameters, as the worker reported them. */
export type SecretParams = Readonly<Record<string, readonly string[]>>;

/** The parameters of a call of `toolName` with every secret value replaced by REDACTED. */
export function redactParameters(
  toolName: string,
  parameters: Record<string, unknown>,
  secrets: SecretParams,
): Record<string, unknown> {
  const own = redactOwn(parameters, secrets[toolName] ?? []);
  if (toolName !== SUBPLAN_TOOL || !isFields(parameters.plan)) return own;
  return { ...own, plan: redactPlan(parameters.plan, secrets) };
}

function redactOwn(parameters: Record<string, unknown>, secret: readonly string[]): Record<string, unknown> {
  if (!secret.some((name) => name in parameters)) return parameters;
  return Object.fromEntries(
    Object.entries(parameters).map(([key, value]) => [key, secret.includes(key) ? REDACTED : value]),
  );
}

/** A nested plan as written (steps, or tasks in the batch form), each step's secrets replaced. */
function redactPlan(plan: Fields, secrets: SecretParams): Fields {
  const key = Array.isArray(plan.steps) ? 'steps' : Array.isArray(plan.tasks) ? 'tasks' : null;
  if (key === null) return plan;
  return { ...plan, [key]: (plan[key] as unknown[]).map((step) => redactStep(step, secrets)) };
}

function redactStep(step: unknown, secrets: SecretParams): unknown {
  if (!isFields(step)) return step;
  const out: Fields = { ...step };
  if (typeof step.toolName === 'string' && isFields(step.parameters)) {
    out.parameters = redactParameters(step.toolName, step.parameters, secrets);
  }
  const { compensate } = step;
  if (isFields(compensate) && typeof compensate.toolName === 'string' && isFields(compensate.parameters)) {
    out.compensate = {
      ...compensate,
      parameters: redactParameters(compensate.toolName, compensate.parameters, secrets),
    };
  }
  return out;
}
