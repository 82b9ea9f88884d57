/**
 * Composition root of the worker: config -> tools -> activities -> Worker. Dependencies are built here once and
 * injected; nothing below reads the environment.
 */
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import type { Pool } from 'pg';
import { DEFAULTS, loadConfig, type Config } from './config';
import { createPool } from './store/pool';
import { builtinRegistry, type ToolRegistry } from './tools';

export interface PlanWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  tools: ToolRegistry;
  /** The side store: plan mirror and shared memory. */
  pool: Pool;
  /** A prebuilt workflow bundle (tests and benchmarks build it once); otherwise the workflows are bundled now. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Extra worker options (tuning), applied last. */
  tuning?: Partial<WorkerOptions>;
}

/** Creates a worker that runs plan workflows and one activity per tool. */
export async function createPlanWorker(options: PlanWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities({ tools: options.tools, pool: options.pool }),
    // Bundled here rather than by Worker.create, whose bundler prints webpack's whole report at INFO.
    workflowBundle:
      options.workflowBundle ??
      (await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: new DefaultLogger('WARN') })),
    // Cancellation reaches an activity on its next heartbeat; the default throttle (80% of the heartbeat
    // timeout) would let a cancelled step run on for seconds.
    maxHeartbeatThrottleInterval: '2 seconds',
    ...options.tuning,
  });
}

/** Connects with the given configuration and builds a worker (for `plan worker`); `close` releases what it opened. */
export async function connectPlanWorker(
  config: Config = loadConfig(),
): Promise<{ worker: Worker; close(): Promise<void> }> {
  const pool = createPool(config.databaseUrl ?? DEFAULTS.databaseUrl);
  const connection = await NativeConnection.connect({ address: config.temporalAddress ?? DEFAULTS.temporalAddress });
  const worker = await createPlanWorker({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    tools: builtinRegistry(),
    pool,
  });
  return { worker, close: async () => Promise.all([connection.close(), pool.end()]).then(() => undefined) };
}
