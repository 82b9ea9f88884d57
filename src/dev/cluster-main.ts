/**
 * `npm run cluster`: a real Temporal cluster on this machine (cluster.ts) until Ctrl-C — the server built into the
 * per-user cache on first use, its databases on the PostgreSQL in use (DATABASE_URL, the local server, or an embedded
 * one), frontend, history, matching and worker as separate processes — and how to point plans at it.
 */
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadConfig } from '../config';
import { startCluster, type Cluster } from './cluster';
import { DEFAULT_CLUSTER_DATABASES } from './cluster-databases';
import { redact, resolveDatabase, type Database } from './database';
import { ensureTemporalServerBinaries } from './temporal-server-binary';

const DEFAULT_FRONTEND_PORT = 7233;

/** Runs the cluster until SIGINT/SIGTERM, or until a service dies; exits non-zero with one message when it cannot. */
export async function main(): Promise<void> {
  let cluster: Cluster | null = null;
  let database: Database | null = null;
  let stopping = false;
  // A signal while the cluster starts ends the start (startCluster then stops what it started) before shutting down.
  const starting = new AbortController();
  let started: Promise<unknown> = Promise.resolve();
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    starting.abort();
    await started.catch(() => undefined);
    if (cluster) say('stopping the cluster…');
    await cluster?.stop().catch((err: Error) => say(`while stopping the cluster: ${err.message}`));
    await database?.stop().catch((err: Error) => say(`while stopping PostgreSQL: ${err.message}`));
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  try {
    const config = loadConfig(process.env);
    const dataDir = resolve(process.env.PLAN_DATA_DIR || join('.data', 'cluster'));
    mkdirSync(dataDir, { recursive: true });
    const frontendPort = portVariable('PLAN_CLUSTER_PORT') ?? DEFAULT_FRONTEND_PORT;
    const databases = {
      temporal: process.env.PLAN_CLUSTER_DATABASE || DEFAULT_CLUSTER_DATABASES.temporal,
      visibility: process.env.PLAN_CLUSTER_VISIBILITY_DATABASE || DEFAULT_CLUSTER_DATABASES.visibility,
    };
    const binaries = await ensureTemporalServerBinaries(say);
    database = await resolveDatabase({ databaseUrl: config.databaseUrl, dataDir, log: say });
    say(`PostgreSQL: ${redact(database.url)} (${database.origin})`);
    const start = startCluster({
      binaries,
      databaseUrl: database.url,
      databases,
      dataDir,
      frontendPort,
      namespace: config.namespace,
      signal: starting.signal,
      log: say,
      onServiceExit: (service, report) => {
        if (stopping) return;
        say(report);
        say(`the cluster cannot run without its ${service} service; stopping the others`);
        void shutdown(1);
      },
    });
    started = start;
    cluster = await start;
    const logs = relative(process.cwd(), join(dataDir, '*.log')) || join(dataDir, '*.log');
    const exports = [`TEMPORAL_ADDRESS=${cluster.address}`, `DATABASE_URL=${redact(database.url)}`];
    if (config.namespace !== 'default') exports.push(`TEMPORAL_NAMESPACE=${config.namespace}`);
    say(
      [
        `Ready: a Temporal cluster on ${cluster.address} (frontend, history, matching, worker; namespace ` +
          `"${config.namespace}"). In another terminal:`,
        `  export ${exports.join(' ')}`,
        '  npm run -s plan -- setup        # search attributes, memory-sweep Schedule, migrations (once)',
        '  npm run -s plan -- worker       # in as many terminals as you want workers',
        '  npm run -s plan -- start examples/hello.yaml',
        `Logs: ${logs}  ·  Ctrl-C stops the cluster`,
      ].join('\n'),
    );
  } catch (err) {
    if (stopping) return; // a signal ended the start; shutdown() reports nothing more
    say(`cannot start: ${(err as Error).message}`);
    await shutdown(1);
  }
}

/** A TCP port from the environment, or undefined when the variable is unset; anything else is refused by name. */
function portVariable(name: string): number | undefined {
  const value = process.env[name]?.trim();
  if (!value) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`${name} must be a TCP port (1-65535), not "${value}"`);
  }
  return port;
}

function say(line: string): void {
  process.stdout.write(`[cluster] ${line}\n`);
}
