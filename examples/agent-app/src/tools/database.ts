import type { ToolContext } from 'durable-plans';

/** The tables this app's tools use, created on first use, with three customers to look up. */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS agent_app_customers (
    customer_id text PRIMARY KEY,
    name text NOT NULL,
    tier text NOT NULL
  );
  CREATE TABLE IF NOT EXISTS agent_app_credits (
    credit_id text PRIMARY KEY,
    customer_id text NOT NULL REFERENCES agent_app_customers,
    amount_cents integer NOT NULL CHECK (amount_cents > 0),
    reason text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  INSERT INTO agent_app_customers VALUES
    ('c-100', 'Ada Lovelace', 'gold'), ('c-200', 'Alan Turing', 'silver'), ('c-300', 'Grace Hopper', 'gold')
  ON CONFLICT DO NOTHING;`;

let ready: Promise<void> | null = null;

/**
 * The worker's default database (DATABASE_URL), reached through the tool context, with this app's tables in place.
 * The advisory lock keeps two workers that start at once from creating the tables together.
 */
export async function database(context: ToolContext) {
  const pool = context.sql.pool('default');
  if (!pool) throw new Error('the worker has no "default" database; set DATABASE_URL');
  ready ??= (async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT pg_advisory_xact_lock(hashtext('agent_app_schema'))");
      await client.query(SCHEMA);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  })().catch((err: unknown) => {
    ready = null; // the next call tries again
    throw err;
  });
  await ready;
  return pool;
}
