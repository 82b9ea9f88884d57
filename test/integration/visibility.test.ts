import { workflowMetadataQuery } from '@temporalio/workflow';
import { decide } from '../../src/api/plans';
import { startTestWorker, type TestWorker } from '../support/plan-worker';
import { eventually } from '../support/eventually';

let env: TestWorker;
beforeAll(async () => {
  env = await startTestWorker();
});
afterAll(() => env?.stop());

async function listed(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of env.client.workflow.list({ query })) ids.push(wf.workflowId);
  return ids;
}

/** Visibility is eventually consistent: wait until the listing agrees. */
function eventuallyListed(query: string, id: string, present: boolean): Promise<void> {
  return eventually(
    async () => (await listed(query)).includes(id) === present,
    `${id} ${present ? 'in' : 'out of'} ${query}`,
    {
      everyMs: 200,
    },
  );
}

test('PlanStatus and PlanPendingApproval list plans awaiting approval, and follow the plan to its end', async () => {
  const handle = await env.start({
    description: 'Release the app',
    options: { requireApproval: true },
    steps: [{ id: 'build', toolName: 'echo', description: 'Build the app', parameters: {} }],
  });
  const id = handle.workflowId;
  await eventuallyListed(`PlanStatus="pending_approval" AND WorkflowId="${id}"`, id, true);
  await eventuallyListed(`PlanPendingApproval=true AND WorkflowId="${id}"`, id, true);

  const { currentDetails } = await handle.query(workflowMetadataQuery);
  expect(currentDetails).toContain(`temporal workflow signal --workflow-id ${id} --name approve`);
  expect(currentDetails).toContain(`npm run -s plan -- approve ${id}`);
  expect(await (await handle.describe()).staticSummary()).toBe('Release the app');

  await decide(env.client, id, { decision: 'approve', by: 'alice' });
  await handle.result();
  await eventuallyListed(`PlanStatus="completed" AND WorkflowId="${id}"`, id, true);
  await eventuallyListed(`PlanPendingApproval=true AND WorkflowId="${id}"`, id, false);
});

test('each step is an activity named after its tool, with the step id as activity id and its description as summary', async () => {
  const handle = await env.start({
    steps: [{ id: 'build', toolName: 'echo', description: 'Build the app', parameters: { x: 1 } }],
  });
  await handle.result();
  const history = await handle.fetchHistory();
  const scheduled = history
    .events!.map((e) => e.activityTaskScheduledEventAttributes)
    .filter((a) => a?.activityType?.name === 'echo');
  expect(scheduled).toHaveLength(1);
  expect(scheduled[0]!.activityId).toBe('build');
  const event = history.events!.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'echo')!;
  const summary = event.userMetadata?.summary?.data;
  expect(summary && JSON.parse(Buffer.from(summary).toString())).toBe('Build the app');
});
