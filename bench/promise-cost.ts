/**
 * What one awaited promise costs in workflow code, against plain Node: the measured reason a plan step costs more
 * than a hand-written one (every promise a workflow creates gets a source-mapped stack trace from the SDK's promise
 * hook). Not a test: it measures.
 *
 *   npm run bench -- promises [count=10000] [rounds=3]   (keep count × ~80 µs under the SDK's 2 s task limit)
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startEphemeralStack } from '../src/dev/ephemeral-stack';
import { awaitPromises } from './workflows/promise-cost';

export async function promiseCost(args: string[]): Promise<string> {
  const count = Number(args[0] ?? 10_000);
  const rounds = Number(args[1] ?? 3);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const stack = await startEphemeralStack({ label: 'promises', log: (line) => process.stderr.write(`${line}\n`) });
  const taskQueue = `promises-${randomUUID()}`;
  const native = await NativeConnection.connect({ address: stack.temporalAddress });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('./workflows'),
    logger: new DefaultLogger('WARN'),
  });
  const worker = await Worker.create({ connection: native, taskQueue, workflowBundle: { code } });
  const lines = [
    `| promises awaited | in plain Node (µs each) | in a workflow task (µs each) |`,
    '| --- | --- | --- |',
  ];
  try {
    await worker.runUntil(async () => {
      for (let round = 0; round < rounds; round++) {
        const node = await timed(() => awaitPromises(count));
        // Empty (count 0) first, so the difference is the promises' alone, not the task's round trip.
        const empty = await timed(() =>
          client.workflow.execute(awaitPromises, { taskQueue, workflowId: randomUUID(), args: [0] }),
        );
        const full = await timed(() =>
          client.workflow.execute(awaitPromises, { taskQueue, workflowId: randomUUID(), args: [count] }),
        );
        lines.push(
          `| ${count} | ${((node * 1000) / count).toFixed(2)} | ${(((full - empty) * 1000) / count).toFixed(2)} |`,
        );
      }
    });
  } finally {
    await native.close();
    await connection.close();
    await stack.stop();
  }
  return lines.join('\n');
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}
