import { Pool, type PoolClient } from 'pg';

/**
 * Opens a connection pool; idle-connection errors (a restarted server) are absorbed instead of crashing the process.
 */
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

/**
 * Runs `work` in one transaction on a client of its own. While checked out, a client whose connection breaks between
 * queries emits 'error' with nobody listening, which would crash the process: the error is caught here and the
 * broken client is discarded instead of going back to the pool.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (err: Error) => (broken = err);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken ??= rollbackError));
    throw err;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
