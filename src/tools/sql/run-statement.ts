import type { PoolClient } from 'pg';
import { cancelRunningStatement } from './cancel-request';
import { cappedQuery, type CappedResult } from './capped-query';

/** How one step's statement runs. */
export interface StatementRun {
  sql: string;
  params: unknown[];
  allowWrite: boolean;
  maxRows: number;
  maxBytes: number;
  /** The role to run as (SET LOCAL ROLE), or null to run as the login. */
  role: string | null;
  /** Epoch ms: PostgreSQL stops the statement by then (statement_timeout), whatever the worker does. */
  deadline: number;
  /** Aborting cancels the statement on the server. */
  signal: AbortSignal;
}

// After the deadline, how long the server may take to answer its own timeout before the connection is dropped.
const DEADLINE_GRACE_MS = 2_000;

/**
 * Runs the statement in a transaction of its own — READ ONLY unless it may write, under `role`, bounded in time by
 * the server — then ends it (COMMIT for a write, ROLLBACK otherwise) and resets the session (DISCARD ALL: advisory
 * locks, temporary tables and settings a step took do not outlive it). Throws pg's error on failure; the caller
 * must then discard the client, whose state is unknown.
 */
export async function runStatement(client: PoolClient, run: StatementRun): Promise<CappedResult> {
  const budgetMs = Math.max(1, Math.floor(run.deadline - Date.now()));
  await client.query(run.allowWrite ? 'BEGIN' : 'BEGIN READ ONLY');
  // Parsed the way sql_query's screen reads statements; a session left idle mid-transaction ends on its own.
  await client.query(
    `SET LOCAL statement_timeout = ${budgetMs}; SET LOCAL idle_in_transaction_session_timeout = ${budgetMs}; ` +
      'SET LOCAL standard_conforming_strings = on' +
      (run.role === null ? '' : `; SET LOCAL ROLE ${quoteIdent(run.role)}`),
  );
  const cancel = () => void cancelRunningStatement(client);
  run.signal.addEventListener('abort', cancel);
  // A server that stops answering would hold the client forever: past the deadline the connection is dropped.
  const stream = (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream;
  const backstop = setTimeout(() => stream.destroy(), budgetMs + DEADLINE_GRACE_MS);
  try {
    if (run.signal.aborted) throw run.signal.reason;
    const result = await cappedQuery(client, run.sql, run.params, { maxRows: run.maxRows, maxBytes: run.maxBytes });
    // Nothing of a read-only transaction is worth keeping; a rollback also ends one whose rows were cut short.
    await client.query(run.allowWrite ? 'COMMIT' : 'ROLLBACK');
    await client.query('DISCARD ALL');
    return result;
  } finally {
    clearTimeout(backstop);
    run.signal.removeEventListener('abort', cancel);
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
