import { ApplicationFailure } from '@temporalio/activity';
import type { PoolClient } from 'pg';
import { z } from 'zod';
import { defineTool } from '../tool';
import { cappedQuery } from './capped-query';
import { SQL_UNKNOWN_CONNECTION } from '../../plan/error-types';
import { sqlFailure } from './sql-failures';

// Rows travel in Temporal's history; a step needing more should aggregate in SQL or page with LIMIT/OFFSET.
const MAX_ROWS = 10_000;

/** Runs one parameterised SQL statement in its own transaction, read-only unless the step allows writes. */
export const sqlQuery = defineTool({
  name: 'sql_query',
  description:
    'Runs one SQL statement against PostgreSQL, its $1, $2 placeholders bound to `params` (never interpolated), in a ' +
    'transaction of its own that is READ ONLY unless allowWrite: true. Returns ' +
    '{ command, rowCount, columns, rows, truncated }; rows beyond maxRows are not fetched. `connection` names one ' +
    "of the worker's databases (default: DATABASE_URL; others from PLAN_SQL_CONNECTIONS). A write in a read-only " +
    'step fails with SqlReadOnlyViolation. A retried write runs again: make it idempotent (ON CONFLICT ...).',
  parameters: z.object({
    sql: z.string().min(1).describe('one statement; $1, $2 and so on stand for params'),
    params: z.array(z.unknown()).default([]),
    connection: z.string().min(1).default('default'),
    allowWrite: z.boolean().default(false),
    maxRows: z.number().int().min(1).max(MAX_ROWS).default(1000),
  }),
  risk: 'write',
  run: async (p, context) => {
    const pool = context.sql.pool(p.connection);
    if (!pool) {
      throw ApplicationFailure.nonRetryable(
        `no SQL connection named "${p.connection}" on this worker (it has: ${context.sql.names().join(', ') || 'none'}); ` +
          'add it to PLAN_SQL_CONNECTIONS, a JSON object of name -> PostgreSQL URL',
        SQL_UNKNOWN_CONNECTION,
      );
    }
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw sqlFailure(err, p.connection);
    }
    let broken: Error | undefined;
    // A connection that breaks between queries would emit 'error' with nobody listening and crash the worker.
    const onError = (err: Error) => (broken = err);
    client.on('error', onError);
    try {
      await client.query(p.allowWrite ? 'BEGIN' : 'BEGIN; SET TRANSACTION READ ONLY');
      const result = await cappedQuery(client, p.sql, p.params, p.maxRows);
      // Nothing of a read-only transaction is worth keeping; a rollback also ends one whose rows were cut short.
      await client.query(p.allowWrite ? 'COMMIT' : 'ROLLBACK');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken ??= rollbackError;
      });
      throw sqlFailure(err, p.connection);
    } finally {
      // A client whose rollback failed (or whose connection broke) is in an unknown state: the pool discards it.
      client.off('error', onError);
      client.release(broken);
    }
  },
});
