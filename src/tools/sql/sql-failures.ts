import { ApplicationFailure } from '@temporalio/activity';
import { SQL_CONNECTION_ERROR, SQL_ERROR, SQL_READ_ONLY_VIOLATION } from '../../plan/error-types';

// Syntax or access (42), data (22), integrity (23), unsupported feature (0A): the same statement fails again.
const PERMANENT_CLASSES = new Set(['42', '22', '23', '0A']);
// Connection exception (08), insufficient resources (53: too many connections), operator intervention (57P0x).
const CONNECTION_STATES = /^(08|53|57P0)/;

/** Turns what pg threw into a typed failure; `connection` names the database in the message. */
export function sqlFailure(err: unknown, connection: string): ApplicationFailure {
  const { code, message } = err as { code?: unknown; message?: string };
  const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
  if (sqlState === null || CONNECTION_STATES.test(sqlState)) {
    return ApplicationFailure.retryable(
      `cannot use database "${connection}": ${message ?? String(err)}${sqlState ? ` (SQLSTATE ${sqlState})` : ''}`,
      SQL_CONNECTION_ERROR,
    );
  }
  if (sqlState === '25006') {
    return ApplicationFailure.nonRetryable(
      `the step is read-only and the statement writes: ${message} (SQLSTATE 25006); pass allowWrite: true to let it write`,
      SQL_READ_ONLY_VIOLATION,
    );
  }
  return ApplicationFailure.create({
    message: `${message} (SQLSTATE ${sqlState})`,
    type: SQL_ERROR,
    nonRetryable: PERMANENT_CLASSES.has(sqlState.slice(0, 2)),
    details: [{ sqlState }],
  });
}
