import { CancelledFailure, type WorkflowFailedError } from '@temporalio/client';
import { decide } from '../../src/api/plans';
import type { PlanSnapshot } from '../../src/plan';
import { SharedMemory } from '../../src/store/shared-memory';
import { stateQuery } from '../../src/workflows/definitions';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';
import { waitForState } from '../support/wait-for-state';
import { eventually } from '../support/eventually';

let env: TestWorker;
beforeAll(async () => {
  env = await startTestWorker();
});
afterAll(() => env?.stop());

const undoable = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  toolName: 'echo',
  parameters: { made: id },
  compensate: { toolName: 'echo', parameters: { undo: id } },
  ...extra,
});

test('a sub-plan runs as a child workflow <parent>/<step>, and its final state is the step result', async () => {
  const handle = await env.start({
    steps: [
      { id: 'prepare', toolName: 'echo', parameters: { topic: 'indexes' } },
      {
        id: 'analyse',
        toolName: 'subplan',
        dependsOn: ['prepare'],
        parameters: {
          plan: { description: 'nested', steps: [{ id: 'inner', toolName: 'echo', parameters: { about: 'x' } }] },
        },
      },
      {
        id: 'report',
        toolName: 'echo',
        dependsOn: ['analyse'],
        parameters: { inner: '{{steps.analyse.result.steps.0.result.about}}' },
      },
    ],
  });
  const state = await handle.result();
  expect(state.status).toBe('completed');
  expect(state.steps[2]!.result).toEqual({ inner: 'x' });
  const child = env.client.workflow.getHandle(`${handle.workflowId}/analyse`);
  expect((await child.describe()).parentExecution?.workflowId).toBe(handle.workflowId);
  expect(await child.result()).toMatchObject({
    planId: `${handle.workflowId}/analyse`,
    status: 'completed',
    description: 'nested',
  });
});

test('a sub-plan keeps its own approval policy, approved at its own id', async () => {
  const handle = await env.start({
    steps: [
      {
        id: 'gated',
        toolName: 'subplan',
        parameters: { plan: { options: { requireApproval: true }, steps: [{ id: 'x', toolName: 'noop' }] } },
      },
    ],
  });
  const childId = `${handle.workflowId}/gated`;
  await eventually(
    async () =>
      (
        await env.client.workflow
          .getHandle(childId)
          .query(stateQuery)
          .catch(() => null)
      )?.status === 'pending_approval',
    'the child to wait for approval',
  );
  expect((await handle.query(stateQuery)).steps[0]!.status).toBe('running');
  await decide(env.client, childId, { decision: 'approve', by: 'lead' });
  expect((await handle.result()).status).toBe('completed');
});

test('each sub-plan has its own memory namespace unless the step names one', async () => {
  const shared = `proj-${uniqueId('ns')}/test/analyst/shared`;
  const write = (value: string) => ({
    steps: [{ id: 'w', toolName: 'memory_set', parameters: { key: 'finding', value } }],
  });
  const handle = await env.start({
    // A sub-plan may reach only what its parent may, so the parent declares the namespace it hands to c.
    options: { allowParallel: true, memoryNamespaces: [shared] },
    steps: [
      { id: 'a', toolName: 'subplan', parameters: { plan: write('from a') } },
      { id: 'b', toolName: 'subplan', parameters: { plan: write('from b') } },
      { id: 'c', toolName: 'subplan', parameters: { plan: write('from c'), namespace: shared } },
    ],
  });
  expect((await handle.result()).status).toBe('completed');
  const memory = new SharedMemory(env.pool);
  const own = (step: string) => ({
    project: 'durable-plans',
    environment: 'default',
    agentType: 'plan',
    sessionId: `${handle.workflowId}>${step}`,
  });
  expect((await memory.get(own('a'), 'finding'))?.value).toBe('from a');
  expect((await memory.get(own('b'), 'finding'))?.value).toBe('from b');
  const [project, environment, agentType, sessionId] = shared.split('/') as [string, string, string, string];
  expect((await memory.get({ project, environment, agentType, sessionId }, 'finding'))?.value).toBe('from c');
  expect(await memory.get(own('c'), 'finding')).toBeNull();
});

test('a failing sub-plan fails its step; compensating the parent undoes a completed sub-plan', async () => {
  const handle = await env.start({
    steps: [
      {
        id: 'done',
        toolName: 'subplan',
        parameters: { plan: { steps: [undoable('x'), undoable('y', { dependsOn: ['x'] })] } },
      },
      {
        id: 'broken',
        toolName: 'subplan',
        dependsOn: ['done'],
        parameters: { plan: { steps: [{ id: 'f', toolName: 'fail', parameters: { message: 'nope' } }] } },
      },
    ],
  });
  const state = await handle.result();
  expect(state.status).toBe('failed');
  expect(state.steps[1]).toMatchObject({ status: 'failed', errorType: 'SubPlanFailed' });
  expect(state.steps[1]!.error).toMatch(/sub-plan ended failed/);
  expect(state.steps[0]).toMatchObject({ status: 'compensated', compensation: { status: 'compensated', error: null } });
  const undo: PlanSnapshot = await env.client.workflow.getHandle(`${handle.workflowId}/done/undo`).result();
  expect(undo.steps.map((s) => s.status)).toEqual(['compensated', 'compensated']);
});

test('cancelling the parent reaches the running child, which compensates and ends cancelled', async () => {
  const handle = await env.start({
    steps: [
      {
        id: 'long',
        toolName: 'subplan',
        parameters: {
          plan: {
            steps: [
              undoable('first'),
              { id: 'wait', toolName: 'sleep', parameters: { ms: 60_000 }, dependsOn: ['first'] },
            ],
          },
        },
      },
    ],
  });
  const child = env.client.workflow.getHandle(`${handle.workflowId}/long`);
  await eventually(
    async () => (await child.query(stateQuery).catch(() => null))?.steps[1]?.status === 'running',
    'the child step to run',
  );
  await handle.cancel();
  const err = await handle.result().catch((e: unknown) => e);
  expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  expect((await child.describe()).status.name).toBe('CANCELLED');
  const childState = await child.query(stateQuery);
  expect(childState.steps.map((s: { status: string }) => s.status)).toEqual(['compensated', 'failed']);
  expect((await waitForState(handle, (s) => s.status === 'cancelled')).steps[0]!.status).toBe('failed');
  expect(childState.status).toBe('cancelled');
});

test('a bad nested plan is refused before the parent starts, naming the parent step', async () => {
  const err = await env
    .start({
      steps: [{ id: 'outer', toolName: 'subplan', parameters: { plan: { steps: [{ id: 'x', toolName: 'nope' }] } } }],
    })
    .catch((e: unknown) => e);
  expect((err as { problems: { stepId: string; message: string }[] }).problems).toEqual([
    expect.objectContaining({ stepId: 'outer', message: expect.stringContaining('unknown tool "nope"') }),
  ]);
});
