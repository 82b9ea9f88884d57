import { checkPlan, isFields, normalizePlan, SUBPLAN_TOOL, type Plan, type StepSpec } from '../plan';
import type { ToolRegistry } from '../tools/registry';
import { undoActivityName } from '../tools/tool';
import type { ToolCheck, ToolHint } from './types';

/**
 * Validates a plan (its compact form) against this worker's tools, and tells the workflow how to run each tool —
 * those of nested sub-plans too, whose secret parameters the parent's mirror row must redact.
 */
export function createCheckPlanTools(registry: ToolRegistry): (compact: Record<string, unknown>) => Promise<ToolCheck> {
  return async (compact) => {
    const { plan, problems } = checkPlan(compact, registry);
    const hints: Record<string, ToolHint> = {};
    if (!plan) return { problems, hints };
    for (const step of stepsWithin(plan)) {
      for (const name of [step.toolName, step.compensate?.toolName]) {
        const tool = name ? registry.get(name) : undefined;
        if (tool) {
          hints[tool.name] = {
            heartbeatTimeoutMs: tool.heartbeatTimeoutMs ?? null,
            timeoutMs: tool.timeoutMs ?? null,
            secretParams: tool.secretParams ?? [],
            undo: tool.undo ? undoActivityName(tool.name) : null,
            local: tool.local === 'default' && registry.mayRunLocally(tool.name),
          };
        }
      }
    }
    return { problems, hints };
  };
}

/** The plan's steps and those of its sub-plans given inline (already validated by checkPlan), however deep. */
function* stepsWithin(plan: Plan): Iterable<StepSpec> {
  for (const step of plan.steps) {
    yield step;
    if (step.toolName !== SUBPLAN_TOOL || !isFields(step.parameters.plan)) continue;
    const nested = normalizePlan(step.parameters.plan).plan;
    if (nested !== null) yield* stepsWithin(nested);
  }
}
