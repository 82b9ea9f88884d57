/**
 * Agents from the command line, as the issue's "done when" says: an agent started with `plan agent start` answers a
 * message using a built-in tool, an MCP tool and a tool of the configuration, its tokens printed live by
 * `plan agent tail`; a destructive call waits for `plan approve`; pause, resume and stop behave; status and list
 * say so. The worker is `plan worker` with test/fixtures/agents' configuration; the model is a local fake server.
 * What the test waits for it polls through the API (a `plan` process takes seconds to start on a busy machine);
 * what it asserts, the CLI prints.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import type { AgentState, AgentStatus } from '../../src/activities/agent-types';
import { agentState } from '../../src/api/agents';
import { listAgents } from '../../src/store/agent-mirror';
import { createPool } from '../../src/store/pool';
import { runNode, type RunningChild } from '../support/child';
import { cli } from '../support/cli';
import { eventually } from '../support/eventually';
import { FakeOpenAI } from '../support/fake-openai';
import { uniqueId } from '../support/plan-worker';
import { testStack } from '../support/test-stack';

// Every step is a `plan` process (tsx compiling the sources); a loaded two-core machine takes seconds for each.
jest.setTimeout(180_000);

const CONFIG = join(__dirname, '..', 'fixtures', 'agents', 'durable-plans.config.ts');
const taskQueue = uniqueId('agents-cli');
const scrapLog = join(mkdtempSync(join(tmpdir(), 'dp-agents-')), 'scrapped.log');
const model = new FakeOpenAI();
let worker: RunningChild | null = null;
let connection: Connection;
let client: Client;
let pool: Pool;

beforeAll(async () => {
  await model.start();
  const stack = testStack();
  connection = await Connection.connect({ address: stack.temporalAddress });
  client = new Client({ connection });
  pool = createPool(stack.databaseUrl);
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
  await pool?.end();
  await connection?.close();
});

/** `plan agent <args>` on the test worker's queue and configuration. */
const agent = (args: string[]) =>
  cli(['agent', ...args, '--task-queue', taskQueue, '--config', CONFIG], { timeoutMs: 60_000 });

async function status(id: string): Promise<AgentState> {
  const result = await agent(['status', id, '--json']);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(result.stdout) as AgentState;
}

/** Waits (through the API) until the agent's state holds `check`. */
async function until(id: string, check: (state: AgentState) => boolean, what: string): Promise<void> {
  let last: AgentState | null = null;
  await eventually(
    async () => check((last = await agentState(client, id))),
    () => `${what} (agent ${id}: ${JSON.stringify(last && { status: last.status, turns: last.turns })})`,
    { timeoutMs: 60_000 },
  );
}

/** Waits until the PostgreSQL mirror, which `plan agent list` reads, has caught up with the workflow. */
async function untilListed(id: string, status: AgentStatus): Promise<void> {
  await eventually(
    async () => (await listAgents(pool)).some((row) => row.agentId === id && row.status === status),
    `the mirror to list ${id} as ${status}`,
    { timeoutMs: 30_000 },
  );
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

  // A first turn, so that tail --from-start has a past to show: once it has printed it, tail is following.
  model.reply({ content: 'Desk open.' });
  expect(await agent(['send', id, 'Open the desk.', '--wait'])).toMatchObject({ code: 0, stdout: 'Desk open.\n' });
  const tail = runNode(['scripts/plan.js', 'agent', 'tail', id, '--from-start'], {
    TEMPORAL_ADDRESS: testStack().temporalAddress,
    DATABASE_URL: testStack().databaseUrl,
  });
  await tail.waitFor(/^Desk open\.$/, 60_000);

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
    // About three seconds from the first piece to the last, so tail can be seen mid-answer.
    { content: reply, chunkChars: 6, chunkDelayMs: 350 },
  );
  let sendEnded = false;
  const sending = agent(['send', id, 'How many W-1 will we have?', '--wait']).finally(() => (sendEnded = true));

  // Live: the answer's first words are on the screen while the model is still writing the rest.
  await tail.waitFor(/Widget/, 60_000);
  expect(tail.output()).not.toContain(reply);
  expect(sendEnded).toBe(false);

  expect(await sending).toMatchObject({ code: 0, stdout: `${reply}\n`, stderr: '' });
  // The model got the three tools' answers, each under its call.
  const answers = (model.requests.at(-1) as { messages: Array<{ role: string; content: string }> }).messages
    .filter((m) => m.role === 'tool')
    .map((m) => m.content);
  expect(answers).toHaveLength(3);
  expect(JSON.parse(answers[0]!)).toEqual({ note: 'stock question' });
  expect(answers[1]).toContain('20');
  expect(JSON.parse(answers[2]!)).toEqual({ sku: 'W-1', inStock: 17 });

  // Tail printed both messages, the tools' answers and the reply, once, on a line of its own.
  await tail.waitFor(/20 with the 3 on order\.$/, 10_000);
  const printed = tail.output();
  expect(printed).toContain('> Open the desk.\nDesk open.\n');
  expect(printed).toContain('> How many W-1 will we have?\n');
  expect(printed).toContain('  [tool echo] {"note":"stock question"}\n');
  expect(printed).toContain('  [tool mcp.calc.add] ');
  expect(printed).toContain('  [tool stock_level] {"sku":"W-1","inStock":17}\n');
  expect(printed).toContain(`\n${reply}`);
  expect(printed.split(reply)).toHaveLength(2);
  tail.child.kill('SIGINT');
  expect(await tail.exited).toMatchObject({ code: 0 });
  expect(tail.output()).toBe(printed); // quietly

  expect(await status(id)).toMatchObject({ status: 'idle', turns: 2, lastReply: reply });
  await untilListed(id, 'idle');
  const listed = await agent(['list', '--json']);
  expect(JSON.parse(listed.stdout)).toEqual(
    expect.arrayContaining([expect.objectContaining({ agentId: id, status: 'idle', turns: 2, lastReply: reply })]),
  );
});

test('a destructive call waits for `plan approve`; pause, resume and stop behave and show', async () => {
  const id = uniqueId('desk');
  const group = uniqueId('night');
  expect((await agent(['start', id, '--tools', 'scrap_item,stock_level', '--group', group])).code).toBe(0);
  model.reply(
    { content: '', toolCalls: [{ name: 'scrap_item', arguments: '{"sku":"B-2"}' }] },
    { content: 'B-2 is written off.' },
  );
  const sent = await agent(['send', id, 'Write off B-2.']);
  expect(sent).toMatchObject({ code: 0, stderr: '' });
  expect(sent.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/); // the acknowledgement id

  await until(id, (s) => s.status === 'waiting_for_approval', 'the destructive call to wait');
  const waiting = await status(id);
  expect(waiting.pendingApproval).toMatchObject({ tool: 'scrap_item' });
  const human = await agent(['status', id]);
  expect(human.stdout).toContain('waiting for approval: scrap_item {"sku":"B-2"}');
  expect(human.stdout).toContain(`decide with: plan approve ${id} --by NAME`);
  expect(existsSync(scrapLog) ? readFileSync(scrapLog, 'utf8') : '').not.toContain('B-2');

  const approved = await cli(['approve', id, '--by', 'alice', '--task-queue', taskQueue]);
  expect(approved.code).toBe(0);
  await until(id, (s) => s.turns === 1, 'the turn to end');
  expect(readFileSync(scrapLog, 'utf8')).toContain('scrapped B-2');
  expect(await status(id)).toMatchObject({ status: 'idle', lastReply: 'B-2 is written off.' });

  const paused = await agent(['pause', id, '--by', 'ops']);
  expect(paused).toMatchObject({ code: 0, stdout: `agent ${id}: paused\n` });
  const again = await agent(['pause', id]);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('nothing to pause');
  // A paused agent takes messages (here through its group) and answers none of them until resumed.
  model.reply({ content: 'Still here.' });
  const toGroup = await agent(['send', '--group', group, 'Anyone?']);
  expect(toGroup.code).toBe(0);
  expect(toGroup.stdout).toMatch(new RegExp(`^${id} +[0-9a-f-]{36}$`, 'm'));
  expect(await status(id)).toMatchObject({ status: 'paused', inboxLength: 1, turns: 1 });
  await untilListed(id, 'paused');
  const listedPaused = await agent(['list', '--group', group, '--json']);
  expect(JSON.parse(listedPaused.stdout)).toEqual([expect.objectContaining({ agentId: id, status: 'paused' })]);

  expect((await agent(['resume', id])).stdout).toBe(`agent ${id}: idle\n`);
  await until(id, (s) => s.turns === 2, 'the held message to be answered');
  expect(await status(id)).toMatchObject({ status: 'idle', inboxLength: 0, lastReply: 'Still here.' });

  const stopped = await agent(['stop', id, '--reason', 'closing the desk', '--json']);
  expect(stopped.code).toBe(0);
  expect(JSON.parse(stopped.stdout)).toMatchObject({
    status: 'terminated',
    terminated: { reason: 'closing the desk' },
  });
  expect(await status(id)).toMatchObject({ status: 'terminated', turns: 2 });
  await untilListed(id, 'terminated');
  const listed = await agent(['list', '--group', group]);
  expect(listed.stdout).toMatch(new RegExp(`^${id} +terminated +2 +${group} +Still here\\.$`, 'm'));
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
  expect(bare.stderr).toContain('unknown agent command "strat" (did you mean "start"?)');
  expect(bare.stderr).toContain('plan agent start|send|tail|status|pause|resume|stop|list');
  const group = await agent(['send', '--group', 'g', 'hi', '--wait']);
  expect(group.code).toBe(2);
  expect(group.stderr).toContain('--wait waits for one agent');
});
