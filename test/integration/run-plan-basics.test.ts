import { WorkflowFailedError } from '@temporalio/client';
import { PlanValidationError, startPlan } from '../../src/api/plans';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';

let env: TestWorker;
beforeAll(async () => {
  env = await startTestWorker();
});
afterAll(() => env?.stop());

const start = (plan: Record<string, unknown>) =>
  startPlan(env.client, { id: uniqueId('basic'), ...plan }, { taskQueue: env.taskQueue, catalog: env.tools });

test('a diamond plan runs every step and passes results along', async () => {
  const handle = await start({
    description: 'diamond',
    options: { allowParallel: true, maxParallelSteps: 4 },
    steps: [
      { id: 'a', toolName: 'echo', parameters: { artifact: 'app.tgz' } },
      { id: 'b', toolName: 'echo', dependsOn: ['a'], parameters: { got: '{{steps.a.result.artifact}}' } },
      { id: 'c', toolName: 'echo', dependsOn: ['a'], parameters: { text: 'built {{steps.a.result.artifact}}' } },
      { id: 'd', toolName: 'noop', dependsOn: ['b', 'c'] },
    ],
  });
  const state = await handle.result();
  expect(state.status).toBe('completed');
  expect(state.steps.map((s) => [s.id, s.status])).toEqual([
    ['a', 'completed'],
    ['b', 'completed'],
    ['c', 'completed'],
    ['d', 'completed'],
  ]);
  expect(state.steps[1]!.result).toEqual({ got: 'app.tgz' });
  expect(state.steps[2]!.result).toEqual({ text: 'built app.tgz' });
  expect(state.summary).toMatchObject({ total: 4, completed: 4, failed: 0 });
});

test('a plan started around the client with a bad tool fails with PlanValidationError', async () => {
  const handle = await env.client.workflow.start('runPlan', {
    workflowId: uniqueId('invalid'),
    taskQueue: env.taskQueue,
    args: [{ steps: [{ id: 'x', toolName: 'no_such_tool' }] }],
  });
  const err = await handle.result().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect((err as WorkflowFailedError).cause).toMatchObject({ type: 'PlanValidationError' });
  expect((err as WorkflowFailedError).cause?.message).toMatch(/no_such_tool/);
});

test('the client refuses a bad plan before starting anything, listing every problem with its step', async () => {
  const id = uniqueId('refused');
  const err = await start({
    id,
    steps: [
      { id: 'a', toolName: 'echo', dependsOn: ['b'] },
      { id: 'b', toolName: 'echo', dependsOn: ['a'] },
      { id: 'c', toolName: 'sleep', parameters: { ms: 'soon' } },
      { id: 'd', toolName: 'nope' },
    ],
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PlanValidationError);
  const problems = (err as PlanValidationError).problems;
  expect(problems.map((p) => p.stepId)).toEqual(expect.arrayContaining(['a', 'c', 'd']));
  expect(problems.map((p) => p.message).join('\n')).toMatch(/cycle: a -> b -> a|cycle.*a.*b/);
  await expect(env.client.workflow.getHandle(id).describe()).rejects.toThrow(/not found/i);
});
