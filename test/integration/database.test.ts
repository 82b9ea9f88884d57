import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { redact } from '../../src/dev/database';
import { embeddedBinaries, startEmbeddedPostgres } from '../../src/dev/embedded-postgres';
import { freePort } from '../../src/dev/free-port';
import { applyMigrations, readMigrations } from '../../src/store/migrate';
import { createPool } from '../../src/store/pool';
import { testStack } from '../support/test-stack';

jest.setTimeout(60_000);

async function withFreshDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: testStack().databaseUrl });
  await admin.connect();
  const name = `dp_migrate_${process.pid}_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(testStack().databaseUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

test('migrations apply in order once, even when two processes start at the same moment', async () => {
  await withFreshDatabase(async (url) => {
    const [a, b] = [createPool(url), createPool(url)];
    const results = await Promise.all([applyMigrations(a), applyMigrations(b)]);
    const versions = readMigrations().map((m) => m.version);
    expect([...results[0], ...results[1]].sort()).toEqual(versions);
    expect(await applyMigrations(a)).toEqual([]);
    const tables = await a.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['plan_progress', 'schema_migrations', 'task_plans']),
    );
    await Promise.all([a.end(), b.end()]);
  });
});

test('a failing migration is rolled back and names itself', async () => {
  await withFreshDatabase(async (url) => {
    const pool = createPool(url);
    const dir = mkdtempSync(join(tmpdir(), 'dp-migrations-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, '001_good.sql'), 'CREATE TABLE good (id int);');
    writeFileSync(join(dir, '002_bad.sql'), 'CREATE TABLE bad (id int); SELECT no_such_column FROM good;');
    await expect(applyMigrations(pool, dir)).rejects.toThrow(
      /migration 2_bad failed: column "no_such_column" does not exist/,
    );
    const recorded = await pool.query('SELECT version FROM schema_migrations');
    expect(recorded.rows).toEqual([{ version: 1 }]);
    const bad = await pool.query("SELECT to_regclass('bad') AS t");
    expect(bad.rows[0].t).toBeNull();
    await pool.end();
  });
});

test('the embedded PostgreSQL starts from an empty folder, keeps its data across a restart, and stops', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'dp-embedded-'));
  chmodSync(parent, 0o755); // as root, PostgreSQL runs as the postgres user, who must reach the folder
  const dir = join(parent, 'postgres');
  const port = await freePort();
  const binaries = embeddedBinaries();
  expect(binaries).not.toBeNull();
  const first = await startEmbeddedPostgres(dir, port, binaries!);
  const pool = createPool(first.url);
  await applyMigrations(pool);
  await pool.query(
    "INSERT INTO plan_progress (plan_id, run_id, status, started_at, generation, version) VALUES ('kept', 'r', 'completed', now(), 1, 1)",
  );
  await pool.end();
  await first.stop();

  const second = await startEmbeddedPostgres(dir, port, binaries!);
  const again = createPool(second.url);
  const { rows } = await again.query('SELECT plan_id FROM plan_progress');
  expect(rows).toEqual([{ plan_id: 'kept' }]);
  await again.end();
  await second.stop();
  expect(second.process.exitCode).not.toBeNull();
});

test('connection URLs are printed without their password', () => {
  expect(redact('postgres://app:s3cret@db:5432/plans')).toBe('postgres://app:***@db:5432/plans');
  expect(redact('postgres://app@db/plans')).toBe('postgres://app@db/plans');
});
