/**
 * Records the histories of representative plans into test/histories/*.json, on a throw-away stack. The replay test
 * runs today's workflow code over them: a change that would break plans already running fails CI.
 *
 *   npm run record-histories      (then commit the new files; never edit old ones — see README "Changing workflow code")
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { decide, startPlan } from '../../src/api/plans';
import { startEphemeralStack } from '../../src/dev/ephemeral-stack';
import { ensureTemporalBinary } from '../../src/dev/temporal-binary';
import { createPool } from '../../src/store/pool';
import { builtinRegistry, createToolServices, NO_TOOL_SETTINGS } from '../../src/tools';
import { stateQuery } from '../../src/workflows/definitions';
import { createPlanWorker } from '../../src/worker';

const PLANS: Record<string, { plan: Record<string, unknown>; approve?: boolean }> = {
  approval: {
    approve: true,
    plan: { options: { requireApproval: true }, steps: [{ id: 'a', toolName: 'echo', parameters: { x: 1 } }, { id: 'b', toolName: 'noop', dependsOn: ['a'] }] },
  },
  saga: {
    plan: {
      options: { allowParallel: true },
      steps: [
        { id: 'book', toolName: 'echo', parameters: { n: 1 }, compensate: { toolName: 'echo', parameters: { undo: '{{steps.book.result.n}}' } } },
        { id: 'pay', toolName: 'memory_set', parameters: { key: 'paid', value: true }, dependsOn: ['book'] },
        { id: 'flaky', toolName: 'fail', parameters: { failTimes: 1 }, maxRetries: 1, retryDelayMs: 10, dependsOn: ['book'] },
        { id: 'ship', toolName: 'fail', parameters: { message: 'no truck' }, dependsOn: ['pay', 'flaky'] },
      ],
    },
  },
  subplan: {
    plan: {
      options: { continueOnError: true, allowParallel: true },
      steps: [
        { id: 'left', toolName: 'subplan', parameters: { plan: { steps: [{ id: 'x', toolName: 'echo', parameters: { v: 1 } }] } } },
        { id: 'right', toolName: 'subplan', parameters: { plan: { steps: [{ id: 'y', toolName: 'echo', parameters: { v: 3 } }] } } },
        {
          id: 'fuse',
          toolName: 'merge',
          dependsOn: ['left', 'right'],
          acceptFailedDependencies: true,
          parameters: { mode: 'concat', inputs: '{{dependencies}}' },
        },
      ],
    },
  },
};

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const binary = await ensureTemporalBinary();
  const stack = await startEphemeralStack({ label: 'histories', log: (line) => process.stderr.write(`${line}\n`) });
  const pool = createPool(stack.databaseUrl);
  const tooling = createToolServices(NO_TOOL_SETTINGS);
  const native = await NativeConnection.connect({ address: stack.temporalAddress });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  const tools = builtinRegistry();
  const worker = await createPlanWorker({ connection: native, namespace: 'default', taskQueue: 'histories', tools, pool, services: tooling.services, workflowBundle: { codePath: stack.workflowBundlePath } });
  try {
    await worker.runUntil(async () => {
      for (const [name, { plan, approve }] of Object.entries(PLANS)) {
        const handle = await startPlan(client, { id: `history-${name}`, ...plan }, { taskQueue: 'histories', catalog: tools });
        if (approve) {
          while ((await handle.query(stateQuery)).status !== 'pending_approval') await new Promise((r) => setTimeout(r, 50));
          await decide(client, handle.workflowId, { decision: 'approve', by: 'recorder' });
        }
        await handle.result();
        // The Temporal CLI's JSON export: the standard history file format, read back by historyFromJSON.
        const file = join(__dirname, `${name}.json`);
        const shown = spawnSync(binary, ['workflow', 'show', '--address', stack.temporalAddress, '--workflow-id', handle.workflowId, '--output', 'json'], { encoding: 'utf8' });
        if (shown.status !== 0) throw new Error(`temporal workflow show failed: ${shown.stderr}`);
        writeFileSync(file, shown.stdout);
        process.stdout.write(`recorded ${file}\n`);
      }
    });
  } finally {
    await native.close();
    await connection.close();
    await pool.end();
    await tooling.close();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
