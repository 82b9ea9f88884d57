/**
 * "A crash resumes from Temporal history", proven under real faults: the worker killed with SIGKILL mid-plan, the
 * Temporal server restarted mid-plan (persisted database), and decisions racing the workflow's first task.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { startPlan } from '../../src/api/plans';
import { startDevServer } from '../../src/dev/dev-server';
import { freePort } from '../../src/dev/free-port';
import { ensureSearchAttributes } from '../../src/api/search-attributes';
import { findTemporalBinary } from '../../src/dev/temporal-binary';
import { builtinRegistry } from '../../src/tools';
import { approveSignal, rejectSignal, RUN_PLAN_WORKFLOW, stateQuery } from '../../src/workflows/definitions';
import { createPlanWorker } from '../../src/worker';
import { runNode } from '../support/child';
import { eventually } from '../support/eventually';
import { startTestWorker, uniqueId } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

jest.setTimeout(120_000);

test('a worker killed with SIGKILL mid-plan: a new worker finishes the plan, and no completed step runs again', async () => {
  const { databaseUrl, temporalAddress } = testStack();
  const taskQueue = uniqueId('kill-queue');
  const table = `side_effects_${uniqueId('t').replace(/\W/g, '_')}`;
  const env = await startTestWorker(); // only for its client and pool; plans go to `taskQueue`, where it does not poll
  await env.pool.query(
    `CREATE TABLE ${table} (plan_id text, step_id text, attempt int, PRIMARY KEY (plan_id, step_id, attempt))`,
  );
  const record = (id: string) => ({
    id,
    toolName: 'sql_query',
    parameters: {
      sql: `INSERT INTO ${table} VALUES ($1, $2, 1)`,
      params: ['{{steps.plan_id.result.id}}', id],
      allowWrite: true,
    },
  });
  const workerEnv = { TEMPORAL_ADDRESS: temporalAddress, DATABASE_URL: databaseUrl, PLAN_TASK_QUEUE: taskQueue };
  const first = runNode(['scripts/plan.js', 'worker'], workerEnv);
  try {
    await first.waitFor(/worker polling task queue/);
    const planId = uniqueId('crash');
    const handle = await startPlan(
      env.client,
      {
        id: planId,
        steps: [
          { id: 'plan_id', toolName: 'echo', parameters: { id: planId } },
          { ...record('before'), dependsOn: ['plan_id'] },
          // The attempt the crash interrupts is lost (its heartbeat stops); a retry on the new worker finishes it.
          {
            id: 'nap',
            toolName: 'sleep',
            parameters: { ms: 4000 },
            dependsOn: ['before'],
            maxRetries: 2,
            retryDelayMs: 100,
          },
          { ...record('after'), dependsOn: ['nap'] },
        ],
      },
      { taskQueue, catalog: builtinRegistry() },
    );
    await eventually(
      async () => (await handle.query(stateQuery)).steps[2]!.status === 'running',
      'the sleep to be running',
    );
    first.child.kill('SIGKILL');
    await first.exited;

    const second = runNode(['scripts/plan.js', 'worker'], workerEnv);
    try {
      const state = await handle.result();
      expect(state).toMatchObject({ status: 'completed', reason: null });
      expect(state.steps[2]!.attempts).toBe(2);
      const { rows } = await env.pool.query(
        `SELECT step_id, count(*)::int AS n FROM ${table} WHERE plan_id = $1 GROUP BY step_id ORDER BY step_id`,
        [planId],
      );
      expect(rows).toEqual([
        { step_id: 'after', n: 1 },
        { step_id: 'before', n: 1 },
      ]);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  } finally {
    if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
    await env.pool.query(`DROP TABLE IF EXISTS ${table}`);
    await env.stop();
  }
});

test('the Temporal server restarted mid-plan (persisted database): the plan completes', async () => {
  const binary = findTemporalBinary()!;
  const port = await freePort();
  const dbFile = join(mkdtempSync(join(tmpdir(), 'dp-restart-')), 'temporal.db');
  const options = { binary, port, uiPort: null, dbFile, logFile: null };
  let server = await startDevServer(options);
  const env = await startTestWorker(); // for its pool only
  const connect = async () => {
    const connection = await Connection.connect({ address: server.address });
    return { connection, client: new Client({ connection }) };
  };
  try {
    let { connection, client } = await connect();
    await ensureSearchAttributes(connection, 'default');
    const native = await NativeConnection.connect({ address: server.address });
    const taskQueue = uniqueId('restart');
    const worker = await createPlanWorker({
      connection: native,
      namespace: 'default',
      taskQueue,
      tools: builtinRegistry(),
      pool: env.pool,
      workflowBundle: { codePath: testStack().workflowBundlePath },
    });
    const running = worker.run();
    const planId = uniqueId('restart-plan');
    await startPlan(
      client,
      {
        id: planId,
        steps: [
          { id: 'a', toolName: 'echo', parameters: { n: 1 } },
          { id: 'nap', toolName: 'sleep', parameters: { ms: 3000 }, dependsOn: ['a'] },
          { id: 'b', toolName: 'echo', parameters: { n: '{{steps.a.result.n}}' }, dependsOn: ['nap'] },
        ],
      },
      { taskQueue, catalog: builtinRegistry() },
    );
    await eventually(
      async () => (await client.workflow.getHandle(planId).query(stateQuery)).steps[1]!.status === 'running',
      'the sleep to run',
    );
    await connection.close();
    await server.stop();
    server = await startDevServer(options);
    ({ connection, client } = await connect());
    const state = await client.workflow.getHandle(planId).result();
    expect(state.status).toBe('completed');
    expect(state.steps[2]!.result).toEqual({ n: 1 });
    worker.shutdown();
    await running;
    await native.close();
    await connection.close();
  } finally {
    await env.stop();
    await server.stop();
  }
});

test('decisions sent with the start, before the first workflow task, and racing each other: exactly one counts', async () => {
  const env = await startTestWorker();
  try {
    const plan = { options: { requireApproval: true }, steps: [{ id: 'a', toolName: 'noop' }] };
    // signalWithStart puts the approval into history before the workflow has run at all.
    const early = await env.client.workflow.signalWithStart(RUN_PLAN_WORKFLOW, {
      workflowId: uniqueId('early'),
      taskQueue: env.taskQueue,
      args: [plan],
      signal: approveSignal,
      signalArgs: [{ by: 'early-bird' }],
    });
    await Promise.all([early.signal(rejectSignal, { by: 'racer' }), early.signal(approveSignal, { by: 'early-bird' })]);
    const state = await early.result();
    expect(state.status).toBe('completed');
    expect(state.approvals).toEqual([expect.objectContaining({ by: 'early-bird', decision: 'approve' })]);

    const racing = await env.start(plan);
    await Promise.all([
      racing.signal(rejectSignal, { by: 'no' }),
      racing.signal(approveSignal, { by: 'yes' }),
      racing.signal(approveSignal, { by: 'yes' }),
    ]);
    const raced = await racing.result();
    expect(raced.approvals).toHaveLength(1);
    expect(raced.status).toBe(raced.approvals[0]!.decision === 'approve' ? 'completed' : 'rejected');
  } finally {
    await env.stop();
  }
});
