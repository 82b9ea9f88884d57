/**
 * `npm start` / `plan dev`: brings up the whole local stack and keeps it running — a Temporal dev server (or the one
 * at TEMPORAL_ADDRESS), PostgreSQL (DATABASE_URL, the local server, or an embedded one), the migrations, and a
 * worker on the plans task queue. What is already running is reused; Ctrl-C stops everything this process started.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ensureMemorySweepSchedule } from '../api/memory-sweep-schedule';
import { browserOrigins, codecDataConverter, DEFAULT_CODEC_PORT, EncryptionCodec, startCodecServer } from '../codec';
import { loadConfig, loadProjectConfig, temporalConnectionOptions, webUiBase, type Config } from '../config';
import { createPool } from '../store/pool';
import { applyMigrations } from '../store/migrate';
import { connectPlanWorker, drainWorker } from '../worker';
import { resolveDatabase, redact } from './database';
import { answersAsTemporal, startDevServer } from './dev-server';
import { isListening } from './free-port';
import { ensureSearchAttributes } from '../api/search-attributes';
import { ensureTemporalBinary } from './temporal-binary';

type Stop = () => Promise<void>;

/**
 * Runs the stack until SIGINT/SIGTERM; exits non-zero with one clear message when something cannot start.
 * `configFile`: the configuration file `plan dev --config` named (else PLAN_CONFIG, else the nearest one); `profile`:
 * the Temporal profile `plan dev --profile` named (else TEMPORAL_PROFILE).
 */
export async function main(configFile?: string, profile?: string): Promise<void> {
  const stops: Stop[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const stop of stops.reverse()) await stop().catch((err) => say(`while stopping: ${(err as Error).message}`));
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  try {
    await bringUp(stops, (code) => void shutdown(code), configFile, profile);
  } catch (err) {
    say(`cannot start: ${(err as Error).message}`);
    await shutdown(1);
  }
}

async function bringUp(
  stops: Stop[],
  shutdown: (code: number) => void,
  configFile: string | undefined,
  profile: string | undefined,
): Promise<void> {
  const config = loadConfig(process.env, { profile });
  // Loaded first: a broken configuration file stops the stack before anything starts.
  const project = await loadProjectConfig({ flag: configFile });
  if (project.path !== null) say(`configuration: ${project.path} (${project.tools.list().length} tools)`);
  // Where the command runs (the repository for `npm start`, your project for an installed `plan dev`).
  const dataDir = resolve(process.env.PLAN_DATA_DIR || '.data');
  mkdirSync(dataDir, { recursive: true });

  const codecEndpoint = await codecServer(config, stops);
  const { address, ui: startedUi, connection: temporal } = await temporalServer(config, dataDir, stops, codecEndpoint);
  const client = await Connection.connect(temporalConnectionOptions({ ...config, ...temporal }));
  stops.push(() => client.close());
  const added = await ensureSearchAttributes(client, config.namespace);
  if (added.length > 0) say(`registered search attributes: ${added.join(', ')}`);

  const database = await resolveDatabase({ databaseUrl: config.databaseUrl, dataDir, log: say });
  stops.push(database.stop);
  const pool = createPool(database.url);
  const applied = await applyMigrations(pool).finally(() => pool.end());
  say(
    `PostgreSQL: ${redact(database.url)} (${database.origin}); ${applied.length ? `applied migrations ${applied.join(', ')}` : 'migrations up to date'}`,
  );

  // The worker uses what this stack resolved: its Temporal address and its database (perhaps the embedded one).
  const { worker, tracing, close } = await connectPlanWorker(
    { ...config, ...temporal, databaseUrl: database.url },
    project.tools,
    project.coordination,
  );
  const running = worker.run();
  stops.push(async () => {
    // Stopped first, while Temporal and PostgreSQL are still up: running steps finish within the shutdown grace.
    drainWorker(worker, say);
    await running.catch(() => undefined);
    await close();
  });
  running.catch((err) => {
    say(`worker stopped: ${(err as Error).message}`);
    shutdown(1);
  });

  const scheduled = await ensureMemorySweepSchedule(
    new Client({
      connection: client,
      namespace: config.namespace,
      dataConverter: codecDataConverter(config.codec.keys),
      // The worker's tracing: its close sends the last spans.
      interceptors: { workflow: tracing?.clientInterceptors(client, config.namespace) ?? [] },
    }),
    { taskQueue: config.taskQueue },
  );
  if (scheduled) say('created the Schedule that sweeps expired shared memory every minute');
  say(`worker polling task queue "${config.taskQueue}" on ${address} (namespace ${config.namespace})`);
  const ui = startedUi ?? webUiBase(config) ?? 'set TEMPORAL_UI_URL to link it';
  say(`Ready. Temporal Web: ${ui}  ·  start a plan: npm run -s plan -- start examples/hello.yaml  ·  Ctrl-C stops`);
}

/** How the stack reaches Temporal: the configured server with its profile's TLS and key, or a local dev server. */
type TemporalSettings = Pick<Config, 'temporalAddress' | 'temporal'>;

/**
 * The Temporal frontend to use: the configured one (profile, TEMPORAL_ADDRESS), one already on 7233, or a dev server
 * started now.
 */
async function temporalServer(
  config: Config,
  dataDir: string,
  stops: Stop[],
  codecEndpoint: string | null,
): Promise<{ address: string; ui: string | null; connection: TemporalSettings }> {
  const { temporalAddress: configured, devServerPort: DEV_PORT, devUiPort: UI_PORT } = config;
  if (configured) {
    const from = config.temporal.profile === null ? 'TEMPORAL_ADDRESS' : `profile "${config.temporal.profile}"`;
    const probe = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: 10_000 }).catch(
      (err: Error) => {
        throw new Error(`no Temporal server answers at ${configured} (${from}): ${err.message}`);
      },
    );
    await probe.close();
    say(`Temporal: ${configured} (${from})`);
    return { address: configured, ui: null, connection: config };
  }
  // A dev server of our own takes no TLS and no key, whatever the default profile holds for other servers.
  const address = `127.0.0.1:${DEV_PORT}`;
  const local: TemporalSettings = {
    temporalAddress: address,
    temporal: { ...config.temporal, apiKey: null, tls: undefined },
  };
  if (await answersAsTemporal(address)) {
    say(`Temporal: reusing the server already running on ${address}`);
    return { address, ui: null, connection: local };
  }
  if (await isListening('127.0.0.1', DEV_PORT)) {
    throw new Error(
      `port ${DEV_PORT} is taken by something that is not a Temporal server; stop it, set TEMPORAL_DEV_PORT to another port, or set TEMPORAL_ADDRESS to a Temporal server`,
    );
  }
  const binary = await ensureTemporalBinary(say);
  const server = await startDevServer({
    binary,
    port: DEV_PORT,
    uiPort: UI_PORT,
    dbFile: join(dataDir, 'temporal.db'),
    logFile: join(dataDir, 'temporal.log'),
    ...(codecEndpoint ? { uiCodecEndpoint: codecEndpoint } : {}),
  });
  stops.push(server.stop);
  const ui = `http://localhost:${UI_PORT}`;
  say(
    `Temporal: started the dev server on ${server.address}, Web UI on ${ui}, data in ${join(dataDir, 'temporal.db')}`,
  );
  return { address: server.address, ui, connection: { ...local, temporalAddress: server.address } };
}

/**
 * With PLAN_CODEC_KEYS set, plans are encrypted in Temporal: a codec server lets the Web UI (and
 * `temporal workflow show --codec-endpoint`) show them decrypted to whoever reaches it. Null: no keys, no server.
 */
async function codecServer(config: Config, stops: Stop[]): Promise<string | null> {
  if (config.codec.keys.length === 0) return null;
  const server = await startCodecServer({
    codec: new EncryptionCodec(config.codec.keys),
    corsOrigins: browserOrigins(webUiBase(config)),
    token: config.codec.token,
    port: config.codec.port ?? DEFAULT_CODEC_PORT,
  });
  stops.push(server.close);
  say(
    `payloads encrypted (key "${config.codec.keys[0]!.id}"); codec server on ${server.url}` +
      (config.temporalAddress ? ' — set it as the codec endpoint in Temporal Web' : ''),
  );
  return server.url;
}

function say(line: string): void {
  process.stdout.write(`[durable-plans] ${line}\n`);
}
