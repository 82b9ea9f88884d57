import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { startPlan } from '../../src/api/plans';
import type { runPlan } from '../../src/workflows';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { builtinRegistry, type ToolRegistry } from '../../src/tools';
import { createPlanWorker } from '../../src/worker';
import { testStack } from './test-stack';

export interface TestWorker {
  client: Client;
  taskQueue: string;
  tools: ToolRegistry;
  worker: Worker;
  /** Validates and starts a plan on this worker's queue, under a fresh id unless the plan names one. */
  start(plan: Record<string, unknown>): Promise<WorkflowHandle<typeof runPlan>>;
  stop(): Promise<void>;
}

let runtimeReady = false;

/** Runs a real plan worker on a task queue of its own, against the suite's dev server. */
export async function startTestWorker(tools: ToolRegistry = builtinRegistry()): Promise<TestWorker> {
  if (!runtimeReady) {
    // Tests fail steps on purpose; the SDK's warnings about it would drown the output. Errors still show.
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    runtimeReady = true;
  }
  const stack = testStack();
  const taskQueue = `test-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: stack.temporalAddress });
  const worker = await createPlanWorker({
    connection,
    namespace: 'default',
    taskQueue,
    tools,
    workflowBundle: { codePath: stack.workflowBundlePath },
  });
  const running = worker.run();
  const clientConnection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection: clientConnection });
  return {
    client,
    taskQueue,
    tools,
    worker,
    start: (plan) => startPlan(client, { id: uniqueId('plan'), ...plan }, { taskQueue, catalog: tools }),
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await clientConnection.close();
    },
  };
}

/** A workflow id no other test uses. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
