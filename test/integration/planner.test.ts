import OpenAI from 'openai';
import { generatePlan, PlanGenerationError, PLAN_JSON_SCHEMA } from '../../src/planner';
import { builtinRegistry } from '../../src/tools';
import { FakeOpenAI } from '../support/fake-openai';

const registry = builtinRegistry();
const valid = {
  description: 'Gather and summarise',
  steps: [
    {
      id: 'gather',
      toolName: 'echo',
      description: 'Collect facts — the summary needs them',
      parameters: { facts: ['a'] },
      dependsOn: [],
    },
    {
      id: 'summarise',
      toolName: 'echo',
      description: 'Summarise — the task asks for it',
      parameters: { from: '{{steps.gather.result.facts}}' },
      dependsOn: ['gather'],
    },
  ],
};
const invalid = {
  description: 'broken',
  steps: [{ id: 'x', toolName: 'teleport', description: 'no such tool', parameters: {}, dependsOn: ['y'] }],
};

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await new FakeOpenAI().start();
});
afterEach(() => fake.stop());

const planner = (extra: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) => ({
  client: new OpenAI({ apiKey: 'test', baseURL: fake.baseURL, maxRetries: 0, ...extra }),
  model: 'fake-model',
  catalog: registry,
  tools: registry.describe(),
});

test('an invalid first answer goes back with its problems, and the repaired plan is returned', async () => {
  fake.reply({ content: JSON.stringify(invalid) }, { content: JSON.stringify(valid) });
  const result = await generatePlan(
    { task: 'summarise the facts', context: 'facts live in memory', constraints: ['no writes'] },
    planner(),
  );
  expect(result).toMatchObject({ plan: valid, attempts: 2, usage: { totalTokens: 30 } });

  const [first, second] = fake.requests as Array<{
    messages: Array<{ role: string; content: string }>;
    response_format: unknown;
    model: string;
  }>;
  expect(first!.model).toBe('fake-model');
  expect(first!.response_format).toEqual({
    type: 'json_schema',
    json_schema: { name: 'execution_plan', schema: PLAN_JSON_SCHEMA, strict: false },
  });
  expect(first!.messages[0]!.content).toContain('"name": "memory_set"'); // the catalogue with schemas
  expect(first!.messages[1]!.content).toMatch(
    /Task: summarise the facts[\s\S]*Context: facts live in memory[\s\S]*- no writes/,
  );
  const repair = second!.messages.at(-1)!.content;
  expect(repair).toContain('unknown tool "teleport"');
  expect(repair).toContain('"y"');
});

test('after the bounded attempts the remaining problems are reported', async () => {
  fake.reply({ content: JSON.stringify(invalid) }, { content: 'not json at all' });
  const err = await generatePlan({ task: 't' }, { ...planner(), maxAttempts: 2 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PlanGenerationError);
  expect((err as PlanGenerationError).problems).toEqual([expect.stringMatching(/not JSON/)]);
  expect(fake.requests).toHaveLength(2);
});

test('429 and 500 go through the openai client (its retries when enabled) and a hang ends at the timeout', async () => {
  fake.reply({ status: 429, headers: { 'retry-after': '0' } }, { status: 500 }, { content: JSON.stringify(valid) });
  const result = await generatePlan({ task: 't' }, planner({ maxRetries: 2 }));
  expect(result.attempts).toBe(1);
  expect(fake.requests).toHaveLength(3);

  fake.reply({ status: 429, headers: { 'retry-after': '0' } });
  await expect(generatePlan({ task: 't' }, planner())).rejects.toMatchObject({ status: 429 });

  fake.reply({ hang: true });
  const started = Date.now();
  const hung = await generatePlan({ task: 't' }, planner({ timeout: 300 })).catch((e: unknown) => e);
  expect(hung).toBeInstanceOf(OpenAI.APIConnectionError);
  expect(Date.now() - started).toBeLessThan(5_000);
});
