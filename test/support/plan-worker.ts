import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { startPlan } from '../../src/api/plans';
import type { runPlan } from '../../src/workflows';
import { DefaultLogger, NativeConnection, Runtime, type Worker, type WorkerOptions } from '@temporalio/worker';
import type { SecretSource } from '../../src/activities/secret-source';
import type { Pool } from 'pg';
import { createPool } from '../../src/store/pool';
import {
  builtinRegistry,
  createToolServices,
  NO_TOOL_SETTINGS,
  type ToolRegistry,
  type ToolSettings,
} from '../../src/tools';
import { createPlanWorker } from '../../src/worker';
import type { CoordinationConfig } from '../../src/config';
import type { PlanSnapshot } from '../../src/plan';
import { stateQuery } from '../../src/workflows/definitions';
import { TcpProxy } from './tcp-proxy';
import { testStack } from './test-stack';

export interface TestWorker {
  client: Client;
  taskQueue: string;
  tools: ToolRegistry;
  worker: Worker;
  /** The database the worker mirrors into. */
  pool: Pool;
  /** Validates and starts a plan on this worker's queue, under a fresh id unless the plan names one. */
  start(plan: Record<string, unknown>): Promise<WorkflowHandle<typeof runPlan>>;
  stop(): Promise<void>;
}

let runtimeReady = false;

/** Runs a real plan worker on a task queue of its own, against the suite's dev server (and database, unless told). */
export async function startTestWorker(
  tools: ToolRegistry = builtinRegistry(),
  options: {
    databaseUrl?: string;
    toolSettings?: Partial<ToolSettings>;
    resultInlineLimitBytes?: number;
    /** The payload codec of the worker and of the test's client. */
    dataConverter?: WorkerOptions['dataConverter'];
    secrets?: SecretSource;
    /** A queue to share with other workers; default: one of its own. */
    taskQueue?: string;
    /** The key step callbacks are signed with. */
    notifySecret?: string;
    /** Circuit breakers and call limits, as a configuration file gives them (checkCoordination). */
    coordination?: CoordinationConfig;
  } = {},
): Promise<TestWorker> {
  if (!runtimeReady) {
    // Tests fail steps on purpose; the SDK's warnings about it would drown the output. Errors still show.
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    runtimeReady = true;
  }
  const stack = testStack();
  const taskQueue = options.taskQueue ?? `test-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: stack.temporalAddress });
  const pool = createPool(options.databaseUrl ?? stack.databaseUrl);
  // sql_query's default connection is the suite's database; shell and llm_chat only as a test configures them.
  const tooling = createToolServices({
    ...NO_TOOL_SETTINGS,
    sqlConnections: { default: stack.databaseUrl },
    ...options.toolSettings,
  });
  const worker = await createPlanWorker({
    connection,
    namespace: 'default',
    taskQueue,
    tools,
    pool,
    services: tooling.services,
    workflowBundle: { codePath: stack.workflowBundlePath },
    resultInlineLimitBytes: options.resultInlineLimitBytes,
    dataConverter: options.dataConverter,
    secrets: options.secrets,
    notifySecret: options.notifySecret,
    coordination: options.coordination,
  });
  const running = worker.run();
  const clientConnection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection: clientConnection, dataConverter: options.dataConverter });
  return {
    client,
    taskQueue,
    tools,
    worker,
    pool,
    start: (plan) => startPlan(client, { id: uniqueId('plan'), ...plan }, { taskQueue, catalog: tools }),
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
      await clientConnection.close();
      await pool.end();
      await tooling.close();
    },
  };
}

/** A workflow id no other test uses. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A test worker whose PostgreSQL connections go through a TCP proxy, so a test can take the database away for real. */
export async function startWorkerBehindProxy(): Promise<{
  worker: TestWorker;
  proxy: TcpProxy;
  stop(): Promise<void>;
}> {
  const target = new URL(testStack().databaseUrl);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  await proxy.restore();
  const viaProxy = new URL(target.toString());
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  const worker = await startTestWorker(undefined, { databaseUrl: viaProxy.toString() });
  return {
    worker,
    proxy,
    async stop() {
      // Restored first, so the worker can close its connections cleanly.
      await proxy.restore().catch(() => undefined);
      await worker.stop();
      await proxy.cut();
    },
  };
}

/**
 * A plan's `state` as a second worker on the test worker's queue answers it, with an empty cache: the query replays
 * the whole history. Stop the test worker first, so this one answers.
 */
export async function stateFromFreshWorker(env: TestWorker, handle: WorkflowHandle): Promise<PlanSnapshot> {
  const connection = await NativeConnection.connect({ address: testStack().temporalAddress });
  try {
    const fresh = await createPlanWorker({
      connection,
      namespace: 'default',
      taskQueue: env.taskQueue,
      tools: env.tools,
      pool: env.pool,
      workflowBundle: { codePath: testStack().workflowBundlePath },
    });
    return await fresh.runUntil(handle.query(stateQuery));
  } finally {
    await connection.close();
  }
}
