import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createPool } from '../../src/store/pool';
import { startTestWorker, type TestWorker } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

// A schema of this file's own in the suite's database; the "reports" connection has it on its search_path.
const schema = `tool_sql_${randomUUID().slice(0, 8)}`;
let env: TestWorker;
let pool: Pool;

beforeAll(async () => {
  const { databaseUrl } = testStack();
  pool = createPool(databaseUrl);
  await pool.query(`CREATE SCHEMA ${schema}`);
  await pool.query(`CREATE TABLE ${schema}.items (id serial PRIMARY KEY, name text NOT NULL)`);
  const reports = new URL(databaseUrl);
  reports.searchParams.set('options', `-c search_path=${schema}`);
  env = await startTestWorker(undefined, {
    toolSettings: {
      sqlConnections: {
        default: databaseUrl,
        reports: reports.toString(),
        nowhere: 'postgres://postgres@127.0.0.1:1/none',
      },
    },
  });
});
afterAll(async () => {
  await env?.stop();
  await pool?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool?.end();
});

async function run(steps: Record<string, unknown>[], options: Record<string, unknown> = {}) {
  const handle = await env.start({
    options: { stopOnError: false, continueOnError: true, ...options },
    steps: steps.map((step, i) => ({ id: `s${i}`, toolName: 'sql_query', retryDelayMs: 50, ...step })),
  });
  return (await handle.result()).steps;
}
const names = async () =>
  (await pool.query(`SELECT name FROM ${schema}.items ORDER BY id`)).rows.map((r) => r.name as string);

test('parameters are bound, never interpolated', async () => {
  const tricky = "o'brien'); DROP TABLE items; --";
  const [step] = await run([
    { parameters: { sql: 'SELECT $1::int + $2::int AS sum, $3::text AS name', params: [2, 3, tricky] } },
  ]);
  expect(step!.result).toEqual({
    command: 'SELECT',
    rowCount: 1,
    columns: ['sum', 'name'],
    rows: [{ sum: 5, name: tricky }],
    truncated: false,
  });
});

test('a read-only step cannot write; with allowWrite: true it can', async () => {
  const insert = { sql: `INSERT INTO ${schema}.items (name) VALUES ($1) RETURNING id, name`, params: ['widget'] };
  const [refused, allowed] = await run([
    { maxRetries: 2, parameters: insert },
    { parameters: { ...insert, allowWrite: true } },
  ]);
  expect(refused).toMatchObject({ status: 'failed', attempts: 1, errorType: 'SqlReadOnlyViolation' });
  expect(refused!.error).toContain('allowWrite: true');
  expect(allowed).toMatchObject({
    status: 'completed',
    result: { command: 'INSERT', rowCount: 1, rows: [{ name: 'widget' }] },
  });
  expect(await names()).toEqual(['widget']);
});

test('more than one statement is refused, so nothing can slip out of the read-only transaction', async () => {
  const [step, commit] = await run([
    { maxRetries: 2, parameters: { sql: `SELECT 1; INSERT INTO ${schema}.items (name) VALUES ('sneaky')` } },
    { maxRetries: 2, parameters: { sql: `COMMIT; INSERT INTO ${schema}.items (name) VALUES ('sneaky')` } },
  ]);
  // PostgreSQL's extended protocol takes one statement; transaction control is refused before it gets there.
  expect(step).toMatchObject({ status: 'failed', attempts: 1, errorType: 'SqlError' });
  expect(step!.error).toContain('SQLSTATE 42601');
  expect(commit).toMatchObject({ status: 'failed', attempts: 1, errorType: 'SqlNotAllowed' });
  const [block] = await run([
    {
      parameters: {
        sql: `DO $$ BEGIN SET TRANSACTION READ WRITE; INSERT INTO ${schema}.items (name) VALUES ('sneaky'); END $$`,
      },
    },
  ]);
  expect(block).toMatchObject({ status: 'failed' });
  expect(await names()).not.toContain('sneaky');
});

test('rows beyond maxRows are neither fetched nor returned', async () => {
  const [capped, exact] = await run([
    { parameters: { sql: 'SELECT g FROM generate_series(1, 1000000) g', maxRows: 3 } },
    { parameters: { sql: 'SELECT g FROM generate_series(1, 3) g', maxRows: 3 } },
  ]);
  expect(capped!.result).toEqual({
    command: null,
    rowCount: null,
    columns: ['g'],
    rows: [{ g: 1 }, { g: 2 }, { g: 3 }],
    truncated: true,
  });
  expect(exact!.result).toMatchObject({ command: 'SELECT', rowCount: 3, truncated: false });
});

test('failed statements leave their connections usable: more steps than the pool has connections', async () => {
  const steps = Array.from({ length: 12 }, (_, i) =>
    i % 2 === 0
      ? { parameters: { sql: `INSERT INTO ${schema}.items (name) VALUES ('x')` } }
      : { parameters: { sql: 'SELECT $1::int AS i', params: [i], maxRows: 1 } },
  );
  const results = await run(steps, { allowParallel: false });
  expect(results.map((s) => s.status)).toEqual(steps.map((_, i) => (i % 2 === 0 ? 'failed' : 'completed')));
});

test('a statement PostgreSQL refuses fails with SqlError, not retried', async () => {
  const [step] = await run([{ maxRetries: 2, parameters: { sql: 'SELECT * FROM no_such_table' } }]);
  expect(step).toMatchObject({ status: 'failed', attempts: 1, errorType: 'SqlError' });
  expect(step!.error).toBe('relation "no_such_table" does not exist (SQLSTATE 42P01)');
});

test('a step can name another connection; an unknown name or an unreachable database fails with its own type', async () => {
  const [named, unknown, unreachable] = await run([
    { parameters: { sql: 'SELECT count(*)::int AS n FROM items', connection: 'reports' } },
    { maxRetries: 2, parameters: { sql: 'SELECT 1', connection: 'warehouse' } },
    { maxRetries: 1, parameters: { sql: 'SELECT 1', connection: 'nowhere' } },
  ]);
  expect(named).toMatchObject({ status: 'completed', result: { rows: [{ n: expect.any(Number) }] } });
  expect(unknown).toMatchObject({ status: 'failed', attempts: 1, errorType: 'SqlUnknownConnection' });
  expect(unknown!.error).toContain('it has: default, reports, nowhere');
  expect(unreachable).toMatchObject({ status: 'failed', attempts: 2, errorType: 'SqlConnectionError' });
  expect(unreachable!.error).toContain('ECONNREFUSED');
});
