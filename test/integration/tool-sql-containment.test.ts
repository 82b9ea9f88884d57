import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { cancelPlan } from '../../src/api/plans';
import type { PlanSnapshot } from '../../src/plan';
import { createPool } from '../../src/store/pool';
import { getPlanProgress, getTaskPlansByPlan } from '../../src/store/mirror-reads';
import { eventually } from '../support/eventually';
import { startTestWorker, type TestWorker } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

// A plan written by a model tries to reach the database host, take back the login's superuser role, outlive its
// deadline, keep a lock, or pull a huge answer through sql_query. The suite's database logs in as a superuser.

jest.setTimeout(60_000);

const tag = randomUUID().slice(0, 8);
const schema = `sql_containment_${tag}`;
const scratch = mkdtempSync(join(tmpdir(), 'tool-sql-containment-'));
let env: TestWorker;
let pool: Pool;
const roles: string[] = [];

/** A URL of the suite's database logging in as `role` (the local server trusts 127.0.0.1). */
function loginAs(role: string): string {
  const url = new URL(testStack().databaseUrl);
  url.username = role;
  return url.toString();
}

async function createLogin(grants: string): Promise<string> {
  const role = `durable_plans_test_${randomUUID().slice(0, 8)}`;
  await pool.query(`CREATE ROLE ${role} LOGIN ${grants}`);
  roles.push(role);
  return role;
}

let risky: string;
let reader: string;
beforeAll(async () => {
  pool = createPool(testStack().databaseUrl);
  await pool.query(`CREATE SCHEMA ${schema}`);
  await pool.query(`CREATE TABLE ${schema}.items (id int PRIMARY KEY)`);
  await pool.query(`CREATE EXTENSION IF NOT EXISTS dblink SCHEMA ${schema}`);
  risky = await createLogin('IN ROLE pg_signal_backend, pg_read_all_data');
  reader = await createLogin('IN ROLE pg_read_all_data');
  env = await startTestWorker(undefined, {
    toolSettings: {
      sqlConnections: { default: testStack().databaseUrl, risky: loginAs(risky), reader: loginAs(reader) },
    },
  });
});
afterAll(async () => {
  await env?.stop();
  await pool?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  for (const role of roles) await pool?.query(`DROP ROLE IF EXISTS ${role}`);
  await pool?.end();
});

/** Runs the steps side by side; returns the final state once the mirror has caught up with it. */
async function run(steps: Record<string, unknown>[], step: Record<string, unknown> = {}): Promise<PlanSnapshot> {
  const handle = await env.start({
    options: { stopOnError: false, continueOnError: true, allowParallel: true, maxParallelSteps: 4 },
    steps: steps.map((parameters, i) => ({ id: `s${i}`, toolName: 'sql_query', maxRetries: 0, parameters, ...step })),
  });
  return settled(await handle.result());
}

async function settled(state: PlanSnapshot): Promise<PlanSnapshot> {
  await eventually(
    async () => (await getPlanProgress(env.pool, state.planId))?.status === state.status,
    'the mirror to catch up',
  );
  const mirrored = await getTaskPlansByPlan(env.pool, state.planId);
  for (const step of state.steps) {
    expect(mirrored.find((task) => task.stepId === step.id)).toMatchObject({
      status: step.status,
      errorType: step.errorType,
    });
  }
  return state;
}

/** Backends still running a statement that contains `marker`. */
const backendsRunning = async (marker: string) =>
  (
    await pool.query(`SELECT pid FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()`, [
      `%${marker}%`,
    ])
  ).rowCount;

test('a superuser login: steps run as the read or write step role, and cannot take the login back', async () => {
  const proof = join(scratch, `ran-${randomUUID()}`);
  const escapes = [
    `RESET ROLE; COPY (SELECT 1) TO PROGRAM 'touch ${proof}'`,
    `COPY (SELECT 1) TO PROGRAM 'touch ${proof}'`,
    'SET ROLE postgres',
    "select set_config('role', 'postgres', true)",
    `select U&"set\\005fconfig"('role', 'postgres', true)`,
    "SELECT query_to_xml('select set_config(''role'',''postgres'',true)', true, false, '')",
    `DO $$ BEGIN EXECUTE 'RESET ROLE'; EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch ${proof}'''; END $$`,
    `SELECT * FROM ${schema}.dblink('dbname=postgres user=postgres', 'select 1') AS t(x int)`,
  ];
  const privileges = [
    `WITH p AS (SELECT 1) SELECT pg_read_file('/etc/hostname')`,
    `SELECT lo_import('/etc/hostname')`,
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'victim-${tag}'`,
  ];
  const victim = createPool(testStack().databaseUrl, { max: 1, applicationName: `victim-${tag}` });
  const victimClient = await victim.connect();
  try {
    const state = await run([
      ...escapes.map((sql) => ({ sql })),
      ...privileges.map((sql) => ({ sql })),
      { sql: "UPDATE pg_settings SET setting = 'postgres' WHERE name = 'role'", allowWrite: true },
      { sql: 'SELECT current_user AS role' },
      { sql: `INSERT INTO ${schema}.items VALUES (1) RETURNING current_user AS role`, allowWrite: true },
    ]);
    const outcome = state.steps.map((s) => [s.status, s.errorType, s.attempts]);
    expect(outcome).toEqual([
      ...[...escapes, ...privileges, 'pg_settings'].map(() => ['failed', 'SqlNotAllowed', 1]),
      ['completed', null, 1],
      ['completed', null, 1],
    ]);
    expect(state.steps[escapes.length]!.error).toContain('the step runs as role "durable_plans_reader"');
    expect(state.steps.at(-2)!.result).toMatchObject({ rows: [{ role: 'durable_plans_reader' }] });
    expect(state.steps.at(-1)!.result).toMatchObject({ rows: [{ role: 'durable_plans_writer' }] });
    expect(existsSync(proof)).toBe(false);
    expect((await victimClient.query('SELECT 1 AS alive')).rows).toEqual([{ alive: 1 }]);
  } finally {
    victimClient.release();
    await victim.end();
  }
});

test('a login holding a host role is refused with the SQL of a better one; a plain login runs as itself', async () => {
  const state = await run([
    { sql: 'SELECT 1', connection: 'risky' },
    { sql: 'SELECT current_user AS role', connection: 'reader' },
    { sql: `SELECT pg_terminate_backend(pg_backend_pid())`, connection: 'reader' },
  ]);
  expect(state.steps[0]).toMatchObject({ status: 'failed', errorType: 'SqlNotAllowed', attempts: 1 });
  expect(state.steps[0]!.error).toContain(`logs in as "${risky}", which holds pg_signal_backend`);
  expect(state.steps[0]!.error).toContain('CREATE ROLE plans_sql LOGIN');
  expect(state.steps[1]).toMatchObject({ status: 'completed', result: { rows: [{ role: reader }] } });
  // Its own backend is the only one a plain login may signal; the pool replaces the connection.
  expect(state.steps[2]).toMatchObject({ status: 'failed', errorType: 'SqlConnectionError' });
});

test('a statement running past the step deadline is stopped by PostgreSQL, its backend gone', async () => {
  const marker = `deadline_${randomUUID().slice(0, 8)}`;
  const started = Date.now();
  const state = await run([{ sql: `SELECT pg_sleep(30) /* ${marker} */` }], { timeoutMs: 3_000 });
  expect(state.steps[0]).toMatchObject({ status: 'failed', errorType: 'SqlTimeout', attempts: 1 });
  expect(Date.now() - started).toBeLessThan(15_000);
  await eventually(async () => (await backendsRunning(marker)) === 0, 'the backend to be gone');
});

test('cancelling the plan cancels the statement on the server', async () => {
  const marker = `cancel_${randomUUID().slice(0, 8)}`;
  const handle = await env.start({
    steps: [
      {
        id: 'slow',
        toolName: 'sql_query',
        timeoutMs: 60_000,
        parameters: { sql: `SELECT pg_sleep(50) /* ${marker} */` },
      },
    ],
  });
  await eventually(async () => (await backendsRunning(marker)) === 1, 'the statement to run');
  const started = Date.now();
  await cancelPlan(env.client, handle.workflowId);
  const state = await settled(await handle.result());
  expect(state.status).toBe('cancelled');
  await eventually(async () => (await backendsRunning(marker)) === 0, 'the backend to stop');
  expect(Date.now() - started).toBeLessThan(15_000);
});

test('an advisory lock a step takes is released when it ends', async () => {
  const key = Math.floor(Math.random() * 1e9);
  const state = await run([{ sql: 'SELECT pg_advisory_lock($1::bigint) AS locked', params: [key] }]);
  expect(state.steps[0]).toMatchObject({ status: 'completed' });
  const { rows } = await pool.query('SELECT pg_try_advisory_lock($1::bigint) AS got', [key]);
  expect(rows).toEqual([{ got: true }]);
  await pool.query('SELECT pg_advisory_unlock_all()');
});

test('an answer over maxBytes is refused without being pulled, and the connection is let go', async () => {
  const marker = `huge_${randomUUID().slice(0, 8)}`;
  const started = Date.now();
  const state = await run([
    { sql: `SELECT repeat('x', 20000000) AS big /* ${marker} */ FROM generate_series(1, 10)`, maxRows: 10 },
    { sql: "SELECT repeat('x', 1000) AS small FROM generate_series(1, 10)", maxRows: 10, maxBytes: 1024 * 1024 },
  ]);
  expect(state.steps[0]).toMatchObject({ status: 'failed', errorType: 'SqlResultTooLarge', attempts: 1 });
  expect(state.steps[0]!.error).toContain('maxBytes (1048576 bytes)');
  expect(state.steps[1]).toMatchObject({ status: 'completed', result: { rowCount: 10, truncated: false } });
  expect(Date.now() - started).toBeLessThan(20_000);
  await eventually(async () => (await backendsRunning(marker)) === 0, 'the backend to be gone');
});

test('the opt-out, PLAN_SQL_UNRESTRICTED, runs steps as the login itself, unscreened but still bounded', async () => {
  const open = await startTestWorker(undefined, { toolSettings: { sqlUnrestricted: true } });
  try {
    const handle = await open.start({
      options: { continueOnError: true, stopOnError: false },
      steps: [
        { id: 'who', toolName: 'sql_query', parameters: { sql: 'SELECT current_user AS role' } },
        {
          id: 'setting',
          toolName: 'sql_query',
          parameters: { sql: "SELECT set_config('work_mem', '8MB', true) AS v" },
        },
        {
          id: 'slow',
          toolName: 'sql_query',
          timeoutMs: 2_000,
          maxRetries: 0,
          parameters: { sql: 'SELECT pg_sleep(30)' },
        },
      ],
    });
    const [who, setting, slow] = (await handle.result()).steps;
    expect(who!.result).toMatchObject({ rows: [{ role: new URL(testStack().databaseUrl).username || 'postgres' }] });
    expect(setting).toMatchObject({ status: 'completed', result: { rows: [{ v: '8MB' }] } });
    expect(slow).toMatchObject({ status: 'failed', errorType: 'SqlTimeout' });
  } finally {
    await open.stop();
  }
});
