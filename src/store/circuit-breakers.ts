/**
 * Circuit breakers in PostgreSQL (migration 008): every worker and plan sees one state per breaker. Each change reads
 * the row FOR UPDATE, so two workers never both take the half-open probe.
 */
import type { Pool } from 'pg';
import { inTransaction } from './pool';

/** Which breaker, and what opens it. */
export interface Breaker {
  key: string;
  tool: string;
  target: string | null;
  failures: number;
  windowMs: number;
  coolDownMs: number;
}

/** Whether a call may go ahead: as usual, as the one probe of a half-open breaker, or not before `retryInMs`. */
export type Admission =
  | { admitted: true; probe: boolean }
  | { admitted: false; retryInMs: number; failures: number; lastError: string | null };

/** One breaker as `plan breakers` shows it. */
export interface BreakerRow {
  key: string;
  tool: string;
  target: string | null;
  state: 'closed' | 'open' | 'half_open';
  failures: number;
  openUntil: string | null;
  lastError: string | null;
  updatedAt: string;
}

interface StateRow {
  state: BreakerRow['state'];
  failures: number;
  last_error: string | null;
  open_ms: string | null;
  probe_ms: string | null;
}

/**
 * Asks to call through the breaker. Closed: yes. Open: no, until its cool-down ends; then the first caller becomes
 * the probe (for at most `probeMs`) and the rest wait for its outcome.
 */
export async function admitCall(pool: Pool, breaker: Breaker, probeMs: number): Promise<Admission> {
  // The common case, a breaker that never failed or is closed, costs one read and no lock.
  const seen = await readState(pool, breaker.key, false);
  if (seen === null || seen.state === 'closed') return { admitted: true, probe: false };
  return inTransaction(pool, async (client) => {
    const row = (await readState(client, breaker.key, true))!;
    if (row.state === 'closed') return { admitted: true, probe: false };
    const waitMs = Number(row.state === 'open' ? row.open_ms : (row.probe_ms ?? 0));
    if (waitMs > 0) return { admitted: false, retryInMs: waitMs, failures: row.failures, lastError: row.last_error };
    await client.query(
      `UPDATE circuit_breakers SET state = 'half_open', probe_until = now() + $2 * interval '1 millisecond',
         updated_at = now() WHERE breaker_key = $1`,
      [breaker.key, probeMs],
    );
    return { admitted: true, probe: true };
  });
}

/**
 * A call that counts failed: counted in the breaker's window, opening it at the threshold; a failure while open or
 * half-open (the probe's, or a call that started before it opened) opens it for a fresh cool-down.
 */
export async function recordFailure(pool: Pool, breaker: Breaker, error: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO circuit_breakers (breaker_key, tool, target, state) VALUES ($1, $2, $3, 'closed')
       ON CONFLICT (breaker_key) DO NOTHING`,
      [breaker.key, breaker.tool, breaker.target],
    );
    const { rows } = await client.query<{ state: BreakerRow['state']; failures: number; window_over: boolean }>(
      `SELECT state, failures, window_started_at <= now() - $2 * interval '1 millisecond' AS window_over
       FROM circuit_breakers WHERE breaker_key = $1 FOR UPDATE`,
      [breaker.key, breaker.windowMs],
    );
    const row = rows[0]!;
    const newWindow = row.state === 'closed' && row.window_over;
    const failures = newWindow ? 1 : row.failures + 1;
    const opens = row.state !== 'closed' || failures >= breaker.failures;
    await client.query(
      `UPDATE circuit_breakers SET
         failures = $2,
         window_started_at = CASE WHEN $3 THEN now() ELSE window_started_at END,
         state = CASE WHEN $4 THEN 'open' ELSE 'closed' END,
         opened_at = CASE WHEN $4 THEN now() ELSE opened_at END,
         open_until = CASE WHEN $4 THEN now() + $5 * interval '1 millisecond' ELSE NULL END,
         probe_until = NULL, last_error = $6, updated_at = now()
       WHERE breaker_key = $1`,
      [breaker.key, failures, newWindow, opens, breaker.coolDownMs, error.slice(0, 2000)],
    );
  });
}

/** A call went through: a probe's success closes the breaker. */
export async function recordSuccess(pool: Pool, breaker: Breaker, probe: boolean): Promise<void> {
  if (!probe) return;
  await pool.query(
    `UPDATE circuit_breakers SET state = 'closed', failures = 0, window_started_at = now(), open_until = NULL,
       probe_until = NULL, updated_at = now() WHERE breaker_key = $1`,
    [breaker.key],
  );
}

/** A probe that ended saying nothing about the target (bad input, cancelled): the next caller probes instead. */
export async function releaseProbe(pool: Pool, breaker: Breaker): Promise<void> {
  await pool.query(
    `UPDATE circuit_breakers SET probe_until = NULL, updated_at = now() WHERE breaker_key = $1 AND state = 'half_open'`,
    [breaker.key],
  );
}

/** Every breaker that has seen a failure, open ones first. */
export async function listBreakers(pool: Pool): Promise<BreakerRow[]> {
  const { rows } = await pool.query<{
    breaker_key: string;
    tool: string;
    target: string | null;
    state: BreakerRow['state'];
    failures: number;
    open_until: Date | null;
    last_error: string | null;
    updated_at: Date;
  }>(
    `SELECT breaker_key, tool, target, state, failures, open_until, last_error, updated_at FROM circuit_breakers
     ORDER BY state = 'closed', breaker_key`,
  );
  return rows.map((r) => ({
    key: r.breaker_key,
    tool: r.tool,
    target: r.target,
    state: r.state,
    failures: r.failures,
    openUntil: r.open_until?.toISOString() ?? null,
    lastError: r.last_error,
    updatedAt: r.updated_at.toISOString(),
  }));
}

async function readState(db: Pick<Pool, 'query'>, key: string, lock: boolean): Promise<StateRow | null> {
  const { rows } = await db.query<StateRow>(
    `SELECT state, failures, last_error,
            greatest(0, ceil(extract(epoch FROM open_until - now()) * 1000))::bigint AS open_ms,
            greatest(0, ceil(extract(epoch FROM probe_until - now()) * 1000))::bigint AS probe_ms
     FROM circuit_breakers WHERE breaker_key = $1${lock ? ' FOR UPDATE' : ''}`,
    [key],
  );
  return rows[0] ?? null;
}
