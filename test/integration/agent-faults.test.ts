/**
 * "A worker killed mid-turn loses and duplicates nothing": plan workers in child processes are SIGKILLed while the
 * model streams its answer and while a tool call runs; a new worker takes the turn over, and the conversation holds
 * each message once, the tool ran to one answer, and a subscriber saw the answer's text once.
 */
import type { AgentState } from '../../src/activities/agent-types';
import { agentState, sendToAgent, startAgent, waitForReply } from '../../src/api/agents';
import { subscribeAgent, type AgentStreamEvent } from '../../src/api/subscribe-agent';
import { builtinRegistry } from '../../src/tools';
import { runNode, type RunningChild } from '../support/child';
import { eventually } from '../support/eventually';
import { FakeOpenAI } from '../support/fake-openai';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

jest.setTimeout(120_000);

/** PendingActivityState.STARTED: a worker has the activity. */
const STARTED = 2;
const stopFollowing = new AbortController();

const model = new FakeOpenAI();
const taskQueue = uniqueId('agent-kill');
let env: TestWorker;
const workers: RunningChild[] = [];

async function startWorker(): Promise<RunningChild> {
  const { databaseUrl, temporalAddress } = testStack();
  const worker = runNode(['scripts/plan.js', 'worker', '--task-queue', taskQueue], {
    TEMPORAL_ADDRESS: temporalAddress,
    DATABASE_URL: databaseUrl,
    OPENAI_BASE_URL: model.baseURL,
    PLAN_LLM_MODEL: 'fake-model',
  });
  workers.push(worker);
  await worker.waitFor(/worker polling task queue/);
  return worker;
}

async function kill(worker: RunningChild): Promise<void> {
  worker.child.kill('SIGKILL');
  await worker.exited;
}

beforeAll(async () => {
  await model.start();
  env = await startTestWorker(); // its client and pool; the agent runs on `taskQueue`, where it does not poll
});

afterAll(async () => {
  stopFollowing.abort();
  for (const worker of workers)
    if (worker.child.exitCode === null && worker.child.signalCode === null) await kill(worker);
  await env?.stop();
  await model.stop();
});

const count = async (sql: string, params: unknown[]) =>
  ((await env.pool.query(sql, params)).rows[0] as { n: number }).n;

/** The agent's state once it has ended its turn (the reply is stored just before the turn ends). */
async function settled(agentId: string): Promise<AgentState> {
  let state: AgentState | undefined;
  await eventually(async () => {
    state = await agentState(env.client, agentId);
    return state.status === 'idle' && state.inboxLength === 0;
  }, 'the agent to be idle');
  return state!;
}

/** How many messages of each role a turn stored. */
const rolesOf = async (agentId: string, turn: number) =>
  (
    await env.pool.query<{ role: string; n: number }>(
      'SELECT role, count(*)::int AS n FROM agent_messages WHERE agent_id = $1 AND turn = $2 GROUP BY role ORDER BY role',
      [agentId, turn],
    )
  ).rows;

test('killed while the model streams and while a tool runs, the turn completes once', async () => {
  const first = await startWorker();
  const agentId = uniqueId('agent');
  await startAgent(env.client, agentId, { tools: ['sleep'] }, { taskQueue, catalog: builtinRegistry() });

  // A deterministic model: the retried call streams the same answer again.
  const answer = 'The shelves are counted: forty-two boxes, all dry, none opened. '.repeat(3);
  const slow = { content: answer, chunkChars: 8, chunkDelayMs: 150 };
  model.reply(slow, slow);
  const collected: AgentStreamEvent[] = [];
  const following = (async () => {
    for await (const event of subscribeAgent(env.pool, agentId, { from: 'start', signal: stopFollowing.signal }))
      collected.push(event);
  })();
  const { ackId } = await sendToAgent(env.client, agentId, 'Count the shelves.');
  await eventually(
    async () =>
      (await count("SELECT count(*)::int AS n FROM agent_events WHERE agent_id = $1 AND kind = 'token'", [agentId])) >=
      3,
    'the answer to be streaming',
  );
  await kill(first);
  const second = await startWorker();
  expect(await waitForReply(env.pool, agentId, ackId, AbortSignal.timeout(60_000))).toBe(answer);

  // Two attempts streamed; the subscriber saw the answer once.
  expect(
    await count("SELECT count(DISTINCT attempt)::int AS n FROM agent_events WHERE agent_id = $1 AND kind = 'token'", [
      agentId,
    ]),
  ).toBe(2);
  await eventually(() => collected.some((e) => e.type === 'message' && e.role === 'assistant'), 'the answer event');
  const shown = collected.flatMap((e) => (e.type === 'token' ? [e.text] : [])).join('');
  expect(shown).toBe(answer);
  expect(collected.flatMap((e) => (e.type === 'message' ? [e.role] : []))).toEqual(['user', 'assistant']);
  // The turn is counted once and its two messages are stored once.
  expect((await settled(agentId)).turns).toBe(1);
  expect(await rolesOf(agentId, 1)).toEqual([
    { role: 'assistant', n: 1 },
    { role: 'user', n: 1 },
  ]);

  // Killed again, this time while the tool call runs: one tool answer, one final reply.
  model.reply(
    { content: '', toolCalls: [{ name: 'sleep', arguments: '{"ms":3000}' }] },
    { content: 'Waited as asked.' },
  );
  const next = await sendToAgent(env.client, agentId, 'Wait three seconds, then tell me.');
  await eventually(async () => {
    const description = await env.client.workflow.getHandle(agentId).describe();
    const pending = description.raw.pendingActivities ?? [];
    return pending.some((activity) => activity.activityType?.name === 'agentToolCall' && activity.state === STARTED);
  }, 'the tool call to be running');
  await kill(second);
  await startWorker();
  expect(await waitForReply(env.pool, agentId, next.ackId, AbortSignal.timeout(60_000))).toBe('Waited as asked.');
  stopFollowing.abort();
  await following;

  // The kill cut the tool call off: the attempt that completed it was the second.
  const history = await env.client.workflow.getHandle(agentId).fetchHistory();
  const toolCall = history.events!.find(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'agentToolCall',
  );
  const toolStarted = history.events!.find(
    (e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === Number(toolCall!.eventId),
  );
  expect(toolStarted?.activityTaskStartedEventAttributes?.attempt).toBe(2);
  // The tool-calling answer and the final one; one tool answer; the user's message.
  expect(await rolesOf(agentId, 2)).toEqual([
    { role: 'assistant', n: 2 },
    { role: 'tool', n: 1 },
    { role: 'user', n: 1 },
  ]);
  expect((await settled(agentId)).turns).toBe(2);
});
