import { approveSignal } from '../../src/workflows/definitions';
import { eventually } from '../support/eventually';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';

jest.setTimeout(120_000);

let env: TestWorker;
beforeAll(async () => {
  env = await startTestWorker();
});
afterAll(() => env?.stop());

test('200 plans running at once on one worker all complete, and the mirror has every one', async () => {
  const batch = uniqueId('many');
  const plan = (i: number) => ({
    id: `${batch}-${i}`,
    options: { allowParallel: true },
    steps: [
      // Every plan holds at its step gate until all 200 are executing; then each is approved.
      { id: 'gate', toolName: 'noop', requiresApproval: true },
      { id: 'a', toolName: 'echo', parameters: { i }, dependsOn: ['gate'] },
      { id: 'b', toolName: 'echo', parameters: { from: '{{steps.a.result.i}}' }, dependsOn: ['a'] },
    ],
  });
  const handles = await Promise.all(Array.from({ length: 200 }, (_, i) => env.start(plan(i))));
  // Temporal's visibility counts them running together: all 200 are executing at one moment.
  let seen = 0;
  await eventually(
    async () => {
      ({ count: seen } = await env.client.workflow.count(
        `TaskQueue = "${env.taskQueue}" AND ExecutionStatus = "Running" AND PlanStatus = "executing" AND PlanPendingApproval = true`,
      ));
      return seen === 200;
    },
    () => `all 200 plans executing at once (seen: ${seen})`,
    { timeoutMs: 60_000, everyMs: 200 },
  );
  await Promise.all(handles.map((h) => h.signal(approveSignal, { by: 'ops', step: 'gate' })));
  const states = await Promise.all(handles.map((h) => h.result()));
  expect(states.filter((s) => s.status === 'completed')).toHaveLength(200);
  expect(states.map((s) => s.steps[2]!.result)).toEqual(Array.from({ length: 200 }, (_, i) => ({ from: i })));
  const { rows } = await env.pool.query(
    `SELECT count(*)::int AS n FROM plan_progress WHERE plan_id LIKE $1 AND status = 'completed' AND completed_steps = 3`,
    [`${batch}-%`],
  );
  expect(rows[0].n).toBe(200);
});
