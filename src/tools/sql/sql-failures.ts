import { ApplicationFailure } from '@temporalio/activity';
import {
  SQL_CONNECTION_ERROR,
  SQL_ERROR,
  SQL_NOT_ALLOWED,
  SQL_READ_ONLY_VIOLATION,
  SQL_RESULT_TOO_LARGE,
  SQL_TIMEOUT,
} from '../../plan/error-types';
import { ResultTooLargeError } from './capped-query';

// Syntax or access (42), data (22), integrity (23), unsupported feature (0A): the same statement fails again.
const PERMANENT_CLASSES = new Set(['42', '22', '23', '0A']);
// Connection exception (08), insufficient resources (53: too many connections), operator intervention (57P0x).
const CONNECTION_STATES = /^(08|53|57P0)/;

/** Who ran the statement, for the messages: the connection's name and the role the step ran as. */
export interface StatementSite {
  connection: string;
  role: string;
}

/** Turns what pg threw into a typed failure; a cancellation on the step's behalf is the caller's to tell apart. */
export function sqlFailure(err: unknown, site: StatementSite): ApplicationFailure {
  if (err instanceof ResultTooLargeError) {
    return ApplicationFailure.nonRetryable(
      `${err.message}: select fewer or narrower columns or rows, or raise maxBytes`,
      SQL_RESULT_TOO_LARGE,
    );
  }
  const { code, message } = err as { code?: unknown; message?: string };
  const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
  if (sqlState === null || CONNECTION_STATES.test(sqlState)) {
    return ApplicationFailure.retryable(
      `cannot use database "${site.connection}": ${message ?? String(err)}${sqlState ? ` (SQLSTATE ${sqlState})` : ''}`,
      SQL_CONNECTION_ERROR,
    );
  }
  if (sqlState === '25006') {
    return ApplicationFailure.nonRetryable(
      `the step is read-only and the statement writes: ${message} (SQLSTATE 25006); ` +
        'pass allowWrite: true to let it write',
      SQL_READ_ONLY_VIOLATION,
    );
  }
  if (sqlState === '42501') {
    return ApplicationFailure.nonRetryable(
      `${message} (SQLSTATE 42501): the step runs as role "${site.role}" on "${site.connection}"`,
      SQL_NOT_ALLOWED,
    );
  }
  if (sqlState === '57014') {
    return ApplicationFailure.retryable(
      `the statement ran past the step's deadline and PostgreSQL stopped it: ${message} (SQLSTATE 57014)`,
      SQL_TIMEOUT,
    );
  }
  return ApplicationFailure.create({
    message: `${message} (SQLSTATE ${sqlState})`,
    type: SQL_ERROR,
    nonRetryable: PERMANENT_CLASSES.has(sqlState.slice(0, 2)),
    details: [{ sqlState }],
  });
}
