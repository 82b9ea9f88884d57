/**
 * Resource locks as plans meet them: writers of one resource never run at once while readers share it; steps whose
 * resources form a cycle across plans all finish; a waiting step says who holds what it needs (state, `plan locks`);
 * and a lock held by a plan whose worker was killed is reclaimed once that plan ends.
 */
import { z } from 'zod';
import { startPlan } from '../../src/api/plans';
import type { PlanSnapshot } from '../../src/plan';
import type { LockRow } from '../../src/store/resource-locks';
import { BUILTIN_TOOLS, defineTool, ToolRegistry } from '../../src/tools';
import { runNode, type RunningChild } from '../support/child';
import { cli } from '../support/cli';
import { eventually } from '../support/eventually';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';
import { testStack } from '../support/test-stack';
import { waitForState } from '../support/wait-for-state';

jest.setTimeout(120_000);

/** Gates the test opens: a step given `until` works until the test opens it (the worker runs in this process). */
const gates = new Map<string, () => void>();
const gate = (name: string) => new Promise<void>((resolve) => gates.set(name, resolve));

/**
 * Works for `ms` (or until its gate opens) and reports when, by the worker's clock, it really ran, and with which
 * fencing token.
 */
const timed = defineTool({
  name: 'timed_work',
  description: 'Works for ms milliseconds and says when it ran.',
  parameters: z.object({ ms: z.number().int().min(0), until: z.string().optional() }),
  risk: 'read',
  run: async ({ ms, until }, { fencingToken }) => {
    const startedAt = Date.now();
    await (until ? gate(until) : new Promise((resolve) => setTimeout(resolve, ms)));
    return { startedAt, endedAt: Date.now(), fencingToken };
  },
});

interface Ran {
  startedAt: number;
  endedAt: number;
  fencingToken: number | null;
}

let env: TestWorker;
const workers: RunningChild[] = [];

beforeAll(async () => {
  env = await startTestWorker(new ToolRegistry([...BUILTIN_TOOLS, timed]), {});
});

afterAll(async () => {
  for (const worker of workers)
    if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
  await env?.stop();
});

/** A one-step plan that works `ms` (or until the gate `until` opens) holding `resources`. */
function onePlan(resources: unknown[], ms = 1_500, until?: string): Record<string, unknown> {
  return { steps: [{ id: 'work', toolName: 'timed_work', parameters: { ms, ...(until && { until }) }, resources }] };
}

const ran = (state: PlanSnapshot): Ran => state.steps[0]!.result as Ran;
const overlap = (a: Ran, b: Ran) => a.startedAt < b.endedAt && b.startedAt < a.endedAt;

async function locks(): Promise<LockRow[]> {
  const { stdout, code } = await cli(['locks', '--json']);
  expect(code).toBe(0);
  return JSON.parse(stdout) as LockRow[];
}

test('two writers of a resource take turns, and the one waiting shows who holds it', async () => {
  const resource = uniqueId('db:orders');
  // It holds the resource until the checks below (each CLI call starts a process) have seen it hold it.
  const first = await env.start(onePlan([resource], 0, resource));
  await waitForState(first, (s) => s.steps[0]!.status === 'running');
  const second = await env.start(onePlan([{ name: resource, mode: 'write' }]));
  const waiting = await waitForState(second, (s) => (s.steps[0]!.waitingFor ?? []).length > 0);
  expect(waiting.steps[0]!.status).toBe('waiting_for_resources');
  expect(waiting.steps[0]!.waitingFor).toEqual([
    { resource, mode: 'write', planId: first.workflowId, stepId: 'work', holds: true },
  ]);
  expect(waiting.summary.waitingForResources).toBe(1);
  expect((await locks()).filter((row) => row.resource === resource)).toEqual([
    expect.objectContaining({ state: 'holds', planId: first.workflowId, stepId: 'work', mode: 'write' }),
    expect.objectContaining({ state: 'waits', planId: second.workflowId, position: 1, token: null }),
  ]);
  const status = await cli(['status', second.workflowId]);
  expect(status.stdout).toContain(
    `Step work waits for resources: ${resource} held (write) by plan ${first.workflowId} step work`,
  );

  await new Promise((resolve) => setTimeout(resolve, 200)); // so the two runs' times cannot touch by accident
  gates.get(resource)!();
  const [fa, fb] = [await first.result(), await second.result()];
  const [a, b] = [ran(fa), ran(fb)];
  expect(overlap(a, b)).toBe(false);
  expect(b.fencingToken).toBeGreaterThan(a.fencingToken!);
  expect((await locks()).filter((row) => row.resource === resource)).toEqual([]);
});

test('readers share a resource; a writer waits for both', async () => {
  const resource = uniqueId('index:products');
  const readers = await Promise.all([
    env.start(onePlan([{ name: resource, mode: 'read' }], 2_500)),
    env.start(onePlan([{ name: resource, mode: 'read' }], 2_500)),
  ]);
  await Promise.all(readers.map((r) => waitForState(r, (s) => s.steps[0]!.status === 'running')));
  const writer = await env.start(onePlan([resource], 200));
  const [r1, r2, w] = (await Promise.all([...readers, writer].map((h) => h.result()))).map(ran);
  expect(overlap(r1!, r2!)).toBe(true);
  expect(overlap(r1!, w!) || overlap(r2!, w!)).toBe(false);
});

test('plans whose steps need resources in a cycle all finish', async () => {
  const [x, y, z] = ['x', 'y', 'z'].map((name) => uniqueId(`cycle-${name}`)) as [string, string, string];
  // Each pair asked for in both orders: no order of asking can deadlock when all are granted together.
  const needs = [
    [x, y],
    [y, x],
    [y, z],
    [z, y],
    [z, x],
    [x, z],
  ];
  const plans = await Promise.all(needs.map((pair) => env.start(onePlan(pair, 300))));
  const results = (await Promise.all(plans.map((p) => p.result()))) as PlanSnapshot[];
  expect(results.map((r) => r.status)).toEqual(Array(needs.length).fill('completed'));
  const times = results.map(ran);
  for (let i = 0; i < needs.length; i++)
    for (let j = i + 1; j < needs.length; j++)
      if (needs[i]!.some((name) => needs[j]!.includes(name))) expect(overlap(times[i]!, times[j]!)).toBe(false);
});

test('a lock held by a plan whose worker was killed is reclaimed once the plan ends', async () => {
  const resource = uniqueId('db:ledger');
  const taskQueue = uniqueId('locks-kill');
  const { databaseUrl, temporalAddress } = testStack();
  const worker = runNode(['scripts/plan.js', 'worker', '--task-queue', taskQueue], {
    TEMPORAL_ADDRESS: temporalAddress,
    DATABASE_URL: databaseUrl,
  });
  workers.push(worker);
  await worker.waitFor(/worker polling task queue/);
  const holderId = uniqueId('holder');
  const holder = await startPlan(
    env.client,
    { id: holderId, steps: [{ id: 'hold', toolName: 'sleep', parameters: { ms: 600_000 }, resources: [resource] }] },
    { taskQueue, catalog: env.tools },
  );
  await waitForState(holder, (s) => s.steps[0]!.status === 'running');
  const waiter = await env.start(onePlan([resource], 100));
  await waitForState(waiter, (s) => s.steps[0]!.waitingFor?.[0]?.planId === holderId);

  worker.child.kill('SIGKILL');
  await worker.exited;
  // Still held: the plan lives on, and its step would be retried by the next worker.
  expect((await locks()).find((r) => r.resource === resource && r.state === 'holds')?.planId).toBe(holderId);
  await holder.terminate('its worker is gone and nobody restarts it');

  expect((await waiter.result()).status).toBe('completed');
  await eventually(
    async () => !(await locks()).some((r) => r.planId === holderId),
    'the terminated plan to hold nothing',
  );
});
