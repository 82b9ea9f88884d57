import { approveSignal } from '../../src/workflows/definitions';
import { waitForState } from '../support/wait-for-state';
import { startTestWorker, stateFromFreshWorker } from '../support/plan-worker';

test('the state a fresh worker rebuilds from history equals the state the run returned, timestamps included', async () => {
  const env = await startTestWorker();
  const handle = await env.start({
    options: { requireApproval: true, allowParallel: true },
    steps: [
      { id: 'a', toolName: 'echo', parameters: { x: 1 }, compensate: { toolName: 'noop' } },
      {
        id: 'b',
        toolName: 'sleep',
        parameters: { ms: 100 },
        dependsOn: ['a'],
        compensate: { toolName: 'sleep', parameters: { ms: 50 } },
      },
      { id: 'c', toolName: 'fail', parameters: { failTimes: 1 }, maxRetries: 1, retryDelayMs: 10, dependsOn: ['a'] },
      { id: 'gate', toolName: 'noop', dependsOn: ['c'], requiresApproval: true },
      { id: 'd', toolName: 'fail', parameters: { message: 'late failure' }, dependsOn: ['b', 'gate'] },
    ],
  });
  await handle.signal(approveSignal, { by: 'alice' });
  await waitForState(handle, (s) => s.steps[3]!.status === 'waiting_approval');
  await handle.signal(approveSignal, { by: 'bob', step: 'gate' });
  const result = await handle.result();
  expect(result.status).toBe('failed');
  expect(result.summary.compensated).toBe(2);
  await env.worker.shutdown();
  expect(await stateFromFreshWorker(env, handle)).toEqual(result);
  await env.stop();
});
