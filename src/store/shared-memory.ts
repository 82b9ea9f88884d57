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
  MAX_LIST_LIMIT,
  MAX_SWEEP_BATCH,
  serialiseValue,
} from './memory-input';

export { MemoryConflictError, MemoryInputError } from './memory-errors';
export type { MemoryEntry, MemoryWriter } from './memory-entry';
export { MAX_KEY_BYTES, MAX_LIST_LIMIT, MAX_TTL_SECONDS, MAX_VALUE_BYTES } from './memory-input';

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
}

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

/** Inserts, or overwrites: `createOnly` lets it overwrite only an expired entry. */
function upsertSql(createOnly: boolean): string {
  return `INSERT INTO shared_memory AS m (project, environment, agent_type, session_id, key, value, version, expires_at,
      written_by_plan, written_by_step, written_by_attempt, written_by_key)
    VALUES ($1, $2, $3, $4, $5, $6::jsonb, 1, now() + $7::integer * interval '1 second', $8, $9, $10, $11)
    ON CONFLICT (project, environment, agent_type, session_id, key_hash) DO UPDATE SET
      ${WRITE_SET},
      version = CASE WHEN m.expires_at <= now() THEN 1 ELSE m.version + 1 END,
      created_at = CASE WHEN m.expires_at <= now() THEN now() ELSE m.created_at END
    WHERE m.key = EXCLUDED.key${createOnly ? ' AND m.expires_at <= now()' : ''}
    RETURNING ${ENTRY_COLUMNS}`;
}

// $12 the expected version; only a live entry counts.
const COMPARE_AND_SET = `UPDATE shared_memory SET ${WRITE_SET}, version = version + 1
  WHERE ${ONE_ENTRY} AND version = $12 AND ${LIVE}
  RETURNING ${ENTRY_COLUMNS}`;

// After a refused compare-and-set: the live entry, and whether it is this very write already committed
// ($6 idempotency key, $7 value; both null when the caller gave no idempotency key, so no value is compared).
const CURRENT_AFTER_CONFLICT = `SELECT ${ENTRY_COLUMNS}, (written_by_key = $6 AND value = $7::jsonb) AS same_write
  FROM shared_memory WHERE ${ONE_ENTRY} AND ${LIVE}`;

/** Shared memory over one PostgreSQL pool; every call is one short statement (or a few), never a long transaction. */
export class SharedMemory {
  constructor(private readonly pool: Pool) {}

  /** Writes a value; with `expectedVersion`, only if the entry is at that version (else MemoryConflictError). */
  async set(ns: MemoryNamespace, key: string, value: unknown, options: SetOptions = {}): Promise<MemoryEntry> {
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
      const { rows } = await this.pool.query<EntryRow>(upsertSql(false), params);
      if (!rows[0])
        throw new Error(`shared memory: key ${JSON.stringify(key)} collides with another key's SHA-256 digest`);
      return toEntry(rows[0]);
    }
    const { rows } =
      expectedVersion === 0
        ? await this.pool.query<EntryRow>(upsertSql(true), params)
        : await this.pool.query<EntryRow>(COMPARE_AND_SET, [...params, expectedVersion]);
    if (rows[0]) return toEntry(rows[0]);
    return this.afterConflict(ns, key, expectedVersion, idempotencyKey === undefined ? null : { idempotencyKey, json });
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
    checkPrefix(prefix);
    const limit = boundedCount('limit', options.limit, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT);
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
    params.push(limit);
    // COLLATE "C": the same order on every server, whatever its locale.
    const { rows } = await this.pool.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM shared_memory WHERE ${where.join(' AND ')}
       ORDER BY project COLLATE "C", environment COLLATE "C", agent_type COLLATE "C", session_id COLLATE "C", key COLLATE "C"
       LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEntry);
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

function namespaceParams(ns: MemoryNamespace): string[] {
  return [ns.project, ns.environment, ns.agentType, ns.sessionId];
}
