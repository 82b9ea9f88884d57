/**
 * The server configuration of the local cluster, modelled on the release's `config/development-postgres12.yaml`: one
 * file every service process reads (each starts only its own service), and a dynamic configuration file beside it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { ClusterDatabases, PostgresEndpoint } from './cluster-databases';
import { DISPATCH_DYNAMIC_CONFIG } from './dev-server';

/** The server's services, in the order they start (the frontend waits for history and matching to be reachable). */
export const CLUSTER_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type ClusterServiceName = (typeof CLUSTER_SERVICES)[number];

/** A service's ports: gRPC for requests, membership for ringpop, through which the services find each other. */
export interface ServicePorts {
  grpc: number;
  membership: number;
}

export interface ClusterPorts {
  services: Record<ClusterServiceName, ServicePorts>;
  /** The frontend's HTTP API (and Nexus callbacks). */
  frontendHttp: number;
}

/**
 * Dynamic configuration of the cluster (the server re-reads the file every 10 s). Search attributes that `plan setup`
 * registers are usable at once rather than after the cache's minute, as on the dev server, which pays for it with
 * more persistence reads, hence its higher limits; and `plan list`/watchers may query visibility more than 10 times
 * a second.
 */
export const CLUSTER_DYNAMIC_CONFIG: Record<string, unknown> = {
  ...DISPATCH_DYNAMIC_CONFIG,
  'system.forceSearchAttributesCacheRefreshOnRead': true,
  'frontend.persistenceMaxQPS': 10_000,
  'history.persistenceMaxQPS': 45_000,
  'frontend.namespaceRPS.visibility': 100,
};

/** The folder, under the data folder, that the server's `--config` names; `--env development` reads CONFIG_FILE. */
export const CLUSTER_CONFIG_FOLDER = 'config';
const CONFIG_FILE = 'development.yaml';
const DYNAMIC_CONFIG_FILE = 'dynamic-config.yaml';

/** Writes both files into `<dataDir>/config` (rewritten at every start, so changed ports or databases apply). */
export function writeClusterConfig(options: {
  dataDir: string;
  postgres: PostgresEndpoint;
  databases: ClusterDatabases;
  ports: ClusterPorts;
  dynamicConfig: Record<string, unknown>;
}): { configFile: string; dynamicConfigFile: string } {
  const folder = join(options.dataDir, CLUSTER_CONFIG_FOLDER);
  mkdirSync(folder, { recursive: true });
  const configFile = join(folder, CONFIG_FILE);
  const dynamicConfigFile = join(folder, DYNAMIC_CONFIG_FILE);
  writeFileSync(configFile, stringify(serverConfig(options, dynamicConfigFile)));
  writeFileSync(
    dynamicConfigFile,
    stringify(
      Object.fromEntries(
        Object.entries(options.dynamicConfig).map(([key, value]) => [key, [{ value, constraints: {} }]]),
      ),
    ),
  );
  return { configFile, dynamicConfigFile };
}

function serverConfig(
  options: { postgres: PostgresEndpoint; databases: ClusterDatabases; ports: ClusterPorts },
  dynamicConfigFile: string,
): object {
  const { postgres, databases, ports } = options;
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${postgres.host}:${postgres.port}`,
      connectProtocol: 'tcp',
      user: postgres.user,
      password: postgres.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const frontend = `127.0.0.1:${ports.services.frontend.grpc}`;
  const rpc = (service: ClusterServiceName) => ({
    rpc: {
      grpcPort: ports.services[service].grpc,
      membershipPort: ports.services[service].membership,
      bindOnLocalHost: true,
      ...(service === 'frontend' ? { httpPort: ports.frontendHttp } : {}),
    },
  });
  return {
    // Warnings and errors only: a service that dies says why in its log without drowning it in routine lines.
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: {
        'postgres-default': store(databases.temporal, 20),
        'postgres-visibility': store(databases.visibility, 5),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: Object.fromEntries(CLUSTER_SERVICES.map((service) => [service, rpc(service)])),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: frontend },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    // The worker service (schedules, batch jobs) calls the frontend like any client does.
    publicClient: { hostPort: frontend },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
}
