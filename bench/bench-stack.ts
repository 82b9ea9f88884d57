import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { startEphemeralStack } from '../src/dev/ephemeral-stack';
import { createPool } from '../src/store/pool';
import { builtinRegistry, type ToolRegistry } from '../src/tools';
import { createPlanWorker } from '../src/worker';

export interface BenchStack {
  client: Client;
  pool: Pool;
  tools: ToolRegistry;
  taskQueue: string;
  worker: Worker;
  stop(): Promise<void>;
}

/** A throw-away dev server and database with one plan worker on a fresh queue: what every benchmark runs on. */
export async function startBenchStack(label: string, dynamicConfig?: Record<string, unknown>): Promise<BenchStack> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const stack = await startEphemeralStack({ label, log: (line) => process.stderr.write(`${line}\n`), dynamicConfig });
  const pool = createPool(stack.databaseUrl);
  const native = await NativeConnection.connect({ address: stack.temporalAddress });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const tools = builtinRegistry();
  const taskQueue = `${label}-${randomUUID()}`;
  const worker = await createPlanWorker({
    connection: native,
    namespace: 'default',
    taskQueue,
    tools,
    pool,
    workflowBundle: { codePath: stack.workflowBundlePath },
  });
  return {
    client: new Client({ connection }),
    pool,
    tools,
    taskQueue,
    worker,
    async stop() {
      await native.close();
      await connection.close();
      await pool.end();
      await stack.stop();
    },
  };
}
