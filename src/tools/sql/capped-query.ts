import type { Socket } from 'node:net';
import { DatabaseError, Query, type Connection, type PoolClient, type QueryResult } from 'pg';

/** What a capped query returns: at most the limit of rows, and whether there were more. */
export interface CappedResult {
  /** SELECT, INSERT, ...; null when the rows were cut before the statement finished. */
  command: string | null;
  /** Rows the statement affected or returned; null when the rows were cut. */
  rowCount: number | null;
  columns: string[];
  rows: Record<string, unknown>[];
  truncated: boolean;
}

// pg's protocol hooks this subclass extends (not in its typings; pg-cursor builds on the same ones).
interface QueryHooks {
  handleCommandComplete(msg: unknown, connection: Connection): void;
  handleEmptyQuery(connection: Connection): void;
  handleError(err: Error, connection: Connection): void;
}
const base = Query.prototype as unknown as QueryHooks;

/**
 * A query that asks the server for at most `limit + 1` rows (an Execute with a row count) and stops there, so a
 * statement matching millions of rows costs the worker `limit + 1` of them; pg's own Query would page through the
 * rest. Always the extended protocol: one statement, parameters bound separately, never interpolated.
 */
class CappedQuery extends Query {
  truncated = false;
  // Every extended-protocol exchange ends with exactly one Sync; a second would answer the next query's.
  private synced = false;

  handlePortalSuspended(connection: Connection): void {
    this.truncated = true;
    this.sync(connection);
  }

  handleCommandComplete(msg: unknown, connection: Connection): void {
    base.handleCommandComplete.call(this, msg, connection); // syncs, because a row count was given
    this.synced = true;
  }

  handleEmptyQuery(connection: Connection): void {
    base.handleEmptyQuery.call(this, connection); // syncs likewise
    this.synced = true;
  }

  handleError(err: Error, connection: Connection): void {
    // A server error leaves it discarding messages until a Sync; pg synced already after client-side errors.
    if (err instanceof DatabaseError) this.sync(connection);
    base.handleError.call(this, err, connection);
  }

  private sync(connection: Connection): void {
    if (this.synced) return;
    this.synced = true;
    connection.sync();
  }
}

/** The statement's answer passed its byte limit: the connection was dropped mid-answer, the rest never read. */
export class ResultTooLargeError extends Error {
  override readonly name = 'ResultTooLargeError';
}

/**
 * Runs one parameterised statement and returns at most `maxRows` rows, saying whether there were more. The bytes
 * the server sends for it are counted as they arrive: past `maxBytes` the connection is closed at once (rows are
 * whole messages, and a single row can be any size), so a few huge rows cost the worker `maxBytes`, not their size.
 */
export function cappedQuery(
  client: PoolClient,
  text: string,
  values: unknown[],
  limits: { maxRows: number; maxBytes: number },
): Promise<CappedResult> {
  const limit = limits.maxRows;
  const stream = (client as unknown as { connection: { stream: Socket } }).connection.stream;
  let received = 0;
  const count = (chunk: Buffer) => {
    received += chunk.length;
    if (received > limits.maxBytes) stream.destroy();
  };
  stream.on('data', count);
  return new Promise<CappedResult>((resolve, reject) => {
    const config = { text, values, rows: limit + 1, queryMode: 'extended' } as unknown as ConstructorParameters<
      typeof Query
    >[0];
    const query: CappedQuery = new CappedQuery(config, (err, result) => {
      if (received > limits.maxBytes) {
        return reject(new ResultTooLargeError(`the answer passed maxBytes (${limits.maxBytes} bytes)`));
      }
      if (err) return reject(err);
      const { command, rowCount, fields, rows } = result as unknown as QueryResult;
      const truncated = query.truncated || rows.length > limit;
      resolve({
        command: command || null,
        rowCount: truncated ? null : rowCount,
        columns: fields.map((field) => field.name),
        rows: rows.slice(0, limit),
        truncated,
      });
    });
    client.query(query);
  }).finally(() => stream.off('data', count));
}
