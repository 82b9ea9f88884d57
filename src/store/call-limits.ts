/**
 * Rate and concurrency limits per key in PostgreSQL (migration 008), so they hold across every worker. Each turn is
 * taken in one transaction under an advisory lock of its key.
 */
import type { Pool } from 'pg';
import { inTransaction } from './pool';

export interface CallLimit {
  key: string;
  perSecond?: number;
  concurrency?: number;
}

/** A call's turn: taken, or not before `retryInMs` (with how many calls run under the key now). */
export type LimitTurn = { granted: true } | { granted: false; retryInMs: number; running: number };

/**
 * Takes a turn for `holder` (one attempt of one call): a free slot when the key limits concurrency (held for at most
 * `leaseMs`, so a lost worker's slot comes back), and a start time at least 1/perSecond after the previous call's.
 * Taking it again as the same holder is harmless.
 */
export async function takeTurn(pool: Pool, limit: CallLimit, holder: string, leaseMs: number): Promise<LimitTurn> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`durable-plans:limit:${limit.key}`]);
    let running = 0;
    if (limit.concurrency !== undefined) {
      await client.query('DELETE FROM call_limit_slots WHERE limit_key = $1 AND expires_at < now()', [limit.key]);
      const { rows } = await client.query<{ n: number; mine: boolean }>(
        'SELECT count(*)::int AS n, coalesce(bool_or(holder = $2), false) AS mine FROM call_limit_slots WHERE limit_key = $1',
        [limit.key, holder],
      );
      if (rows[0]!.mine) return { granted: true };
      running = rows[0]!.n;
      // Nobody knows when a running call ends: look again soon.
      if (running >= limit.concurrency) return { granted: false, retryInMs: 100, running };
    }
    if (limit.perSecond !== undefined) {
      const { rows } = await client.query<{ wait_ms: string }>(
        `SELECT greatest(0, ceil(extract(epoch FROM next_at - now()) * 1000))::bigint AS wait_ms
         FROM call_limit_pace WHERE limit_key = $1`,
        [limit.key],
      );
      const waitMs = Number(rows[0]?.wait_ms ?? 0);
      if (waitMs > 0) return { granted: false, retryInMs: waitMs, running };
      await client.query(
        `INSERT INTO call_limit_pace (limit_key, next_at) VALUES ($1, now() + $2 * interval '1 millisecond')
         ON CONFLICT (limit_key) DO UPDATE SET next_at = excluded.next_at`,
        [limit.key, 1000 / limit.perSecond],
      );
    }
    if (limit.concurrency !== undefined) {
      await client.query(
        `INSERT INTO call_limit_slots (limit_key, holder, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
         ON CONFLICT (limit_key, holder) DO NOTHING`,
        [limit.key, holder, leaseMs],
      );
    }
    return { granted: true };
  });
}

/** Gives the holder's slot back (the call ended); harmless when it has none. */
export async function endTurn(pool: Pool, key: string, holder: string): Promise<void> {
  await pool.query('DELETE FROM call_limit_slots WHERE limit_key = $1 AND holder = $2', [key, holder]);
}
