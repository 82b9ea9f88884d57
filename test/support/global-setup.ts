import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { Client } from 'pg';
import { resolveDatabase } from '../../src/dev/database';
import { startDevServer } from '../../src/dev/dev-server';
import { freePort } from '../../src/dev/free-port';
import { ensureSearchAttributes } from '../../src/dev/search-attributes';
import { ensureTemporalBinary } from '../../src/dev/temporal-binary';
import { applyMigrations } from '../../src/store/migrate';
import { createPool } from '../../src/store/pool';
import { publishStack } from './test-stack';

/** What the teardown needs; global set-up and teardown share one process. */
export interface StackHandles {
  stop(): Promise<void>;
}

export default async function globalSetup(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'durable-plans-test-'));
  chmodSync(work, 0o755); // an embedded PostgreSQL started as root runs as the postgres user, who must reach it
  const stops: Array<() => Promise<void>> = [];
  (globalThis as { __durablePlansStack?: StackHandles }).__durablePlansStack = {
    stop: async () => {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
  const log = (line: string) => process.stderr.write(`\n[test stack] ${line}`);

  const server = await startDevServer({
    binary: await ensureTemporalBinary(log),
    port: await freePort(),
    uiPort: null,
    dbFile: null,
    logFile: join(work, 'temporal.log'),
  });
  stops.push(server.stop);
  const connection = await Connection.connect({ address: server.address });
  await ensureSearchAttributes(connection, 'default');
  await connection.close();

  // A database of our own on whatever PostgreSQL the developer has, so tests never touch their data.
  const base = await resolveDatabase({ databaseUrl: process.env.DATABASE_URL ?? null, dataDir: work, port: await freePort(), log });
  stops.push(base.stop);
  const name = `durable_plans_test_${process.pid}_${Date.now()}`;
  await adminQuery(base.url, `CREATE DATABASE ${name}`);
  stops.push(() => adminQuery(base.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(base.url);
  url.pathname = `/${name}`;
  const pool = createPool(url.toString());
  await applyMigrations(pool);
  await pool.end();

  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: new DefaultLogger('WARN'),
  });
  const bundlePath = join(work, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);

  publishStack({ temporalAddress: server.address, databaseUrl: url.toString(), workflowBundlePath: bundlePath });
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
