import { validatePlan, type Plan } from '../plan';
import type { ToolRegistry } from '../tools/registry';
import type { ToolCheck, ToolHint } from './types';

/** Validates a plan against this worker's tools, and tells the workflow how to run each tool it uses. */
export function createCheckPlanTools(registry: ToolRegistry): (plan: Plan) => Promise<ToolCheck> {
  return async (plan) => {
    const hints: Record<string, ToolHint> = {};
    for (const step of plan.steps) {
      for (const name of [step.toolName, step.compensate?.toolName]) {
        const tool = name ? registry.get(name) : undefined;
        if (tool) hints[tool.name] = { heartbeatTimeoutMs: tool.heartbeatTimeoutMs ?? null };
      }
    }
    return { problems: validatePlan(plan, registry), hints };
  };
}
