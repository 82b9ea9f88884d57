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

  // Visibility lists a new run a moment after it starts; and an idle agent may still hand over to a new run (its last
  // mirror write can take it past the suggestion), so the count of runs is compared with the state of the moment.
  let runIds: string[] = [];
  let continued = state.continuedRuns;
  await eventually(
    async () => {
      const listed: string[] = [];
      for await (const run of env.client.workflow.list({ query: `WorkflowId = '${agentId}'` })) listed.push(run.runId);
      runIds = listed;
      continued = (await agentState(env.client, agentId)).continuedRuns;
      return runIds.length === continued + 1;
    },
    () => `every run to be listed (${runIds.length} listed, ${continued} continued as new)`,
  );
  const runs: Array<{ runId: string; events: number; bytes: number }> = [];
  for (const runId of runIds) {
    const description = await env.client.workflow.getHandle(agentId, runId).describe();
    runs.push({ runId, events: description.historyLength, bytes: description.historySize ?? 0 });
  }
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
  // The budget in characters (four a token) and half again for what the estimate leaves out (JSON, roles); a request
  // that carried the conversation would be 200 times the 12 KB of a turn.
  expect(largestRequest).toBeLessThan(CONTEXT_TOKENS * 4 * 1.5);
});
