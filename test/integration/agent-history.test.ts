/**
 * "200 turns keep history bounded": one agent talks for 200 turns with large messages (6 KB questions, 6 KB answers,
 * a 50 KB tool answer every tenth turn). The conversation is in PostgreSQL, the context manager summarises it to fit
 * the model's budget, and the agent continues as new: every run of its workflow stays far under Temporal's warning
 * limits (10,240 events, 10 MB), and no model request grows with the conversation.
 */
import { z } from 'zod';
import { agentState, sendToAgent, startAgent } from '../../src/api/agents';
import { SUMMARY_INSTRUCTIONS } from '../../src/agents/context-window';
import { BUILTIN_TOOLS, defineTool, ToolRegistry } from '../../src/tools';
import { eventually } from '../support/eventually';
import { FakeOpenAI } from '../support/fake-openai';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';

jest.setTimeout(300_000);

const TURNS = 200;
const WAVE = 10;
const CONTEXT_TOKENS = 8_000;

const report = defineTool({
  name: 'stock_report',
  description: 'The whole stock report.',
  parameters: z.object({}),
  risk: 'read',
  run: async () => ({ report: 'r'.repeat(50_000) }),
});

const model = new FakeOpenAI();
let env: TestWorker;
let largestRequest = 0;

beforeAll(async () => {
  await model.start();
  model.otherwise((body) => {
    const messages = body.messages as Array<{ role: string; content: string | null }>;
    largestRequest = Math.max(largestRequest, JSON.stringify(messages).length);
    if (messages[0]!.content === SUMMARY_INSTRUCTIONS) return { content: `summary: ${'s'.repeat(2_000)}` };
    const last = messages.at(-1)!;
    if (last.role === 'user' && last.content!.includes('[report]'))
      return { content: '', toolCalls: [{ name: 'stock_report', arguments: '{}' }] };
    return { content: `answer: ${'a'.repeat(6_000)}`, chunkChars: 2_000 };
  });
  env = await startTestWorker(new ToolRegistry([...BUILTIN_TOOLS, report]), {
    toolSettings: { llm: { apiKey: null, baseUrl: model.baseURL, model: 'fake-model' } },
  });
});

afterAll(async () => {
  await env?.stop();
  await model.stop();
});

test(`${TURNS} turns of large messages: every run's history stays small, and so does every model request`, async () => {
  const agentId = uniqueId('talker');
  await startAgent(
    env.client,
    agentId,
    { tools: ['stock_report'], contextTokens: CONTEXT_TOKENS },
    { taskQueue: env.taskQueue, catalog: env.tools },
  );
  for (let sent = 0; sent < TURNS;) {
    for (let i = 0; i < WAVE; i++, sent++)
      await sendToAgent(
        env.client,
        agentId,
        `${sent % 10 === 9 ? '[report] ' : ''}question ${sent}: ${'q'.repeat(6_000)}`,
      );
    await eventually(async () => (await agentState(env.client, agentId)).turns === sent, `turn ${sent}`, {
      timeoutMs: 60_000,
    });
  }
  const state = await agentState(env.client, agentId);
  expect(state).toMatchObject({ turns: TURNS, status: 'idle', error: null });
  expect(state.continuedRuns).toBeGreaterThan(0);

  const runs: Array<{ runId: string; events: number; bytes: number }> = [];
  for await (const run of env.client.workflow.list({ query: `WorkflowId = '${agentId}'` })) {
    const description = await env.client.workflow.getHandle(agentId, run.runId).describe();
    runs.push({ runId: run.runId, events: description.historyLength, bytes: description.historySize ?? 0 });
  }
  expect(runs.length).toBe(state.continuedRuns + 1);
  for (const run of runs) {
    expect(run.events).toBeLessThan(2_500);
    expect(run.bytes).toBeGreaterThan(0);
    expect(run.bytes).toBeLessThan(3 * 1024 * 1024);
  }
  // All of the conversation is in PostgreSQL, and what the model is given stays within its budget.
  const messages = await env.pool.query(
    'SELECT count(*)::int AS n, sum(length(content))::bigint AS chars FROM agent_messages WHERE agent_id = $1',
    [agentId],
  );
  expect(messages.rows[0].n).toBe(TURNS * 2 + (TURNS / 10) * 2);
  expect(Number(messages.rows[0].chars)).toBeGreaterThan(TURNS * 12_000);
  const summaries = await env.pool.query('SELECT count(*)::int AS n FROM agent_summaries WHERE agent_id = $1', [
    agentId,
  ]);
  expect(summaries.rows[0].n).toBeGreaterThan(5);
  // The budget in characters, plus the current turn (a question, a cut 16,000-character tool answer) and JSON.
  expect(largestRequest).toBeLessThan(CONTEXT_TOKENS * 4 + 40_000);
});
