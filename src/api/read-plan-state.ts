/**
 * The state of a plan from wherever it can still be read: the running workflow (query), the closed workflow's
 * result (history, no worker needed), a query replayed by a worker, or — when history is gone or no worker
 * answers — the PostgreSQL mirror.
 */
import { WorkflowFailedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { PlanSnapshot } from '../plan';
import { stateFromMirror } from '../store/mirror-state';
import { stateQuery } from '../workflows/definitions';

export type StateSource = 'query' | 'result' | 'mirror';

export interface PlanStateReading {
  state: PlanSnapshot;
  source: StateSource;
  /** Temporal's own status of the run (RUNNING, COMPLETED, CANCELLED, ...), or null when only the mirror knows it. */
  execution: string | null;
  runId: string | null;
}

/** Raised when neither Temporal nor the mirror knows the plan. */
export class PlanNotFoundError extends Error {
  override readonly name = 'PlanNotFoundError';
}

/** Raised when the plan's workflow failed before it had a state (a plan refused by validation). */
export class PlanHasNoStateError extends Error {
  override readonly name = 'PlanHasNoStateError';
}

const QUERY_TIMEOUT_MS = 5_000;

/** Reads a plan's state; `mirror` is consulted only when Temporal cannot answer. */
export async function readPlanState(
  client: Client,
  planId: string,
  mirror: () => Promise<Pool | null>,
): Promise<PlanStateReading> {
  const handle = client.workflow.getHandle(planId);
  const description = await handle.describe().catch((err: unknown) => {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  });
  const fromMirror = async (execution: string | null, runId: string | null): Promise<PlanStateReading> => {
    const db = await mirror();
    const state = db ? await stateFromMirror(db, planId) : null;
    if (!state)
      throw new PlanNotFoundError(`no plan "${planId}" in namespace ${client.options.namespace} or in the mirror`);
    return { state, source: 'mirror', execution, runId };
  };
  if (!description) return fromMirror(null, null);
  const execution = description.status.name;
  const runId = description.runId;
  // A state too large for one payload comes without its steps: the mirror has them, when there is one.
  const whole = async (reading: PlanStateReading): Promise<PlanStateReading> =>
    reading.state.stepsOmitted === undefined ? reading : fromMirror(execution, runId).catch(() => reading);
  if (execution === 'COMPLETED') return whole({ state: await handle.result(), source: 'result', execution, runId });
  if (execution === 'FAILED') {
    const failure = await handle.result().catch((err: unknown) => err);
    if (failure instanceof WorkflowFailedError)
      throw new PlanHasNoStateError(failure.cause?.message ?? failure.message);
  }
  // Running, or closed without a result (cancelled, terminated): a worker answers the query, replaying if it must.
  const state = await withTimeout(handle.query(stateQuery), QUERY_TIMEOUT_MS).catch(() => null);
  if (state) return whole({ state, source: 'query', execution, runId });
  return fromMirror(execution, runId);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))),
  ]);
}
