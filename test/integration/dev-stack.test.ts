/**
 * `npm start` as a user runs it: the script itself, as a child process, bringing up its own dev server
 * (on free ports, data in a temporary folder), applying migrations, and running a worker; Ctrl-C stops it all.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Pool } from 'pg';
import { startPlan } from '../../src/api/plans';
import { freePort } from '../../src/dev/free-port';
import { builtinRegistry } from '../../src/tools';
import { alive, runNode } from '../support/child';
import { eventually } from '../support/eventually';
import { uniqueId } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

jest.setTimeout(180_000);

function descendants(pid: number): number[] {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  const children = new Map<number, number[]>();
  for (const line of out.trim().split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const all: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const c of children.get(queue.pop()!) ?? []) {
      all.push(c);
      queue.push(c);
    }
  }
  return all;
}

test('npm start brings up a dev server with its UI, migrations and a polling worker, keeps plans across restarts, and Ctrl-C leaves nothing behind', async () => {
  const [port, uiPort] = [await freePort(), await freePort()];
  const env = {
    TEMPORAL_ADDRESS: '',
    TEMPORAL_DEV_PORT: String(port),
    TEMPORAL_UI_PORT: String(uiPort),
    DATABASE_URL: testStack().databaseUrl,
    PLAN_TASK_QUEUE: uniqueId('start-queue'),
    PLAN_DATA_DIR: mkdtempSync(join(tmpdir(), 'durable-plans-start-')),
  };
  const first = runNode(['scripts/start.js'], env);
  await first.waitFor(/Ready\. Temporal Web: http:\/\/localhost:\d+/);
  expect(first.output()).toContain(`started the dev server on 127.0.0.1:${port}`);

  const ui = await fetch(`http://localhost:${uiPort}/`);
  expect(ui.status).toBe(200);

  const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
  const client = new Client({ connection });
  const described = await connection.workflowService.describeTaskQueue({
    namespace: 'default',
    taskQueue: { name: env.PLAN_TASK_QUEUE },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  expect(described.pollers.length).toBeGreaterThan(0);

  const sweep = await client.schedule.getHandle('durable-plans-memory-sweep').describe();
  expect(sweep.action).toMatchObject({ workflowType: 'sweepExpiredMemory', taskQueue: env.PLAN_TASK_QUEUE });

  const pool = new Pool({ connectionString: env.DATABASE_URL });
  const { rows } = await pool.query('SELECT version FROM schema_migrations ORDER BY version');
  expect(rows.length).toBeGreaterThan(0);
  await pool.end();

  const planId = uniqueId('survives-restart');
  const handle = await startPlan(
    client,
    { id: planId, steps: [{ id: 'hello', toolName: 'echo', parameters: { hi: 1 } }] },
    { taskQueue: env.PLAN_TASK_QUEUE, catalog: builtinRegistry() },
  );
  expect((await handle.result()).status).toBe('completed');
  await connection.close();

  const children = descendants(first.child.pid!);
  expect(children.length).toBeGreaterThan(0); // the temporal dev server
  first.child.kill('SIGINT');
  expect(await first.exited).toEqual({ code: 0, signal: null });
  // Helpers such as esbuild's service notice their parent is gone a moment later; wait for that, then insist.
  await eventually(() => children.filter(alive).length === 0, 'every child process to exit').catch(() => undefined);
  expect(children.filter(alive)).toEqual([]);

  // The same data folder again: the plan from the first run is still there.
  const second = runNode(['scripts/start.js'], env);
  await second.waitFor(/Ready\./);
  const again = await Connection.connect({ address: `127.0.0.1:${port}` });
  const description = await new Client({ connection: again }).workflow.getHandle(planId).describe();
  expect(description.status.name).toBe('COMPLETED');
  await again.close();
  second.child.kill('SIGTERM');
  expect((await second.exited).code).toBe(0);
});

test('a second npm start reuses the Temporal server already running', async () => {
  const port = Number(testStack().temporalAddress.split(':')[1]);
  const env = {
    TEMPORAL_ADDRESS: '',
    TEMPORAL_DEV_PORT: String(port),
    DATABASE_URL: testStack().databaseUrl,
    PLAN_TASK_QUEUE: uniqueId('reuse-queue'),
    PLAN_DATA_DIR: mkdtempSync(join(tmpdir(), 'durable-plans-start-')),
  };
  const run = runNode(['scripts/start.js'], env);
  await run.waitFor(/Ready\./);
  expect(run.output()).toContain(`reusing the server already running on 127.0.0.1:${port}`);
  run.child.kill('SIGINT');
  expect((await run.exited).code).toBe(0);
});
