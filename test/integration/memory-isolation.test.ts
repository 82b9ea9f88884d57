import { decide, PlanValidationError } from '../../src/api/plans';
import { formatNamespace, planNamespace, type MemoryNamespace } from '../../src/plan';
import { getPlanProgress, getTaskPlansByPlan } from '../../src/store/mirror-reads';
import { SharedMemory } from '../../src/store/shared-memory';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';
import { waitForState } from '../support/wait-for-state';

// Plans are often written by models: whatever namespace a plan names, its steps reach only their own and what the
// plan file declares. Operators (SharedMemory here, the CLI) keep full access.
let env: TestWorker;
let memory: SharedMemory;

beforeAll(async () => {
  env = await startTestWorker();
  memory = new SharedMemory(env.pool);
});
afterAll(() => env?.stop());

const run = async (plan: Record<string, unknown>) => (await env.start(plan)).result();
type State = Awaited<ReturnType<typeof run>>;
const step = (state: State, id: string) => state.steps.find((s) => s.id === id)!;
const project = uniqueId('iso');
const shared = (agentType: string, sessionId = 's1'): MemoryNamespace => ({
  project,
  environment: 'test',
  agentType,
  sessionId,
});

test("plan A cannot read, write, delete or list plan B's namespace; B's entry and both plans stay intact", async () => {
  const victimId = uniqueId('victim');
  const victim = await run({
    id: victimId,
    steps: [{ id: 'keep', toolName: 'memory_set', parameters: { key: 'secret', value: 'only mine' } }],
  });
  expect(victim.status).toBe('completed');
  const victimNs = planNamespace('default', victimId);
  const path = formatNamespace(victimNs);

  const attackerId = uniqueId('attacker');
  const attack = (id: string, toolName: string, parameters: Record<string, unknown>) => ({
    id,
    toolName,
    parameters,
    maxRetries: 3,
    retryDelayMs: 10,
  });
  const attacker = await run({
    id: attackerId,
    options: { continueOnError: true, onFailure: 'fail' },
    steps: [
      attack('read', 'memory_get', { key: 'secret', namespace: path }),
      attack('write', 'memory_set', { key: 'secret', value: 'overwritten', namespace: path }),
      attack('erase', 'memory_delete', { key: 'secret', namespace: path }),
      attack('list-plans', 'memory_list', { namespace: 'durable-plans/default/plan' }),
      attack('list-all', 'memory_list', { namespace: 'durable-plans' }),
      // A namespace computed at run time (a tool's output, a model's answer) is no way around it either.
      { id: 'lure', toolName: 'echo', parameters: { ns: path } },
      {
        ...attack('via-result', 'memory_get', { key: 'secret', namespace: '{{steps.lure.result.ns}}' }),
        dependsOn: ['lure'],
      },
      { id: 'own', toolName: 'memory_set', parameters: { key: 'note', value: 'fine' } },
    ],
  });
  expect(attacker.status).toBe('partial');
  for (const id of ['read', 'write', 'erase', 'via-result']) {
    expect(step(attacker, id)).toMatchObject({ status: 'failed', attempts: 1, errorType: 'MemoryAccessDenied' });
    expect(step(attacker, id).error).toContain(`shared memory namespace "${path}" is outside this plan's reach`);
    expect(step(attacker, id).error).toContain('options.memoryNamespaces');
  }
  for (const id of ['list-plans', 'list-all']) {
    expect(step(attacker, id)).toMatchObject({ status: 'failed', attempts: 1, errorType: 'MemoryAccessDenied' });
  }
  expect(step(attacker, 'list-plans').error).toContain('"durable-plans/default/plan/*" is outside');
  expect(step(attacker, 'own')).toMatchObject({ status: 'completed', result: { version: 1 } });

  // B's entry, B's plan and both mirrors are as they were; the refusals are in A's mirror with their type.
  expect(await memory.get(victimNs, 'secret')).toMatchObject({ value: 'only mine', version: 1 });
  expect(await getPlanProgress(env.pool, victimId)).toMatchObject({ status: 'completed', completedSteps: 1 });
  expect(await getPlanProgress(env.pool, attackerId)).toMatchObject({ status: 'partial', failedSteps: 6 });
  const rows = await getTaskPlansByPlan(env.pool, attackerId);
  expect(rows.find((r) => r.stepId === 'write')).toMatchObject({ status: 'failed', errorType: 'MemoryAccessDenied' });
});

test("a plan cannot declare its way into another plan's namespace: refused before it starts", async () => {
  const other = formatNamespace(planNamespace('default', 'someone-else'));
  const refusal = await env
    .start({
      options: { memoryNamespaces: [other, 'durable-plans/*', '*'], memoryNamespace: other },
      steps: [{ id: 'a', toolName: 'memory_get', parameters: { key: 'k', namespace: other } }],
    })
    .catch((err: unknown) => err);
  expect(refusal).toBeInstanceOf(PlanValidationError);
  expect((refusal as PlanValidationError).problems.map((p) => p.field)).toEqual([
    'options.memoryNamespace',
    'options.memoryNamespaces[0]',
    'options.memoryNamespaces[1]',
    'options.memoryNamespaces[2]',
  ]);
});

test('a declared namespace or prefix works; memory_list is scoped to one declaration, wider is refused', async () => {
  const agents = shared('agents');
  await memory.set(shared('agents', 's2'), 'k', 'seen');
  await memory.set(shared('others'), 'k', 'not seen');
  const exact = shared('exact');
  const state = await run({
    options: { memoryNamespaces: [`${project}/test/agents/*`, formatNamespace(exact)], continueOnError: true },
    steps: [
      { id: 'set', toolName: 'memory_set', parameters: { key: 'k', value: 'v', namespace: formatNamespace(agents) } },
      {
        id: 'get',
        toolName: 'memory_get',
        parameters: { key: 'k', namespace: formatNamespace(exact) },
      },
      {
        id: 'list',
        toolName: 'memory_list',
        parameters: { namespace: `${project}/test/agents` },
        dependsOn: ['set'],
      },
      {
        id: 'del',
        toolName: 'memory_delete',
        parameters: { key: 'k', namespace: `${project}/test/agents/s2` },
        dependsOn: ['list'],
      },
      { id: 'wider', toolName: 'memory_list', parameters: { namespace: `${project}/test` } },
      { id: 'sibling', toolName: 'memory_get', parameters: { key: 'k', namespace: `${project}/test/others/s1` } },
    ],
  });
  expect(step(state, 'set')).toMatchObject({ status: 'completed', result: { version: 1 } });
  expect(step(state, 'get').result).toEqual({ found: false, value: null, version: null });
  expect(step(state, 'list').result).toEqual({
    entries: [
      { namespace: `${project}/test/agents/s1`, key: 'k', value: 'v', version: 1 },
      { namespace: `${project}/test/agents/s2`, key: 'k', value: 'seen', version: 1 },
    ],
    truncated: false,
  });
  expect(step(state, 'del').result).toEqual({ deleted: true });
  expect(step(state, 'wider')).toMatchObject({ status: 'failed', errorType: 'MemoryAccessDenied' });
  expect(step(state, 'wider').error).toContain(`"${project}/test/*" is outside this plan's reach`);
  expect(step(state, 'sibling')).toMatchObject({ status: 'failed', errorType: 'MemoryAccessDenied' });
  expect((await memory.get(shared('others'), 'k'))?.value).toBe('not seen');
});

test('memory_list stops at maxBytes and says truncated', async () => {
  const ns = shared('big');
  for (const key of ['a', 'b', 'c']) await memory.set(ns, key, key.repeat(100));
  const state = await run({
    options: { memoryNamespace: formatNamespace(ns) },
    steps: [
      { id: 'capped', toolName: 'memory_list', parameters: { maxBytes: 250 } },
      { id: 'whole', toolName: 'memory_list', parameters: {} },
    ],
  });
  expect(step(state, 'capped').result).toMatchObject({ truncated: true, entries: [{ key: 'a' }, { key: 'b' }] });
  expect((step(state, 'capped').result as { entries: unknown[] }).entries).toHaveLength(2);
  expect(step(state, 'whole').result).toMatchObject({ truncated: false });
});

test("memory_set's undo never erases a value another writer put there after it", async () => {
  const ns = shared('undo');
  await memory.set(ns, 'k', 'original');
  const handle = await env.start({
    options: { memoryNamespace: formatNamespace(ns) },
    steps: [
      { id: 'write', toolName: 'memory_set', parameters: { key: 'k', value: 'from the plan' } },
      { id: 'create', toolName: 'memory_set', parameters: { key: 'fresh', value: 1 } },
      {
        id: 'boom',
        toolName: 'fail',
        parameters: { message: 'later step failed' },
        dependsOn: ['write', 'create'],
        requiresApproval: true,
      },
    ],
  });
  await waitForState(handle, (s) => s.steps[2]!.status === 'waiting_approval');
  // Another agent writes both keys after the plan did, while the plan waits.
  await memory.set(ns, 'k', 'from another agent');
  await memory.set(ns, 'fresh', 'also theirs');
  await decide(env.client, handle.workflowId, { decision: 'approve', by: 'lead', step: 'boom' });
  const state = await handle.result();
  expect(state.status).toBe('failed');
  expect(step(state, 'write').status).toBe('compensated');
  expect(await memory.get(ns, 'k')).toMatchObject({ value: 'from another agent', version: 3 });
  expect(await memory.get(ns, 'fresh')).toMatchObject({ value: 'also theirs', version: 2 });
});

describe('sub-plans', () => {
  const child = (options: Record<string, unknown>) => ({
    options,
    steps: [{ id: 'w', toolName: 'memory_set', parameters: { key: 'k', value: 'child' } }],
  });

  test('a child may not ask for more than its parent may reach; it never starts', async () => {
    const wanted = formatNamespace(shared('child-wants'));
    const parentId = uniqueId('parent');
    const state = await run({
      id: parentId,
      options: { memoryNamespaces: [`${project}/test/granted/*`], onFailure: 'fail', continueOnError: true },
      steps: [
        { id: 'declares', toolName: 'subplan', parameters: { plan: child({ memoryNamespaces: [wanted] }) } },
        { id: 'named', toolName: 'subplan', parameters: { plan: child({}), namespace: wanted } },
        {
          id: 'granted',
          toolName: 'subplan',
          parameters: { plan: child({}), namespace: formatNamespace(shared('granted')) },
        },
      ],
    });
    for (const id of ['declares', 'named']) {
      expect(step(state, id)).toMatchObject({ status: 'failed', errorType: 'MemoryAccessDenied' });
      expect(step(state, id).error).toContain(`a sub-plan may reach only its own namespace and what its parent may`);
      expect(step(state, id).error).toContain(`"${wanted}"`);
    }
    expect(await memory.get(shared('child-wants'), 'k')).toBeNull();
    expect(await getPlanProgress(env.pool, `${parentId}/declares`)).toBeNull(); // never started
    expect(step(state, 'granted').status).toBe('completed');
    expect((await memory.get(shared('granted'), 'k'))?.value).toBe('child');
  });
});
