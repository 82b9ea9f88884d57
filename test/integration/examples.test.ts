import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decide } from '../../src/api/plans';
import { parsePlanText } from '../../src/plan/reading/parse';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';
import { waitForState } from '../support/wait-for-state';

let env: TestWorker;
beforeAll(async () => {
  env = await startTestWorker();
});
afterAll(() => env?.stop());

const dir = join(__dirname, '..', '..', 'examples');
const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));

test("there are examples, including the seeds' CI/CD flow, data pipeline and three-batch test plan", () => {
  expect(files).toEqual(
    expect.arrayContaining(['cicd.yaml', 'data-pipeline.yaml', 'batch-test-plan.json', 'hello.yaml']),
  );
});

test.each(files)('examples/%s runs green (approved when it asks)', async (file) => {
  const { value, problems } = parsePlanText(readFileSync(join(dir, file), 'utf8'), file);
  expect(problems).toEqual([]);
  const handle = await env.start({ ...(value as Record<string, unknown>), id: uniqueId(file.replace(/\W/g, '-')) });
  const first = await waitForState(handle, (s) => s.status !== 'draft');
  if (first.status === 'pending_approval')
    await decide(env.client, handle.workflowId, { decision: 'approve', by: 'test' });
  const state = await handle.result();
  expect(state.status).toBe('completed');
  expect(state.summary.completed).toBe(state.summary.total);
});

test('the multi-agent example fans out to three analyst sub-plans and fuses their answers', async () => {
  const { value } = parsePlanText(readFileSync(join(dir, 'multi-agent-db-optimisation.yaml'), 'utf8'));
  const state = await (
    await env.start({ ...(value as Record<string, unknown>), id: uniqueId('multi-agent') })
  ).result();
  expect(state.status).toBe('completed');
  const report = state.steps.find((s) => s.id === 'report')!.result as Record<string, unknown>;
  expect(report).toMatchObject({ action: 'add_index', votes: 2 });
  expect(report.expectedGain).toBeCloseTo((0.4 * 0.9 + 0.3 * 0.6 + 0.6 * 0.3) / 1.8, 10);
  const child = await env.client.workflow.getHandle(`${state.planId}/analyse_indexes`).describe();
  expect(child.parentExecution?.workflowId).toBe(state.planId);
});

test('the local-steps example reaches its majority without a single step going through the task queue', async () => {
  const { value } = parsePlanText(readFileSync(join(dir, 'agent-votes-local.yaml'), 'utf8'));
  const handle = await env.start({ ...(value as Record<string, unknown>), id: uniqueId('votes') });
  const state = await handle.result();
  expect(state.steps.find((s) => s.id === 'decide')!.result).toMatchObject({ winner: 'canary', votes: 2, total: 3 });
  const { events } = await handle.fetchHistory();
  const scheduled = events!
    .filter((e) => e.activityTaskScheduledEventAttributes)
    .map((e) => e.activityTaskScheduledEventAttributes!.activityType!.name);
  expect(scheduled).toEqual(['checkPlanTools']);
});

test("the reviewers' vote, a merge without inputs, counts the outcomes of the steps it depends on", async () => {
  const { value } = parsePlanText(readFileSync(join(dir, 'reviewers-vote.yaml'), 'utf8'));
  const state = await (await env.start({ ...(value as Record<string, unknown>), id: uniqueId('vote') })).result();
  expect(state.steps.find((s) => s.id === 'decision')!.result).toMatchObject({ winner: 'ship', votes: 2, total: 3 });
});
