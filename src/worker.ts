/**
 * Composition root of the worker: config -> tools -> activities -> Worker. Dependencies are built here once and
 * injected; nothing below reads the environment.
 */
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import { createActivities } from './activities';
import { createSecretSource, type SecretSource } from './activities/secret-source';
import { codecDataConverter } from './codec/data-converter';
import type { Pool } from 'pg';
import { DEFAULTS, loadConfig, toolCatalogue, type Config } from './config';
import { createPool } from './store/pool';
import { createToolServices, NO_TOOL_SETTINGS, type ToolRegistry, type ToolServices, type ToolSettings } from './tools';

/**
 * The module that exports the plan workflows (`runPlan` and its helpers). A worker that also runs a team's own
 * workflows bundles a file that re-exports them (`export * from 'durable-plans/workflows'`) beside its own, and
 * passes that file as `workflowsPath`.
 */
export const planWorkflowsPath: string = require.resolve('./workflows');

export interface PlanWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  tools: ToolRegistry;
  /** The side store: plan mirror and shared memory. */
  pool: Pool;
  /**
   * What the shell, sql and llm tools may reach, from `createToolServices(toolSettings(config))`; whoever builds
   * them closes them after the worker stops. Without them those tools refuse, naming the variables to set.
   */
  services?: ToolServices;
  /** A prebuilt workflow bundle (tests and benchmarks build it once); otherwise the workflows are bundled now. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /**
   * The workflows to bundle when no bundle is given: `planWorkflowsPath` (default), or a file of yours re-exporting it.
   */
  workflowsPath?: string;
  /** Activities of your own workflows, registered beside the plan's; a name the plan's activities use is an error. */
  activities?: WorkerOptions['activities'];
  /** Step results whose JSON is larger are kept in PostgreSQL, referenced from history (default 64 KiB). */
  resultInlineLimitBytes?: number;
  /** The values of `{{secrets.NAME}}` (createSecretSource); without it every secret reference is unknown. */
  secrets?: SecretSource;
  /** The payload codec, which every client of the plans must share (codecDataConverter); default: none. */
  dataConverter?: WorkerOptions['dataConverter'];
  /** Extra worker options (tuning), applied last. */
  tuning?: Partial<WorkerOptions>;
}

/** Creates a worker that runs plan workflows and one activity per tool. */
export async function createPlanWorker(options: PlanWorkerOptions): Promise<Worker> {
  if (options.services?.sql.unrestricted) {
    Runtime.instance().logger.warn(
      "PLAN_SQL_UNRESTRICTED is set: sql_query steps run as their connection's login, unscreened; with a superuser " +
        'login a plan can run programs and read files on the database host (COPY ... TO PROGRAM, pg_read_file)',
    );
  }
  const planActivities = createActivities({
    tools: options.tools,
    pool: options.pool,
    services: options.services ?? createToolServices(NO_TOOL_SETTINGS).services,
    resultInlineLimitBytes: options.resultInlineLimitBytes,
    secrets: options.secrets,
  });
  for (const name of Object.keys(options.activities ?? {})) {
    if (name in planActivities)
      throw new Error(`activity "${name}" collides with a plan activity (a tool or the plan's own); rename it`);
  }
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: { ...planActivities, ...options.activities },
    dataConverter: options.dataConverter,
    // Bundled here rather than by Worker.create, whose bundler prints webpack's whole report at INFO.
    workflowBundle:
      options.workflowBundle ??
      (await bundleWorkflowCode({
        workflowsPath: options.workflowsPath ?? planWorkflowsPath,
        logger: new DefaultLogger('WARN'),
      })),
    // Cancellation reaches an activity on its next heartbeat; the default throttle (80% of the heartbeat
    // timeout) would let a cancelled step run on for seconds.
    maxHeartbeatThrottleInterval: '2 seconds',
    ...options.tuning,
  });
}

/**
 * Connects with the given configuration and builds a worker running `tools` (for `plan worker` and `npm start`);
 * `close` releases what it opened.
 */
export async function connectPlanWorker(
  config: Config = loadConfig(),
  tools: ToolRegistry = toolCatalogue(),
): Promise<{ worker: Worker; close(): Promise<void> }> {
  const pool = createPool(config.databaseUrl ?? DEFAULTS.databaseUrl);
  const tooling = createToolServices(toolSettings(config));
  const connection = await NativeConnection.connect({ address: config.temporalAddress ?? DEFAULTS.temporalAddress });
  const worker = await createPlanWorker({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    tools,
    pool,
    services: tooling.services,
    resultInlineLimitBytes: config.resultInlineLimitBytes ?? undefined,
    secrets: createSecretSource(config.secrets),
    dataConverter: codecDataConverter(config.codec.keys),
  });
  return {
    worker,
    close: async () => Promise.all([connection.close(), pool.end(), tooling.close()]).then(() => undefined),
  };
}

/**
 * The tools' settings from the configuration: sql_query's "default" connection is DATABASE_URL unless named otherwise.
 */
export function toolSettings(config: Config): ToolSettings {
  return {
    shell: config.shell,
    sqlConnections: { default: config.databaseUrl ?? DEFAULTS.databaseUrl, ...config.sqlConnections },
    sqlUnrestricted: config.sqlUnrestricted,
    llm: config.llm,
    http: config.http,
  };
}
