import { checkPlan } from '../plan';
import type { ToolRegistry } from '../tools/registry';
import { undoActivityName } from '../tools/tool';
import type { ToolCheck, ToolHint } from './types';

/** Validates a plan (its compact form) against this worker's tools, and tells the workflow how to run each tool. */
export function createCheckPlanTools(registry: ToolRegistry): (compact: Record<string, unknown>) => Promise<ToolCheck> {
  return async (compact) => {
    const { plan, problems } = checkPlan(compact, registry);
    const hints: Record<string, ToolHint> = {};
    if (!plan) return { problems, hints };
    for (const step of plan.steps) {
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
