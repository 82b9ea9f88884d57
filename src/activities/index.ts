import type { ToolRegistry } from '../tools/registry';
import { createCheckPlanTools } from './check-plan-tools';
import { createToolActivities } from './tool-activities';
import type { PlanActivities, ToolActivity } from './types';

export interface ActivityDeps {
  tools: ToolRegistry;
}

/** Builds every activity the worker registers: one per tool, plus the plan's own. */
export function createActivities(deps: ActivityDeps): Record<string, ToolActivity | PlanActivities[keyof PlanActivities]> {
  const own: PlanActivities = { checkPlanTools: createCheckPlanTools(deps.tools) };
  const tools = createToolActivities(deps.tools);
  for (const name of Object.keys(own)) {
    if (name in tools) throw new Error(`tool "${name}" collides with a built-in activity`);
  }
  return { ...tools, ...own };
}

export type * from './types';
