import { startTestWorker, type TestWorker } from '../support/plan-worker';
import { overlapped, peakConcurrency } from '../support/wait-for-state';

let env: TestWorker;
beforeAll(async () => {
  env = await startTestWorker();
});
afterAll(() => env?.stop());

const sleepStep = (id: string, ms: number, dependsOn: string[] = []) => ({
  id,
  toolName: 'sleep',
  parameters: { ms },
  dependsOn,
});

test('a diamond runs its two middle steps at the same time, and the join only after both', async () => {
  const state = await (
    await env.start({
      options: { allowParallel: true, maxParallelSteps: 4 },
      steps: [
        sleepStep('a', 50),
        sleepStep('b', 400, ['a']),
        sleepStep('c', 400, ['a']),
        sleepStep('d', 50, ['b', 'c']),
      ],
    })
  ).result();
  expect(state.status).toBe('completed');
  expect(overlapped(state, 'b', 'c')).toBe(true);
  const at = (id: string, field: 'startedAt' | 'completedAt') =>
    Date.parse(state.steps.find((s) => s.id === id)![field]!);
  expect(at('b', 'startedAt')).toBeGreaterThanOrEqual(at('a', 'completedAt'));
  expect(at('d', 'startedAt')).toBeGreaterThanOrEqual(Math.max(at('b', 'completedAt'), at('c', 'completedAt')));
});

test('maxParallelSteps bounds how many steps run at once, and the bound is reached', async () => {
  const state = await (
    await env.start({
      options: { allowParallel: true, maxParallelSteps: 3 },
      steps: Array.from({ length: 9 }, (_, i) => sleepStep(`s${i}`, 300)),
    })
  ).result();
  expect(state.status).toBe('completed');
  expect(peakConcurrency(state)).toBe(3);
});

test('dependency-driven, not in waves: a step starts as soon as its own dependency is done', async () => {
  // slow and fast run together; after-fast must not wait for slow, as a wave scheduler would make it.
  const state = await (
    await env.start({
      options: { allowParallel: true, maxParallelSteps: 4 },
      steps: [sleepStep('slow', 1500), sleepStep('fast', 50), sleepStep('after-fast', 50, ['fast'])],
    })
  ).result();
  const step = (id: string) => state.steps.find((s) => s.id === id)!;
  expect(Date.parse(step('after-fast').completedAt!)).toBeLessThan(Date.parse(step('slow').completedAt!));
});

test('without allowParallel steps run one at a time, in the file order when nothing depends on anything', async () => {
  const ids = ['third', 'first', 'second', 'fourth'];
  const state = await (await env.start({ steps: ids.map((id) => sleepStep(id, 30)) })).result();
  expect(peakConcurrency(state)).toBe(1);
  const byStart = [...state.steps].sort((a, b) => Date.parse(a.startedAt!) - Date.parse(b.startedAt!)).map((s) => s.id);
  expect(byStart).toEqual(ids);
  expect(state.steps.map((s) => s.id)).toEqual(ids); // the state keeps the file's order
});

test('plans in batch form: every step of batch k waits for all of batch k-1', async () => {
  const task = (batchIndex: number, taskId: string) => ({
    batchIndex,
    taskId,
    toolName: 'sleep',
    parameters: { ms: batchIndex === 0 && taskId === 'slow0' ? 400 : 30 },
  });
  const state = await (
    await env.start({
      options: { allowParallel: true, maxParallelSteps: 10 },
      tasks: [task(0, 'fast0'), task(0, 'slow0'), task(1, 'one'), task(1, 'two'), task(2, 'last')],
    })
  ).result();
  expect(state.status).toBe('completed');
  const step = (id: string) => state.steps.find((s) => s.id === id)!;
  for (const id of ['one', 'two'])
    expect(Date.parse(step(id).startedAt!)).toBeGreaterThanOrEqual(Date.parse(step('slow0').completedAt!));
  expect(Date.parse(step('last').startedAt!)).toBeGreaterThanOrEqual(Date.parse(step('two').completedAt!));
});
