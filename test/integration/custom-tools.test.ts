/**
 * A project's own tools on a real worker: their result schema is enforced, their default timeout applies between
 * the step's own and the plan's, and they get the step's shared memory and the activity's logger.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import type { Pool } from 'pg';
import { z } from 'zod';
import { PlanValidationError } from '../../src/api/plans';
import { formatNamespace, type MemoryNamespace, type PlanSnapshot } from '../../src/plan';
import { createPool } from '../../src/store/pool';
import { SharedMemory } from '../../src/store/shared-memory';
import { INVALID_TOOL_RESULT } from '../../src/plan/error-types';
import { BUILTIN_TOOLS, defineTool, ToolRegistry } from '../../src/tools';
import { RUN_PLAN_WORKFLOW } from '../../src/workflows/definitions';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

const forecast = defineTool({
  name: 'forecast',
  description: 'The weather tomorrow.',
  parameters: z.object({ city: z.string(), apiKey: z.string() }),
  secretParams: ['apiKey'],
  // Echoes the offending value in its message, as custom zod messages often do: the key must not leak through it.
  result: z.object({
    city: z.string(),
    celsius: z.number({ error: (issue) => `not a temperature: ${String(issue.input)}` }),
  }),
  risk: 'read',
  run: async ({ city, apiKey }) => {
    // A bug for Atlantis: the tool returns its key where the temperature belongs.
    const celsius = city === 'Atlantis' ? (apiKey as unknown as number) : 21;
    return { city, celsius, cachedAt: 'now' } as { city: string; celsius: number };
  },
});

// Declares a long default timeout; its steps return at once, so only the scheduled timeouts tell the difference.
const report = defineTool({
  name: 'report',
  description: 'Writes a report.',
  parameters: z.object({}),
  timeoutMs: 45_000,
  risk: 'write',
  run: async () => ({ written: true }),
});

// Declares a short default timeout; needs more unless the step allows it, and gives up by its attempt's deadline.
const hasty = defineTool({
  name: 'hasty',
  description: 'Takes 1.5 s.',
  parameters: z.object({}),
  timeoutMs: 500,
  risk: 'read',
  run: async (_, { deadline }) => {
    const left = deadline - Date.now();
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_500, left)));
    if (left < 1_500) throw ApplicationFailure.nonRetryable(`needs 1.5 s, had ${left} ms`, 'OutOfTime');
    return { done: true };
  },
});

const note = defineTool({
  name: 'note',
  description: "Keeps a note in the step's shared memory.",
  parameters: z.object({ text: z.string() }),
  risk: 'write',
  run: async ({ text }, { memory, logger }) => {
    const entry = await memory.set('note', text, { expectedVersion: 0 });
    logger.error('note kept', { key: 'note' });
    return {
      namespace: formatNamespace(memory.namespace),
      version: entry.version,
      read: (await memory.get('note'))?.value,
      keys: (await memory.list()).map((e) => e.key),
    };
  },
});

let env: TestWorker;
let pool: Pool;
beforeAll(async () => {
  env = await startTestWorker(new ToolRegistry([...BUILTIN_TOOLS, forecast, report, hasty, note]));
  pool = createPool(testStack().databaseUrl);
});
afterAll(async () => {
  await env?.stop();
  await pool?.end();
});

const run = async (plan: Record<string, unknown>) => (await env.start(plan)).result();
const step = (state: PlanSnapshot, id: string) => state.steps.find((s) => s.id === id)!;

test("a result that fits the tool's result schema is kept as parsed; one that does not fails the step at once", async () => {
  const state = await run({
    options: { allowParallel: true, continueOnError: true },
    steps: [
      { id: 'oslo', toolName: 'forecast', parameters: { city: 'Oslo', apiKey: 'k-123456' } },
      {
        id: 'atlantis',
        toolName: 'forecast',
        parameters: { city: 'Atlantis', apiKey: 'k-123456' },
        maxRetries: 2,
        retryDelayMs: 10,
      },
    ],
  });
  // Keys the schema does not name are dropped, as the JSON Schema `plan tools` shows says.
  expect(step(state, 'oslo')).toMatchObject({ status: 'completed', result: { city: 'Oslo', celsius: 21 } });
  expect(step(state, 'oslo').result).not.toHaveProperty('cachedAt');
  const failed = step(state, 'atlantis');
  expect(failed).toMatchObject({ status: 'failed', errorType: INVALID_TOOL_RESULT, attempts: 1 });
  expect(failed.error).toContain(
    'tool "forecast" returned a result that does not fit its result schema: celsius: not a temperature: [redacted]',
  );
  expect(failed.error).not.toContain('k-123456');
});

test("a step's own timeout wins, else its tool's, else the plan's; a compensation's, else its tool's, else its step's", async () => {
  const handle = await env.start({
    options: { stepTimeoutMs: 20_000, onFailure: 'compensate' },
    steps: [
      { id: 'tool-default', toolName: 'report', compensate: { toolName: 'echo' } },
      { id: 'own', toolName: 'report', timeoutMs: 10_000, dependsOn: ['tool-default'] },
      // Equal to the plan's default, but written: it still wins over the tool's.
      { id: 'own-as-plan', toolName: 'report', timeoutMs: 20_000, dependsOn: ['own'] },
      { id: 'plan-default', toolName: 'echo', dependsOn: ['own-as-plan'], compensate: { toolName: 'report' } },
      {
        id: 'written',
        toolName: 'echo',
        dependsOn: ['plan-default'],
        compensate: { toolName: 'report', timeoutMs: 5_000 },
      },
      { id: 'boom', toolName: 'fail', parameters: { message: 'undo the rest' }, dependsOn: ['written'] },
    ],
  });
  const state = await handle.result();
  expect(state.summary).toMatchObject({ compensated: 3, failed: 1 });
  const { events } = await handle.fetchHistory();
  const timeouts = Object.fromEntries(
    events!
      .map((e) => e.activityTaskScheduledEventAttributes)
      .filter((a) => a && a.activityType!.name !== 'checkPlanTools')
      .map((a) => [a!.activityId!, tsToMs(a!.startToCloseTimeout)]),
  );
  expect(timeouts).toEqual({
    'tool-default': 45_000,
    own: 10_000,
    'own-as-plan': 20_000,
    'plan-default': 20_000,
    written: 20_000,
    boom: 20_000,
    'written:compensate': 5_000,
    'plan-default:compensate': 45_000,
    'tool-default:compensate': 45_000,
  });
});

test("a tool's short default timeout stops its steps, unless a step gives itself more", async () => {
  const state = await run({
    options: { allowParallel: true, continueOnError: true },
    steps: [
      { id: 'rushed', toolName: 'hasty' },
      { id: 'patient', toolName: 'hasty', timeoutMs: 5_000 },
    ],
  });
  expect(step(state, 'rushed')).toMatchObject({
    status: 'failed',
    errorType: 'OutOfTime',
    error: expect.stringMatching(/^needs 1.5 s, had \d+ ms/),
  });
  expect(step(state, 'patient')).toMatchObject({ status: 'completed', result: { done: true } });
});

test("a tool keeps notes in the step's namespace as the step, and its log lines name the plan and the step", async () => {
  const ns: MemoryNamespace = {
    project: `ct-${uniqueId('p')}`,
    environment: 'test',
    agentType: 'custom',
    sessionId: 's-1',
  };
  const logged: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: []) => {
    const text = String(chunk);
    if (text.includes('note kept')) return logged.push(text) > 0;
    return write(chunk, ...rest);
  }) as typeof process.stderr.write);
  let state: PlanSnapshot;
  try {
    state = await run({
      options: { memoryNamespace: formatNamespace(ns) },
      steps: [{ id: 'remember', toolName: 'note', parameters: { text: 'hello' } }],
    });
  } finally {
    spy.mockRestore();
  }
  expect(step(state, 'remember').result).toEqual({
    namespace: formatNamespace(ns),
    version: 1,
    read: 'hello',
    keys: ['note'],
  });
  const entry = await new SharedMemory(pool).get(ns, 'note');
  expect(entry).toMatchObject({ value: 'hello', writtenBy: { planId: state.planId, stepId: 'remember', attempt: 1 } });
  const { rows } = await pool.query('SELECT written_by_key FROM shared_memory WHERE project = $1', [ns.project]);
  expect(rows).toEqual([{ written_by_key: `${state.planId}:remember` }]);
  expect(logged).toHaveLength(1);
  expect(logged[0]).toContain(`workflowId: '${state.planId}'`);
  expect(logged[0]).toContain("activityId: 'remember'");
});

test("a misspelt parameter of a project's tool is refused by the client, and by the worker when the client is bypassed", async () => {
  const plan = { steps: [{ id: 'w', toolName: 'forecast', parameters: { city: 'Oslo', apiKey: 'k', cty: 'Bergen' } }] };
  const refusal = await env.start(plan).catch((err: unknown) => err);
  expect(refusal).toBeInstanceOf(PlanValidationError);
  expect((refusal as PlanValidationError).problems).toEqual([
    { stepId: 'w', field: 'parameters.cty', message: 'unknown parameter "cty" (did you mean "city"?)' },
  ]);
  const direct = await env.client.workflow
    .execute(RUN_PLAN_WORKFLOW, { args: [plan], taskQueue: env.taskQueue, workflowId: uniqueId('direct') })
    .catch((err: unknown) => err);
  expect(direct).toBeInstanceOf(WorkflowFailedError);
  expect((direct as WorkflowFailedError).cause?.message).toContain(
    'step "w": parameters.cty: unknown parameter "cty" (did you mean "city"?)',
  );
});
