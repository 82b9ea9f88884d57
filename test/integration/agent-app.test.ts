/**
 * The package as a team adopts it: `npm pack` of this repository installed into a copy of examples/agent-app (a
 * project of its own, with two tools of its own in durable-plans.config.ts), type-checked with strict tsc, and run
 * with plain node from that project's node_modules — its `plan worker`, `plan tools`, `plan validate` and
 * `plan start`, and a compiled TypeScript script — against the suite's Temporal and PostgreSQL.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { PlanSnapshot } from '../../src/plan';
import { ROOT, runNode, type RunningChild } from '../support/child';
import { FakeOpenAI } from '../support/fake-openai';
import { uniqueId } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

// Packing builds the package (tsc over src/), and installing it fetches its dependencies from npm's cache.
jest.setTimeout(420_000);

const TOKEN = 'pay_test_4f1d2c3b';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment a user's shell would give: the suite's servers, none of the npm variables `npm test` sets. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'NODE_OPTIONS'),
  );
  const { temporalAddress, databaseUrl } = testStack();
  return { ...env, TEMPORAL_ADDRESS: temporalAddress, DATABASE_URL: databaseUrl, ...extra };
}

function run(command: string, args: string[], cwd: string, env = userEnv()): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a command that must succeed, failing the test with its output otherwise. */
async function succeed(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

let work: string;
let app: string;
let taskQueue: string;
let worker: RunningChild | null = null;
let pool: Pool;
/** The worker's model server, for the app's agent script. */
const model = new FakeOpenAI();
/** The app's own `plan` command, as `npx plan` would find it: plain node, the compiled CLI, no tsx. */
const plan = (args: string[], env?: NodeJS.ProcessEnv) =>
  run(process.execPath, [join(app, 'node_modules', '.bin', 'plan'), ...args], app, env);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'dp-agent-app-'));
  app = join(work, 'agent-app');
  cpSync(join(ROOT, 'examples', 'agent-app'), app, {
    recursive: true,
    filter: (source) =>
      !/[\\/](node_modules|dist)([\\/]|$)/.test(source.slice(join(ROOT, 'examples', 'agent-app').length)),
  });
  await succeed('npm', ['pack', '--pack-destination', work], ROOT);
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'))!;
  await succeed('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, tarball)], app);
  taskQueue = uniqueId('agent-app');
  pool = new Pool({ connectionString: testStack().databaseUrl, max: 2 });
  // The app's own worker, started as its README says: `plan worker` from its node_modules, in its folder.
  await model.start();
  worker = runNode(
    [join(app, 'node_modules', '.bin', 'plan'), 'worker', '--task-queue', taskQueue],
    userEnv({ OPENAI_BASE_URL: model.baseURL, PLAN_LLM_MODEL: 'fake-model' }),
    app,
  );
  await worker.waitFor(/worker polling task queue .*durable-plans\.config\.ts/, 120_000);
});

afterAll(async () => {
  if (worker && worker.child.exitCode === null) {
    worker.child.kill('SIGINT');
    await worker.exited;
  }
  await pool?.end();
  await model.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the installed package loads with plain node, through require and through import', async () => {
  const required = await succeed(
    process.execPath,
    [
      '-e',
      "const p = require('durable-plans'); console.log(typeof p.startPlan, typeof p.defineTool, typeof p.createPlanWorker)",
    ],
    app,
  );
  expect(required.trim()).toBe('function function function');
  const imported = await succeed(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import { startPlan, defineConfig, planWorkflowsPath } from 'durable-plans'; console.log(typeof startPlan, typeof defineConfig, planWorkflowsPath)",
    ],
    app,
  );
  expect(imported.trim()).toMatch(/^function function .*node_modules\/durable-plans\/dist\/workflows\/index\.js$/);
});

test('the app type-checks with strict tsc (library declarations included) and compiles', async () => {
  await succeed(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], app);
});

test("the app's tools are in its catalogue: `plan tools --json` shows their JSON Schemas and secret parameters", async () => {
  const result = await plan(['tools', '--json']);
  expect(result.code).toBe(0);
  const tools = JSON.parse(result.stdout) as { name: string }[];
  const lookup = tools.find((t) => t.name === 'customer_lookup');
  const credit = tools.find((t) => t.name === 'credit_account');
  expect(lookup).toMatchObject({
    risk: 'read',
    parameters: { properties: { customerId: { type: 'string' } }, additionalProperties: false },
    result: { properties: { tier: { enum: ['gold', 'silver'] } } },
  });
  expect(credit).toMatchObject({ risk: 'write', secretParams: ['paymentsToken'] });
  expect(tools.map((t) => t.name)).toEqual(
    expect.arrayContaining(['echo', 'http_request', 'customer_lookup', 'credit_account']),
  );
});

test("`plan validate` accepts the app's plan and refuses a misspelt parameter of its tool, naming it", async () => {
  const valid = await plan(['validate', 'plans/refund.yaml']);
  expect(valid).toMatchObject({ code: 0, stdout: 'valid: 3 steps, 0 batches\n' });
  writeFileSync(
    join(app, 'plans', 'misspelt.yaml'),
    'steps:\n  - id: lookup\n    toolName: customer_lookup\n    parameters: { customerID: c-100 }\n',
  );
  const refused = await plan(['validate', 'plans/misspelt.yaml']);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/customerID/);
  expect(refused.stderr).toMatch(/customerId/);
});

test("the app's worker runs its plan: the lookup reads, the credit writes, the failing step undoes the credit", async () => {
  const planId = uniqueId('refund');
  const result = await plan([
    'start',
    'plans/refund.yaml',
    '--id',
    planId,
    '--task-queue',
    taskQueue,
    '--wait',
    '--json',
  ]);
  expect(result.code).toBe(1); // the plan ended other than completed, as it should
  const state = JSON.parse(result.stdout) as PlanSnapshot;
  expect(state.status).toBe('failed');
  const step = (id: string) => state.steps.find((s) => s.id === id)!;
  expect(step('lookup')).toMatchObject({
    status: 'completed',
    result: { customerId: 'c-100', name: 'Ada Lovelace', tier: 'gold' },
  });
  expect(step('credit')).toMatchObject({
    status: 'compensated',
    result: { creditId: `${planId}:credit`, customerId: 'c-100', amountCents: 1500 },
    compensation: { status: 'compensated' },
  });
  expect(step('notify')).toMatchObject({ status: 'failed', error: 'shipping service unavailable' });

  // The credit was written, then taken back by credit_account's undo.
  const credits = await pool.query('SELECT count(*)::int AS n FROM agent_app_credits WHERE credit_id = $1', [
    `${planId}:credit`,
  ]);
  expect(credits.rows[0].n).toBe(0);
  // The mirror has every step, with the secret parameter redacted and nowhere in clear.
  const rows = await pool.query(
    'SELECT step_id, status, parameters, compensation_status FROM task_plans WHERE plan_id = $1 ORDER BY position',
    [planId],
  );
  expect(rows.rows.map((r) => [r.step_id, r.status])).toEqual([
    ['lookup', 'completed'],
    ['credit', 'compensated'],
    ['notify', 'failed'],
  ]);
  expect(rows.rows[1].parameters).toMatchObject({ paymentsToken: '[redacted]', amountCents: 1500 });
  const leaks = await pool.query(
    'SELECT count(*)::int AS n FROM task_plans WHERE plan_id = $1 AND (parameters::text LIKE $2 OR result::text LIKE $2)',
    [planId, `%${TOKEN}%`],
  );
  expect(leaks.rows[0].n).toBe(0);
});

// Runs what the strict tsc test above compiled into dist/.
test("a TypeScript script of the app, compiled and run with plain node, starts a plan on the app's tools and waits for it", async () => {
  const result = await run(
    process.execPath,
    ['dist/src/start-credit.js', 'c-300', '2500'],
    app,
    userEnv({ PLAN_TASK_QUEUE: taskQueue }),
  );
  expect(result).toMatchObject({ code: 0, stderr: '' });
  const state = JSON.parse(result.stdout) as PlanSnapshot;
  expect(state.status).toBe('completed');
  expect(state.steps.map((s) => s.result)).toEqual([
    { customerId: 'c-300', name: 'Grace Hopper', tier: 'gold', creditedCents: expect.any(Number) },
    { creditId: `${state.planId}:credit`, customerId: 'c-300', amountCents: 2500 },
  ]);
  const credits = await pool.query('SELECT amount_cents FROM agent_app_credits WHERE credit_id = $1', [
    `${state.planId}:credit`,
  ]);
  expect(credits.rows).toEqual([{ amount_cents: 2500 }]);
});

test("the app's agent script streams the answer of an agent that looked the customer up with the app's tool", async () => {
  model.reply(
    { content: '', toolCalls: [{ name: 'customer_lookup', arguments: '{"customerId":"c-100"}' }] },
    { content: 'Ada Lovelace is a gold customer.', chunkChars: 5, chunkDelayMs: 10 },
  );
  const result = await run(
    process.execPath,
    ['dist/src/ask-support.js', 'c-100', 'What tier is this customer?'],
    app,
    userEnv({ PLAN_TASK_QUEUE: taskQueue }),
  );
  expect(result).toMatchObject({ code: 0, stderr: '' });
  expect(result.stdout).toBe('Ada Lovelace is a gold customer.\n--- reply: Ada Lovelace is a gold customer.\n');
  // The model was given the app's tool, and then what it returned.
  const answered = model.requests.at(-1) as { messages: Array<{ role: string; content: string }> };
  expect(JSON.parse(answered.messages.at(-1)!.content)).toMatchObject({ customerId: 'c-100', tier: 'gold' });
});
