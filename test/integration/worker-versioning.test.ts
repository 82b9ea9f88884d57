/**
 * Deploying new workflow code while plans wait: with Worker Versioning a plan runs to its end on the build it started
 * on, while a newer build takes the plans started after it became current. Two `plan worker` processes of one
 * deployment (builds "a" and "b"), promoted with `plan promote`.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { decide, startPlan } from '../../src/api/plans';
import { builtinRegistry } from '../../src/tools';
import { stateQuery } from '../../src/workflows/definitions';
import { runNode, type RunningChild } from '../support/child';
import { cli } from '../support/cli';
import { eventually } from '../support/eventually';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

jest.setTimeout(180_000);

const deployment = uniqueId('plans');
const taskQueue = uniqueId('versioned');
const children: RunningChild[] = [];
let env: TestWorker;

beforeAll(async () => {
  env = await startTestWorker(); // for its client only: plans go to `taskQueue`, where it does not poll
});

afterAll(async () => {
  for (const child of children) child.child.kill('SIGKILL');
  await Promise.all(children.map((child) => child.exited));
  await env?.stop();
});

/** `plan worker` of build `buildId` on the test's queue, once it says it serves that build. */
async function versionedWorker(buildId: string): Promise<RunningChild> {
  const { temporalAddress, databaseUrl } = testStack();
  const worker = runNode(['scripts/plan.js', 'worker', '--deployment-name', deployment, '--build-id', buildId], {
    TEMPORAL_ADDRESS: temporalAddress,
    DATABASE_URL: databaseUrl,
    PLAN_TASK_QUEUE: taskQueue,
  });
  children.push(worker);
  await worker.waitFor(new RegExp(`worker polling task queue .* as build "${buildId}" of deployment "${deployment}"`));
  return worker;
}

/** `plan promote`, repeated until the server has seen the build's pollers and makes it current. */
async function promote(buildId: string): Promise<string> {
  let last = '';
  await eventually(
    async () => {
      const result = await cli(['promote', '--deployment-name', deployment, '--build-id', buildId]);
      last = `exit ${result.code}\n${result.stdout}${result.stderr}`;
      return result.code === 0;
    },
    () => `plan promote ${buildId} to succeed; last:\n${last}`,
    { timeoutMs: 60_000, everyMs: 500 },
  );
  return last;
}

/** The build Temporal says a workflow runs on, and how (PINNED / AUTO_UPGRADE). */
async function versionOf(handle: WorkflowHandle): Promise<{ buildId?: string | null; behavior?: number | null }> {
  const info = (await handle.describe()).raw.workflowExecutionInfo?.versioningInfo;
  return { buildId: info?.deploymentVersion?.buildId, behavior: info?.behavior };
}

/** The process ids of the workers that started the workflow's activities (from their identity, "<pid>@<host>"). */
async function activityWorkers(handle: WorkflowHandle): Promise<number[]> {
  const history = await handle.fetchHistory();
  const identities = (history.events ?? []).flatMap((e) => e.activityTaskStartedEventAttributes?.identity ?? []);
  expect(identities.length).toBeGreaterThan(0);
  return [...new Set(identities.map((identity) => Number(identity.split('@')[0])))];
}

const PINNED = temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED;

test('a plan waiting on build a finishes on a, while plans started after b became current run on b', async () => {
  // Both builds' workers start now (b beside a, as a deploy starts them), but only a is current.
  const [a, b] = await Promise.all([versionedWorker('a'), versionedWorker('b')]);
  expect(await promote('a')).toMatch(`build "a" is now the current version of deployment "${deployment}"`);

  const start = (plan: Record<string, unknown>) =>
    startPlan(env.client, { id: uniqueId('plan'), ...plan }, { taskQueue, catalog: builtinRegistry() });
  const first = await start({
    options: { requireApproval: true },
    steps: [
      { id: 'greet', toolName: 'echo', parameters: { n: 1 } },
      { id: 'sub', toolName: 'subplan', parameters: { plan: { steps: [{ id: 'inner', toolName: 'echo' }] } } },
    ],
  });
  await eventually(
    async () => (await first.query(stateQuery)).status === 'pending_approval',
    'the first plan to wait for approval',
  );

  const promoted = await promote('b');
  expect(promoted).toMatch(`(before: build "a")`);
  expect(promoted).toMatch(`--deployment-name ${deployment} --build-id a`); // how to see a drain

  const second = await start({ steps: [{ id: 'greet', toolName: 'echo', parameters: { n: 2 } }] });
  expect((await second.result()).status).toBe('completed');
  expect(await versionOf(second)).toEqual({ buildId: 'b', behavior: PINNED });
  expect(await activityWorkers(second)).toEqual([b.child.pid]);

  // Still on a although b is current — what the README's drain check lists — and approved now, it completes there, its
  // sub-plan too.
  expect(await versionOf(first)).toEqual({ buildId: 'a', behavior: PINNED });
  const stillOnA = `TemporalWorkerDeploymentVersion = "${deployment}:a" AND ExecutionStatus = "Running"`;
  const listed = async () => {
    const ids: string[] = [];
    for await (const execution of env.client.workflow.list({ query: stillOnA })) ids.push(execution.workflowId);
    return ids;
  };
  let onA: string[] = [];
  await eventually(
    async () => (onA = await listed()).join() === first.workflowId,
    () => `visibility to list only the plan still running on a, not ${onA.join()}`,
  );
  await decide(env.client, first.workflowId, { decision: 'approve', by: 'test' });
  expect((await first.result()).status).toBe('completed');
  expect(await versionOf(first)).toEqual({ buildId: 'a', behavior: PINNED });
  expect(await activityWorkers(first)).toEqual([a.child.pid]);
  const sub = env.client.workflow.getHandle(`${first.workflowId}/sub`);
  expect(await versionOf(sub)).toEqual({ buildId: 'a', behavior: PINNED });
  expect(await activityWorkers(sub)).toEqual([a.child.pid]);
});

test('half a deployment version is refused before the worker starts', async () => {
  const result = await cli(['worker', '--build-id', 'c'], { env: { PLAN_DEPLOYMENT_NAME: undefined } });
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(
    'the build id (--build-id, PLAN_BUILD_ID) is set but the deployment name (--deployment-name, PLAN_DEPLOYMENT_NAME) is not',
  );
});

test('promoting a build no worker runs says to start its workers first', async () => {
  const result = await cli(['promote', '--deployment-name', deployment, '--build-id', 'never-started']);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch('Start its workers first (plan worker --deployment-name');
});
