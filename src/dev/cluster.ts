/**
 * A real Temporal cluster on this machine: the release's server on PostgreSQL with frontend, history, matching and
 * worker as separate processes, each on its own ports — what `npm run cluster` runs and the cluster test starts, so
 * plans meet what a production cluster does (services restarting, membership, SQL persistence and visibility).
 */
import { Connection, isGrpcServiceError } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { prepareClusterDatabases, postgresEndpoint, type ClusterDatabases } from './cluster-databases';
import {
  CLUSTER_DYNAMIC_CONFIG,
  CLUSTER_SERVICES,
  writeClusterConfig,
  type ClusterServiceName,
} from './cluster-config';
import { clusterService, type ClusterService } from './cluster-service';
import { waitForFrontend } from './dev-server';
import { isListening } from './free-port';
import { pickClusterPorts } from './cluster-ports';
import type { TemporalServerBinaries } from './temporal-server-binary';

export interface ClusterOptions {
  binaries: TemporalServerBinaries;
  /** Any database on the PostgreSQL server to use; the cluster's own two databases are made beside it. */
  databaseUrl: string;
  databases: ClusterDatabases;
  /** Where the configuration and each service's log go. */
  dataDir: string;
  /** The frontend's gRPC port, the address clients use; the other ports are picked free at each start. */
  frontendPort: number;
  /** Registered when missing. */
  namespace: string;
  log: (line: string) => void;
  /** Hears of a service that exits without being asked to once the cluster runs, with the end of its log. */
  onServiceExit: (service: ClusterServiceName, report: string) => void;
  /** Aborting it ends a start under way (Ctrl-C), stopping what had started. */
  signal?: AbortSignal;
}

export interface Cluster {
  /** The frontend, `host:port`, for TEMPORAL_ADDRESS. */
  address: string;
  namespace: string;
  services: Record<ClusterServiceName, ClusterService>;
  /** Stops one service's process and starts it again; resolves once the cluster serves requests again. */
  restart(service: ClusterServiceName): Promise<void>;
  /** Stops every service, in the reverse of the start order: worker, frontend, matching, history. */
  stop(): Promise<void>;
}

/** How long a starting (or restarted) cluster may take to serve its namespace. */
const READY_TIMEOUT_MS = 90_000;
/** How long a namespace keeps closed workflows; a local cluster needs no more than a day. */
const RETENTION_MS = 24 * 3600 * 1000;
const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;

/** Prepares the databases, writes the configuration, starts the four services and registers the namespace. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const address = `127.0.0.1:${options.frontendPort}`;
  if (await isListening('127.0.0.1', options.frontendPort)) {
    throw new Error(
      `port ${options.frontendPort} is taken (a cluster or dev server left running?); stop it, or give the frontend another port (PLAN_CLUSTER_PORT)`,
    );
  }
  const described = await prepareClusterDatabases({
    binaries: options.binaries,
    serverUrl: options.databaseUrl,
    databases: options.databases,
  });
  options.log(`PostgreSQL databases: ${described.temporal}, ${described.visibility}`);

  const ports = await pickClusterPorts(options.frontendPort);
  const { configFile } = writeClusterConfig({
    dataDir: options.dataDir,
    postgres: postgresEndpoint(options.databaseUrl),
    databases: options.databases,
    ports,
    dynamicConfig: CLUSTER_DYNAMIC_CONFIG,
  });
  options.log(`server configuration: ${configFile}`);

  // While the cluster starts, a service that dies (or the caller's abort) ends the start, which stops the rest.
  let starting = true;
  let interrupt: (reason: Error) => void = () => undefined;
  const interrupted = new Promise<never>((_, reject) => (interrupt = reject));
  interrupted.catch(() => undefined);
  options.signal?.addEventListener('abort', () => interrupt(new Error('the start was interrupted')), { once: true });
  const unlessInterrupted = <T>(work: Promise<T>) => Promise.race([work, interrupted]);
  const onExit = (service: ClusterServiceName, report: string) =>
    starting ? interrupt(new Error(report)) : options.onServiceExit(service, report);

  const services = Object.fromEntries(
    CLUSTER_SERVICES.map((name) => [
      name,
      clusterService({
        name,
        binary: options.binaries.server,
        dataDir: options.dataDir,
        ports: ports.services[name],
        onExit,
      }),
    ]),
  ) as Record<ClusterServiceName, ClusterService>;
  const stop = async () => {
    for (const name of [...CLUSTER_SERVICES].reverse()) await services[name].stop();
  };

  try {
    options.signal?.throwIfAborted();
    for (const name of CLUSTER_SERVICES) {
      const service = services[name];
      await unlessInterrupted(service.start());
      options.log(
        `${name.padEnd(8)} pid ${service.pid()}, gRPC port ${service.ports.grpc}, membership port ${service.ports.membership}, log ${service.logFile}`,
      );
    }
    await unlessInterrupted(waitForFrontend(address, READY_TIMEOUT_MS));
    await unlessInterrupted(
      withConnection(address, async (connection) => {
        if (await ensureNamespace(connection, options.namespace)) {
          options.log(`registered namespace "${options.namespace}"`);
        }
        await waitUntilServing(connection, options.namespace);
      }),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  starting = false;

  return {
    address,
    namespace: options.namespace,
    services,
    stop,
    async restart(name) {
      await services[name].stop();
      await services[name].start();
      await withConnection(address, (connection) => waitUntilServing(connection, options.namespace));
    },
  };
}

async function withConnection<T>(address: string, use: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

/** Registers the namespace unless it exists; tells whether it registered it. */
async function ensureNamespace(connection: Connection, namespace: string): Promise<boolean> {
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(RETENTION_MS),
    });
    return true;
  } catch (err) {
    if (isGrpcServiceError(err) && err.code === GRPC_ALREADY_EXISTS) return false;
    throw err;
  }
}

/** Resolves once the namespace serves requests through every service a plan needs (see servingProblem). */
async function waitUntilServing(connection: Connection, namespace: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const problem = await servingProblem(connection, namespace);
    if (problem === null) return;
    if (Date.now() > deadline) {
      throw new Error(`the cluster did not serve namespace "${namespace}" within ${READY_TIMEOUT_MS} ms (${problem})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Null when matching answers for a task queue (which also says the frontend's namespace cache, refreshed every few
 * seconds, knows the namespace) and history owns its shards (a workflow that does not exist is NOT_FOUND, not
 * UNAVAILABLE); else what failed.
 */
async function servingProblem(connection: Connection, namespace: string): Promise<string | null> {
  const probe = 'durable-plans-cluster-probe';
  const within = <T>(call: () => Promise<T>) => connection.withDeadline(Date.now() + 5_000, call);
  try {
    await within(() => connection.workflowService.describeTaskQueue({ namespace, taskQueue: { name: probe } }));
  } catch (err) {
    return `frontend or matching: ${(err as Error).message}`;
  }
  try {
    await within(() =>
      connection.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId: probe } }),
    );
  } catch (err) {
    if (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND) return null;
    return `history: ${(err as Error).message}`;
  }
  return null;
}
