import { startTestWorker, type TestWorker } from '../support/plan-worker';

let env: TestWorker;
beforeAll(async () => {
  env = await startTestWorker();
});
afterAll(() => env?.stop());

const analyst = (id: string, result: Record<string, unknown>) => ({ id, toolName: 'echo', parameters: result });
const analysts = [
  analyst('a', { action: 'index', score: 0.8, confidence: 3, items: [1, 2] }),
  analyst('b', { action: 'index', score: 0.2, confidence: 1, items: [3] }),
  analyst('c', { action: 'partition', score: 0.5, confidence: 0, items: [] }),
];
const merged = async (parameters: Record<string, unknown>, extra: Record<string, unknown>[] = analysts) => {
  const state = await (
    await env.start({
      options: { allowParallel: true, continueOnError: true },
      steps: [
        ...extra,
        { id: 'm', toolName: 'merge', dependsOn: extra.map((s) => s.id), acceptFailedDependencies: true, parameters },
      ],
    })
  ).result();
  return state.steps.at(-1)!;
};

test('concat gathers every successful result, flattening lists', async () => {
  const step = await merged({
    mode: 'concat',
    inputs: ['{{steps.a.result.items}}', '{{steps.b.result.items}}', '{{steps.c.result.items}}'],
  });
  expect(step.result).toEqual({ mode: 'concat', values: [1, 2, 3], count: 3, failed: [] });
});

test('majority votes on a field and reports the tally', async () => {
  const step = await merged({ mode: 'majority', inputs: '{{dependencies}}', field: 'action' });
  expect(step.result).toMatchObject({ winner: 'index', votes: 2, total: 3, tie: false });
});

test('weighted_average weights a numeric field by another', async () => {
  const step = await merged({
    mode: 'weighted_average',
    inputs: '{{dependencies}}',
    field: 'score',
    weightField: 'confidence',
  });
  expect(step.result).toMatchObject({ value: (0.8 * 3 + 0.2 * 1) / 4, totalWeight: 4, count: 3 });
});

test('first_success runs after failed dependencies and picks the first that succeeded', async () => {
  const steps = [
    { id: 'down', toolName: 'fail', parameters: { message: 'primary down' } },
    analyst('backup', { source: 'backup' }),
    analyst('other', { source: 'other' }),
  ];
  const step = await merged({ mode: 'first_success', inputs: '{{dependencies}}' }, steps);
  expect(step).toMatchObject({
    status: 'completed',
    result: { step: 'backup', value: { source: 'backup' }, failed: ['down'] },
  });

  const none = await merged({ mode: 'first_success', inputs: '{{dependencies}}' }, [steps[0]!]);
  expect(none).toMatchObject({ status: 'failed', errorType: 'MergeNothingToMerge', attempts: 1 });
});

test('without inputs it merges the outcomes of the steps it depends on, in dependsOn order', async () => {
  const [a, , c] = analysts;
  const step = await merged({ mode: 'concat' }, [c!, a!]);
  expect(step).toMatchObject({ status: 'completed', result: { values: [c!.parameters, a!.parameters], failed: [] } });

  const vote = await merged({ mode: 'majority', field: 'action' });
  expect(vote.result).toMatchObject({ winner: 'index', votes: 2, total: 3 });
});

test('a merge with neither inputs nor dependencies is refused before it starts, saying what to give', async () => {
  const refused = env.start({ steps: [{ id: 'm', toolName: 'merge', parameters: { mode: 'concat' } }] });
  await expect(refused).rejects.toMatchObject({
    name: 'PlanValidationError',
    problems: [{ stepId: 'm', field: 'dependsOn', message: expect.stringContaining('merge has nothing to merge') }],
  });
});
