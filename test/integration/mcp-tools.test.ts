/**
 * Tools from an MCP server (test/fixtures/mcp: `calc`, a stdio server) as a user meets them: a `plan worker` with the
 * fixture's configuration runs steps that call them, `plan tools` lists them with their schemas, bad arguments are
 * refused before any step runs, a tool's refusal fails its step with the server's words, and a misspelt server name or
 * a server that cannot start is refused with what to fix.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import type { PlanSnapshot } from '../../src/plan';
import { MCP_TOOL_ERROR, PLAN_VALIDATION_ERROR } from '../../src/plan/error-types';
import { ROOT, runNode, type RunningChild } from '../support/child';
import { cli, planFiles } from '../support/cli';
import { eventually } from '../support/eventually';
import { uniqueId } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

const CONFIG = join(__dirname, '..', 'fixtures', 'mcp', 'durable-plans.config.ts');
const taskQueue = uniqueId('mcp');
const file = planFiles();
let worker: RunningChild | null = null;

function workerEnv(): NodeJS.ProcessEnv {
  const stack = testStack();
  return {
    TEMPORAL_ADDRESS: stack.temporalAddress,
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_CONFIG_FILE: join(ROOT, 'test', 'no-temporal.toml'),
  };
}

beforeAll(async () => {
  worker = runNode(['scripts/plan.js', 'worker', '--config', CONFIG, '--task-queue', taskQueue], workerEnv());
  await worker.waitFor(/worker polling task queue/, 120_000);
}, 150_000);

afterAll(async () => {
  if (worker && worker.child.exitCode === null) {
    worker.child.kill('SIGINT');
    await worker.exited;
  }
});

/** `plan start --wait --json` of a plan on the MCP worker: its exit code and final state. */
async function runPlan(plan: object): Promise<{ code: number | null; state: PlanSnapshot; stderr: string }> {
  const path = file(`${uniqueId('plan')}.json`, plan);
  const result = await cli(['start', path, '--config', CONFIG, '--task-queue', taskQueue, '--wait', '--json'], {
    timeoutMs: 90_000,
  });
  return { code: result.code, state: JSON.parse(result.stdout || 'null') as PlanSnapshot, stderr: result.stderr };
}

const step = (state: PlanSnapshot, id: string) => state.steps.find((s) => s.id === id)!;

test("steps call MCP tools, and a later step uses an earlier one's structured result", async () => {
  const { code, state } = await runPlan({
    steps: [
      { id: 'add', toolName: 'mcp.calc.add', parameters: { a: 2, b: 3 } },
      {
        id: 'again',
        toolName: 'mcp.calc.add',
        dependsOn: ['add'],
        parameters: { a: '{{steps.add.result.sum}}', b: 10 },
      },
      {
        id: 'shout',
        toolName: 'mcp.calc.shout',
        dependsOn: ['again'],
        parameters: { text: 'the sum is {{steps.again.result.sum}}' },
      },
    ],
  });
  expect(code).toBe(0);
  expect(state.status).toBe('completed');
  expect(step(state, 'add').result).toEqual({ sum: 5 });
  expect(step(state, 'again').result).toEqual({ sum: 15 });
  // Text content: the blocks joined by newlines.
  expect(step(state, 'shout').result).toBe('THE SUM IS 15\n!');
});

test("arguments that do not fit the server's input schema refuse the plan before any step runs, naming the parameter", async () => {
  const planId = uniqueId('mcp-bad');
  const path = file(`${planId}.json`, {
    id: planId,
    steps: [
      { id: 'first', toolName: 'echo', parameters: { ran: true } },
      { id: 'add', toolName: 'mcp.calc.add', parameters: { a: 1, b: 'two' } },
    ],
  });
  const { code, stderr } = await cli(['start', path, '--config', CONFIG, '--task-queue', taskQueue, '--wait'], {
    timeoutMs: 90_000,
  });
  expect(code).not.toBe(0);
  expect(stderr).toMatch(/plan is invalid \(1 problem\):\n- step "add": parameters\.b: .*expected number/);
  // The worker refused the plan as a whole, as it refuses any invalid plan: before its first step.
  const connection = await Connection.connect({ address: testStack().temporalAddress });
  try {
    const failure = await new Client({ connection }).workflow
      .getHandle(planId)
      .result()
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause).toMatchObject({ type: PLAN_VALIDATION_ERROR });
  } finally {
    await connection.close();
  }
});

test("a tool's isError answer fails its step at once with McpToolError and the server's message", async () => {
  const { code, state } = await runPlan({
    steps: [
      {
        id: 'ask',
        toolName: 'mcp.calc.refuse',
        parameters: { reason: 'not today' },
        maxRetries: 3,
        retryDelayMs: 10,
      },
    ],
  });
  expect(code).toBe(1);
  expect(step(state, 'ask')).toMatchObject({ status: 'failed', errorType: MCP_TOOL_ERROR, attempts: 1 });
  expect(step(state, 'ask').error).toContain('MCP tool "mcp.calc.refuse" failed: refused: not today');
});

test('cancelling the plan cancels the MCP call the step is waiting on', async () => {
  const planId = uniqueId('mcp-cancel');
  const marker = join(mkdtempSync(join(tmpdir(), 'mcp-cancel-')), 'marker');
  const path = file(`${planId}.json`, {
    id: planId,
    steps: [{ id: 'wait', toolName: 'mcp.calc.wait', parameters: { ms: 120_000, marker } }],
  });
  const started = await cli(['start', path, '--config', CONFIG, '--task-queue', taskQueue]);
  expect(started.code).toBe(0);
  await eventually(
    async () => (await cli(['status', planId, '--json'])).stdout.includes('"running"'),
    'the step to be running',
    { timeoutMs: 30_000, everyMs: 200 },
  );
  expect((await cli(['cancel', planId, '--reason', 'test'])).code).toBe(0);
  // The server heard of it: the call's abort went out as notifications/cancelled.
  await eventually(() => existsSync(marker), 'the server to see the call cancelled', { timeoutMs: 30_000 });
  expect(readFileSync(marker, 'utf8')).toBe('cancelled');
});

test('plan tools lists the MCP tools with their descriptions and input schemas', async () => {
  const { code, stdout, stderr } = await cli(['tools', '--json', '--config', CONFIG], { timeoutMs: 60_000 });
  expect(code).toBe(0);
  expect(stderr).toContain('connecting to MCP server calc');
  const add = (JSON.parse(stdout) as { name: string }[]).find((tool) => tool.name === 'mcp.calc.add');
  expect(add).toMatchObject({
    description: 'Adds two numbers.',
    risk: 'read',
    parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  });
  const table = await cli(['tools', '--config', CONFIG], { timeoutMs: 60_000 });
  expect(table.stdout).toMatch(/mcp\.calc\.refuse\s+destructive\s+Always refuses, saying why\./);
});

test('plan validate refuses a server the configuration does not list, suggesting the one meant', async () => {
  const path = file('misspelt.json', { steps: [{ id: 'add', toolName: 'mcp.calx.add', parameters: { a: 1, b: 2 } }] });
  const { code, stdout, stderr } = await cli(['validate', path, '--config', CONFIG]);
  expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
  expect(stderr).toContain(
    'step "add": toolName: unknown tool "mcp.calx.add": no MCP server "calx" in the configuration (did you mean "calc"?)',
  );
  // A configured server's tool passes on the client, which does not connect; its worker checks it at plan start.
  const fine = file('fine.json', { steps: [{ id: 'add', toolName: 'mcp.calc.add', parameters: { a: 1, b: 2 } }] });
  expect((await cli(['validate', fine, '--config', CONFIG])).code).toBe(0);
});

test('a worker whose MCP server cannot start refuses to start, naming the server and the cause', async () => {
  const config = file(
    'durable-plans.config.mjs',
    "export default { mcp: { servers: { broken: { command: '/nonexistent/mcp-server', args: ['--stdio'] } } } };\n",
  );
  const refused = runNode(
    ['scripts/plan.js', 'worker', '--config', config, '--task-queue', uniqueId('mcp-broken')],
    workerEnv(),
  );
  const { code } = await refused.exited;
  expect(code).not.toBe(0);
  expect(refused.output()).toMatch(/MCP server "broken" \(\/nonexistent\/mcp-server --stdio\) did not start: .*ENOENT/);
  expect(refused.output()).not.toContain('worker polling');
});
