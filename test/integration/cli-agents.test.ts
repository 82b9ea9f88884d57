/**
 * Agents from the command line, as the issue's "done when" says: an agent started with `plan agent start` answers a
 * message using a built-in tool, an MCP tool and a tool of the configuration, its tokens printed live by
 * `plan agent tail`; a destructive call waits for `plan approve`; pause, resume and stop behave; status and list
 * say so. The worker is `plan worker` with test/fixtures/agents' configuration; the model is a local fake server.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentState } from '../../src/activities/agent-types';
import { runNode, type RunningChild } from '../support/child';
import { cli } from '../support/cli';
import { eventually } from '../support/eventually';
import { FakeOpenAI } from '../support/fake-openai';
import { uniqueId } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

jest.setTimeout(60_000);

const CONFIG = join(__dirname, '..', 'fixtures', 'agents', 'durable-plans.config.ts');
const taskQueue = uniqueId('agents-cli');
const scrapLog = join(mkdtempSync(join(tmpdir(), 'dp-agents-')), 'scrapped.log');
const model = new FakeOpenAI();
let worker: RunningChild | null = null;

beforeAll(async () => {
  await model.start();
  const stack = testStack();
  worker = runNode(['scripts/plan.js', 'worker', '--config', CONFIG, '--task-queue', taskQueue], {
    TEMPORAL_ADDRESS: stack.temporalAddress,
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_CONFIG_FILE: join(__dirname, '..', 'no-temporal.toml'),
    OPENAI_BASE_URL: model.baseURL,
    PLAN_LLM_MODEL: 'fake-model',
    AGENT_FIXTURE_LOG: scrapLog,
  });
  await worker.waitFor(/worker polling task queue/, 120_000);
}, 150_000);

afterAll(async () => {
  if (worker && worker.child.exitCode === null) {
    worker.child.kill('SIGINT');
    await worker.exited;
  }
  await model.stop();
});

/** `plan agent <args>` on the test worker's queue and configuration. */
const agent = (args: string[]) =>
  cli(['agent', ...args, '--task-queue', taskQueue, '--config', CONFIG], { timeoutMs: 45_000 });

async function status(id: string): Promise<AgentState> {
  const result = await agent(['status', id, '--json']);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(result.stdout) as AgentState;
}

test('an agent answers with a built-in, an MCP and a configuration tool, streamed live to `plan agent tail`', async () => {
  const id = uniqueId('desk');
  const started = await agent([
    'start',
    id,
    '--system',
    'You run the stock desk.',
    '--tools',
    'echo,mcp.calc.add,stock_level',
  ]);
  expect(started).toMatchObject({ code: 0, stderr: '' });
  expect(started.stdout).toContain(`agent ${id} started`);

  // From the start of the agent's stream, so the test need not time when tail has subscribed.
  const tail = runNode(['scripts/plan.js', 'agent', 'tail', id, '--from-start'], {
    TEMPORAL_ADDRESS: testStack().temporalAddress,
    DATABASE_URL: testStack().databaseUrl,
  });
  const reply = 'Widget W-1: 17 in stock, 20 with the 3 on order.';
  model.reply(
    {
      content: 'Checking.',
      toolCalls: [
        { name: 'echo', arguments: '{"note":"stock question"}' },
        { name: 'mcp__calc__add', arguments: '{"a":17,"b":3}' },
        { name: 'stock_level', arguments: '{"sku":"W-1"}' },
      ],
    },
    { content: reply, chunkChars: 6, chunkDelayMs: 30 },
  );
  const sent = await agent(['send', id, 'How many W-1 will we have?', '--wait']);
  expect(sent).toMatchObject({ code: 0, stdout: `${reply}\n`, stderr: '' });

  // The model got the three tools' answers, each under its call.
  const answers = (model.requests.at(-1) as { messages: Array<{ role: string; content: string }> }).messages
    .filter((m) => m.role === 'tool')
    .map((m) => m.content);
  expect(answers).toHaveLength(3);
  expect(JSON.parse(answers[0]!)).toEqual({ note: 'stock question' });
  expect(answers[1]).toContain('20');
  expect(JSON.parse(answers[2]!)).toEqual({ sku: 'W-1', inStock: 17 });

  // Tail printed the message, the tools' answers and the reply, which streamed in several pieces.
  await tail.waitFor(/20 with the 3 on order\./, 10_000);
  const printed = tail.output();
  expect(printed).toContain('> How many W-1 will we have?');
  expect(printed).toContain('[tool mcp.calc.add]');
  expect(printed).toContain('[tool stock_level] {"sku":"W-1","inStock":17}');
  expect(printed.split(reply)).toHaveLength(2); // once, not twice
  tail.child.kill('SIGINT');
  expect(await tail.exited).toMatchObject({ code: 0 });

  const state = await status(id);
  expect(state).toMatchObject({ status: 'idle', turns: 1, lastReply: reply });
  const listed = await agent(['list', '--json']);
  expect(JSON.parse(listed.stdout)).toEqual(
    expect.arrayContaining([expect.objectContaining({ agentId: id, status: 'idle', turns: 1 })]),
  );
});

test('a destructive call waits for `plan approve`; pause, resume and stop behave and show', async () => {
  const id = uniqueId('desk');
  expect((await agent(['start', id, '--tools', 'scrap_item,stock_level'])).code).toBe(0);
  model.reply(
    { content: '', toolCalls: [{ name: 'scrap_item', arguments: '{"sku":"B-2"}' }] },
    { content: 'B-2 is written off.' },
  );
  const sent = await agent(['send', id, 'Write off B-2.']);
  expect(sent.code).toBe(0);
  const ackId = sent.stdout.trim();

  await eventually(async () => (await status(id)).status === 'waiting_for_approval', 'the call to wait');
  const human = await agent(['status', id]);
  expect(human.stdout).toContain('waiting for approval: scrap_item {"sku":"B-2"}');
  expect(human.stdout).toContain(`decide with: plan approve ${id}`);
  expect(existsSync(scrapLog) ? readFileSync(scrapLog, 'utf8') : '').not.toContain('B-2');

  const approved = await cli(['approve', id, '--by', 'alice', '--task-queue', taskQueue]);
  expect(approved.code).toBe(0);
  await eventually(async () => (await status(id)).turns === 1, 'the turn to end');
  expect(readFileSync(scrapLog, 'utf8')).toContain('scrapped B-2');
  expect((await status(id)).lastReply).toBe('B-2 is written off.');
  expect(ackId).toMatch(/^[0-9a-f-]{36}$/);

  const paused = await agent(['pause', id, '--by', 'ops']);
  expect(paused).toMatchObject({ code: 0, stdout: `agent ${id}: paused\n` });
  const again = await agent(['pause', id]);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('nothing to pause');
  model.reply({ content: 'Still here.' });
  expect((await agent(['send', id, 'Anyone?'])).code).toBe(0);
  expect(await status(id)).toMatchObject({ status: 'paused', inboxLength: 1 });
  expect((await agent(['resume', id])).stdout).toBe(`agent ${id}: idle\n`);
  await eventually(async () => (await status(id)).turns === 2, 'the held message to be answered');

  const stopped = await agent(['stop', id, '--reason', 'closing the desk', '--json']);
  expect(stopped.code).toBe(0);
  expect(JSON.parse(stopped.stdout)).toMatchObject({
    status: 'terminated',
    terminated: { reason: 'closing the desk' },
  });
  const refused = await agent(['send', id, 'hello?']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('has already ended');
});

test('bad arguments are refused with what is wrong: unknown tools, a misspelt subcommand, --group with --wait', async () => {
  const unknown = await agent(['start', uniqueId('desk'), '--tools', 'stock_levels']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('unknown tool "stock_levels"');
  const bare = await cli(['agent', 'strat', 'x']);
  expect(bare.code).toBe(2);
  expect(bare.stderr).toContain('usage: plan agent start|send|tail|status|pause|resume|stop|list');
  const group = await agent(['send', '--group', 'g', 'hi', '--wait']);
  expect(group.code).toBe(2);
});
