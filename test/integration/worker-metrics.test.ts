/**
 * A worker's metrics and logs as an operator meets them: `plan worker` with PLAN_METRICS_ADDRESS serves Prometheus text
 * with the SDK's `temporal_*` series and the plans' `durable_plans_*`, which move as a plan runs; with LOG_FORMAT=json
 * its log lines are JSON objects, one per plan and step transition with the plan and step ids.
 */
import { freePort } from '../../src/dev/free-port';
import { runNode, type RunningChild } from '../support/child';
import { cliOn, planFiles } from '../support/cli';
import { eventually } from '../support/eventually';
import { uniqueId } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

const taskQueue = uniqueId('metrics');
const plan = cliOn(taskQueue);
let worker: RunningChild;
let metricsUrl: string;

beforeAll(async () => {
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  const { temporalAddress, databaseUrl } = testStack();
  worker = runNode(['scripts/plan.js', 'worker'], {
    TEMPORAL_ADDRESS: temporalAddress,
    DATABASE_URL: databaseUrl,
    PLAN_TASK_QUEUE: taskQueue,
    PLAN_METRICS_ADDRESS: `127.0.0.1:${port}`,
    LOG_FORMAT: 'json',
  });
  await worker.waitFor(/worker polling task queue/);
});

afterAll(async () => {
  worker.child.kill('SIGTERM');
  await worker.exited;
});

/** One sample of the Prometheus text format: `name{label="value",...} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

async function scrape(): Promise<Sample[]> {
  const response = await fetch(metricsUrl);
  expect(response.status).toBe(200);
  return (await response.text()).split('\n').flatMap((line) => {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) return [];
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    return [{ name: match[1]!, labels, value: Number(match[3]) }];
  });
}

/** The sum of a series over the samples whose labels include `labels`, on this test's task queue. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && s.labels.taskQueue === taskQueue)
    .filter((s) => Object.entries(labels).every(([key, value]) => s.labels[key] === value))
    .reduce((sum, s) => sum + s.value, 0);
}

test('a plan moves the durable_plans_ series beside the SDK temporal_ series, and logs its transitions as JSON', async () => {
  const planId = uniqueId('measured');
  const file = planFiles()('plan.json', {
    id: planId,
    options: { requireApproval: true },
    steps: [
      { id: 'made', toolName: 'echo', parameters: {}, compensate: { toolName: 'echo', parameters: { undo: true } } },
      { id: 'broken', toolName: 'fail', parameters: { nonRetryable: true }, dependsOn: ['made'] },
      { id: 'never', toolName: 'echo', parameters: {}, dependsOn: ['broken'] },
    ],
  });
  const before = await scrape();

  expect((await plan(['start', file])).code).toBe(0);
  const approved = await plan(['approve', planId, '--by', 'ops']);
  expect(approved.stderr).toBe('');
  let after: Sample[] = [];
  await eventually(
    async () => {
      after = await scrape();
      return total(after, 'durable_plans_plans_ended_total', { status: 'failed' }) > 0;
    },
    () => `the plan to be counted as ended; the worker said:\n${worker.output()}`,
    { timeoutMs: 30_000, everyMs: 250 },
  );

  const moved = (name: string, labels: Record<string, string> = {}) =>
    total(after, name, labels) - total(before, name, labels);
  expect(moved('durable_plans_plans_started_total')).toBe(1);
  expect(moved('durable_plans_plans_ended_total', { status: 'failed', workflowType: 'runPlan' })).toBe(1);
  expect(moved('durable_plans_steps_ended_total', { tool: 'echo', status: 'completed' })).toBe(1);
  expect(moved('durable_plans_steps_ended_total', { tool: 'fail', status: 'failed' })).toBe(1);
  expect(moved('durable_plans_steps_ended_total', { tool: 'echo', status: 'skipped' })).toBe(1);
  expect(moved('durable_plans_step_duration_seconds_count', { tool: 'fail', status: 'failed' })).toBe(1);
  expect(moved('durable_plans_step_duration_seconds_bucket', { tool: 'echo', status: 'completed', le: '+Inf' })).toBe(
    1,
  );
  expect(moved('durable_plans_approval_wait_seconds_count', { gate: 'plan', decision: 'approved' })).toBe(1);
  expect(moved('durable_plans_compensations_total', { tool: 'echo', status: 'compensated' })).toBe(1);
  expect(moved('durable_plans_mirror_lag_seconds_count')).toBeGreaterThan(0);
  // The SDK's own series keep their prefix, on the same endpoint.
  expect(after.some((s) => s.name.startsWith('temporal_') && s.labels.task_queue === taskQueue)).toBe(true);

  // Log lines are written a moment after the metrics move (the SDK orders them by time in a short buffer).
  await worker.waitFor(new RegExp(`"message":"plan ended".*"planId":"${planId}"`), 15_000);
  const lines = worker
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines.every((line) => typeof line.time === 'string' && typeof line.level === 'string')).toBe(true);
  expect(lines).toContainEqual(
    expect.objectContaining({
      level: 'info',
      message: 'step completed',
      planId,
      stepId: 'made',
      tool: 'echo',
      workflowId: planId,
    }),
  );
  expect(lines).toContainEqual(
    expect.objectContaining({
      level: 'warn',
      message: 'step failed',
      planId,
      stepId: 'broken',
      errorType: 'FailToolError',
    }),
  );
  expect(lines).toContainEqual(expect.objectContaining({ message: 'step skipped', planId, stepId: 'never' }));
  expect(lines).toContainEqual(expect.objectContaining({ message: 'step compensated', planId, stepId: 'made' }));
  expect(lines).toContainEqual(expect.objectContaining({ message: 'plan ended', planId, status: 'failed' }));
}, 60_000);
