import { Worker } from '@temporalio/worker';
import { PlanValidationError } from '../../src/api/plans';
import { UNTRACED_SINKS } from '../../src/telemetry/tracing';
import { startTestWorker, stateFromFreshWorker, type TestWorker } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

let env: TestWorker;
beforeAll(async () => {
  env = await startTestWorker();
});
afterAll(() => env?.stop());

const localPlan = {
  options: { allowParallel: true },
  steps: [
    { id: 'a', toolName: 'echo', parameters: { n: 1 }, local: true },
    {
      id: 'b',
      toolName: 'fail',
      parameters: { failTimes: 2 },
      maxRetries: 2,
      retryDelayMs: 10,
      local: true,
      dependsOn: ['a'],
    },
    { id: 'c', toolName: 'echo', parameters: { from: '{{steps.a.result.n}}' }, local: true, dependsOn: ['b'] },
    { id: 'd', toolName: 'echo', parameters: { regular: true }, dependsOn: ['a'] },
  ],
};

test('local steps run as local activities: one marker each, retried like any step, results flowing on', async () => {
  const handle = await env.start(localPlan);
  const state = await handle.result();
  expect(state.status).toBe('completed');
  expect(state.steps.map((s) => [s.id, s.status, s.attempts])).toEqual([
    ['a', 'completed', 1],
    ['b', 'completed', 3],
    ['c', 'completed', 1],
    ['d', 'completed', 1],
  ]);
  expect(state.steps[2]!.result).toEqual({ from: 1 });
  const { events } = await handle.fetchHistory();
  const scheduled = events!
    .filter((e) => e.activityTaskScheduledEventAttributes)
    .map((e) => e.activityTaskScheduledEventAttributes!.activityType!.name);
  // Only the regular step (and the plan's tool check) went through the task queue.
  expect(scheduled.sort()).toEqual(['checkPlanTools', 'echo']);
  expect(
    events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
  ).toBeGreaterThanOrEqual(3);
  // The mirror sees local steps like any other.
  const { rows } = await env.pool.query(
    `SELECT step_id, status, attempts FROM task_plans WHERE plan_id = $1 AND step_id = 'b'`,
    [state.planId],
  );
  expect(rows).toEqual([{ step_id: 'b', status: 'completed', attempts: 3 }]);
});

test('a fresh worker replays a plan with local steps to the same state, without a nondeterminism error', async () => {
  // Many local steps at once, finishing in whatever order the worker happens to finish them, next to regular ones.
  const wide = Array.from({ length: 40 }, (_, i) => ({
    id: `w${i}`,
    toolName: i % 7 === 0 ? 'fail' : 'echo',
    parameters: i % 7 === 0 ? { failTimes: 1 } : { i },
    maxRetries: 1,
    retryDelayMs: 5,
    local: i % 5 !== 0,
    dependsOn: ['a'],
  }));
  const handle = await env.start({
    ...localPlan,
    options: { allowParallel: true, maxParallelSteps: 16 },
    steps: [...localPlan.steps, ...wide, { id: 'z', toolName: 'echo', local: true, dependsOn: wide.map((w) => w.id) }],
  });
  const result = await handle.result();
  await env.worker.shutdown();
  // Replaying the whole history must not meet a single command out of order.
  await Worker.runReplayHistory(
    { workflowBundle: { codePath: testStack().workflowBundlePath }, sinks: UNTRACED_SINKS },
    await handle.fetchHistory(),
    handle.workflowId,
  );
  expect(await stateFromFreshWorker(env, handle)).toEqual(result);
  env = await startTestWorker();
});

test('a tool that can run long or heartbeats is refused as local, before the plan starts', async () => {
  const refusal = await env
    .start({ steps: [{ id: 'nap', toolName: 'sleep', parameters: { ms: 10 }, local: true }] })
    .catch((err: unknown) => err);
  expect(refusal).toBeInstanceOf(PlanValidationError);
  expect((refusal as PlanValidationError).problems).toEqual([
    expect.objectContaining({
      stepId: 'nap',
      field: 'local',
      message: expect.stringContaining('cannot run as a local activity'),
    }),
  ]);
});

test('a sub-plan step cannot be local either', async () => {
  const refusal = await env
    .start({
      steps: [
        {
          id: 'child',
          toolName: 'subplan',
          parameters: { plan: { steps: [{ id: 'x', toolName: 'noop' }] } },
          local: true,
        },
      ],
    })
    .catch((err: unknown) => err);
  expect((refusal as PlanValidationError).problems).toEqual([
    expect.objectContaining({ stepId: 'child', field: 'local' }),
  ]);
});
