import { Pool } from 'pg';

/** Opens a connection pool; idle-connection errors (a restarted server) are absorbed instead of crashing the process. */
export function createPool(connectionString: string, options: { max?: number; applicationName?: string } = {}): Pool {
  const pool = new Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'durable-plans',
  });
  // A broken idle client is dropped by the pool; the next query opens a fresh one.
  pool.on('error', () => undefined);
  return pool;
}
