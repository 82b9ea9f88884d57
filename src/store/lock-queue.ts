/**
 * Who gets resources next: the decision the lock store takes in one transaction, kept pure so it can be tested
 * alone. Waiting requests stand in line by priority, raised by one for every `agingMs` waited (so nobody starves),
 * then by arrival. A request is granted when nothing held conflicts with any of its claims, and nothing ahead of it
 * in line does either: a writer waiting ahead is never overtaken by readers arriving after it.
 */
import { claimsConflict, type ResourceClaim, type ResourceHolder } from '../plan/resources';

/** At most this many of those in a waiting step's way are named (`waitingFor`). */
export const MAX_BLOCKERS_SHOWN = 10;

export interface QueuedRequest {
  requestId: string;
  planId: string;
  stepId: string;
  claims: ResourceClaim[];
  priority: number;
  /** How long it has waited (ms); 0 for one already granted. */
  waitedMs: number;
  /** Arrival order, to break ties. */
  arrival: number;
  granted: boolean;
}

/** The waiting requests in the order they stand in line. */
export function lineOrder(requests: readonly QueuedRequest[], agingMs: number): QueuedRequest[] {
  const rank = (r: QueuedRequest) => r.priority + Math.floor(r.waitedMs / agingMs);
  return requests.filter((r) => !r.granted).sort((a, b) => rank(b) - rank(a) || a.arrival - b.arrival);
}

/** The waiting requests to grant now. */
export function grantable(requests: readonly QueuedRequest[], agingMs: number): QueuedRequest[] {
  const taken = requests.filter((r) => r.granted).flatMap((r) => r.claims);
  const granted: QueuedRequest[] = [];
  for (const request of lineOrder(requests, agingMs)) {
    const free = request.claims.every((claim) => !taken.some((other) => claimsConflict(claim, other)));
    // Granted or not, its claims count against those behind it: a blocked request keeps its place.
    taken.push(...request.claims);
    if (free) granted.push(request);
  }
  return granted;
}

/**
 * Who stands in a waiting request's way: the holders of what it needs; when nobody holds any of it, the requests
 * ahead of it in line that need the same.
 */
export function blockersOf(requestId: string, requests: readonly QueuedRequest[], agingMs: number): ResourceHolder[] {
  const line = lineOrder(requests, agingMs);
  const me = line.find((r) => r.requestId === requestId);
  if (!me) return [];
  const blocking = (others: QueuedRequest[], holds: boolean) =>
    others.flatMap((other) =>
      other.claims
        .filter((claim) => me.claims.some((mine) => claimsConflict(mine, claim)))
        .map((claim) => ({
          resource: claim.name,
          mode: claim.mode,
          planId: other.planId,
          stepId: other.stepId,
          holds,
        })),
    );
  const holders = blocking(
    requests.filter((r) => r.granted),
    true,
  );
  const blockers = holders.length > 0 ? holders : blocking(line.slice(0, line.indexOf(me)), false);
  // What a waiting step shows travels through history with each change: a hundred readers in its way are named by
  // their first few.
  return blockers.slice(0, MAX_BLOCKERS_SHOWN);
}
