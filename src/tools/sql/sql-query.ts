import { ApplicationFailure } from '@temporalio/activity';
import type { PoolClient } from 'pg';
import { z } from 'zod';
import { heartbeatWhile, WAITING_TOOL_HEARTBEAT_TIMEOUT_MS } from '../heartbeat-while';
import { defineTool, type ToolContext } from '../tool';
import { SQL_NOT_ALLOWED, SQL_TIMEOUT, SQL_UNKNOWN_CONNECTION } from '../../plan/error-types';
import { runStatement } from './run-statement';
import { sqlFailure } from './sql-failures';
import type { StepConnection } from './sql-connections';
import { statementRefusal } from './statement-screen';
import { leastPrivilegeAdvice } from './step-roles';

// Rows travel in Temporal's history; a step needing more should aggregate in SQL or page with LIMIT/OFFSET.
const MAX_ROWS = 10_000;
// Results over 64 KiB are kept in PostgreSQL rather than history; beyond this a step should aggregate in SQL.
const MAX_BYTES = 64 * 1024 * 1024;

/** Runs one parameterised SQL statement in its own transaction, read-only unless the step allows writes. */
export const sqlQuery = defineTool({
  name: 'sql_query',
  description:
    'Runs one SQL statement against PostgreSQL, its $1, $2 placeholders bound to `params` (never interpolated), in a ' +
    'transaction of its own that is READ ONLY unless allowWrite: true, with privileges to read (and to write rows), ' +
    'never to reach the server host. Returns { command, rowCount, columns, rows, truncated }; rows beyond maxRows ' +
    "are not fetched, an answer over maxBytes fails (SqlResultTooLarge). `connection` names one of the worker's " +
    'databases (default: DATABASE_URL; others from PLAN_SQL_CONNECTIONS). A write in a read-only step fails with ' +
    'SqlReadOnlyViolation; SET, RESET, DO, transaction control, functions and set_config fail with SqlNotAllowed. ' +
    'A retried write runs again: make it idempotent (ON CONFLICT ...).',
  parameters: z.object({
    sql: z.string().min(1).describe('one statement; $1, $2 and so on stand for params'),
    params: z.array(z.unknown()).default([]),
    connection: z.string().min(1).default('default'),
    allowWrite: z.boolean().default(false),
    maxRows: z.number().int().min(1).max(MAX_ROWS).default(1000),
    maxBytes: z
      .number()
      .int()
      .min(1024)
      .max(MAX_BYTES)
      .default(1024 * 1024)
      .describe('bytes the answer may take on the wire'),
  }),
  risk: 'write',
  heartbeatTimeoutMs: WAITING_TOOL_HEARTBEAT_TIMEOUT_MS,
  target: (p) => p.connection,
  run: async (p, context) => {
    const connection = context.sql.forSteps(p.connection);
    if (!connection) {
      throw ApplicationFailure.nonRetryable(
        `no SQL connection named "${p.connection}" on this worker ` +
          `(it has: ${context.sql.names().join(', ') || 'none'}); ` +
          'add it to PLAN_SQL_CONNECTIONS, a JSON object of name -> PostgreSQL URL',
        SQL_UNKNOWN_CONNECTION,
      );
    }
    const refusal = context.sql.unrestricted ? null : statementRefusal(p.sql);
    if (refusal !== null) throw ApplicationFailure.nonRetryable(refusal, SQL_NOT_ALLOWED);
    if (context.deadline <= Date.now()) {
      throw ApplicationFailure.retryable('no time left before the step deadline to run the statement', SQL_TIMEOUT);
    }
    let client: PoolClient;
    try {
      client = await heartbeatWhile(context.heartbeat, connection.pool.connect());
    } catch (err) {
      throw sqlFailure(err, { connection: p.connection, role: '(not connected)' });
    }
    let failed: Error | undefined;
    // A connection that breaks between queries would emit 'error' with nobody listening and crash the worker.
    const onError = (err: Error) => (failed = err);
    client.on('error', onError);
    let role = '(unknown)';
    try {
      const stepRole = await roleFor(connection, client, p, context);
      role = stepRole ?? (client as unknown as { user: string }).user;
      const work = runStatement(client, { ...p, role: stepRole, deadline: context.deadline, signal: context.signal });
      return await heartbeatWhile(context.heartbeat, work);
    } catch (err) {
      failed ??= err instanceof Error ? err : new Error(String(err));
      if (context.signal.aborted) throw context.signal.reason;
      throw err instanceof ApplicationFailure ? err : sqlFailure(err, { connection: p.connection, role });
    } finally {
      client.off('error', onError);
      // After a failure the session's state is unknown (a transaction, locks): the pool closes it, which ends them.
      client.release(failed);
    }
  },
});

/** The role the step runs as (null: the login itself); refuses a login that cannot be made safe, and says so. */
async function roleFor(
  connection: StepConnection,
  client: PoolClient,
  p: { connection: string; allowWrite: boolean },
  context: ToolContext,
): Promise<string | null> {
  if (context.sql.unrestricted) return null;
  const identity = await connection.identity(client);
  if ('problem' in identity) {
    const message =
      `sql_query refuses connection "${p.connection}": ${identity.problem}; ` + leastPrivilegeAdvice(p.connection);
    context.logger.error(message);
    throw ApplicationFailure.nonRetryable(message, SQL_NOT_ALLOWED);
  }
  return identity.stepRoles === null ? null : identity.stepRoles[p.allowWrite ? 'write' : 'read'];
}
