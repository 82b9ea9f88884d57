import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { WorkflowFailedError } from '@temporalio/client';
import { parse } from 'yaml';
import { decide } from '../../src/api/plans';
import { PLAN_AND_RUN_WORKFLOW, stateQuery } from '../../src/workflows/definitions';
import type { planAndRun } from '../../src/workflows';
import { builtinRegistry, NO_TOOL_SETTINGS } from '../../src/tools';
import { FakeOpenAI } from '../support/fake-openai';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';
import { eventually } from '../support/eventually';
import { cli } from '../support/cli';

const valid = {
  description: 'Check the orders table',
  steps: [
    {
      id: 'look',
      toolName: 'echo',
      description: 'Look at the table — to know its size',
      parameters: { table: 'orders' },
      dependsOn: [],
    },
    {
      id: 'decide',
      toolName: 'echo',
      description: 'Decide — the task asks for a verdict',
      parameters: { on: '{{steps.look.result.table}}' },
      dependsOn: ['look'],
    },
  ],
};
const invalid = {
  description: 'x',
  steps: [{ id: 'a', toolName: 'warp_drive', description: 'no', parameters: {}, dependsOn: [] }],
};

let fake: FakeOpenAI;
let env: TestWorker;
beforeAll(async () => {
  fake = await new FakeOpenAI().start();
  env = await startTestWorker(builtinRegistry(), {
    toolSettings: { ...NO_TOOL_SETTINGS, llm: { apiKey: 'test-key', baseUrl: fake.baseURL, model: 'fake-model' } },
  });
});
afterAll(async () => {
  await env?.stop();
  await fake?.stop();
});

test('planAndRun generates a plan (repairing an invalid first answer), waits for approval, then runs it as a child', async () => {
  fake.reply({ content: JSON.stringify(invalid) }, { content: JSON.stringify(valid) });
  const id = uniqueId('pnr');
  const handle = await env.client.workflow.start<typeof planAndRun>(PLAN_AND_RUN_WORKFLOW, {
    workflowId: id,
    taskQueue: env.taskQueue,
    args: [{ task: 'is the orders table too big?' }],
  });
  const child = env.client.workflow.getHandle(`${id}/plan`);
  await eventually(
    async () => (await child.query(stateQuery).catch(() => null))?.status === 'pending_approval',
    'the generated plan to wait for approval',
  );
  await decide(env.client, `${id}/plan`, { decision: 'approve', by: 'reviewer' });
  const result = await handle.result();
  expect(result.generated).toMatchObject({ attempts: 2, plan: valid });
  expect(result.state).toMatchObject({ status: 'completed', approvals: [expect.objectContaining({ by: 'reviewer' })] });
  expect(result.state.steps[1]!.result).toEqual({ on: 'orders' });
});

test('a model that never gives a valid plan fails planAndRun with PlanGenerationError, without pointless retries', async () => {
  fake.reply({ content: JSON.stringify(invalid) }, { content: JSON.stringify(invalid) });
  const handle = await env.client.workflow.start<typeof planAndRun>(PLAN_AND_RUN_WORKFLOW, {
    workflowId: uniqueId('pnr-bad'),
    taskQueue: env.taskQueue,
    args: [{ task: 't', maxAttempts: 2, requireApproval: false }],
  });
  const before = fake.requests.length;
  const err = await handle.result().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const failure = (err as WorkflowFailedError).cause as (Error & { cause?: Error }) | undefined;
  expect(String(failure?.cause?.message ?? failure?.message)).toMatch(/warp_drive/);
  expect(fake.requests.length - before).toBeLessThanOrEqual(2);
});

describe('plan generate', () => {
  const llmEnv = () => ({
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_API_KEY: 'k',
    PLAN_LLM_MODEL: 'fake-model',
    PLAN_TASK_QUEUE: env.taskQueue,
  });

  test('prints a valid plan as YAML, or writes it with --out, asking for approval', async () => {
    fake.reply({ content: JSON.stringify(valid) });
    const printed = await cli(['generate', 'check the orders table', '--constraint', 'read-only'], { env: llmEnv() });
    expect(printed.code).toBe(0);
    expect(parse(printed.stdout)).toMatchObject({ ...valid, options: { requireApproval: true } });
    expect(printed.stderr).toMatch(/generated in 1 attempt/);

    fake.reply({ content: JSON.stringify(valid) });
    const out = join(mkdtempSync(join(tmpdir(), 'dp-gen-')), 'plan.yaml');
    const written = await cli(['generate', 'again', '--out', out, '--start'], { env: llmEnv() });
    expect(written.code).toBe(0);
    expect(parse(readFileSync(out, 'utf8')).steps).toHaveLength(2);
    const planId = /started plan (\S+):/.exec(written.stderr)![1]!;
    expect((await env.client.workflow.getHandle(planId).query(stateQuery)).status).toBe('pending_approval');
  });

  test('says what to set without a model, and lists what is still wrong after the attempts', async () => {
    const none = await cli(['generate', 'x'], {
      env: { OPENAI_BASE_URL: undefined, OPENAI_API_KEY: undefined, PLAN_LLM_MODEL: undefined },
    });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/OPENAI_BASE_URL[\s\S]*PLAN_LLM_MODEL/);

    fake.reply({ content: JSON.stringify(invalid) }, { content: JSON.stringify(invalid) });
    const bad = await cli(['generate', 'x', '--max-attempts', '2'], { env: llmEnv() });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/2 attempts[\s\S]*unknown tool "warp_drive"/);
  });
});
