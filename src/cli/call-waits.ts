/**
 * What a plan's running steps wait for between them and their target: their turn under a call limit (the step's
 * activity says so in its heartbeat details, see src/activities/call-guard.ts), or an open circuit breaker (the
 * attempt failed with CircuitOpen and the next waits for the cool-down). Only Temporal's description of the workflow
 * carries either.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { CIRCUIT_OPEN } from '../plan/error-types';

const { PENDING_ACTIVITY_STATE_STARTED, PENDING_ACTIVITY_STATE_SCHEDULED } = temporal.api.enums.v1.PendingActivityState;

/** One line per waiting step, e.g. `Step call-3 waits for its turn under limit "api.example.com" (2 running)`. */
export async function callWaits(client: Client, planId: string): Promise<string[]> {
  const description = await client.workflow.getHandle(planId).describe();
  return (description.raw.pendingActivities ?? []).flatMap((activity) => {
    const step = `Step ${activity.activityId}`;
    if (activity.state === PENDING_ACTIVITY_STATE_STARTED) {
      const waiting = waitingFor(activity.heartbeatDetails?.payloads?.[0]);
      return waiting ? [`${step} waits for its turn under limit "${waiting.limit}" (${waiting.running} running)`] : [];
    }
    const failure = activity.lastFailure;
    if (activity.state === PENDING_ACTIVITY_STATE_SCHEDULED && failure?.applicationFailureInfo?.type === CIRCUIT_OPEN) {
      const next = activity.nextAttemptScheduleTime;
      const ms = Number(next?.seconds ?? 0) * 1000 + Math.floor((next?.nanos ?? 0) / 1e6);
      const at = ms > 0 ? ` (next attempt at ${new Date(ms).toISOString()})` : '';
      return [`${step} waits for a circuit breaker: ${failure.message}${at}`];
    }
    return [];
  });
}

function waitingFor(
  payload: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null } | undefined,
): { limit: string; running: number } | null {
  // Plain JSON only: an encrypted payload (PLAN_CODEC_KEYS) is not for the CLI to read here.
  if (!payload?.data || Buffer.from(payload.metadata?.encoding ?? []).toString() !== 'json/plain') return null;
  try {
    const details = JSON.parse(Buffer.from(payload.data).toString()) as {
      waitingFor?: { limit?: unknown; running?: unknown };
    };
    const limit = details.waitingFor?.limit;
    return typeof limit === 'string' ? { limit, running: Number(details.waitingFor?.running ?? 0) } : null;
  } catch {
    return null;
  }
}
