/**
 * Agents as a user of the TypeScript API meets them, against the real dev server and PostgreSQL with a fake
 * OpenAI-compatible server that streams and calls tools: a turn with tool calls, tokens followed live, a destructive
 * call that waits for approval (and one rejected), pause/resume/terminate, and a failing turn that `resume` retries.
 */
import { workflowMetadataQuery } from '@temporalio/workflow';
import { z } from 'zod';
import {
  agentState,
  pauseAgent,
  resumeAgent,
  sendToAgent,
  startAgent,
  terminateAgent,
  waitForReply,
} from '../../src/api/agents';
import { decide, DecisionRefusedError, getState } from '../../src/api/plans';
import { sendToGroup } from '../../src/api/agents';
import { subscribeAgent, type AgentStreamEvent } from '../../src/api/subscribe-agent';
import type { AgentState } from '../../src/activities/agent-types';
import { BUILTIN_TOOLS, defineTool, ToolRegistry } from '../../src/tools';
import { eventually } from '../support/eventually';
import { FakeOpenAI } from '../support/fake-openai';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';

const deleted: string[] = [];
const dropOrder = defineTool({
  name: 'drop_order',
  description: 'Deletes an order for good.',
  parameters: z.object({ orderId: z.string() }),
  risk: 'destructive',
  run: async ({ orderId }) => {
    deleted.push(orderId);
    return { deleted: orderId };
  },
});
const orderTotal = defineTool({
  name: 'order_total',
  description: 'The total of an order.',
  parameters: z.object({ orderId: z.string() }),
  risk: 'read',
  run: async ({ orderId }) => ({ orderId, total: 42.5 }),
});

const model = new FakeOpenAI();
let env: TestWorker;

beforeAll(async () => {
  await model.start();
  env = await startTestWorker(new ToolRegistry([...BUILTIN_TOOLS, dropOrder, orderTotal]), {
    toolSettings: { llm: { apiKey: null, baseUrl: model.baseURL, model: 'fake-model' } },
  });
});

afterAll(async () => {
  await env?.stop();
  await model.stop();
});

async function start(options: Parameters<typeof startAgent>[2] = {}): Promise<string> {
  const id = uniqueId('agent');
  await startAgent(env.client, id, options, { taskQueue: env.taskQueue, catalog: env.tools });
  return id;
}

const stateOf = (id: string) => agentState(env.client, id);
async function untilStatus(id: string, status: AgentState['status']): Promise<AgentState> {
  let last: AgentState | null = null;
  await eventually(
    async () => {
      last = await stateOf(id);
      return last.status === status;
    },
    () => `agent ${id} to be ${status} (it is ${last?.status})`,
  );
  return last!;
}

/** Collects what a subscriber sees until `done` says so. */
async function follow(id: string, done: (events: AgentStreamEvent[]) => boolean): Promise<AgentStreamEvent[]> {
  const events: AgentStreamEvent[] = [];
  for await (const event of subscribeAgent(env.pool, id, { from: 'start' })) {
    events.push(event);
    if (done(events)) break;
  }
  return events;
}

test('a turn calls tools, feeds their answers back, and replies; subscribers see the tokens as they stream', async () => {
  const id = await start({ tools: ['order_total', 'echo'], system: 'You look after orders.' });
  model.reply(
    { content: 'Let me look.', toolCalls: [{ name: 'order_total', arguments: '{"orderId":"A-1"}' }] },
    { content: 'Order A-1 comes to 42.50 in total.', chunkDelayMs: 20, chunkChars: 4 },
  );
  const { ackId } = await sendToAgent(env.client, id, 'What is the total of order A-1?', { from: 'alice' });
  const reply = await waitForReply(env.pool, id, ackId, AbortSignal.timeout(20_000));
  expect(reply).toBe('Order A-1 comes to 42.50 in total.');

  // The model was given the tool, and then the tool's answer under the call's id.
  const [first, second] = model.requests.slice(-2) as Array<{
    messages: Array<Record<string, unknown>>;
    tools?: unknown[];
  }>;
  expect(first!.messages[0]).toEqual({ role: 'system', content: 'You look after orders.' });
  expect(JSON.stringify(first!.tools)).toContain('"order_total"');
  const answer = second!.messages.find((m) => m.role === 'tool')!;
  expect(JSON.parse(answer.content as string)).toEqual({ orderId: 'A-1', total: 42.5 });

  const events = await follow(id, (seen) =>
    seen.some((e) => e.type === 'message' && e.role === 'assistant' && e.text.includes('42.50')),
  );
  const tokens = events.filter((e) => e.type === 'token' && e.call === 1).map((e) => e.text);
  expect(tokens.length).toBeGreaterThan(1);
  expect(tokens.join('')).toBe('Order A-1 comes to 42.50 in total.');
  expect(events.filter((e) => e.type === 'message').map((e) => (e.type === 'message' ? e.role : ''))).toEqual([
    'user',
    'assistant',
    'tool',
    'assistant',
  ]);
  const state = await untilStatus(id, 'idle');
  expect(state).toMatchObject({ turns: 1, inboxLength: 0, lastReply: 'Order A-1 comes to 42.50 in total.' });
  const row = await env.pool.query('SELECT status, turns, last_reply FROM agents WHERE agent_id = $1', [id]);
  expect(row.rows[0]).toEqual({ status: 'idle', turns: 1, last_reply: 'Order A-1 comes to 42.50 in total.' });
});

test('a destructive tool call waits for approval; a rejection is told to the model and the call never runs', async () => {
  const id = await start({ tools: ['drop_order'] });
  model.reply(
    { content: '', toolCalls: [{ name: 'drop_order', arguments: '{"orderId":"B-7"}' }] },
    { content: 'Deleted B-7.' },
    { content: '', toolCalls: [{ name: 'drop_order', arguments: '{"orderId":"C-9"}' }] },
    { content: 'I was not allowed to delete C-9.' },
  );
  await sendToAgent(env.client, id, 'Delete order B-7.');
  const waiting = await untilStatus(id, 'waiting_for_approval');
  expect(waiting.pendingApproval).toMatchObject({ tool: 'drop_order', argumentsPreview: '{"orderId":"B-7"}' });
  // Temporal Web says what waits and how to decide; visibility lists it with the plans that wait.
  const handle = env.client.workflow.getHandle(id);
  const { currentDetails } = await handle.query(workflowMetadataQuery);
  expect(currentDetails).toContain('Tool `drop_order`');
  expect(currentDetails).toContain(`temporal workflow signal --workflow-id ${id} --name approve`);
  await eventually(async () => {
    const waitingIds: string[] = [];
    for await (const run of env.client.workflow.list({ query: 'PlanPendingApproval = true' }))
      waitingIds.push(run.workflowId);
    return waitingIds.includes(id);
  }, 'the agent to be listed as waiting for approval');
  expect(deleted).not.toContain('B-7');
  const answer = await decide(env.client, id, { decision: 'approve', by: 'alice' });
  expect(answer).toMatchObject({ decision: 'approve', gate: 'approved', step: waiting.pendingApproval!.callId });
  await eventually(async () => (await stateOf(id)).turns === 1, 'the first turn to end');
  expect(deleted).toContain('B-7');

  await sendToAgent(env.client, id, 'Delete order C-9.');
  await untilStatus(id, 'waiting_for_approval');
  await decide(env.client, id, { decision: 'reject', by: 'bob', reason: 'C-9 is still shipping' });
  await eventually(async () => (await stateOf(id)).turns === 2, 'the second turn to end');
  expect(deleted).not.toContain('C-9');
  const told = (model.requests.at(-1) as { messages: Array<{ role: string; content: string }> }).messages.at(-1)!;
  expect(told).toMatchObject({ role: 'tool', content: 'rejected by bob: C-9 is still shipping; the call did not run' });
  // Nothing waits now: a decision is refused with the reason.
  await expect(decide(env.client, id, { decision: 'approve', by: 'alice' })).rejects.toThrow(DecisionRefusedError);
});

test('pause holds new turns until resume; terminate ends the agent with who and why', async () => {
  const id = await start();
  await untilStatus(id, 'idle');
  await pauseAgent(env.client, id, { by: 'ops' });
  model.reply({ content: 'Back again.' });
  const { ackId } = await sendToAgent(env.client, id, 'Are you there?');
  const paused = await stateOf(id);
  expect(paused).toMatchObject({ status: 'paused', inboxLength: 1, turns: 0 });
  await expect(pauseAgent(env.client, id)).rejects.toThrow(/is paused; nothing to pause/);

  await resumeAgent(env.client, id, { by: 'ops' });
  expect(await waitForReply(env.pool, id, ackId, AbortSignal.timeout(20_000))).toBe('Back again.');

  const ended = await terminateAgent(env.client, id, { by: 'ops', reason: 'done for today' });
  expect(ended).toMatchObject({ status: 'terminated', terminated: { by: 'ops', reason: 'done for today' } });
  const result = (await env.client.workflow.getHandle(id).result()) as AgentState;
  expect(result.status).toBe('terminated');
  await expect(sendToAgent(env.client, id, 'hello?')).rejects.toThrow(/agent ".*" has already ended/);
  await eventually(async () => {
    const row = await env.pool.query('SELECT status FROM agents WHERE agent_id = $1', [id]);
    return row.rows[0]?.status === 'terminated';
  }, 'the mirror to say terminated');
});

test('a turn the model server refuses puts the agent in error with the cause; resume runs the turn again', async () => {
  const id = await start();
  model.reply({ status: 400, body: { error: { message: 'model "fake-model" does not exist' } } });
  const { ackId } = await sendToAgent(env.client, id, 'Hello');
  const failed = await untilStatus(id, 'error');
  expect(failed.error).toMatchObject({ type: 'LlmRequestError' });
  expect(failed.error!.message).toMatch(/does not exist/);
  expect(failed.inboxLength).toBe(1);

  model.reply({ content: 'Hello to you.' });
  await resumeAgent(env.client, id);
  expect(await waitForReply(env.pool, id, ackId, AbortSignal.timeout(20_000))).toBe('Hello to you.');
  // The user's message was stored once, though its turn ran twice.
  const users = await env.pool.query(
    "SELECT count(*)::int AS n FROM agent_messages WHERE agent_id = $1 AND role = 'user'",
    [id],
  );
  expect(users.rows[0].n).toBe(1);
});

test('bad messages and unknown tools are refused with what is wrong, and the agent goes on', async () => {
  await expect(start({ tools: ['no_such_tool'] })).rejects.toThrow(/unknown tool "no_such_tool"/);
  const id = await start();
  await expect(sendToAgent(env.client, id, '   ')).rejects.toThrow(/non-empty "text"/);
  await expect(sendToAgent(env.client, id, 'x'.repeat(40_000))).rejects.toThrow(/at most 32768/);
  // Names are lines, not documents: they stay in history and in the state for good.
  await expect(sendToAgent(env.client, id, 'hi', { from: 'f'.repeat(300) })).rejects.toThrow(
    /"from" is longer than 256/,
  );
  await expect(terminateAgent(env.client, id, { reason: 'r'.repeat(3_000) })).rejects.toThrow(
    /"reason" is longer than 2000/,
  );
  expect((await stateOf(id)).status).not.toBe('terminated');
  // A paused agent's inbox fills up: 512 KiB of waiting text is all a run can carry over, and the rest is refused.
  const stuck = await start();
  await pauseAgent(env.client, stuck);
  for (let i = 0; i < 16; i++) await sendToAgent(env.client, stuck, 'y'.repeat(32 * 1024));
  await expect(sendToAgent(env.client, stuck, 'one more')).rejects.toThrow(
    /the inbox is full \(16 messages, 524288 characters wait\)/,
  );
  await terminateAgent(env.client, stuck);
  model.reply(
    { content: '', toolCalls: [{ name: 'shell', arguments: '{"command":"rm -rf /"}' }] },
    { content: 'I cannot do that.' },
  );
  const { ackId } = await sendToAgent(env.client, id, 'Clean the disk.');
  expect(await waitForReply(env.pool, id, ackId, AbortSignal.timeout(20_000))).toBe('I cannot do that.');
  const told = (model.requests.at(-1) as { messages: Array<{ role: string; content: string }> }).messages.at(-1)!;
  expect(told).toMatchObject({ role: 'tool', content: 'error: no tool "shell" is available to this agent' });
});

test('a group message reaches every member; a child agent answers its parent and ends with it', async () => {
  const group = uniqueId('team');
  const [a, b] = [await start({ group }), await start({ group })];
  await eventually(async () => {
    const rows = await env.pool.query('SELECT count(*)::int AS n FROM agents WHERE group_name = $1', [group]);
    return rows.rows[0].n === 2;
  }, 'both members in the mirror');
  model.reply({ content: 'on it' }, { content: 'on it' });
  const sent = await sendToGroup(env.client, env.pool, group, 'Stand-up in five minutes.');
  expect(sent.map((s) => s.agentId).sort()).toEqual([a, b].sort());
  for (const { agentId, ackId } of sent)
    expect(await waitForReply(env.pool, agentId, ackId, AbortSignal.timeout(20_000))).toBe('on it');

  const child = `${a}/helper`;
  await startAgent(env.client, child, { system: 'You help.' }, { taskQueue: env.taskQueue, catalog: env.tools });
  expect((await stateOf(a)).children).toEqual([child]);
  // The child's answer to the parent's message lands in the parent's inbox as a reply, which is not answered back.
  model.reply({ content: 'helper here' }, { content: 'thanks, helper' });
  await sendToAgent(env.client, child, 'Report in.', { from: `agent:${a}` });
  await eventually(async () => (await stateOf(a)).turns === 2, 'the parent to take the reply');
  const parentInbox = await env.pool.query(
    "SELECT content, sender FROM agent_messages WHERE agent_id = $1 AND role = 'user' ORDER BY seq DESC LIMIT 1",
    [a],
  );
  expect(parentInbox.rows[0]).toEqual({ content: 'helper here', sender: `agent:${child}` });
  expect((await stateOf(child)).turns).toBe(1);

  await terminateAgent(env.client, a, { reason: 'team disbanded' });
  const ended = (await env.client.workflow.getHandle(child).result()) as AgentState;
  expect(ended).toMatchObject({ status: 'terminated', parentId: a, terminated: { reason: 'cancelled' } });
});

test('submit_plan runs the proposed plan as a child that waits for approval; an invalid plan is answered with its problems', async () => {
  const id = await start({ tools: ['submit_plan'] });
  const plan = {
    description: 'Say hello',
    steps: [{ id: 'say', toolName: 'echo', description: 'says it', parameters: { text: 'hello' }, dependsOn: [] }],
  };
  model.reply(
    { content: '', toolCalls: [{ name: 'submit_plan', arguments: JSON.stringify({ plan }) }] },
    { content: 'The plan ran.' },
  );
  const { ackId } = await sendToAgent(env.client, id, 'Say hello through a plan.');
  let planId: string | null = null;
  await eventually(
    async () => (planId = (await stateOf(id)).waitingForPlan) !== null,
    'the agent to wait for its plan',
  );
  // The plan waits for a person although it did not ask for approval (its state query answers once it has begun).
  await eventually(
    async () => (await getState(env.client, planId!).catch(() => null))?.status === 'pending_approval',
    'the plan to wait for approval',
  );
  await decide(env.client, planId!, { decision: 'approve', by: 'alice' });
  expect(await waitForReply(env.pool, id, ackId, AbortSignal.timeout(20_000))).toBe('The plan ran.');
  const told = (model.requests.at(-1) as { messages: Array<{ role: string; content: string }> }).messages.at(-1)!;
  expect(JSON.parse(told.content)).toMatchObject({
    planId,
    status: 'completed',
    steps: [{ id: 'say', status: 'completed' }],
  });

  model.reply(
    {
      content: '',
      toolCalls: [
        { name: 'submit_plan', arguments: JSON.stringify({ plan: { steps: [{ id: 'x', toolName: 'nope' }] } }) },
      ],
    },
    { content: 'That plan was refused.' },
  );
  const second = await sendToAgent(env.client, id, 'Try a bad one.');
  expect(await waitForReply(env.pool, id, second.ackId, AbortSignal.timeout(20_000))).toBe('That plan was refused.');
  const refusal = (model.requests.at(-1) as { messages: Array<{ role: string; content: string }> }).messages.at(-1)!;
  expect(refusal.content).toMatch(/^error: plan .* did not run: plan is invalid/);
  expect(refusal.content).toContain('nope');
});
