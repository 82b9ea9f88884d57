import type { PlanSnapshot } from './snapshot';
import { utf8Length } from '../utf8-length';

/** Half of Temporal's 2 MB payload limit: room for the payload's own framing and for whatever travels with it. */
export const SNAPSHOT_LIMIT_BYTES = 1024 * 1024;

/**
 * The state as the workflow returns it and the `state` query answers: whole when it fits one payload, else without
 * its steps (they are in the mirror), so a plan of many thousand steps still completes and still answers.
 */
export function boundedSnapshot(snapshot: PlanSnapshot, limitBytes: number = SNAPSHOT_LIMIT_BYTES): PlanSnapshot {
  if (utf8Length(JSON.stringify(snapshot)) <= limitBytes) return snapshot;
  return { ...snapshot, steps: [], stepsOmitted: snapshot.steps.length };
}
