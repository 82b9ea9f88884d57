import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import type { PlanSnapshot } from '../../src/plan';
import { cancelSignal, stateQuery } from '../../src/workflows/definitions';
import { startTestWorker, type TestWorker } from '../support/plan-worker';
import { overlapped, waitForState } from '../support/wait-for-state';

let env: TestWorker;
beforeAll(async () => {
  env = await startTestWorker();
});
afterAll(() => env?.stop());

const undoable = (id: string, dependsOn: string[] = [], extra: Record<string, unknown> = {}) => ({
  id,
  toolName: 'echo',
  parameters: { made: id },
  dependsOn,
  compensate: { toolName: 'echo', parameters: { undo: `{{steps.${id}.result.made}}` } },
  ...extra,
});
const compensation = (state: PlanSnapshot, id: string) => state.steps.find((s) => s.id === id)!.compensation!;
const before = (state: PlanSnapshot, first: string, then: string) =>
  Date.parse(compensation(state, first).completedAt) <= Date.parse(compensation(state, then).startedAt);

test('a failure compensates completed steps in reverse dependency order, independent ones together', async () => {
  const state = await (
    await env.start({
      options: { allowParallel: true },
      steps: [
        undoable('root'),
        undoable('left', ['root'], { parameters: { made: 'left' } }),
        // The compensation is slow, so the two middle compensations visibly overlap.
        { ...undoable('right', ['root']), compensate: { toolName: 'sleep', parameters: { ms: 300 } } },
        { ...undoable('left2', ['left']), compensate: { toolName: 'sleep', parameters: { ms: 300 } } },
        { id: 'boom', toolName: 'fail', parameters: { message: 'deploy failed' }, dependsOn: ['left2', 'right'] },
      ],
    })
  ).result();
  expect(state).toMatchObject({ status: 'failed', reason: 'step "boom" failed: deploy failed' });
  expect(Object.fromEntries(state.steps.map((s) => [s.id, s.status]))).toEqual({
    root: 'compensated',
    left: 'compensated',
    right: 'compensated',
    left2: 'compensated',
    boom: 'failed',
  });
  expect(before(state, 'left2', 'left')).toBe(true);
  expect(before(state, 'left', 'root')).toBe(true);
  expect(before(state, 'right', 'root')).toBe(true);
  const asSteps = { ...state, steps: state.steps.map((s) => ({ ...s, ...s.compensation })) } as PlanSnapshot;
  expect(overlapped(asSteps, 'left2', 'right')).toBe(true);
  expect(state.summary).toMatchObject({ compensated: 4, failed: 1 });
});

test('a compensation that fails is recorded as compensation_failed and the others still run', async () => {
  const state = await (
    await env.start({
      steps: [
        undoable('a'),
        {
          ...undoable('b', ['a']),
          compensate: { toolName: 'fail', parameters: { message: 'rollback refused', nonRetryable: true } },
        },
        { id: 'c', toolName: 'fail', parameters: {}, dependsOn: ['b'] },
      ],
    })
  ).result();
  expect(state.status).toBe('failed');
  expect(compensation(state, 'b')).toMatchObject({ status: 'compensation_failed', error: 'rollback refused' });
  expect(state.steps.map((s) => s.status)).toEqual(['compensated', 'compensation_failed', 'failed']);
  expect(state.summary.compensationFailed).toBe(1);
});

test('cancelling the workflow stops the running step and compensates what completed; Temporal shows it cancelled', async () => {
  const handle = await env.start({
    steps: [
      undoable('reserve'),
      { ...undoable('pay', ['reserve']), compensate: { toolName: 'sleep', parameters: { ms: 200 } } },
      { id: 'wait', toolName: 'sleep', parameters: { ms: 60_000 }, dependsOn: ['pay'] },
    ],
  });
  await waitForState(handle, (s) => s.steps[2]!.status === 'running');
  await handle.cancel();
  const err = await handle.result().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  const state = await handle.query(stateQuery);
  expect(state).toMatchObject({ status: 'cancelled', reason: 'cancelled' });
  expect(state.steps.map((s) => [s.id, s.status, s.error])).toEqual([
    ['reserve', 'compensated', null],
    ['pay', 'compensated', null],
    ['wait', 'failed', 'cancelled'],
  ]);
  expect(before(state, 'pay', 'reserve')).toBe(true);
  expect((await handle.describe()).status.name).toBe('CANCELLED');
});

test('the cancel signal records who and why, stops the running step, compensates, and returns the state', async () => {
  const handle = await env.start({
    steps: [undoable('reserve'), { id: 'wait', toolName: 'sleep', parameters: { ms: 60_000 }, dependsOn: ['reserve'] }],
  });
  await waitForState(handle, (s) => s.steps[1]!.status === 'running');
  await handle.signal(cancelSignal, { by: 'ops', reason: 'wrong target' });
  await handle.signal(cancelSignal, { by: 'someone-else' });
  const state = await handle.result();
  expect(state).toMatchObject({ status: 'cancelled', reason: 'cancelled by ops: wrong target' });
  expect(state.steps.map((s) => s.status)).toEqual(['compensated', 'failed']);
});

test('cancelling a plan that waits for approval ends it cancelled without running anything', async () => {
  const handle = await env.start({ options: { requireApproval: true }, steps: [undoable('reserve')] });
  await handle.signal(cancelSignal, { reason: 'not needed' });
  const state = await handle.result();
  expect(state).toMatchObject({ status: 'cancelled', reason: 'cancelled by anonymous: not needed' });
  expect(state.steps[0]!.status).toBe('skipped');
});
