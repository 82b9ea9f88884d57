/**
 * Approving and rejecting a plan in Temporal Web, in a real browser, as a person does it: find the plan in the list
 * of plans waiting for a decision, read what it is and what it waits for, send the decision from the "Send a Signal"
 * dialog, and watch the run end. The pictures in docs/images are taken here (written there by `npm run docs`).
 */
import type { Client } from '@temporalio/client';
import { openBrowser, type TestBrowser } from '../support/browser';
import { TemporalWeb } from '../support/browser-temporal-web';
import { eventually } from '../support/eventually';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';
import { testStack } from '../support/test-stack';
import { waitForState } from '../support/wait-for-state';

/** A real UI on 2 cores: page loads and polling take seconds; bounded all the same. */
const BROWSER_TEST_TIMEOUT_MS = 180_000;

let browser: TestBrowser;
let env: TestWorker | undefined;
beforeAll(async () => {
  browser = await openBrowser();
}, 60_000);
afterAll(() => browser?.close());
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

async function openTemporalWeb(): Promise<TemporalWeb> {
  return new TemporalWeb(await browser.newPage(), testStack().temporalUiUrl);
}

/** Waits until Temporal's visibility store finds the plan with `query`, so the UI's list can show it. */
async function waitUntilListed(client: Client, planId: string, query: string): Promise<void> {
  await eventually(async () => {
    for await (const workflow of client.workflow.list({ query: `${query} AND WorkflowId="${planId}"` })) {
      if (workflow.workflowId === planId) return true;
    }
    return false;
  }, `${planId} to be listed by ${query}`);
}

test(
  'approve: the plan is in the PlanStatus="pending_approval" list, shows its own words, and runs once alice approves',
  async () => {
    env = await startTestWorker();
    const planId = uniqueId('release');
    const handle = await env.start({
      id: planId,
      description: 'Release 2.4 to production',
      options: { requireApproval: true },
      steps: [
        { id: 'build', toolName: 'echo', description: 'Build the release', parameters: { artifact: 'app-2.4.tgz' } },
        {
          id: 'deploy',
          toolName: 'echo',
          description: 'Deploy to production',
          dependsOn: ['build'],
          parameters: { environment: 'production' },
        },
      ],
    });
    const query = 'PlanStatus="pending_approval"';
    await waitUntilListed(env.client, planId, query);

    const web = await openTemporalWeb();
    await web.listWorkflows(query);
    await web.workflowLink(planId).waitFor();
    await web.screenshot('pending-list');

    await web.workflowLink(planId).click();
    await web.waitForStatus('Running');
    const { summary, details, currentDetails } = await web.userMetadata();
    await summary.getByText('Release 2.4 to production').waitFor();
    // The steps, as the plan file says them, with their tools and what each waits for.
    await details.getByText('Deploy to production — after build', { exact: false }).waitFor();
    await currentDetails.getByText('pending_approval', { exact: true }).waitFor();
    await currentDetails.getByText('0 of 2 steps completed', { exact: false }).waitFor();
    await currentDetails.getByText(`npm run -s plan -- approve ${planId}`, { exact: true }).waitFor();
    await web.screenshot('plan-details');

    await web.sendSignal('approve', { by: 'alice' }, () => web.screenshot('signal-dialog'));
    await web.waitForStatus('Completed');
    await web.history('All');
    await web.scrollToTop(web.page.getByRole('heading', { name: 'Event History' }));
    await web.page.getByRole('button', { name: 'approve', exact: true }).waitFor(); // the signal, on the timeline
    await web.screenshot('completed-timeline');

    const state = await handle.result();
    expect(state.status).toBe('completed');
    expect(state.approvals).toEqual([expect.objectContaining({ by: 'alice', decision: 'approve', step: null })]);
    expect(state.steps.map((s) => s.status)).toEqual(['completed', 'completed']);
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'reject: bob rejects a gated step from the signal dialog; the step that ran is compensated, in the UI and the state',
  async () => {
    env = await startTestWorker();
    const handle = await env.start({
      id: uniqueId('migration'),
      description: 'Migrate the orders database',
      steps: [
        {
          id: 'snapshot',
          toolName: 'echo',
          description: 'Snapshot the orders table',
          parameters: { table: 'orders' },
          compensate: { toolName: 'echo', parameters: { drop: 'snapshot of orders' } },
        },
        {
          id: 'migrate',
          toolName: 'echo',
          description: 'Run the migration',
          dependsOn: ['snapshot'],
          requiresApproval: true,
          parameters: { to: 'v42' },
        },
      ],
    });
    await waitForState(handle, (s) => s.steps[1]!.status === 'waiting_approval');

    const web = await openTemporalWeb();
    await web.openWorkflow(handle.workflowId);
    await web.waitForStatus('Running');
    const waiting = await web.userMetadata();
    // A step's gate: the details say which input names it.
    await waiting.currentDetails.getByText('"step":"<id>"', { exact: true }).waitFor();

    const reason = 'the change freeze starts today';
    await web.sendSignal('reject', { by: 'bob', reason, step: 'migrate' });
    await web.waitForStatus('Completed');
    // The details pane shows what the workflow said when the page loaded; a reload reads them anew.
    await web.page.reload();
    const ended = await web.userMetadata();
    await ended.currentDetails.getByText('rejected', { exact: true }).waitFor();
    await ended.currentDetails.getByText('1 compensated', { exact: false }).waitFor();
    await ended.currentDetails.getByText(`rejected by bob: ${reason}`, { exact: false }).waitFor();

    const history = await web.history('Compact');
    const compensation = history.getByRole('row').filter({ hasText: 'compensate snapshot' });
    await compensation.waitFor();
    await history.getByRole('row').filter({ hasText: 'Signal received' }).filter({ hasText: 'reject' }).waitFor();
    await web.scrollToTop(web.page.getByRole('heading', { name: 'Event History' }));
    await web.screenshot('rejected-compensations');

    const state = await handle.result();
    expect(state).toMatchObject({ status: 'rejected', reason: `step "migrate" rejected by bob: ${reason}` });
    expect(state.steps.map((s) => [s.id, s.status])).toEqual([
      ['snapshot', 'compensated'],
      ['migrate', 'skipped'],
    ]);
  },
  BROWSER_TEST_TIMEOUT_MS,
);
