import type { Client } from '@temporalio/client';
import { approveSignal } from '../../src/workflows/definitions';
import { decide } from '../../src/api/plans';
import { eventually } from '../support/eventually';
import { waitForState } from '../support/wait-for-state';
import { startTestWorker, startWorkerBehindProxy, type TestWorker } from '../support/plan-worker';
import { TEST_SUGGEST_CONTINUE_AS_NEW_AT } from '../support/test-stack';

jest.setTimeout(90_000);

// The suite's dev server suggests continue-as-new after TEST_SUGGEST_CONTINUE_AS_NEW_AT events, so these plans
// span several runs; every assertion is about what a user sees across them.
let env: TestWorker;
beforeAll(async () => {
  env = await startTestWorker();
});
afterAll(() => env?.stop());

/** Every run of a workflow id, oldest first, as Temporal's visibility lists them. */
async function runsOf(client: Client, planId: string) {
  const runs = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = "${planId}"` })) runs.push(run);
  return runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
}

test('a wide plan of 300 steps continues as new, keeps every history short, and completes every step once', async () => {
  const steps = Array.from({ length: 300 }, (_, i) => ({ id: `s${i}`, toolName: 'echo', parameters: { i } }));
  steps.push({
    id: 'sum',
    toolName: 'echo',
    parameters: { first: '{{steps.s0.result.i}}', last: '{{steps.s299.result.i}}' },
    dependsOn: ['s0', 's299'],
  } as never);
  const handle = await env.start({ options: { allowParallel: true, maxParallelSteps: 25 }, steps });
  const state = await handle.result();
  expect(state.status).toBe('completed');
  expect(state.summary).toMatchObject({ total: 301, completed: 301 });
  expect(state.steps.every((s) => s.attempts === 1)).toBe(true);
  expect(state.steps.at(-1)!.result).toEqual({ first: 0, last: 299 });

  await eventually(
    async () => (await runsOf(env.client, state.planId)).every((r) => r.status.name !== 'RUNNING'),
    () => 'runs to close',
  );
  const runs = await runsOf(env.client, state.planId);
  expect(runs.length).toBeGreaterThan(1);
  expect(runs.slice(0, -1).every((r) => r.status.name === 'CONTINUED_AS_NEW')).toBe(true);
  expect(runs.at(-1)!.status.name).toBe('COMPLETED');
  // Bounded: a run hands over once its running steps finish, so it ends a little past the suggestion.
  for (const run of runs) expect(run.historyLength).toBeLessThan(TEST_SUGGEST_CONTINUE_AS_NEW_AT + 200);

  // The mirror followed every run and the checkpoints are gone once the plan ended.
  await eventually(
    async () => {
      const { rows } = await env.pool.query(
        'SELECT status, completed_steps, run_id FROM plan_progress WHERE plan_id = $1',
        [state.planId],
      );
      return (
        rows[0]?.status === 'completed' && rows[0]?.completed_steps === 301 && rows[0]?.run_id === runs.at(-1)!.runId
      );
    },
    () => 'the mirror to show the last run completed',
  );
  const { rows: left } = await env.pool.query('SELECT count(*)::int AS n FROM plan_checkpoints WHERE plan_id = $1', [
    state.planId,
  ]);
  expect(left[0].n).toBe(0);
});

test('approvals, step gates and results from an earlier run survive the boundary', async () => {
  const chain = Array.from({ length: 160 }, (_, i) => ({
    id: `c${i}`,
    toolName: 'echo',
    parameters: i === 0 ? { seed: 'from the first run' } : { previous: i },
    ...(i > 0 ? { dependsOn: [`c${i - 1}`] } : {}),
    ...(i === 150 ? { requiresApproval: true } : {}),
  }));
  chain.push({
    id: 'end',
    toolName: 'echo',
    parameters: { seed: '{{steps.c0.result.seed}}' },
    dependsOn: ['c159'],
  } as never);
  const handle = await env.start({ options: { requireApproval: true }, steps: chain });
  await handle.signal(approveSignal, { by: 'alice', comment: 'go' });
  // The gate opens in a later run; the decision goes through the update a CLI user sends.
  await waitForState(handle, (s) => s.steps[150]!.status === 'waiting_approval', 60_000);
  const answer = await decide(env.client, handle.workflowId, { decision: 'approve', by: 'bob', step: 'c150' });
  expect(answer.gate).toBe('approved');
  const state = await handle.result();
  expect(state.status).toBe('completed');
  expect(state.steps.at(-1)!.result).toEqual({ seed: 'from the first run' });
  expect(state.approvals.map((a) => [a.by, a.step])).toEqual([
    ['alice', null],
    ['bob', 'c150'],
  ]);
  expect((await runsOf(env.client, state.planId)).length).toBeGreaterThan(1);
});

test('a decision sent while the hand-over waits for PostgreSQL is carried into the next run', async () => {
  const { worker, proxy, stop } = await startWorkerBehindProxy();
  try {
    const chain = Array.from({ length: 200 }, (_, i) => ({
      id: `c${i}`,
      toolName: 'echo',
      parameters: { i },
      ...(i > 0 ? { dependsOn: [`c${i - 1}`] } : {}),
    }));
    const handle = await worker.start({
      options: { allowParallel: true },
      steps: [{ id: 'g', toolName: 'noop', requiresApproval: true }, ...chain],
    });
    const firstRun = (await handle.describe()).runId;
    await waitForState(handle, (s) => s.steps[0]!.status === 'waiting_approval');
    await proxy.cut();
    // The chain runs on until Temporal suggests continue-as-new; then the run stops starting steps and cannot write
    // its checkpoint: nothing runs, the chain is unfinished, and it stays so.
    let last = -1;
    await eventually(
      async () => {
        const s = await waitForState(handle, (x) => x.summary.running === 0 && x.summary.completed < 200);
        const still = s.summary.completed === last;
        last = s.summary.completed;
        if (!still) await new Promise((resolve) => setTimeout(resolve, 700));
        return still;
      },
      () => 'the run to stop at the hand-over',
      { timeoutMs: 60_000 },
    );
    expect((await handle.describe()).runId).toBe(firstRun);
    await handle.signal(approveSignal, { by: 'alice', step: 'g' });
    await waitForState(handle, (s) => s.steps[0]!.status !== 'waiting_approval');
    await proxy.restore();
    const state = await handle.result();
    expect(state.status).toBe('completed');
    expect(state.summary.completed).toBe(201);
    expect(state.approvals).toEqual([expect.objectContaining({ by: 'alice', step: 'g', decision: 'approve' })]);
    expect((await runsOf(worker.client, state.planId)).length).toBeGreaterThan(1);
  } finally {
    await stop();
  }
});
