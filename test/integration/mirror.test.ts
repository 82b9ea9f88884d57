import { approveSignal, stateQuery } from '../../src/workflows/definitions';
import { getPlanProgress, getTaskPlansByBatch, getTaskPlansByPlan } from '../../src/store/mirror-reads';
import {
  stepCompletedSince,
  writeCarriedBatch,
  writeMirrorBatch,
  writeStepCompleted,
} from '../../src/store/plan-mirror';
import type { PlanSnapshot } from '../../src/plan';
import { mirrorBatch } from '../support/mirror-batch';
import { startTestWorker, startWorkerBehindProxy, uniqueId, type TestWorker } from '../support/plan-worker';
import { waitForState } from '../support/wait-for-state';
import { eventually } from '../support/eventually';

jest.setTimeout(90_000);

let env: TestWorker;
beforeAll(async () => {
  env = await startTestWorker();
});
afterAll(() => env?.stop());

/** The mirror as the state object would say it: what a reader of plan_progress and task_plans sees. */
async function mirrored(planId: string) {
  const progress = await getPlanProgress(env.pool, planId);
  const tasks = await getTaskPlansByPlan(env.pool, planId);
  return { progress, tasks };
}

function expectMirrorMatches(m: Awaited<ReturnType<typeof mirrored>>, state: PlanSnapshot) {
  expect(m.progress).toMatchObject({
    planId: state.planId,
    status: state.status,
    reason: state.reason,
    description: state.description,
    approvals: state.approvals,
    totalSteps: state.summary.total,
    completedSteps: state.summary.completed,
    failedSteps: state.summary.failed,
    skippedSteps: state.summary.skipped,
    startedAt: state.startedAt,
    finishedAt: state.completedAt,
  });
  expect(m.tasks.map((t) => t.stepId)).toEqual(state.steps.map((s) => s.id));
  for (const [i, step] of state.steps.entries()) {
    expect(m.tasks[i]).toMatchObject({
      toolName: step.toolName,
      description: step.description,
      status: step.status,
      attempts: step.attempts,
      result: step.result,
      errorMessage: step.error,
      errorType: step.errorType,
      compensation: step.compensation,
      startedAt: step.startedAt,
      finishedAt: step.completedAt,
    });
  }
}

test('after a plan with batches, an approval, retries, a failure and compensation, the mirror holds what the state query returns', async () => {
  const undo = { toolName: 'echo', parameters: { undo: true } };
  const handle = await env.start({
    description: 'mirror me',
    options: { requireApproval: true, allowParallel: true, maxParallelSteps: 4 },
    tasks: [
      { batchIndex: 0, taskId: 'a', toolName: 'echo', parameters: { n: 1 }, complexity: 'low', compensate: undo },
      {
        batchIndex: 0,
        taskId: 'b',
        toolName: 'fail',
        parameters: { failTimes: 1 },
        maxRetries: 2,
        retryDelayMs: 10,
        isRequiredValidateByDatabase: true,
      },
      { batchIndex: 1, taskId: 'c', toolName: 'echo', parameters: { n: 3 }, compensate: undo },
      { batchIndex: 1, taskId: 'd', toolName: 'fail', parameters: { message: 'disk full' } },
      { batchIndex: 2, taskId: 'e', toolName: 'noop' },
    ],
  });
  await handle.signal(approveSignal, { by: 'alice', comment: 'go' });
  const state = await handle.result();
  expect(state.status).toBe('failed');
  expect(state.steps.map((s) => s.status)).toEqual(['compensated', 'completed', 'compensated', 'failed', 'skipped']);

  const m = await mirrored(handle.workflowId);
  expectMirrorMatches(m, state);
  expect(m.progress).toMatchObject({
    totalBatches: 3,
    completedBatches: 0, // batch 0 was undone, batch 1 failed, batch 2 never ran
    failedBatches: 1,
    currentBatchIndex: 2,
    overallSuccessRate: 20,
  });
  expect(m.tasks.find((t) => t.stepId === 'b')).toMatchObject({
    attempts: 2,
    isRequiredValidateByDatabase: true,
    batchIndex: 0,
  });
  expect(m.tasks.find((t) => t.stepId === 'a')).toMatchObject({ complexity: 'low', parameters: { n: 1 } });
  expect(m.tasks.find((t) => t.stepId === 'c')!.dependsOn.sort()).toEqual(['a', 'b']);
  expect((await getTaskPlansByBatch(env.pool, handle.workflowId, 1)).map((t) => t.stepId)).toEqual(['c', 'd']);
});

test('the mirror follows a running plan, and reports batch progress as batches finish', async () => {
  const handle = await env.start({
    tasks: [
      { batchIndex: 0, taskId: 'first', toolName: 'echo', parameters: {} },
      { batchIndex: 1, taskId: 'wait', toolName: 'sleep', parameters: { ms: 60_000 } },
    ],
  });
  await waitForState(handle, (s) => s.steps[1]!.status === 'running');
  await eventually(
    async () => (await getPlanProgress(env.pool, handle.workflowId))?.completedBatches === 1,
    'batch 0 mirrored as completed',
  );
  expect(await getPlanProgress(env.pool, handle.workflowId)).toMatchObject({
    status: 'executing',
    currentBatchIndex: 1,
    totalBatches: 2,
  });
  await handle.cancel();
  await handle.result().catch(() => undefined);
  expectMirrorMatches(await mirrored(handle.workflowId), await handle.query(stateQuery));
});

test("steps of a chain carry the mirror: no write of the workflow's own between one step and the next, a long step shows running, every row ends as the state says", async () => {
  const steps = Array.from({ length: 12 }, (_, i) => ({
    id: `c${i}`,
    ...(i === 6 ? { toolName: 'sleep', parameters: { ms: 1500 } } : { toolName: 'echo', parameters: { i } }),
    ...(i > 0 ? { dependsOn: [`c${i - 1}`] } : {}),
  }));
  const handle = await env.start({ steps });
  // While the long step runs, PostgreSQL shows it running and the step before it completed, with its result.
  await eventually(async () => {
    const rows = await getTaskPlansByPlan(env.pool, handle.workflowId);
    return rows[6]?.status === 'running' && rows[5]?.status === 'completed';
  }, 'the long step mirrored as running');
  expect((await getTaskPlansByPlan(env.pool, handle.workflowId))[5]!.result).toEqual({ i: 5 });
  const state = await handle.result();
  expectMirrorMatches(await mirrored(handle.workflowId), state);
  // The workflow's own writes are local activities, one marker each: the first write (every row) and the last.
  const { events } = await handle.fetchHistory();
  const writes = events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
  expect(writes.length).toBeLessThanOrEqual(3);
});

test('a stale or repeated mirror write changes nothing; a later run of the same plan id replaces the old rows', async () => {
  const planId = uniqueId('stale');
  const batch = (generation: number, version: number, status: 'executing' | 'completed', steps: string[]) =>
    mirrorBatch(
      planId,
      steps.map((stepId) => ({ stepId, status: status === 'completed' ? 'completed' : 'running' })),
      { generation, version, status },
    );
  expect(await writeMirrorBatch(env.pool, batch(1000, 7, 'completed', ['x', 'y']))).toBe(true);
  expect(await writeMirrorBatch(env.pool, batch(1000, 3, 'executing', ['x', 'y']))).toBe(false);
  expect(await writeMirrorBatch(env.pool, batch(1000, 7, 'executing', ['x', 'y']))).toBe(false);
  expect(await getPlanProgress(env.pool, planId)).toMatchObject({ status: 'completed', version: 7 });
  expect((await getTaskPlansByPlan(env.pool, planId)).map((t) => t.status)).toEqual(['completed', 'completed']);

  expect(await writeMirrorBatch(env.pool, batch(2000, 1, 'executing', ['z']))).toBe(true);
  expect(await getPlanProgress(env.pool, planId)).toMatchObject({ status: 'executing', runId: 'run-2000', version: 1 });
  expect((await getTaskPlansByPlan(env.pool, planId)).map((t) => t.stepId)).toEqual(['z']);
});

test('a step writes the batch it carried once, and its result only over the row its own start left', async () => {
  const planId = uniqueId('carried');
  const rows = (status: 'running' | 'completed', result: unknown = null) => [
    { stepId: 'a', status: 'completed' as const, result: { a: 1 } },
    { stepId: 'b', status, result },
  ];
  await writeMirrorBatch(env.pool, mirrorBatch(planId, rows('running'), { version: 1 }));
  const carried = { ...mirrorBatch(planId, rows('running'), { version: 5 }), full: false };
  expect(await writeCarriedBatch(env.pool, carried)).toEqual(new Set(['a', 'b']));
  // Another attempt of the same call: nothing is newer, nothing changes.
  expect(await writeCarriedBatch(env.pool, carried)).toEqual(new Set());
  const result = { planId, stepId: 'b', generation: 1000, attempts: 2, result: { b: 2 } };
  // A version the row has moved past (the workflow wrote it since) is refused; the row's own is taken.
  expect(await writeStepCompleted(env.pool, { ...result, version: 4 })).toBe(false);
  expect(await stepCompletedSince(env.pool, { planId, stepId: 'b', generation: 1000, version: 5 })).toBe(false);
  expect(await writeStepCompleted(env.pool, { ...result, version: 5 })).toBe(true);
  expect(await writeStepCompleted(env.pool, { ...result, version: 5 })).toBe(false);
  // What the next step's call asks when the write before it ran in another process.
  expect(await stepCompletedSince(env.pool, { planId, stepId: 'b', generation: 1000, version: 5 })).toBe(true);
  expect(await stepCompletedSince(env.pool, { planId, stepId: 'b', generation: 1000, version: 6 })).toBe(false);
  // The workflow's later row keeps that result when it says so.
  const later = { ...mirrorBatch(planId, rows('completed'), { version: 6 }), full: false };
  later.steps[1] = { ...later.steps[1]!, resultKept: true, attempts: 2 };
  await writeMirrorBatch(env.pool, later);
  expect((await getTaskPlansByPlan(env.pool, planId)).map((t) => [t.status, t.attempts, t.result])).toEqual([
    ['completed', 1, { a: 1 }],
    ['completed', 2, { b: 2 }],
  ]);
});

test('what a model puts in a result (NUL, a lone surrogate) reaches the mirror intact through a carried write', async () => {
  const planId = uniqueId('carried-bad');
  const hostile = { text: 'a\u0000b', half: '\ud800', key: { '\u0000': 1 } };
  await writeMirrorBatch(env.pool, mirrorBatch(planId, [{ stepId: 'a' }], { version: 1 }));
  const carried = {
    ...mirrorBatch(planId, [{ stepId: 'a', status: 'completed', result: hostile }], { version: 2 }),
    full: false,
  };
  expect(await writeCarriedBatch(env.pool, carried)).toEqual(new Set(['a']));
  expect((await getTaskPlansByPlan(env.pool, planId))[0]!.result).toEqual(hostile);
  await writeMirrorBatch(env.pool, mirrorBatch(planId, [{ stepId: 'b' }], { generation: 2000, version: 1 }));
  const result = { planId, stepId: 'b', generation: 2000, version: 1, attempts: 1, result: hostile };
  expect(await writeStepCompleted(env.pool, result)).toBe(true);
  expect((await getTaskPlansByPlan(env.pool, planId))[0]!.result).toEqual(hostile);
});

test('with PostgreSQL unreachable mid-plan the plan keeps running, and the mirror catches up before the workflow returns', async () => {
  const { worker, proxy, stop } = await startWorkerBehindProxy();
  try {
    const handle = await worker.start({
      steps: [
        { id: 'before', toolName: 'echo', parameters: { at: 'before' } },
        { id: 'gap', toolName: 'sleep', parameters: { ms: 1500 }, dependsOn: ['before'] },
        { id: 'during', toolName: 'echo', parameters: { at: 'during' }, dependsOn: ['gap'] },
        { id: 'hold', toolName: 'sleep', parameters: { ms: 60_000 }, dependsOn: ['during'] },
      ],
    });
    await eventually(
      async () =>
        (await getTaskPlansByPlan(env.pool, handle.workflowId)).find((t) => t.stepId === 'before')?.status ===
        'completed',
      'the first step mirrored',
    );
    await proxy.cut();
    // PostgreSQL is gone for the worker: steps still run, the plan state moves on, the mirror stays behind.
    const moved = await waitForState(handle, (s) => s.steps[3]!.status === 'running');
    expect(moved.steps[2]!.status).toBe('completed');
    expect((await getTaskPlansByPlan(env.pool, handle.workflowId)).find((t) => t.stepId === 'during')?.status).toBe(
      'pending',
    );

    await proxy.restore();
    await eventually(
      async () =>
        (await getTaskPlansByPlan(env.pool, handle.workflowId)).find((t) => t.stepId === 'during')?.status ===
        'completed',
      'the mirror to catch up',
      { timeoutMs: 45_000 },
    );
    await handle.cancel();
    await handle.result().catch(() => undefined);
    expectMirrorMatches(await mirrored(handle.workflowId), await handle.query(stateQuery));
  } finally {
    await stop();
  }
});

test('secret parameters reach the tool but never the mirror', async () => {
  const handle = await env.start({
    steps: [
      {
        id: 'call',
        toolName: 'http_request',
        parameters: {
          url: 'http://127.0.0.1:1/never',
          method: 'POST',
          secretHeaders: { Authorization: 'Bearer s3cr3t' },
        },
      },
    ],
  });
  const state = await handle.result();
  expect(JSON.stringify(state)).not.toContain('s3cr3t');
  const [row] = await getTaskPlansByPlan(env.pool, handle.workflowId);
  expect(row!.parameters).toEqual({ url: 'http://127.0.0.1:1/never', method: 'POST', secretHeaders: '[redacted]' });
  const { rows } = await env.pool.query('SELECT count(*)::int AS n FROM task_plans WHERE parameters::text LIKE $1', [
    '%s3cr3t%',
  ]);
  expect(rows[0].n).toBe(0);
});

test('options.mirror: false keeps a plan out of PostgreSQL', async () => {
  const handle = await env.start({
    options: { mirror: false },
    steps: [{ id: 'a', toolName: 'echo', parameters: {} }],
  });
  expect((await handle.result()).status).toBe('completed');
  expect(await getPlanProgress(env.pool, handle.workflowId)).toBeNull();
});
