import type { Pool } from 'pg';
import { SharedMemory } from '../store/shared-memory';
import type { ToolRegistry } from '../tools/registry';
import type { ToolServices } from '../tools/services';
import { TurnSlots } from '../agents/turn-slots';
import { createAgentActivities } from './agent-activities';
import type { AgentActivities } from './agent-types';
import { createCheckPlanTools } from './check-plan-tools';
import { createDeliverPlanEvent } from './deliver-plan-event';
import { createCheckpointActivities } from './checkpoint-activities';
import { createGeneratePlan } from './generate-plan-activity';
import { createMirrorPlan } from './mirror-plan';
import { ResultStore } from './result-store';
import { CarriedWrites } from './carried-mirror';
import { NO_SECRETS, type SecretSource } from './secret-source';
import { createToolActivities } from './tool-activities';
import { CallGuard } from './call-guard';
import { NO_COORDINATION, type CoordinationConfig } from '../config/coordination-config';
import { createResourceActivities, type ResourceActivities } from './resource-activities';
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
  /** How many agent model calls this worker runs at once; the others wait their turn (default 8). */
  maxRunningTurns?: number;
  /** The key that signs step callbacks (PLAN_NOTIFY_SECRET); without it they are sent unsigned. */
  notifySecret?: string | null;
  /** Circuit breakers and rate/concurrency limits by tool (the configuration's `breakers` and `limits`). */
  coordination?: CoordinationConfig;
}

/** How many agents' model calls a worker runs at once unless told otherwise. */
export const DEFAULT_MAX_RUNNING_TURNS = 8;

/** Builds every activity the worker registers: one per tool, plus the plan's own. */
export function createActivities(
  deps: ActivityDeps,
): Record<
  string,
  | ToolActivity
  | PlanActivities[keyof PlanActivities]
  | AgentActivities[keyof AgentActivities]
  | ResourceActivities[keyof ResourceActivities]
> {
  const memory = new SharedMemory(deps.pool);
  const own: PlanActivities = {
    checkPlanTools: createCheckPlanTools(deps.tools),
    mirrorPlan: createMirrorPlan(deps.pool),
    ...createCheckpointActivities(deps.pool),
    cleanupExpiredMemory: () => memory.cleanupExpired(),
    generatePlan: createGeneratePlan(deps.services.llm, deps.tools),
    deliverPlanEvent: createDeliverPlanEvent(deps.services.http, deps.notifySecret ?? null),
  };
  const locks = createResourceActivities(deps.pool);
  const results = new ResultStore(deps.pool, deps.resultInlineLimitBytes);
  const services = {
    ...deps.services,
    memory,
    results,
    secrets: deps.secrets ?? NO_SECRETS,
    guard: new CallGuard(deps.pool, deps.coordination ?? NO_COORDINATION),
    carried: new CarriedWrites(deps.pool),
  };
  const tools = createToolActivities(deps.tools, services);
  const agents = createAgentActivities({
    pool: deps.pool,
    tools: deps.tools,
    services,
    slots: new TurnSlots(deps.maxRunningTurns ?? DEFAULT_MAX_RUNNING_TURNS),
  });
  for (const name of [...Object.keys(own), ...Object.keys(agents), ...Object.keys(locks)]) {
    if (name in tools) throw new Error(`tool "${name}" collides with a built-in activity`);
  }
  return { ...tools, ...own, ...agents, ...locks };
}

export type * from './types';
