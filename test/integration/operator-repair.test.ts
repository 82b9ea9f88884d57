import { abortPlan, retryStep, skipStep } from '../../src/api/operator';
import { DecisionRefusedError } from '../../src/api/plans';
import { getPlanProgress } from '../../src/store/mirror-reads';
import { startTestWorker, type TestWorker } from '../support/plan-worker';
import { waitForState } from '../support/wait-for-state';
import { eventually } from '../support/eventually';
import { cliOn } from '../support/cli';

let env: TestWorker;
beforeAll(async () => {
  env = await startTestWorker();
});
afterAll(() => env?.stop());

const paused = (extra: Record<string, unknown>[] = []) => ({
  options: { onFailure: 'pause', allowParallel: true },
  steps: [
    { id: 'book', toolName: 'echo', parameters: { n: 1 }, compensate: { toolName: 'noop' } },
    { id: 'side', toolName: 'sleep', parameters: { ms: 300 } },
    { id: 'charge', toolName: 'fail', parameters: { message: 'card declined' }, dependsOn: ['book'] },
    { id: 'ship', toolName: 'echo', parameters: { charged: '{{steps.charge.result}}' }, dependsOn: ['charge'] },
    ...extra,
  ],
});

test('a failure pauses the plan (running steps finish, nothing new starts); retry with new parameters resumes it', async () => {
  const handle = await env.start(paused());
  const state = await waitForState(handle, (s) => s.status === 'paused' && s.steps[1]!.status === 'completed');
  expect(state).toMatchObject({ reason: 'step "charge" failed: card declined' });
  expect(state.steps[3]!.status).toBe('pending');
  await expect(skipStep(env.client, handle.workflowId, { step: 'ship', by: 'ops' })).rejects.toThrow(
    new DecisionRefusedError('step "ship" has not failed (it is pending)'),
  );

  // The fail tool with failTimes 0 succeeds: the operator "fixed the card".
  expect(await retryStep(env.client, handle.workflowId, { parameters: { failTimes: 0 }, by: 'ops' })).toEqual({
    status: 'executing',
    step: 'charge',
  });
  const done = await handle.result();
  expect(done.status).toBe('completed');
  expect(done.steps[2]).toMatchObject({ status: 'completed', result: { succeededOnAttempt: 1 } });
  expect(done.operatorActions).toEqual([
    { action: 'retry', step: 'charge', by: 'ops', at: expect.any(String), detail: null },
  ]);
  await eventually(
    async () => (await getPlanProgress(env.pool, handle.workflowId))?.status === 'completed',
    'the mirror',
  );
  expect((await getPlanProgress(env.pool, handle.workflowId))!.operatorActions).toEqual(done.operatorActions);
});

test('skip hands the dependents a supplied result; the plan ends partial', async () => {
  const handle = await env.start(paused());
  await waitForState(handle, (s) => s.status === 'paused');
  await skipStep(env.client, handle.workflowId, { step: 'charge', result: { charged: 'manually' }, by: 'ops' });
  const done = await handle.result();
  expect(done.status).toBe('partial');
  expect(done.steps[2]).toMatchObject({ status: 'skipped', error: 'skipped by ops' });
  expect(done.steps[3]!.result).toEqual({ charged: { charged: 'manually' } });
});

test('abort compensates what completed and ends the plan failed; actions on a plan that is not paused are refused', async () => {
  const handle = await env.start(paused());
  await waitForState(handle, (s) => s.status === 'paused');
  await abortPlan(env.client, handle.workflowId, { by: 'ops', reason: 'customer left' });
  const done = await handle.result();
  expect(done).toMatchObject({ status: 'failed', reason: 'aborted by ops: customer left' });
  expect(done.steps[0]!.status).toBe('compensated');

  const running = await env.start({ steps: [{ id: 'slow', toolName: 'sleep', parameters: { ms: 1000 } }] });
  await expect(abortPlan(env.client, running.workflowId, { by: 'x' })).rejects.toThrow(/is not paused/);
  await running.result();
});

test('plan retry / skip / abort from the shell: answers, refusals (exit 1) and bad input (exit 2)', async () => {
  const run = cliOn(env.taskQueue);
  const handle = await env.start(paused());
  await waitForState(handle, (s) => s.status === 'paused');
  const [badParams, noStep] = await Promise.all([
    run(['retry', handle.workflowId, '--params', '{oops']),
    run(['skip', handle.workflowId]),
  ]);
  expect(badParams.code).toBe(2);
  expect(badParams.stderr).toMatch(/--params must be JSON/);
  expect(noStep.code).toBe(2);
  const retried = await run(['retry', handle.workflowId, '--params', '{"failTimes":0}', '--by', 'ops']);
  expect(retried).toMatchObject({
    code: 0,
    stdout: `retrying the failed step; plan ${handle.workflowId} is executing\n`,
  });
  expect((await handle.result()).status).toBe('completed');
  const late = await run(['abort', handle.workflowId, '--reason', 'too late']);
  expect(late.code).toBe(1);
  expect(late.stderr).toMatch(/refused: .*(not paused|already)/);
});
