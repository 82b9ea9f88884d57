/**
 * Resource locks: what a step declares it needs (`resources`), and when two needs conflict. Pure, so the plan reader,
 * the workflow and the lock store share one rule.
 */

/** `read` is shared with other readers; `write` is exclusive. */
export type ResourceMode = 'read' | 'write';

export const RESOURCE_MODES: readonly ResourceMode[] = ['read', 'write'];

/** One resource a step needs, and how. */
export interface ResourceClaim {
  name: string;
  mode: ResourceMode;
}

/** Who holds (or waits ahead for) a resource a step waits for. */
export interface ResourceHolder {
  resource: string;
  mode: ResourceMode;
  planId: string;
  stepId: string;
  /** Whether it holds the resource (true) or waits ahead in line (false). */
  holds: boolean;
}

/** A resource name's longest form: it travels through history with every step that claims it. */
export const MAX_RESOURCE_NAME_CHARS = 200;

/** At most this many resources per step: all are granted together in one transaction. */
export const MAX_RESOURCES_PER_STEP = 32;

/** Whether two claims can be granted at once: only two reads of the same resource can. */
export function claimsConflict(a: ResourceClaim, b: ResourceClaim): boolean {
  return a.name === b.name && (a.mode === 'write' || b.mode === 'write');
}

/** Who is in a waiting step's way, in words: for `plan status` and Temporal Web's details. */
export function describeBlockers(blockers: readonly ResourceHolder[]): string {
  if (blockers.length === 0) return 'next in line';
  return blockers
    .map(
      (b) => `${b.resource} ${b.holds ? 'held' : 'asked for first'} (${b.mode}) by plan ${b.planId} step ${b.stepId}`,
    )
    .join('; ');
}
