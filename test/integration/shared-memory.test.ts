import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { MemoryNamespace } from '../../src/plan';
import { applyMigrations } from '../../src/store/migrate';
import { createPool } from '../../src/store/pool';
import { MemoryConflictError, MemoryInputError, SharedMemory } from '../../src/store/shared-memory';
import { testStack } from '../support/test-stack';

// Every namespace here lives under a project of this file's own, so other test files never see these rows.
const project = `sm-test-${randomUUID().slice(0, 8)}`;
let pool: Pool;
let memory: SharedMemory;
let sessions = 0;

beforeAll(() => {
  pool = createPool(testStack().databaseUrl);
  memory = new SharedMemory(pool);
});
afterAll(() => pool?.end());

/** A namespace no other test in this file uses. */
function freshNamespace(overrides: Partial<MemoryNamespace> = {}): MemoryNamespace {
  return { project, environment: 'test', agentType: 'agent', sessionId: `s${++sessions}`, ...overrides };
}

/** Moves an entry's expiry into the past, as if its TTL ran out, without waiting for it. */
async function expireNow(ns: MemoryNamespace, key: string): Promise<void> {
  const { rowCount } = await pool.query(
    `UPDATE shared_memory SET expires_at = now() - interval '1 second'
     WHERE project = $1 AND environment = $2 AND agent_type = $3 AND session_id = $4 AND key = $5`,
    [ns.project, ns.environment, ns.agentType, ns.sessionId, key],
  );
  expect(rowCount).toBe(1);
}

/** Runs `fn` against a throw-away database with the migrations applied, dropped afterwards. */
async function withPrivateDatabase(fn: (own: SharedMemory, ownPool: Pool) => Promise<void>): Promise<void> {
  const name = `dp_shared_memory_${process.pid}_${Date.now()}`;
  await pool.query(`CREATE DATABASE ${name}`);
  const url = new URL(testStack().databaseUrl);
  url.pathname = `/${name}`;
  const ownPool = createPool(url.toString());
  try {
    await applyMigrations(ownPool);
    await fn(new SharedMemory(ownPool), ownPool);
  } finally {
    await ownPool.end();
    await pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

async function conflictOf(promise: Promise<unknown>): Promise<MemoryConflictError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MemoryConflictError);
  return err as MemoryConflictError;
}

describe('set and get', () => {
  test('a first write is version 1, each write adds one, and get returns the latest value', async () => {
    const ns = freshNamespace();
    const first = await memory.set(ns, 'status', { status: 'executing', progress: 0.5 });
    expect(first).toMatchObject({
      namespace: ns,
      key: 'status',
      value: { status: 'executing', progress: 0.5 },
      version: 1,
    });
    expect(first.expiresAt).toBeNull();
    expect(first.writtenBy).toBeNull();
    const second = await memory.set(ns, 'status', { status: 'done' });
    expect(second.version).toBe(2);
    expect(second.createdAt).toBe(first.createdAt);
    expect(Date.parse(second.updatedAt)).toBeGreaterThanOrEqual(Date.parse(first.updatedAt));
    expect(await memory.get(ns, 'status')).toMatchObject({ value: { status: 'done' }, version: 2 });
  });

  test('a missing key reads as null', async () => {
    expect(await memory.get(freshNamespace(), 'nothing here')).toBeNull();
  });

  test('the writer and its idempotency key are recorded', async () => {
    const ns = freshNamespace();
    const entry = await memory.set(ns, 'k', 1, {
      writer: { planId: 'p1', stepId: 's1', attempt: 2 },
      idempotencyKey: 'p1:s1',
    });
    expect(entry.writtenBy).toEqual({ planId: 'p1', stepId: 's1', attempt: 2 });
    const { rows } = await pool.query(
      'SELECT written_by_key FROM shared_memory WHERE project = $1 AND session_id = $2',
      [project, ns.sessionId],
    );
    expect(rows).toEqual([{ written_by_key: 'p1:s1' }]);
  });

  test('scalars, null, arrays and nested objects round-trip', async () => {
    const ns = freshNamespace();
    for (const value of [null, 0, -1.5, true, 'text', [], {}, [1, 'two', { three: [3] }], { a: { b: { c: null } } }]) {
      await memory.set(ns, 'v', value);
      expect((await memory.get(ns, 'v'))!.value).toEqual(value);
    }
  });
});

describe('compare-and-set', () => {
  test('a writer at the current version wins; a stale writer gets MemoryConflictError and changes nothing', async () => {
    const ns = freshNamespace();
    await memory.set(ns, 'counter', 1);
    const read = await memory.get(ns, 'counter');
    const won = await memory.set(ns, 'counter', 2, { expectedVersion: read!.version });
    expect(won.version).toBe(2);
    const err = await conflictOf(memory.set(ns, 'counter', 99, { expectedVersion: read!.version }));
    expect(err.name).toBe('MemoryConflictError');
    expect(err.currentVersion).toBe(2);
    expect(err.message).toContain(`${project}/test/agent/${ns.sessionId}`);
    expect(err.message).toMatch(/"counter": expected version 1, found version 2/);
    expect(await memory.get(ns, 'counter')).toMatchObject({ value: 2, version: 2 });
  });

  test('expectedVersion 0 creates only: a second create conflicts', async () => {
    const ns = freshNamespace();
    expect((await memory.set(ns, 'lock', 'a', { expectedVersion: 0 })).version).toBe(1);
    const err = await conflictOf(memory.set(ns, 'lock', 'b', { expectedVersion: 0 }));
    expect(err.currentVersion).toBe(1);
    expect(err.message).toMatch(/expected no entry, found version 1/);
    expect((await memory.get(ns, 'lock'))!.value).toBe('a');
  });

  test('expecting a version of a key that does not exist conflicts with currentVersion null', async () => {
    const err = await conflictOf(memory.set(freshNamespace(), 'ghost', 1, { expectedVersion: 3 }));
    expect(err.currentVersion).toBeNull();
    expect(err.message).toMatch(/expected version 3, found no entry/);
  });

  test('two writers racing on the same version: exactly one wins', async () => {
    const ns = freshNamespace();
    await memory.set(ns, 'race', 0);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => memory.set(ns, 'race', i + 1, { expectedVersion: 1 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect(r.reason).toBeInstanceOf(MemoryConflictError);
    expect((await memory.get(ns, 'race'))!.version).toBe(2);
  });

  test('a retried compare-and-set whose first attempt committed succeeds; another writer with the same write does not', async () => {
    const ns = freshNamespace();
    await memory.set(ns, 'k', 'v1');
    const writer = { planId: 'plan', stepId: 'step', attempt: 1 };
    const first = await memory.set(ns, 'k', { n: 2 }, { expectedVersion: 1, writer, idempotencyKey: 'plan:step' });
    const retried = await memory.set(
      ns,
      'k',
      { n: 2 },
      { expectedVersion: 1, writer: { ...writer, attempt: 2 }, idempotencyKey: 'plan:step' },
    );
    expect(retried).toEqual(first); // the committed write, untouched: version 2, attempt 1
    expect(retried.writtenBy).toEqual(writer);
    // Same value but another idempotency key: a genuine conflict.
    await conflictOf(memory.set(ns, 'k', { n: 2 }, { expectedVersion: 1, idempotencyKey: 'other:step' }));
    // Same key but another value: not the same write.
    await conflictOf(memory.set(ns, 'k', { n: 3 }, { expectedVersion: 1, idempotencyKey: 'plan:step' }));
    // Without an idempotency key, a stale version is always a conflict.
    await conflictOf(memory.set(ns, 'k', { n: 2 }, { expectedVersion: 1 }));
    // Once someone else wrote after it, the retry is no longer "one version past" and conflicts.
    await memory.set(ns, 'k', 'later');
    await conflictOf(memory.set(ns, 'k', { n: 2 }, { expectedVersion: 1, idempotencyKey: 'plan:step' }));
    expect(await memory.get(ns, 'k')).toMatchObject({ value: 'later', version: 3 });
  });

  test('a retried create-only write (expectedVersion 0) is recognised too', async () => {
    const ns = freshNamespace();
    await memory.set(ns, 'once', [1], { expectedVersion: 0, idempotencyKey: 'p:s' });
    expect((await memory.set(ns, 'once', [1], { expectedVersion: 0, idempotencyKey: 'p:s' })).version).toBe(1);
    await conflictOf(memory.set(ns, 'once', [1], { expectedVersion: 0, idempotencyKey: 'q:s' }));
  });
});

describe('TTL', () => {
  test('ttlSeconds sets expiresAt; a write without it clears the TTL', async () => {
    const ns = freshNamespace();
    const before = Date.now();
    const entry = await memory.set(ns, 'ttl', 1, { ttlSeconds: 3600 });
    const expires = Date.parse(entry.expiresAt!);
    expect(expires).toBeGreaterThan(before + 3_590_000);
    expect(expires).toBeLessThan(Date.now() + 3_610_000);
    expect((await memory.set(ns, 'ttl', 2)).expiresAt).toBeNull();
  });

  test('an expired entry is invisible to get and list, and a sweep removes it while live entries stay', async () => {
    const ns = freshNamespace();
    await memory.set(ns, 'short', 'gone soon', { ttlSeconds: 60 });
    await memory.set(ns, 'long', 'stays', { ttlSeconds: 3600 });
    await memory.set(ns, 'forever', 'stays');
    await expireNow(ns, 'short');
    expect(await memory.get(ns, 'short')).toBeNull();
    expect((await memory.list(ns)).map((e) => e.key)).toEqual(['forever', 'long']);
    // The row is still there until a sweep; another file's sweep may run at any moment, so no count here.
    await memory.cleanupExpired();
    const { rows } = await pool.query(
      'SELECT key FROM shared_memory WHERE project = $1 AND session_id = $2 ORDER BY key',
      [project, ns.sessionId],
    );
    expect(rows.map((r) => r.key)).toEqual(['forever', 'long']);
  });

  test('the sweep deletes in batches and returns exactly how many it deleted', async () => {
    // A database of its own: in the shared one, another test file's sweep could take some of these rows first.
    await withPrivateDatabase(async (own, ownPool) => {
      const ns = freshNamespace();
      for (let i = 0; i < 7; i++) await own.set(ns, `expired ${i}`, i, { ttlSeconds: 60 });
      await own.set(ns, 'live', 'stays', { ttlSeconds: 3600 });
      await own.set(ns, 'forever', 'stays');
      await own.set(ns, 'later', 'stays', { ttlSeconds: 60 });
      await ownPool.query(
        "UPDATE shared_memory SET expires_at = now() - interval '1 minute' WHERE key LIKE 'expired %'",
      );
      expect(await own.cleanupExpired({ batchSize: 3 })).toBe(7); // batches of 3, 3 and 1
      expect(await own.cleanupExpired({ batchSize: 3 })).toBe(0);
      expect((await own.list(ns)).map((e) => e.key)).toEqual(['forever', 'later', 'live']);
      expect((await ownPool.query('SELECT count(*)::int AS n FROM shared_memory')).rows[0].n).toBe(3);
      await expect(own.cleanupExpired({ batchSize: 0 })).rejects.toThrow(MemoryInputError);
    });
  });

  test('a real one-second TTL runs out on its own', async () => {
    const ns = freshNamespace();
    await memory.set(ns, 'tick', 1, { ttlSeconds: 1 });
    expect(await memory.get(ns, 'tick')).not.toBeNull();
    const deadline = Date.now() + 5_000;
    while ((await memory.get(ns, 'tick')) !== null) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  test('an expired entry counts as absent: create-only may overwrite it, and it restarts at version 1', async () => {
    const ns = freshNamespace();
    await memory.set(ns, 'lease', 'old holder', { ttlSeconds: 60 });
    await memory.set(ns, 'lease', 'old holder again', { ttlSeconds: 60 });
    await expireNow(ns, 'lease');
    const taken = await memory.set(ns, 'lease', 'new holder', { expectedVersion: 0, ttlSeconds: 60 });
    expect(taken).toMatchObject({ value: 'new holder', version: 1 });
    // A stale compare-and-set against the expired version fails.
    await expireNow(ns, 'lease');
    await conflictOf(memory.set(ns, 'lease', 'x', { expectedVersion: 1 }));
    // An unconditional write over an expired entry starts again too.
    expect((await memory.set(ns, 'lease', 'y')).version).toBe(1);
  });

  test('deleting an expired entry reports false', async () => {
    const ns = freshNamespace();
    await memory.set(ns, 'old', 1, { ttlSeconds: 60 });
    await expireNow(ns, 'old');
    expect(await memory.delete(ns, 'old')).toBe(false);
  });
});

describe('delete', () => {
  test('without compare-and-set: true once, then false', async () => {
    const ns = freshNamespace();
    await memory.set(ns, 'k', 1);
    expect(await memory.delete(ns, 'k')).toBe(true);
    expect(await memory.get(ns, 'k')).toBeNull();
    expect(await memory.delete(ns, 'k')).toBe(false);
  });

  test('with compare-and-set: a stale version conflicts and keeps the entry; the current one deletes', async () => {
    const ns = freshNamespace();
    await memory.set(ns, 'k', 1);
    await memory.set(ns, 'k', 2);
    const err = await conflictOf(memory.delete(ns, 'k', { expectedVersion: 1 }));
    expect(err.currentVersion).toBe(2);
    expect((await memory.get(ns, 'k'))!.value).toBe(2);
    await conflictOf(memory.delete(ns, 'k', { expectedVersion: 0 }));
    expect(await memory.delete(ns, 'k', { expectedVersion: 2 })).toBe(true);
    // A retried delete finds its work done: false, not a conflict.
    expect(await memory.delete(ns, 'k', { expectedVersion: 2 })).toBe(false);
  });
});

describe('list', () => {
  test('orders by namespace then key, and honours limit', async () => {
    const a = freshNamespace({ environment: 'list-order', agentType: 'a' });
    const b = { ...a, agentType: 'b' };
    await memory.set(b, 'x', 'b/x');
    await memory.set(a, 'z', 'a/z');
    await memory.set(a, 'B', 'a/B');
    await memory.set(a, 'a', 'a/a');
    const all = await memory.list({ project, environment: 'list-order' });
    expect(all.map((e) => e.value)).toEqual(['a/B', 'a/a', 'a/z', 'b/x']); // code-point order: upper case first
    expect(all[3]!.namespace).toEqual(b);
    const two = await memory.list({ project, environment: 'list-order' }, { limit: 2 });
    expect(two.map((e) => e.value)).toEqual(['a/B', 'a/a']);
    await expect(memory.list({ project }, { limit: 10_001 })).rejects.toThrow(MemoryInputError);
    await expect(memory.list({ project }, { limit: 0 })).rejects.toThrow(MemoryInputError);
  });

  test('keyPrefix keeps keys that start with it, literally', async () => {
    const ns = freshNamespace();
    for (const key of ['user:1', 'user:2', 'user_1', 'userX', 'us%r', 'admin']) await memory.set(ns, key, key);
    expect((await memory.list(ns, { keyPrefix: 'user:' })).map((e) => e.key)).toEqual(['user:1', 'user:2']);
    expect((await memory.list(ns, { keyPrefix: 'user_' })).map((e) => e.key)).toEqual(['user_1']);
    expect((await memory.list(ns, { keyPrefix: 'us%' })).map((e) => e.key)).toEqual(['us%r']);
    expect((await memory.list(ns, { keyPrefix: '%' })).map((e) => e.key)).toEqual([]);
    expect(await memory.list(ns, { keyPrefix: '' })).toHaveLength(6);
  });
});

describe('namespace isolation', () => {
  test('a prefix matches whole parts: p/e never returns p/e2 or p2/e', async () => {
    const p = `${project}-iso`;
    await memory.set({ project: p, environment: 'e', agentType: 'a', sessionId: 's' }, 'k', 'p/e');
    await memory.set({ project: p, environment: 'e2', agentType: 'a', sessionId: 's' }, 'k', 'p/e2');
    await memory.set({ project: `${p}2`, environment: 'e', agentType: 'a', sessionId: 's' }, 'k', 'p2/e');
    expect((await memory.list({ project: p, environment: 'e' })).map((e) => e.value)).toEqual(['p/e']);
    expect((await memory.list({ project: p })).map((e) => e.value)).toEqual(['p/e', 'p/e2']);
    expect((await memory.list({ project: `${p}2` })).map((e) => e.value)).toEqual(['p2/e']);
    expect(await memory.get({ project: p, environment: 'e', agentType: 'a', sessionId: 's2' }, 'k')).toBeNull();
  });

  test('% and _ in a prefix are literal characters', async () => {
    const p = `${project}-like`;
    await memory.set({ project: p, environment: 'e%', agentType: 'a_b', sessionId: 's' }, 'k', 'literal');
    await memory.set({ project: p, environment: 'eX', agentType: 'aXb', sessionId: 's' }, 'k', 'wildcard match');
    await memory.set({ project: p, environment: 'e%more', agentType: 'a_b', sessionId: 's' }, 'k', 'longer');
    expect((await memory.list({ project: p, environment: 'e%' })).map((e) => e.value)).toEqual(['literal']);
    expect((await memory.list({ project: p, environment: 'e%', agentType: 'a_b' })).map((e) => e.value)).toEqual([
      'literal',
    ]);
    expect(await memory.list({ project: p, environment: '%' })).toEqual([]);
    expect(await memory.list({ project: `${project}-lik_` })).toEqual([]);
  });

  test('a prefix must be a leading run of valid parts, and a namespace must be whole', async () => {
    await expect(memory.list({ project, agentType: 'agent' })).rejects.toThrow(/must give its parts in order/);
    await expect(memory.list({ project: '' })).rejects.toThrow(MemoryInputError);
    const ns = freshNamespace();
    await expect(memory.set({ ...ns, sessionId: 'a/b' }, 'k', 1)).rejects.toThrow(/contains "\/"/);
    await expect(memory.set({ ...ns, agentType: 'tab\there' }, 'k', 1)).rejects.toThrow(/control character/);
    await expect(memory.get({ project, environment: 'e' } as MemoryNamespace, 'k')).rejects.toThrow(
      /lacks agentType, sessionId/,
    );
  });
});

describe('hostile keys and values', () => {
  test.each([
    ["'; DROP TABLE shared_memory; --"],
    ['%'],
    ['_'],
    ['%_%\\'],
    ['🚀 emoji 👩‍💻'],
    ['中文键 日本語 한국어'],
    ['مرحبا עברית'],
    ['\u202eRTL override'],
    ['$1'],
    ['line\nbreak\ttab'],
  ])('key %j is stored and read back exactly', async (key) => {
    const ns = freshNamespace();
    await memory.set(ns, key, { key });
    await memory.set(ns, `${key}-sibling`, 'other');
    expect(await memory.get(ns, key)).toMatchObject({ key, value: { key } });
    expect((await memory.list(ns)).map((e) => e.key).sort()).toEqual([key, `${key}-sibling`].sort());
    expect((await memory.list(ns, { keyPrefix: key })).map((e) => e.key).sort()).toEqual(
      [key, `${key}-sibling`].sort(),
    );
    expect(await memory.delete(ns, key)).toBe(true);
    expect(await memory.get(ns, `${key}-sibling`)).not.toBeNull();
  });

  test('the table survives the injection attempts', async () => {
    const { rows } = await pool.query("SELECT to_regclass('shared_memory') AS t");
    expect(rows[0].t).toBe('shared_memory');
  });

  test('a 10 KB key works and is told apart from one differing in its last character; 16 KB + 1 is refused', async () => {
    const ns = freshNamespace();
    const long = 'k'.repeat(10 * 1024);
    await memory.set(ns, `${long}a`, 'a');
    await memory.set(ns, `${long}b`, 'b');
    expect((await memory.get(ns, `${long}a`))!.value).toBe('a');
    expect((await memory.get(ns, `${long}b`))!.value).toBe('b');
    const max = '键'.repeat(5461) + 'k'; // 3 bytes each: 16384 bytes exactly
    expect((await memory.set(ns, max, 'max')).key).toBe(max);
    await expect(memory.set(ns, 'x'.repeat(16 * 1024 + 1), 1)).rejects.toThrow(
      /16385 bytes long in UTF-8; the limit is 16384/,
    );
    await expect(memory.set(ns, `${max}k`, 1)).rejects.toThrow(MemoryInputError);
  });

  test('a ~5 MB JSON value round-trips exactly', async () => {
    const ns = freshNamespace();
    const value = {
      rows: Array.from({ length: 40_000 }, (_, i) => ({
        i,
        name: `row ${i} 名前 🚀`,
        tags: ['a', 'b', 'c'],
        score: i / 7,
        ok: i % 2 === 0,
      })),
      text: 'x'.repeat(1024 * 1024),
    };
    expect(Buffer.byteLength(JSON.stringify(value))).toBeGreaterThan(4 * 1024 * 1024);
    await memory.set(ns, 'big', value);
    expect((await memory.get(ns, 'big'))!.value).toEqual(value);
  });

  test('inputs that cannot be stored exactly are refused with MemoryInputError', async () => {
    const ns = freshNamespace();
    const refused = async (promise: Promise<unknown>, message: RegExp) => {
      await expect(promise).rejects.toThrow(MemoryInputError);
      await expect(promise).rejects.toThrow(message);
    };
    await refused(memory.set(ns, '', 1), /key must not be empty/);
    await refused(memory.set(ns, 'nul\u0000key', 1), /NUL/);
    await refused(memory.set(ns, 'lone \ud800 surrogate', 1), /surrogate/);
    await refused(memory.set(ns, 'k', undefined), /value is undefined/);
    await refused(memory.set(ns, 'k', { a: NaN }), /not plain JSON: NaN at a/);
    await refused(
      memory.set(ns, 'k', () => 1),
      /a function/,
    );
    await refused(memory.set(ns, 'k', 10n), /a bigint/);
    await refused(memory.set(ns, 'k', new Date()), /instance of Date/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await refused(memory.set(ns, 'k', cyclic), /circular/);
    await refused(memory.set(ns, 'k', { text: 'a\u0000b' }), /NUL character.* at text/);
    await refused(memory.set(ns, 'k', 1, { ttlSeconds: 0 }), /ttlSeconds/);
    await refused(memory.set(ns, 'k', 1, { ttlSeconds: 1.5 }), /ttlSeconds/);
    await refused(memory.set(ns, 'k', 1, { ttlSeconds: 11 * 365 * 24 * 3600 }), /ttlSeconds/);
    await refused(memory.set(ns, 'k', 1, { expectedVersion: -1 }), /expectedVersion/);
    expect(await memory.list(ns)).toEqual([]);
  });
});

describe('swap: what a write replaced, read by the same statement', () => {
  test('returns the live entry it replaced, or null for a new or expired one', async () => {
    const ns = freshNamespace();
    expect((await memory.swap(ns, 'k', 'a')).replaced).toBeNull();
    const second = await memory.swap(ns, 'k', 'b', { ttlSeconds: 600 });
    expect(second.replaced).toEqual({ value: 'a', version: 1, expiresAt: null });
    const third = await memory.swap(ns, 'k', 'c', { expectedVersion: 2 });
    expect(third.replaced).toEqual({ value: 'b', version: 2, expiresAt: second.entry.expiresAt });
    await expireNow(ns, 'k');
    expect((await memory.swap(ns, 'k', 'd')).replaced).toBeNull();
  });

  test('twenty racing writers each see exactly the version they replaced: none is lost in between', async () => {
    const ns = freshNamespace();
    await memory.set(ns, 'k', 0);
    const swaps = await Promise.all(Array.from({ length: 20 }, (_, i) => memory.swap(ns, 'k', i + 1)));
    const byVersion = new Map(swaps.map((s) => [s.entry.version, s]));
    for (const { entry, replaced } of swaps) {
      expect(replaced).not.toBe('unknown');
      const before = replaced as { value: unknown; version: number };
      expect(before.version).toBe(entry.version - 1);
      // The value it replaced is the value the writer of that version wrote (version 1 is the initial 0).
      expect(before.value).toBe(before.version === 1 ? 0 : byVersion.get(before.version)!.entry.value);
    }
  });

  test("a retry over the writer's own earlier attempt does not pass that attempt off as what it replaced", async () => {
    const ns = freshNamespace();
    await memory.set(ns, 'k', 'original');
    const writer = { planId: 'p', stepId: 's', attempt: 1 };
    await memory.swap(ns, 'k', 'mine', { writer, idempotencyKey: 'p:s' });
    const retry = await memory.swap(ns, 'k', 'mine', { writer: { ...writer, attempt: 2 }, idempotencyKey: 'p:s' });
    expect(retry.replaced).toBe('unknown');
  });
});

describe('listPage: a byte cap', () => {
  test('stops before keys and values pass maxBytes, says truncated, and leaves a too-large value behind', async () => {
    const ns = freshNamespace();
    await memory.set(ns, 'a', 'x'.repeat(100)); // 1 + 102 bytes
    await memory.set(ns, 'b', 'y'.repeat(100));
    await memory.set(ns, 'c', 'z'.repeat(2_000_000));
    const spy = jest.spyOn(pool, 'query');
    try {
      const page = await memory.listPage(ns, { maxBytes: 250 });
      expect(page.entries.map((e) => e.key)).toEqual(['a', 'b']);
      expect(page.truncated).toBe(true);
      const huge = await memory.listPage(ns, { keyPrefix: 'c', maxBytes: 1024 * 1024 });
      expect(huge).toEqual({ entries: [], truncated: true });
      // What came back over the wire: no row carries the 2 MB value.
      const results = await Promise.all(spy.mock.results.map((r) => r.value as Promise<{ rows: unknown[] }>));
      expect(Math.max(...results.map((r) => JSON.stringify(r.rows).length))).toBeLessThan(10_000);
    } finally {
      spy.mockRestore();
    }
    expect(await memory.listPage(ns, { maxBytes: 250, keyPrefix: 'a' })).toMatchObject({ truncated: false });
    expect((await memory.listPage(ns, { limit: 2 })).truncated).toBe(true);
    expect((await memory.listPage(ns, { limit: 3 })).truncated).toBe(false);
    await expect(memory.listPage(ns, { maxBytes: 0 })).rejects.toThrow(MemoryInputError);
  });
});
