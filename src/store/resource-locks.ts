/**
 * Resource locks in PostgreSQL (migration 007). A request is one row; granting happens in one transaction under an
 * advisory lock, so every grant sees every other, and all of a request's resources are granted at once.
 */
import type { Pool, PoolClient } from 'pg';
import type { ResourceClaim, ResourceHolder } from '../plan/resources';
import { inTransaction } from './pool';
import { blockersOf, grantable, lineOrder, type QueuedRequest } from './lock-queue';

const GRANT_LOCK = 'durable-plans:resource-locks';

/** What a step asks for. `requestId` is made by the workflow, the same on every retry of the asking activity. */
export interface ResourceRequest {
  requestId: string;
  namespace: string;
  planId: string;
  firstRunId: string;
  stepId: string;
  purpose: 'step' | 'compensation';
  resources: ResourceClaim[];
  priority: number;
}

/** Where a request stands: granted with its fencing token, waiting (behind `blockers`, when asked), or gone. */
export type RequestStanding =
  { state: 'granted'; token: number } | { state: 'waiting'; blockers: ResourceHolder[] | null } | { state: 'gone' };

/** One row as `plan locks` shows it. */
export interface LockRow {
  resource: string;
  mode: ResourceClaim['mode'];
  state: 'holds' | 'waits';
  planId: string;
  stepId: string;
  purpose: 'step' | 'compensation';
  since: string;
  token: number | null;
  /** Place in line among the waiters (1 = next), null for a holder. */
  position: number | null;
}

interface RequestRow {
  request_id: string;
  plan_id: string;
  step_id: string;
  purpose: 'step' | 'compensation';
  resources: ResourceClaim[];
  priority: number;
  waited_ms: string;
  requested_at: Date;
  granted_at: Date | null;
  fencing_token: string | null;
}

/** Files the request (once: a retry finds it filed) and grants whatever can be granted now. */
export async function fileRequest(pool: Pool, request: ResourceRequest, agingMs: number): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO resource_requests (request_id, namespace, plan_id, first_run_id, step_id, purpose, resources, priority)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (request_id) DO NOTHING`,
      [
        request.requestId,
        request.namespace,
        request.planId,
        request.firstRunId,
        request.stepId,
        request.purpose,
        JSON.stringify(request.resources),
        request.priority,
      ],
    );
    await grantWaiting(client, agingMs);
  });
}

/** Where one request stands now; `withBlockers` also works out who is in its way (reading every request). */
export async function requestStanding(
  pool: Pool,
  requestId: string,
  agingMs: number,
  withBlockers: boolean,
): Promise<RequestStanding> {
  const { rows } = await pool.query<{ fencing_token: string | null }>(
    'SELECT fencing_token FROM resource_requests WHERE request_id = $1',
    [requestId],
  );
  if (rows.length === 0) return { state: 'gone' };
  if (rows[0]!.fencing_token !== null) return { state: 'granted', token: Number(rows[0]!.fencing_token) };
  if (!withBlockers) return { state: 'waiting', blockers: null };
  return { state: 'waiting', blockers: blockersOf(requestId, queued(await readRequests(pool)), agingMs) };
}

/** Releases (or withdraws) one request, and grants what that frees. Releasing twice is harmless. */
export async function releaseRequest(pool: Pool, requestId: string, agingMs: number): Promise<void> {
  await inTransaction(pool, async (client) => {
    await lockGrants(client);
    await client.query('DELETE FROM resource_requests WHERE request_id = $1', [requestId]);
    await grantWaiting(client, agingMs);
  });
}

/** Releases every request of one plan (its run ended, or ended without saying so), and grants what that frees. */
export async function releasePlan(pool: Pool, planId: string, firstRunId: string, agingMs: number): Promise<number> {
  return inTransaction(pool, async (client) => {
    await lockGrants(client);
    const { rowCount } = await client.query('DELETE FROM resource_requests WHERE plan_id = $1 AND first_run_id = $2', [
      planId,
      firstRunId,
    ]);
    await grantWaiting(client, agingMs);
    return rowCount ?? 0;
  });
}

/** The plans with requests filed in `namespace`, other than `except`'s: whose liveness a waiter checks. */
export async function plansWithRequests(
  pool: Pool,
  namespace: string,
  except: string,
): Promise<Array<{ planId: string; firstRunId: string }>> {
  const { rows } = await pool.query<{ plan_id: string; first_run_id: string }>(
    `SELECT DISTINCT plan_id, first_run_id FROM resource_requests WHERE namespace = $1 AND plan_id <> $2`,
    [namespace, except],
  );
  return rows.map((r) => ({ planId: r.plan_id, firstRunId: r.first_run_id }));
}

/** Every holder and waiter, resource by resource; waiters numbered in line order. */
export async function listLocks(pool: Pool, agingMs: number): Promise<LockRow[]> {
  const rows = await readRequests(pool);
  const line = lineOrder(queued(rows), agingMs).map((r) => r.requestId);
  return rows
    .flatMap((row) =>
      row.resources.map((claim): LockRow => ({
        resource: claim.name,
        mode: claim.mode,
        state: row.fencing_token === null ? 'waits' : 'holds',
        planId: row.plan_id,
        stepId: row.step_id,
        purpose: row.purpose,
        since: (row.granted_at ?? row.requested_at).toISOString(),
        token: row.fencing_token === null ? null : Number(row.fencing_token),
        position: row.fencing_token === null ? line.indexOf(row.request_id) + 1 : null,
      })),
    )
    .sort(
      (a, b) =>
        a.resource.localeCompare(b.resource) ||
        Number(a.state === 'waits') - Number(b.state === 'waits') ||
        (a.position ?? 0) - (b.position ?? 0),
    );
}

/** Grants what can be granted now, under the lock every grant takes. */
async function grantWaiting(client: PoolClient, agingMs: number): Promise<void> {
  await lockGrants(client);
  const chosen = grantable(queued(await readRequests(client)), agingMs).map((r) => r.requestId);
  if (chosen.length === 0) return;
  await client.query(
    `UPDATE resource_requests SET granted_at = now(), fencing_token = nextval('resource_fencing_tokens')
     WHERE request_id = ANY($1) AND fencing_token IS NULL`,
    [chosen],
  );
}

async function lockGrants(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [GRANT_LOCK]);
}

async function readRequests(db: Pool | PoolClient): Promise<RequestRow[]> {
  const { rows } = await db.query<RequestRow>(
    `SELECT request_id, plan_id, step_id, purpose, resources, priority, requested_at, granted_at, fencing_token,
            (extract(epoch FROM now() - requested_at) * 1000)::bigint AS waited_ms
     FROM resource_requests ORDER BY requested_at, request_id`,
  );
  return rows;
}

function queued(rows: RequestRow[]): QueuedRequest[] {
  return rows.map((row, arrival) => ({
    requestId: row.request_id,
    planId: row.plan_id,
    stepId: row.step_id,
    claims: row.resources,
    priority: row.priority,
    waitedMs: Number(row.waited_ms),
    arrival,
    granted: row.fencing_token !== null,
  }));
}
