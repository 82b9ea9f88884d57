/**
 * SIGTERM drains: a `plan worker` told to stop (a deploy, a scale-down) takes no new work and lets the steps it is
 * running finish before it exits — within its shutdown grace; past it they are cancelled and Temporal retries them on
 * another worker.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startPlan } from '../../src/api/plans';
import { builtinRegistry } from '../../src/tools';
import type { runPlan } from '../../src/workflows';
import { runNode, type RunningChild } from '../support/child';
import { eventually } from '../support/eventually';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

jest.setTimeout(180_000);

let env: TestWorker;
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
  env = await startTestWorker(); // for its client, pool and runtime: plans go to queues of their own
});

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  await env?.stop();
});

/** `plan worker` on a queue of its own, polling. */
async function childWorker(taskQueue: string, args: string[] = []): Promise<RunningChild> {
  const { temporalAddress, databaseUrl } = testStack();
  const worker = runNode(['scripts/plan.js', 'worker', ...args], {
    TEMPORAL_ADDRESS: temporalAddress,
    DATABASE_URL: databaseUrl,
    PLAN_TASK_QUEUE: taskQueue,
  });
  stops.push(async () => {
    worker.child.kill('SIGKILL');
    await worker.exited;
  });
  await worker.waitFor(/worker polling task queue/);
  return worker;
}

/** A second worker on the queue, in this process (so `process.pid` names it in the history). */
async function secondWorker(taskQueue: string): Promise<void> {
  const second = await startTestWorker(undefined, { taskQueue });
  stops.push(() => second.stop());
}

/** A plan whose step `nap` sleeps `ms`, then `after` runs, started on `taskQueue`: once a worker is running `nap`. */
async function napping(taskQueue: string, ms: number): Promise<WorkflowHandle<typeof runPlan>> {
  const handle = await startPlan(
    env.client,
    {
      id: uniqueId('drain'),
      steps: [
        { id: 'nap', toolName: 'sleep', parameters: { ms }, maxRetries: 2, retryDelayMs: 100 },
        { id: 'after', toolName: 'echo', dependsOn: ['nap'] },
      ],
    },
    { taskQueue, catalog: builtinRegistry() },
  );
  // Started by a worker, not only scheduled by the plan: what Temporal says of the pending activity.
  const STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
  await eventually(
    async () =>
      ((await handle.describe()).raw.pendingActivities ?? []).some(
        (activity) => activity.activityType?.name === 'sleep' && activity.state === STARTED,
      ),
    'a worker to be running nap',
  );
  return handle;
}

/** The attempts of the `sleep` activity Temporal recorded: which attempt started where, and whether one completed. */
async function sleepAttempts(handle: WorkflowHandle) {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sleep');
  const about = (attributes: { scheduledEventId?: unknown } | null | undefined) =>
    attributes != null && String(attributes.scheduledEventId) === String(scheduled?.eventId);
  const started = events.filter((e) => about(e.activityTaskStartedEventAttributes));
  const completed = events.find((e) => about(e.activityTaskCompletedEventAttributes));
  return {
    started: started.map((e) => ({
      attempt: e.activityTaskStartedEventAttributes!.attempt,
      pid: Number(e.activityTaskStartedEventAttributes!.identity!.split('@')[0]),
    })),
    completedAt: completed ? Number(completed.eventTime!.seconds) * 1000 + completed.eventTime!.nanos! / 1e6 : null,
  };
}

test('on SIGTERM the worker lets its running step finish, then exits; the plan completes on another worker', async () => {
  const taskQueue = uniqueId('drain-queue');
  const first = await childWorker(taskQueue); // the default grace, 30 s
  const handle = await napping(taskQueue, 3000);
  await secondWorker(taskQueue);

  const signalledAt = Date.now();
  first.child.kill('SIGTERM');
  expect(await first.waitFor(/draining \d+ in-flight step/)).toMatch(
    /draining [1-9]\d* in-flight steps? \(for up to 30 s/,
  );
  expect(await first.exited).toEqual({ code: 0, signal: null });

  // By the time it exited, the step it ran had completed there, in its first attempt, after the signal.
  const recorded = await sleepAttempts(handle);
  expect(recorded.started).toEqual([{ attempt: 1, pid: first.child.pid }]);
  expect(recorded.completedAt).toBeGreaterThan(signalledAt);

  const state = await handle.result();
  expect(state.status).toBe('completed');
  expect(state.steps.map((s) => [s.id, s.status, s.attempts])).toEqual([
    ['nap', 'completed', 1],
    ['after', 'completed', 1],
  ]);
});

test('past the shutdown grace the running step is cancelled, the worker exits, and another worker retries it', async () => {
  const taskQueue = uniqueId('drain-queue');
  const first = await childWorker(taskQueue, ['--shutdown-grace', '500ms']);
  const handle = await napping(taskQueue, 4000);
  await secondWorker(taskQueue);

  first.child.kill('SIGTERM');
  await first.waitFor(/draining [1-9]\d* in-flight steps? \(for up to 0.5 s/);
  expect(await first.exited).toEqual({ code: 0, signal: null });
  expect((await sleepAttempts(handle)).completedAt).toBeNull();

  const state = await handle.result();
  expect(state.status).toBe('completed');
  expect(state.steps[0]).toMatchObject({ id: 'nap', status: 'completed', attempts: 2 });
  expect((await sleepAttempts(handle)).started).toEqual([{ attempt: 2, pid: process.pid }]);
});
