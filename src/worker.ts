/**
 * Composition root of the worker: config -> tools -> activities -> Worker. Dependencies are built here once and
 * injected; nothing below reads the environment.
 */
import {
  bundleWorkflowCode,
  DefaultLogger,
  type WorkflowBundleWithSourceMap,
  NativeConnection,
  Runtime,
  Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import { createActivities } from './activities';
import { createSecretSource, type SecretSource } from './activities/secret-source';
import { codecDataConverter } from './codec/data-converter';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import type { Pool } from 'pg';
import {
  DEFAULTS,
  loadConfig,
  NO_COORDINATION,
  type CoordinationConfig,
  temporalConnectionOptions,
  toolCatalogue,
  workerDeploymentVersion,
  type Config,
} from './config';
import { createPool } from './store/pool';
import {
  createToolServices,
  NO_TOOL_SETTINGS,
  withMcpTools,
  type ToolRegistry,
  type ToolServices,
  type ToolSettings,
} from './tools';
import { startTracing, UNTRACED_SINKS, type Tracing } from './telemetry/tracing';
import { installPlanRuntime } from './telemetry/runtime';
import { serveWorkerHealth } from './telemetry/worker-health';

/**
 * The module that exports the plan workflows (`runPlan` and its helpers). A worker that also runs a team's own
 * workflows bundles a file that re-exports them (`export * from 'durable-plans/workflows'`) beside its own, and
 * passes that file as `workflowsPath`.
 */
export const planWorkflowsPath: string = require.resolve('./workflows');

/**
 * The workflow interceptor modules of every plan bundle (`workflowInterceptorModules` of bundleWorkflowCode): tracing's
 * workflow side. A bundle you build yourself and pass as `workflowBundle` includes them too, or its workflows are not
 * traced.
 */
export const planWorkflowInterceptorModules: string[] = [require.resolve('./workflows/tracing-interceptors')];

/**
 * Bundles the plan workflows (or `workflowsPath`, your file re-exporting them) as every plan worker runs them — and as
 * a replay must, to replay what they ran.
 */
export function bundlePlanWorkflows(workflowsPath: string = planWorkflowsPath): Promise<WorkflowBundleWithSourceMap> {
  // Bundled here rather than by Worker.create, whose bundler prints webpack's whole report at INFO.
  return bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: planWorkflowInterceptorModules,
    logger: new DefaultLogger('WARN'),
  });
}

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
  /**
   * Worker Versioning: the Worker Deployment Version this worker serves. Every workflow it runs (plans, their
   * sub-plans, your own unless they say otherwise with setWorkflowOptions) is pinned to the version it started on.
   * Default: an unversioned worker.
   */
  deployment?: WorkerDeploymentVersion;
  /**
   * How long `shutdown()` lets in-flight activities finish before cancelling them (Temporal retries them elsewhere);
   * default 0, the SDK's: cancelled at once.
   */
  shutdownGraceMs?: number;
  /** How many agent model calls run at once on this worker; the others wait their turn (default 8). */
  maxRunningTurns?: number;
  /** The key that signs step callbacks (X-Plan-Signature, HMAC-SHA256); without it they are sent unsigned. */
  notifySecret?: string | null;
  /** Circuit breakers and rate/concurrency limits by tool (the configuration's `breakers` and `limits`). */
  coordination?: CoordinationConfig;
  /** Tracing (startTracing in src/telemetry/tracing.ts): spans of activities and workflows; default: none. */
  tracing?: Tracing | null;
  /** Extra worker options (tuning), applied last. */
  tuning?: Partial<WorkerOptions>;
}

/** Creates a worker that runs plan workflows and one activity per tool. */
export async function createPlanWorker(options: PlanWorkerOptions): Promise<Worker> {
  // Such a catalogue takes any tool of its servers on trust: a worker must run the tools themselves.
  const unconnected = Object.keys(options.tools.mcpServers);
  if (unconnected.length > 0) {
    throw new Error(
      `the tools' MCP servers (${unconnected.join(', ')}) are not connected: pass withMcpTools(catalogue).tools, ` +
        'or use connectPlanWorker, which connects them',
    );
  }
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
    maxRunningTurns: options.maxRunningTurns,
    notifySecret: options.notifySecret,
    coordination: options.coordination,
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
    workflowBundle: options.workflowBundle ?? (await bundlePlanWorkflows(options.workflowsPath)),
    // Cancellation reaches an activity on its next heartbeat; the default throttle (80% of the heartbeat
    // timeout) would let a cancelled step run on for seconds.
    maxHeartbeatThrottleInterval: '2 seconds',
    interceptors: { activity: options.tracing?.activityInterceptors ?? [] },
    sinks: options.tracing?.sinks ?? UNTRACED_SINKS,
    // Only when given: the SDK takes an explicit undefined over its own default.
    ...(options.shutdownGraceMs === undefined ? {} : { shutdownGraceTime: options.shutdownGraceMs }),
    // Pinned: a plan ends on the build it started on (it may wait days for approval, and the next build need not
    // replay it); its continued runs and sub-plans inherit that build. Said here rather than on the workflow
    // functions (setWorkflowOptions), because an unversioned worker that reports a behaviour fails every task.
    ...(options.deployment && {
      workerDeploymentOptions: {
        useWorkerVersioning: true,
        version: options.deployment,
        defaultVersioningBehavior: 'PINNED',
      },
    }),
    ...options.tuning,
  });
}

/**
 * Connects with the given configuration and builds a worker running `catalogue` (for `plan worker` and `npm start`)
 * with its MCP servers connected (`tools`: what it runs), traced when the configuration says so (`tracing`, for
 * clients of the same process); `close` releases what it opened and sends the last spans. An MCP server that does not
 * start is an error naming it, and nothing is left open.
 */
export async function connectPlanWorker(
  config: Config = loadConfig(),
  catalogue: ToolRegistry = toolCatalogue(),
  coordination: CoordinationConfig = NO_COORDINATION,
): Promise<{ worker: Worker; tools: ToolRegistry; tracing: Tracing | null; close(): Promise<void> }> {
  // Checked before anything is opened: half a deployment version is a configuration mistake.
  const deployment = workerDeploymentVersion(config.deployment) ?? undefined;
  // Whatever is opened is closed again if a later piece fails (Temporal unreachable, a port taken), so a worker
  // that cannot start leaves no MCP server processes, pools or sockets behind.
  const opened: Array<() => Promise<unknown> | undefined> = [];
  const closeAll = () => Promise.all(opened.reverse().map((close) => close())).then(() => undefined);
  try {
    const mcp = await withMcpTools(catalogue);
    opened.push(() => mcp.close());
    const { tools } = mcp;
    // The Runtime carries the worker's logs and metrics: made once, before the first connection, and never changed.
    installPlanRuntime({ metricsAddress: config.metricsAddress, log: config.log });
    const pool = createPool(config.databaseUrl ?? DEFAULTS.databaseUrl);
    opened.push(() => pool.end());
    const tooling = createToolServices(toolSettings(config));
    opened.push(() => tooling.close());
    const connection = await NativeConnection.connect(temporalConnectionOptions(config));
    opened.push(() => connection.close());
    const tracing = startTracing(config.tracing, 'durable-plans-worker');
    opened.push(() => tracing?.shutdown());
    let worker: Worker | null = null;
    const health = await serveWorkerHealth(config.health, { worker: () => worker, connection, pool });
    opened.push(() => health?.close());
    worker = await createPlanWorker({
      connection,
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      tools,
      pool,
      services: tooling.services,
      resultInlineLimitBytes: config.resultInlineLimitBytes ?? undefined,
      secrets: createSecretSource(config.secrets),
      dataConverter: codecDataConverter(config.codec.keys),
      deployment,
      shutdownGraceMs: config.shutdownGraceMs,
      maxRunningTurns: config.maxRunningTurns ?? undefined,
      notifySecret: config.notifySecret,
      coordination,
      tracing,
    });
    return { worker, tools, tracing, close: closeAll };
  } catch (err) {
    await closeAll().catch(() => undefined);
    throw err;
  }
}

/**
 * Stops a worker the way SIGTERM should: it polls no more work, and the steps it is running finish within its shutdown
 * grace (then they are cancelled, and Temporal retries them on another worker); `run()` resolves once they are done.
 */
export function drainWorker(worker: Worker, say: (line: string) => void): void {
  if (worker.getState() !== 'RUNNING') return;
  const steps = worker.getStatus().numInFlightActivities;
  say(
    `draining ${steps} in-flight step${steps === 1 ? '' : 's'} (for up to ${worker.options.shutdownGraceTimeMs / 1000} s; ` +
      'then they are cancelled and retried on another worker)',
  );
  worker.shutdown();
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
