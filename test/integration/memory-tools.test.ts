import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { PlanValidationError } from '../../src/api/plans';
import { formatNamespace, planNamespace, type MemoryNamespace } from '../../src/plan';
import { createPool } from '../../src/store/pool';
import { SharedMemory } from '../../src/store/shared-memory';
import { startTestWorker, type TestWorker } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

// Plans that name a namespace use this file's own project; plans that do not get their own (plan id) namespace.
const project = `mt-test-${randomUUID().slice(0, 8)}`;
let env: TestWorker;
let pool: Pool;
let memory: SharedMemory;
let sessions = 0;

beforeAll(async () => {
  env = await startTestWorker();
  pool = createPool(testStack().databaseUrl);
  memory = new SharedMemory(pool);
});
afterAll(async () => {
  await env?.stop();
  await pool?.end();
});

const run = async (plan: Record<string, unknown>) => {
  const handle = await env.start(plan);
  return { planId: handle.workflowId, state: await handle.result() };
};
type State = Awaited<ReturnType<typeof run>>['state'];
const step = (state: State, id: string) => state.steps.find((s) => s.id === id)!;

function sharedNamespace(): MemoryNamespace {
  return { project, environment: 'test', agentType: 'planner', sessionId: `session-${++sessions}` };
}

test('a step writes with memory_set and a dependent step reads it back with memory_get', async () => {
  const { planId, state } = await run({
    steps: [
      { id: 'write', toolName: 'memory_set', parameters: { key: 'greeting', value: { text: 'hello', n: [1, 2] } } },
      { id: 'read', toolName: 'memory_get', parameters: { key: 'greeting' }, dependsOn: ['write'] },
      { id: 'use', toolName: 'echo', parameters: { got: '{{steps.read.result.value}}' }, dependsOn: ['read'] },
    ],
  });
  expect(state.status).toBe('completed');
  const own = planNamespace('default', planId);
  expect(step(state, 'write').result).toEqual({
    namespace: formatNamespace(own),
    key: 'greeting',
    version: 1,
    expiresAt: null,
    previous: null,
  });
  expect(step(state, 'read').result).toEqual({ found: true, value: { text: 'hello', n: [1, 2] }, version: 1 });
  expect(step(state, 'use').result).toEqual({ got: { text: 'hello', n: [1, 2] } });

  // The row names the plan, the step and the attempt that wrote it, and the step's idempotency key.
  expect((await memory.get(own, 'greeting'))!.writtenBy).toEqual({ planId, stepId: 'write', attempt: 1 });
  const { rows } = await pool.query(
    'SELECT written_by_key FROM shared_memory WHERE project = $1 AND environment = $2 AND agent_type = $3 AND session_id = $4',
    [own.project, own.environment, own.agentType, own.sessionId],
  );
  expect(rows).toEqual([{ written_by_key: `${planId}:write` }]);
});

test('a missing key reads as found: false', async () => {
  const { state } = await run({
    steps: [{ id: 'read', toolName: 'memory_get', parameters: { key: 'never written' } }],
  });
  expect(step(state, 'read').result).toEqual({ found: false, value: null, version: null });
});

test('options.memoryNamespace is where the steps write; agents outside the plan read it there', async () => {
  const ns = sharedNamespace();
  const { planId, state } = await run({
    options: { memoryNamespace: formatNamespace(ns) },
    steps: [
      {
        id: 'note',
        toolName: 'memory_set',
        parameters: { key: 'finding', value: 'the cache is cold', ttlSeconds: 600 },
      },
    ],
  });
  expect(state.status).toBe('completed');
  expect(step(state, 'note').result).toMatchObject({
    namespace: formatNamespace(ns),
    version: 1,
    expiresAt: expect.any(String),
  });
  expect(await memory.get(ns, 'finding')).toMatchObject({
    value: 'the cache is cold',
    writtenBy: { planId, stepId: 'note' },
  });
  expect(await memory.get(planNamespace('default', planId), 'finding')).toBeNull();
});

test("two plans without a namespace do not see each other's keys", async () => {
  const first = await run({
    steps: [{ id: 'write', toolName: 'memory_set', parameters: { key: 'mine', value: 'first' } }],
  });
  const second = await run({
    steps: [
      { id: 'peek', toolName: 'memory_get', parameters: { key: 'mine' } },
      { id: 'write', toolName: 'memory_set', parameters: { key: 'mine', value: 'second' }, dependsOn: ['peek'] },
      { id: 'list', toolName: 'memory_list', parameters: {}, dependsOn: ['write'] },
    ],
  });
  expect(step(second.state, 'peek').result).toEqual({ found: false, value: null, version: null });
  expect(step(second.state, 'write').result).toMatchObject({ version: 1 });
  expect(step(second.state, 'list').result).toEqual({
    entries: [
      { namespace: formatNamespace(planNamespace('default', second.planId)), key: 'mine', value: 'second', version: 1 },
    ],
    truncated: false,
  });
  expect((await memory.get(planNamespace('default', first.planId), 'mine'))!.value).toBe('first');
});

test("an explicit namespace parameter overrides the plan's; memory_list and memory_delete work on it", async () => {
  const ns = sharedNamespace();
  await memory.set(ns, 'task:2', 'b');
  await memory.set(ns, 'other', 'x');
  const path = formatNamespace(ns);
  const { state } = await run({
    // A step reaches a namespace other than its plan's only when the plan file declares it (memory-isolation.test.ts).
    options: { memoryNamespaces: [`${project}/test/planner/*`] },
    steps: [
      { id: 'add', toolName: 'memory_set', parameters: { namespace: path, key: 'task:1', value: 'a' } },
      {
        id: 'list',
        toolName: 'memory_list',
        parameters: { namespace: `${project}/test/planner`, keyPrefix: 'task:' },
        dependsOn: ['add'],
      },
      {
        id: 'drop',
        toolName: 'memory_delete',
        parameters: { namespace: path, key: 'task:2', expectedVersion: 1 },
        dependsOn: ['list'],
      },
      { id: 'again', toolName: 'memory_delete', parameters: { namespace: path, key: 'task:2' }, dependsOn: ['drop'] },
    ],
  });
  expect(state.status).toBe('completed');
  expect(step(state, 'list').result).toEqual({
    entries: [
      { namespace: path, key: 'task:1', value: 'a', version: 1 },
      { namespace: path, key: 'task:2', value: 'b', version: 1 },
    ],
    truncated: false,
  });
  expect(step(state, 'drop').result).toEqual({ deleted: true });
  expect(step(state, 'again').result).toEqual({ deleted: false });
  expect(await memory.get(ns, 'task:2')).toBeNull();
});

test('compare-and-set with the version a previous step read succeeds', async () => {
  const ns = sharedNamespace();
  const { state } = await run({
    options: { memoryNamespace: formatNamespace(ns) },
    steps: [
      { id: 'init', toolName: 'memory_set', parameters: { key: 'counter', value: 1, expectedVersion: 0 } },
      { id: 'read', toolName: 'memory_get', parameters: { key: 'counter' }, dependsOn: ['init'] },
      {
        id: 'bump',
        toolName: 'memory_set',
        parameters: { key: 'counter', value: 2, expectedVersion: '{{steps.read.result.version}}' },
        dependsOn: ['read'],
      },
    ],
  });
  expect(state.status).toBe('completed');
  expect(step(state, 'bump').result).toMatchObject({ version: 2 });
  expect((await memory.get(ns, 'counter'))!.value).toBe(2);
});

test('a stale expectedVersion fails the step with MemoryConflict after one attempt, despite maxRetries', async () => {
  const ns = sharedNamespace();
  const { state } = await run({
    // onFailure: fail, so no compensation undoes the earlier writes and the stale write's effect (none) shows.
    options: { memoryNamespace: formatNamespace(ns), onFailure: 'fail' },
    steps: [
      { id: 'create', toolName: 'memory_set', parameters: { key: 'counter', value: 1, expectedVersion: 0 } },
      { id: 'bump', toolName: 'memory_set', parameters: { key: 'counter', value: 2 }, dependsOn: ['create'] },
      {
        id: 'stale',
        toolName: 'memory_set',
        parameters: { key: 'counter', value: 99, expectedVersion: 1 },
        dependsOn: ['bump'],
        maxRetries: 3,
        retryDelayMs: 10,
      },
    ],
  });
  expect(state.status).toBe('failed');
  expect(step(state, 'stale')).toMatchObject({ status: 'failed', attempts: 1, errorType: 'MemoryConflict' });
  expect(step(state, 'stale').error).toMatch(/"counter": expected version 1, found version 2/);
  expect(await memory.get(ns, 'counter')).toMatchObject({ value: 2, version: 2 });
});

test('a malformed namespace or key is refused before the plan starts, with the parse message', async () => {
  const refusal = await env
    .start({
      steps: [
        { id: 'a', toolName: 'memory_get', parameters: { key: 'k', namespace: 'only/three/parts' } },
        { id: 'b', toolName: 'memory_list', parameters: { namespace: 'p/e/a/s/extra' } },
        { id: 'c', toolName: 'memory_set', parameters: { key: '', value: 1 } },
        { id: 'd', toolName: 'memory_set', parameters: { key: 'k' } },
      ],
    })
    .then(
      () => null,
      (err: unknown) => err,
    );
  expect(refusal).toBeInstanceOf(PlanValidationError);
  const messages = (refusal as PlanValidationError).problems.map((p) => `${p.stepId}: ${p.message}`);
  expect(messages).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^a: namespace "only\/three\/parts" must have 4 parts/),
      expect.stringMatching(/^b: namespace "p\/e\/a\/s\/extra" has more than 4 parts/),
      'c: key must not be empty',
      'd: value is required',
    ]),
  );
});

describe('default compensation', () => {
  test('a failed plan undoes its memory_set steps: created keys are removed, overwritten ones restored', async () => {
    const env = await startTestWorker();
    try {
      const ns = `proj-${Math.random().toString(36).slice(2, 8)}/test/agent/s`;
      const memory = new SharedMemory(env.pool);
      const [project, environment, agentType, sessionId] = ns.split('/') as [string, string, string, string];
      const where = { project, environment, agentType, sessionId };
      await memory.set(where, 'kept', 'original');
      const state = await (
        await env.start({
          options: { memoryNamespaces: [ns] }, // the steps name it, so the plan must declare it
          steps: [
            { id: 'create', toolName: 'memory_set', parameters: { key: 'fresh', value: 1, namespace: ns } },
            {
              id: 'overwrite',
              toolName: 'memory_set',
              dependsOn: ['create'],
              parameters: { key: 'kept', value: 'changed', namespace: ns },
            },
            {
              id: 'again',
              toolName: 'memory_set',
              dependsOn: ['overwrite'],
              parameters: { key: 'fresh', value: 2, namespace: ns },
            },
            { id: 'boom', toolName: 'fail', dependsOn: ['again'], parameters: { message: 'later step failed' } },
          ],
        })
      ).result();
      expect(state.status).toBe('failed');
      expect(state.steps.map((s) => s.status)).toEqual(['compensated', 'compensated', 'compensated', 'failed']);
      expect(await memory.get(where, 'fresh')).toBeNull();
      expect((await memory.get(where, 'kept'))?.value).toBe('original');
    } finally {
      await env.stop();
    }
  });
});
