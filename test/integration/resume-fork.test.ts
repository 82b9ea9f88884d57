import { forkPlan, resumePlan } from '../../src/api/resume';
import { DecisionRefusedError } from '../../src/api/plans';
import { SharedMemory } from '../../src/store/shared-memory';
import { cliOn } from '../support/cli';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';

let env: TestWorker;
beforeAll(async () => {
  env = await startTestWorker();
});
afterAll(() => env?.stop());

/** Step ids whose activity the run with this id scheduled (the latest run of the workflow id). */
async function ranSteps(workflowId: string, runId?: string): Promise<string[]> {
  const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
  return history.events!.flatMap((e) => {
    const a = e.activityTaskScheduledEventAttributes;
    return a && a.activityType?.name !== 'checkPlanTools' ? [a.activityId!] : [];
  });
}

test('resume: a failed plan runs again under its id, reusing completed results and running only the rest', async () => {
  const ns = { project: uniqueId('resume'), environment: 'test', agentType: 'a', sessionId: 's' };
  const path = `${ns.project}/test/a/s`;
  const memory = new SharedMemory(env.pool);
  await memory.set(ns, 'lock', 'taken'); // makes `claim` fail the first time
  const handle = await env.start({
    options: { onFailure: 'fail', memoryNamespaces: [path] }, // `claim` names it, so the plan declares it
    steps: [
      { id: 'prepare', toolName: 'echo', parameters: { batch: 7 } },
      {
        id: 'claim',
        toolName: 'memory_set',
        parameters: { key: 'lock', value: 'mine', expectedVersion: 0, namespace: path },
        dependsOn: ['prepare'],
      },
      { id: 'work', toolName: 'echo', parameters: { on: '{{steps.prepare.result.batch}}' }, dependsOn: ['claim'] },
    ],
  });
  const first = await handle.result();
  expect(first.status).toBe('failed');

  await memory.delete(ns, 'lock'); // the operator clears the cause
  const again = await resumePlan(env.client, handle.workflowId, env.taskQueue);
  expect(again.workflowId).toBe(handle.workflowId);
  const state = await again.result();
  expect(state.status).toBe('completed');
  expect(state.steps[0]).toEqual(first.steps[0]); // reused as recorded, times included
  expect(state.steps[2]!.result).toEqual({ on: 7 });
  expect(await ranSteps(handle.workflowId, again.firstExecutionRunId)).toEqual(['claim', 'work']);

  await expect(resumePlan(env.client, handle.workflowId, env.taskQueue)).rejects.toThrow(
    new DecisionRefusedError(
      `plan "${handle.workflowId}" ended completed; only failed, partial or cancelled plans can run again`,
    ),
  );
});

test('a compensated plan cannot be resumed: its work was undone', async () => {
  const handle = await env.start({
    steps: [
      { id: 'a', toolName: 'echo', parameters: {}, compensate: { toolName: 'noop' } },
      { id: 'b', toolName: 'fail', parameters: {}, dependsOn: ['a'] },
    ],
  });
  await handle.result();
  await expect(resumePlan(env.client, handle.workflowId, env.taskQueue)).rejects.toThrow(/was compensated \(a\)/);
});

test('fork: re-runs a chosen step and what follows it with new parameters, reusing the steps before it', async () => {
  const handle = await env.start({
    steps: [
      { id: 'fetch', toolName: 'echo', parameters: { rows: 100 } },
      { id: 'tune', toolName: 'echo', parameters: { factor: 1 }, dependsOn: ['fetch'] },
      {
        id: 'apply',
        toolName: 'echo',
        parameters: { factor: '{{steps.tune.result.factor}}', rows: '{{steps.fetch.result.rows}}' },
        dependsOn: ['tune'],
      },
      { id: 'aside', toolName: 'echo', parameters: { untouched: true } },
    ],
  });
  const original = await handle.result();
  const newId = uniqueId('fork');
  const fork = await forkPlan(env.client, handle.workflowId, {
    fromStep: 'tune',
    parameters: { factor: 3 },
    newId,
    taskQueue: env.taskQueue,
    catalog: env.tools,
  });
  const state = await fork.result();
  expect(state).toMatchObject({ planId: newId, status: 'completed' });
  expect(state.steps.find((s) => s.id === 'apply')!.result).toEqual({ factor: 3, rows: 100 });
  expect(state.steps[0]).toEqual(original.steps[0]);
  expect((await ranSteps(newId)).sort()).toEqual(['apply', 'tune']);
  await expect(
    forkPlan(env.client, handle.workflowId, {
      fromStep: 'nope',
      newId: uniqueId('f'),
      taskQueue: env.taskQueue,
      catalog: env.tools,
    }),
  ).rejects.toThrow(/has no step "nope"/);
});

test('plan resume and plan fork from the shell', async () => {
  const run = cliOn(env.taskQueue);
  const handle = await env.start({
    steps: [
      { id: 'one', toolName: 'echo', parameters: { v: 1 } },
      { id: 'two', toolName: 'echo', parameters: { v: 2 }, dependsOn: ['one'] },
    ],
  });
  await handle.result();
  const newId = uniqueId('cli-fork');
  const [resumed, forked, missing] = await Promise.all([
    run(['resume', handle.workflowId]),
    run(['fork', handle.workflowId, '--from', 'two', '--params', '{"v":20}', '--id', newId]),
    run(['fork', handle.workflowId]),
  ]);
  expect(resumed.code).toBe(1);
  expect(resumed.stderr).toMatch(/refused: .*ended completed/);
  expect(forked.code).toBe(0);
  expect(forked.stdout).toContain(`Forked ${handle.workflowId} from two as plan ${newId}`);
  expect(missing.code).toBe(2);
  expect((await env.client.workflow.getHandle(newId).result()).steps[1]!.result).toEqual({ v: 20 });
});
