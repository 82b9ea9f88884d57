/**
 * The activities behind resource locks: ask and wait, release, and release what a plan still holds when it ends.
 * Waiting happens here, heartbeating, rather than in the workflow: history grows by one activity per change of who
 * is in the way, not per poll.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { ResourceHolder } from '../plan/resources';
import {
  fileRequest,
  plansWithRequests,
  releasePlan,
  releaseRequest,
  requestStanding,
  type ResourceRequest,
} from '../store/resource-locks';

/** What a step waiting for resources hears back: granted (with its fencing token), or who is in its way now. */
export type ResourceAnswer = { granted: true; token: number } | { granted: false; blockers: ResourceHolder[] };

export interface ResourceActivities {
  /**
   * Files the request and waits: answers once granted, or as soon as who is in the way differs from `seen` (what
   * the workflow last showed), or after a while, so the workflow's status stays true and no attempt runs for ever.
   */
  acquireResources(request: ResourceRequest, seen: ResourceHolder[] | null): Promise<ResourceAnswer>;
  /** Releases one request (or withdraws it, unanswered); harmless when already released. */
  releaseResources(requestId: string): Promise<void>;
  /** Releases whatever a plan's run still holds or waits for: called as the plan ends. */
  releasePlanResources(planId: string, firstRunId: string): Promise<void>;
}

export interface ResourceTiming {
  /** How long a wait raises a request's priority by one (default 30 s). */
  agingMs: number;
  /** How often a waiter looks at its request (default 200 ms). */
  pollMs: number;
  /** How often a waiter works out who is in its way, to tell the workflow when that changes (default 1 s). */
  blockersMs: number;
  /** How often a waiter checks that the plans in its way are still running (default 5 s). */
  livenessMs: number;
  /** The longest one asking activity waits before it answers anyway (default 4 min). */
  answerWithinMs: number;
}

export const RESOURCE_TIMING: ResourceTiming = {
  agingMs: 30_000,
  pollMs: 200,
  blockersMs: 1_000,
  livenessMs: 5_000,
  answerWithinMs: 240_000,
};

export function createResourceActivities(pool: Pool, timing: ResourceTiming = RESOURCE_TIMING): ResourceActivities {
  return {
    async acquireResources(request, seen) {
      const context = Context.current();
      await fileRequest(pool, request, timing.agingMs);
      const started = Date.now();
      let checkedLiveness = 0;
      let checkedBlockers = 0;
      for (;;) {
        // Whether it was granted is one row to read; who is in the way means reading every request, so less often.
        const full = Date.now() - checkedBlockers >= timing.blockersMs;
        const standing = await requestStanding(pool, request.requestId, timing.agingMs, full);
        if (standing.state === 'granted') return { granted: true, token: standing.token };
        // Released while this attempt was away (the plan ended): file it again, keeping nothing held meanwhile.
        if (standing.state === 'gone') {
          await fileRequest(pool, request, timing.agingMs);
          continue;
        }
        if (standing.blockers !== null) {
          checkedBlockers = Date.now();
          if (!sameBlockers(standing.blockers, seen) || Date.now() - started >= timing.answerWithinMs) {
            return { granted: false, blockers: standing.blockers };
          }
        }
        if (Date.now() - checkedLiveness >= timing.livenessMs) {
          checkedLiveness = Date.now();
          await reclaimFromEndedPlans(pool, context.client, request, timing.agingMs);
        }
        context.heartbeat({ waitingFor: seen });
        // Throws CancelledFailure when the step is cancelled; the workflow then withdraws the request.
        await context.sleep(timing.pollMs);
      }
    },
    releaseResources: (requestId) => releaseRequest(pool, requestId, timing.agingMs),
    async releasePlanResources(planId, firstRunId) {
      await releasePlan(pool, planId, firstRunId, timing.agingMs);
    },
  };
}

/**
 * Releases what plans that are no longer running still hold: a plan terminated, timed out or reset away never
 * released its locks itself. A plan whose id now names another plan (a later first run) counts as ended.
 */
async function reclaimFromEndedPlans(
  pool: Pool,
  client: Client,
  request: ResourceRequest,
  agingMs: number,
): Promise<void> {
  for (const { planId, firstRunId } of await plansWithRequests(pool, request.namespace, request.planId)) {
    if (await planRunning(client, planId, firstRunId)) continue;
    const released = await releasePlan(pool, planId, firstRunId, agingMs);
    if (released > 0) {
      Context.current().log.warn('released the resources of a plan that ended without releasing them', {
        heldBy: planId,
        requests: released,
      });
    }
  }
}

/** Whether the plan's run chain that began with `firstRunId` is still running; unsure (Temporal away) counts as yes. */
async function planRunning(client: Client, planId: string, firstRunId: string): Promise<boolean> {
  try {
    const description = await client.workflow.getHandle(planId).describe();
    if (description.status.name !== 'RUNNING') return false;
    const first = description.raw.workflowExecutionInfo?.firstRunId;
    // A server that does not report the first run cannot tell a new plan from the old: running is enough then.
    return !first || first === firstRunId;
  } catch (err) {
    return (err as Error).name !== 'WorkflowNotFoundError';
  }
}

function sameBlockers(a: ResourceHolder[], b: ResourceHolder[] | null): boolean {
  return b !== null && JSON.stringify(a) === JSON.stringify(b);
}
