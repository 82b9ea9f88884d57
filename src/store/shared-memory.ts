/**
 * Shared memory (what agents used a SharedMemoryManager over PostgreSQL for): JSON values under a namespace and a key,
 * with TTL and compare-and-set. Keys and namespaces are always query parameters, never SQL; prefixes are compared with
 * equality and `left()`, never LIKE, so `%` and `_` in them are plain characters.
 *
 * An expired entry counts as absent everywhere: reads skip it, `expectedVersion: 0` may overwrite it, and a write
 * over it starts again at version 1. The sweep (`cleanupExpired`) only reclaims space.
 */
import type { Pool } from 'pg';
import type { MemoryNamespace, MemoryNamespacePrefix } from '../plan';
import { ENTRY_COLUMNS, toEntry, type EntryRow, type MemoryEntry, type MemoryWriter } from './memory-entry';
import { MemoryConflictError } from './memory-errors';
import {
  boundedCount,
  checkExpectedVersion,
  checkIdempotencyKey,
  checkKey,
  checkKeyPrefix,
  checkNamespace,
  checkPrefix,
  checkTtl,
  checkWriter,
  DEFAULT_LIST_LIMIT,
  DEFAULT_SWEEP_BATCH,
  MAX_LIST_BYTES,
  MAX_LIST_LIMIT,
  MAX_SWEEP_BATCH,
  serialiseValue,
} from './memory-input';

export { MemoryConflictError, MemoryInputError } from './memory-errors';
export type { MemoryEntry, MemoryWriter } from './memory-entry';
export { MAX_KEY_BYTES, MAX_LIST_BYTES, MAX_LIST_LIMIT, MAX_TTL_SECONDS, MAX_VALUE_BYTES } from './memory-input';

export interface SetOptions {
  /** The entry expires this many seconds after the write; without it, never. Each write sets its own TTL. */
  ttlSeconds?: number;
  /** Compare-and-set: 0 = the key must not exist (or be expired), N = its current version must be N. */
  expectedVersion?: number;
  /** The plan step writing, recorded on the entry. */
  writer?: MemoryWriter;
  /** Recorded on the entry; a retried compare-and-set whose first attempt committed is then recognised as done. */
  idempotencyKey?: string;
}

export interface DeleteOptions {
  /** Compare-and-set: delete only if the live entry has this version. */
  expectedVersion?: number;
}

export interface ListOptions {
  /** Default 1000, at most 10000. */
  limit?: number;
  /** Only keys that start with this text, compared literally. */
  keyPrefix?: string;
  /**
   * Stop before the entries' keys and values (as JSON text) pass this many bytes; without it, only `limit` bounds
   * the answer (at most 10000 values of up to 32 MiB each).
   */
  maxBytes?: number;
}

/** A page of `listPage`: `truncated` says more entries matched than the limit or the byte cap let through. */
export interface ListPage {
  entries: MemoryEntry[];
  truncated: boolean;
}

/** What a write replaced: the live entry before it, null when there was none, or unknown (see `swap`). */
export type Replaced = { value: unknown; version: number; expiresAt: string | null } | null | 'unknown';

const PART_COLUMNS = [
  ['project', 'project'],
  ['environment', 'environment'],
  ['agentType', 'agent_type'],
  ['sessionId', 'session_id'],
] as const;

// One entry, by namespace ($1-$4) and key ($5): the digest finds the row through the primary key, the key itself
// guards against a digest collision.
const ONE_ENTRY = `project = $1 AND environment = $2 AND agent_type = $3 AND session_id = $4
  AND key_hash = shared_memory_key_hash($5) AND key = $5`;
const LIVE = '(expires_at IS NULL OR expires_at > now())';

// $6 value (JSON text), $7 TTL seconds, $8-$10 writer, $11 idempotency key.
const WRITE_SET = `value = $6::jsonb,
  expires_at = now() + $7::integer * interval '1 second',
  written_by_plan = $8, written_by_step = $9, written_by_attempt = $10, written_by_key = $11,
  updated_at = now()`;

// The live entry before the write, locked until it commits: in READ COMMITTED the lock waits for a concurrent writer
// and then reads its row, so `old` is exactly what the write replaces. The write reads `old` first (from its source),
// so the lock is taken before the row changes.
const OLD = `old AS (SELECT value AS old_value, version AS old_version, expires_at AS old_expires_at,
    written_by_key AS old_key
  FROM shared_memory WHERE ${ONE_ENTRY} AND ${LIVE} FOR UPDATE)`;
const WITH_OLD = 'SELECT written.*, old.* FROM written LEFT JOIN old ON true';

/** Inserts, or overwrites: `createOnly` lets it overwrite only an expired entry. */
function upsertSql(createOnly: boolean): string {
  return `WITH ${OLD}, written AS (
    INSERT INTO shared_memory AS m (project, environment, agent_type, session_id, key, value, version, expires_at,
      written_by_plan, written_by_step, written_by_attempt, written_by_key)
    SELECT $1, $2, $3, $4, $5, $6::jsonb, 1, now() + $7::integer * interval '1 second', $8::text, $9::text,
      $10::integer, $11::text
    FROM (SELECT 1) AS one LEFT JOIN old ON true
    ON CONFLICT (project, environment, agent_type, session_id, key_hash) DO UPDATE SET
      ${WRITE_SET},
      version = CASE WHEN m.expires_at <= now() THEN 1 ELSE m.version + 1 END,
      created_at = CASE WHEN m.expires_at <= now() THEN now() ELSE m.created_at END
    WHERE m.key = EXCLUDED.key${createOnly ? ' AND m.expires_at <= now()' : ''}
    RETURNING ${ENTRY_COLUMNS})
  ${WITH_OLD}`;
}

// $12 the expected version; only a live entry counts.
const COMPARE_AND_SET = `WITH ${OLD}, written AS (
    UPDATE shared_memory SET ${WRITE_SET}, version = version + 1
    FROM old WHERE ${ONE_ENTRY} AND version = $12 AND ${LIVE}
    RETURNING ${ENTRY_COLUMNS})
  ${WITH_OLD}`;

// After a refused compare-and-set: the live entry, and whether it is this very write already committed
// ($6 idempotency key, $7 value; both null when the caller gave no idempotency key, so no value is compared).
const CURRENT_AFTER_CONFLICT = `SELECT ${ENTRY_COLUMNS}, (written_by_key = $6 AND value = $7::jsonb) AS same_write
  FROM shared_memory WHERE ${ONE_ENTRY} AND ${LIVE}`;

/** Shared memory over one PostgreSQL pool; every call is one short statement (or a few), never a long transaction. */
export class SharedMemory {
  constructor(private readonly pool: Pool) {}

  /** Writes a value; with `expectedVersion`, only if the entry is at that version (else MemoryConflictError). */
  async set(ns: MemoryNamespace, key: string, value: unknown, options: SetOptions = {}): Promise<MemoryEntry> {
    return (await this.swap(ns, key, value, options)).entry;
  }

  /**
   * `set`, also returning what the write replaced, read in the same statement. `replaced` is 'unknown' when that
   * cannot be told: a concurrent create slipped in first, or the entry was this writer's own earlier attempt
   * (same idempotency key), or a retried compare-and-set found its first attempt committed.
   */
  async swap(
    ns: MemoryNamespace,
    key: string,
    value: unknown,
    options: SetOptions = {},
  ): Promise<{ entry: MemoryEntry; replaced: Replaced }> {
    checkNamespace(ns);
    checkKey(key);
    const json = serialiseValue(value);
    const { ttlSeconds, expectedVersion, writer, idempotencyKey } = options;
    checkTtl(ttlSeconds);
    checkExpectedVersion(expectedVersion);
    checkWriter(writer);
    checkIdempotencyKey(idempotencyKey);
    const params: unknown[] = [
      ...namespaceParams(ns),
      key,
      json,
      ttlSeconds ?? null,
      writer?.planId ?? null,
      writer?.stepId ?? null,
      writer?.attempt ?? null,
      idempotencyKey ?? null,
    ];
    if (expectedVersion === undefined) {
      const { rows } = await this.pool.query<WrittenRow>(upsertSql(false), params);
      if (!rows[0])
        throw new Error(`shared memory: key ${JSON.stringify(key)} collides with another key's SHA-256 digest`);
      return written(rows[0], idempotencyKey);
    }
    const { rows } =
      expectedVersion === 0
        ? await this.pool.query<WrittenRow>(upsertSql(true), params)
        : await this.pool.query<WrittenRow>(COMPARE_AND_SET, [...params, expectedVersion]);
    if (rows[0]) return written(rows[0], idempotencyKey);
    const entry = await this.afterConflict(
      ns,
      key,
      expectedVersion,
      idempotencyKey === undefined ? null : { idempotencyKey, json },
    );
    return { entry, replaced: 'unknown' };
  }

  /** The live entry under this key, or null (an expired entry is null too). */
  async get(ns: MemoryNamespace, key: string): Promise<MemoryEntry | null> {
    checkNamespace(ns);
    checkKey(key);
    const { rows } = await this.pool.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM shared_memory WHERE ${ONE_ENTRY} AND ${LIVE}`,
      [...namespaceParams(ns), key],
    );
    return rows[0] ? toEntry(rows[0]) : null;
  }

  /**
   * Deletes the entry; true if a live one was deleted. With `expectedVersion`, a live entry at another version is
   * a MemoryConflictError, while no live entry at all is just false (a retried delete finds its work done).
   */
  async delete(ns: MemoryNamespace, key: string, options: DeleteOptions = {}): Promise<boolean> {
    checkNamespace(ns);
    checkKey(key);
    const { expectedVersion } = options;
    checkExpectedVersion(expectedVersion);
    const params: unknown[] = [...namespaceParams(ns), key];
    // An expired entry is removed on the way, but does not count as deleted.
    let condition = '';
    if (expectedVersion !== undefined) {
      params.push(expectedVersion);
      condition = ` AND (version = $6 OR NOT ${LIVE})`;
    }
    const { rows } = await this.pool.query<{ live: boolean }>(
      `DELETE FROM shared_memory WHERE ${ONE_ENTRY}${condition} RETURNING ${LIVE} AS live`,
      params,
    );
    if (rows[0]) return rows[0].live;
    if (expectedVersion === undefined) return false;
    const current = await this.get(ns, key);
    if (current) throw new MemoryConflictError(ns, key, expectedVersion, current.version);
    return false;
  }

  /**
   * Live entries whose namespace starts with the given parts (each compared for equality, so `proj` never matches
   * `proj2`), ordered by namespace then key, by code point.
   */
  async list(prefix: MemoryNamespacePrefix, options: ListOptions = {}): Promise<MemoryEntry[]> {
    return (await this.listPage(prefix, options)).entries;
  }

  /** `list`, saying whether the limit or the byte cap left entries out. */
  async listPage(prefix: MemoryNamespacePrefix, options: ListOptions = {}): Promise<ListPage> {
    checkPrefix(prefix);
    const limit = boundedCount('limit', options.limit, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT);
    const maxBytes =
      options.maxBytes === undefined ? null : boundedCount('maxBytes', options.maxBytes, 0, MAX_LIST_BYTES);
    const params: unknown[] = [];
    const where: string[] = [LIVE];
    for (const [part, column] of PART_COLUMNS) {
      if (prefix[part] === undefined) continue;
      params.push(prefix[part]);
      where.push(`${column} = $${params.length}`);
    }
    if (options.keyPrefix !== undefined && options.keyPrefix !== '') {
      checkKeyPrefix(options.keyPrefix);
      params.push(options.keyPrefix);
      where.push(`left(key, char_length($${params.length}::text)) = $${params.length}::text`);
    }
    params.push(limit + 1, maxBytes);
    const [limitParam, bytesParam] = [`$${params.length - 1}`, `$${params.length}::bigint`];
    // One row past the limit tells that more matched. With a byte cap, a running total of key and value sizes (as
    // JSON text) keeps the rows that fit, plus the first that does not, without its value: so a 32 MiB value never
    // leaves the database for a list that has no room for it, and its presence still says "truncated".
    // COLLATE "C": the same order on every server, whatever its locale.
    const order = `project COLLATE "C", environment COLLATE "C", agent_type COLLATE "C", session_id COLLATE "C",
      key COLLATE "C"`;
    const { rows } = await this.pool.query<EntryRow & { fits: boolean }>(
      `SELECT ${ENTRY_COLUMNS.replace('value,', `CASE WHEN fits THEN value END AS value,`)}, fits FROM (
         SELECT *, ${bytesParam} IS NULL OR running <= ${bytesParam} AS fits, running - size AS before FROM (
           SELECT *, sum(size) OVER (ORDER BY ${order} ROWS UNBOUNDED PRECEDING) AS running FROM (
             SELECT ${ENTRY_COLUMNS}, octet_length(key) + octet_length(value::text) AS size
             FROM shared_memory WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${limitParam}
           ) matched
         ) counted
       ) page
       WHERE ${bytesParam} IS NULL OR before <= ${bytesParam}
       ORDER BY ${order}`,
      params,
    );
    const entries = rows
      .filter((row) => row.fits)
      .slice(0, limit)
      .map(toEntry);
    return { entries, truncated: rows.length > entries.length };
  }

  /**
   * Deletes expired entries, `batchSize` rows per statement so a large backlog never holds many locks for long;
   * returns how many it deleted. Rows a writer holds at that moment are skipped and left for the next sweep.
   */
  async cleanupExpired(options: { batchSize?: number } = {}): Promise<number> {
    const batchSize = boundedCount('batchSize', options.batchSize, DEFAULT_SWEEP_BATCH, MAX_SWEEP_BATCH);
    let total = 0;
    for (;;) {
      const { rowCount } = await this.pool.query(
        // By physical row id: a TID scan, so each batch costs its own size whatever the table's size (a join on
        // the key columns may plan a full scan per batch).
        `DELETE FROM shared_memory WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM shared_memory WHERE expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED
         )) AND expires_at <= now()`,
        [batchSize],
      );
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < batchSize) return total;
    }
  }

  /** A refused compare-and-set: success if the live entry is this same write already committed, else a conflict. */
  private async afterConflict(
    ns: MemoryNamespace,
    key: string,
    expectedVersion: number,
    retry: { idempotencyKey: string; json: string } | null,
  ): Promise<MemoryEntry> {
    const { rows } = await this.pool.query<EntryRow & { same_write: boolean | null }>(CURRENT_AFTER_CONFLICT, [
      ...namespaceParams(ns),
      key,
      retry?.idempotencyKey ?? null,
      retry?.json ?? null,
    ]);
    const current = rows[0];
    if (current && current.same_write === true && Number(current.version) === expectedVersion + 1)
      return toEntry(current);
    throw new MemoryConflictError(ns, key, expectedVersion, current ? Number(current.version) : null);
  }
}

type WrittenRow = EntryRow & {
  old_value: unknown;
  old_version: string | null;
  old_expires_at: Date | null;
  old_key: string | null;
};

/** The written entry and what it replaced, from a row of a write WITH_OLD. */
function written(row: WrittenRow, idempotencyKey: string | undefined): { entry: MemoryEntry; replaced: Replaced } {
  const entry = toEntry(row);
  let replaced: Replaced;
  if (row.old_version === null) {
    // Nothing live at the statement's start, yet the write bumped a live entry: a concurrent create came first.
    replaced = entry.version > 1 ? 'unknown' : null;
  } else if (idempotencyKey !== undefined && row.old_key === idempotencyKey) {
    // The entry was this very writer's earlier attempt: what that attempt replaced is not known here.
    replaced = 'unknown';
  } else {
    replaced = {
      value: row.old_value,
      version: Number(row.old_version),
      expiresAt: row.old_expires_at?.toISOString() ?? null,
    };
  }
  return { entry, replaced };
}

function namespaceParams(ns: MemoryNamespace): string[] {
  return [ns.project, ns.environment, ns.agentType, ns.sessionId];
}
