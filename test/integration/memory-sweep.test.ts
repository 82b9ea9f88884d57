import { ensureMemorySweepSchedule } from '../../src/api/memory-sweep-schedule';
import { SharedMemory } from '../../src/store/shared-memory';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';
import { eventually } from '../support/eventually';

let env: TestWorker;
beforeAll(async () => {
  env = await startTestWorker();
});
afterAll(() => env?.stop());

test('the expiry sweep is a Temporal Schedule, created once, that deletes expired entries and leaves live ones', async () => {
  const scheduleId = uniqueId('sweep');
  expect(await ensureMemorySweepSchedule(env.client, { taskQueue: env.taskQueue, scheduleId })).toBe(true);
  expect(await ensureMemorySweepSchedule(env.client, { taskQueue: env.taskQueue, scheduleId })).toBe(false);
  const schedule = env.client.schedule.getHandle(scheduleId);
  try {
    const description = await schedule.describe();
    expect(description.spec.intervals).toEqual([expect.objectContaining({ every: 60_000 })]);
    expect(description.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'sweepExpiredMemory',
      taskQueue: env.taskQueue,
    });

    const memory = new SharedMemory(env.pool);
    const ns = { project: uniqueId('sweep'), environment: 'test', agentType: 'agent', sessionId: 's' };
    await memory.set(ns, 'stale', { n: 1 }, { ttlSeconds: 60 });
    await memory.set(ns, 'fresh', { n: 2 }, { ttlSeconds: 3600 });
    await memory.set(ns, 'forever', { n: 3 });
    await env.pool.query(
      `UPDATE shared_memory SET expires_at = now() - interval '1 second' WHERE project = $1 AND key = 'stale'`,
      [ns.project],
    );

    await schedule.trigger();
    const rows = async () =>
      (await env.pool.query('SELECT key FROM shared_memory WHERE project = $1 ORDER BY key', [ns.project])).rows.map(
        (r) => r.key,
      );
    await eventually(async () => !(await rows()).includes('stale'), 'the sweep to delete the expired entry');
    expect(await rows()).toEqual(['forever', 'fresh']);
  } finally {
    await schedule.delete();
  }
});
