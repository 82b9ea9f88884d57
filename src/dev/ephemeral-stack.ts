/**
 * A throw-away stack for the test suite and the benchmarks: a Temporal dev server on free ports, in memory, with the
 * project's search attributes and its Web UI (for the browser tests; it costs the start-up nothing measurable); a
 * database of its own (created on whatever PostgreSQL is at hand, dropped at the end) with the migrations applied;
 * and the workflow bundle built once.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { Client } from 'pg';
import { applyMigrations } from '../store/migrate';
import { createPool } from '../store/pool';
import { resolveDatabase } from './database';
import { startDevServer } from './dev-server';
import { freePort } from './free-port';
import { ensureSearchAttributes } from '../api/search-attributes';
import { ensureTemporalBinary } from './temporal-binary';
import { bundlePlanWorkflows } from '../worker';

export interface EphemeralStack {
  temporalAddress: string;
  /** Temporal Web of this server, e.g. http://127.0.0.1:41234. */
  temporalUiUrl: string;
  databaseUrl: string;
  workflowBundlePath: string;
  stop(): Promise<void>;
}

/** Starts the stack; `label` names the database and temp folder; `dynamicConfig` tunes the dev server. */
export async function startEphemeralStack(options: {
  label: string;
  log: (line: string) => void;
  dynamicConfig?: Record<string, unknown>;
}): Promise<EphemeralStack> {
  const work = mkdtempSync(join(tmpdir(), `durable-plans-${options.label}-`));
  chmodSync(work, 0o755); // an embedded PostgreSQL started as root runs as the postgres user, who must reach it
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const uiPort = await freePort();
    const server = await startDevServer({
      binary: await ensureTemporalBinary(options.log),
      port: await freePort(),
      uiPort,
      dbFile: null,
      logFile: join(work, 'temporal.log'),
      dynamicConfig: options.dynamicConfig,
    });
    stops.push(server.stop);
    const connection = await Connection.connect({ address: server.address });
    await ensureSearchAttributes(connection, 'default');
    await connection.close();

    const base = await resolveDatabase({
      databaseUrl: process.env.DATABASE_URL ?? null,
      dataDir: work,
      port: await freePort(),
      log: options.log,
    });
    stops.push(base.stop);
    const name = `durable_plans_${options.label}_${process.pid}_${Date.now()}`.replace(/\W/g, '_');
    await adminQuery(base.url, `CREATE DATABASE ${name}`);
    stops.push(() => adminQuery(base.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    const url = new URL(base.url);
    url.pathname = `/${name}`;
    const pool = createPool(url.toString());
    await applyMigrations(pool);
    await pool.end();

    // The same bundle as a worker's: tracing's workflow side included.
    const { code } = await bundlePlanWorkflows();
    const workflowBundlePath = join(work, 'workflow-bundle.js');
    writeFileSync(workflowBundlePath, code);
    return {
      temporalAddress: server.address,
      temporalUiUrl: `http://127.0.0.1:${uiPort}`,
      databaseUrl: url.toString(),
      workflowBundlePath,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
