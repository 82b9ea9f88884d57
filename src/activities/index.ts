import type { Pool } from 'pg';
import { SharedMemory } from '../store/shared-memory';
import type { ToolRegistry } from '../tools/registry';
import type { ToolServices } from '../tools/services';
import { createCheckPlanTools } from './check-plan-tools';
import { createCheckpointActivities } from './checkpoint-activities';
import { createGeneratePlan } from './generate-plan-activity';
import { createMirrorPlan } from './mirror-plan';
import { ResultStore } from './result-store';
import { NO_SECRETS, type SecretSource } from './secret-source';
import { createToolActivities } from './tool-activities';
import type { PlanActivities, ToolActivity } from './types';

export interface ActivityDeps {
  tools: ToolRegistry;
  /** The side store: the plan mirror and the shared memory tools use it. */
  pool: Pool;
  /** What the shell, sql and llm tools may reach (built by createToolServices). */
  services: ToolServices;
  /** Results whose JSON is larger are stored in PostgreSQL and referenced (default 64 KiB). */
  resultInlineLimitBytes?: number;
  /** The values of `{{secrets.NAME}}` (createSecretSource); without it every secret reference is unknown. */
  secrets?: SecretSource;
}

/** Builds every activity the worker registers: one per tool, plus the plan's own. */
export function createActivities(
  deps: ActivityDeps,
): Record<string, ToolActivity | PlanActivities[keyof PlanActivities]> {
  const memory = new SharedMemory(deps.pool);
  const own: PlanActivities = {
    checkPlanTools: createCheckPlanTools(deps.tools),
    mirrorPlan: createMirrorPlan(deps.pool),
    ...createCheckpointActivities(deps.pool),
    cleanupExpiredMemory: () => memory.cleanupExpired(),
    generatePlan: createGeneratePlan(deps.services.llm, deps.tools),
  };
  const results = new ResultStore(deps.pool, deps.resultInlineLimitBytes);
  const tools = createToolActivities(deps.tools, {
    ...deps.services,
    memory,
    results,
    secrets: deps.secrets ?? NO_SECRETS,
  });
  for (const name of Object.keys(own)) {
    if (name in tools) throw new Error(`tool "${name}" collides with a built-in activity`);
  }
  return { ...tools, ...own };
}

export type * from './types';
