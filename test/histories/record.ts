/**
 * Records the histories of representative plans into test/histories/*.json, on a throw-away stack. The replay test
 * runs today's workflow code over them: a change that would break plans already running fails CI.
 *
 *   npm run record-histories      (then commit the new files; never edit old ones — docs/development.md)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { agentState, pauseAgent, resumeAgent, sendToAgent, startAgent, terminateAgent, waitForReply } from '../../src/api/agents';
import type { AgentState } from '../../src/activities/agent-types';
import { decide, startPlan } from '../../src/api/plans';
import { isTerminalPlanStatus } from '../../src/plan';
import { FakeOpenAI } from '../support/fake-openai';
import { startEphemeralStack } from '../../src/dev/ephemeral-stack';
import { ensureTemporalBinary } from '../../src/dev/temporal-binary';
import { createPool } from '../../src/store/pool';
import { builtinRegistry, createToolServices, NO_TOOL_SETTINGS } from '../../src/tools';
import { stateQuery } from '../../src/workflows/definitions';
import { createPlanWorker } from '../../src/worker';

/** Recorded with a low continue-as-new suggestion so a short plan spans runs (the suite's dev server uses the same). */
const SUGGEST_CONTINUE_AS_NEW_AT = 400;

const PLANS: Record<string, { plan: Record<string, unknown>; approve?: boolean; runs?: boolean }> = {
  approval: {
    approve: true,
    plan: { options: { requireApproval: true }, steps: [{ id: 'a', toolName: 'echo', parameters: { x: 1 } }, { id: 'b', toolName: 'noop', dependsOn: ['a'] }] },
  },
  saga: {
    plan: {
      options: { allowParallel: true },
      steps: [
        { id: 'book', toolName: 'echo', parameters: { n: 1 }, compensate: { toolName: 'echo', parameters: { undo: '{{steps.book.result.n}}' } } },
        { id: 'pay', toolName: 'memory_set', parameters: { key: 'paid', value: true }, dependsOn: ['book'] },
        { id: 'flaky', toolName: 'fail', parameters: { failTimes: 1 }, maxRetries: 1, retryDelayMs: 10, dependsOn: ['book'] },
        { id: 'ship', toolName: 'fail', parameters: { message: 'no truck' }, dependsOn: ['pay', 'flaky'] },
      ],
    },
  },
  subplan: {
    plan: {
      options: { continueOnError: true, allowParallel: true },
      steps: [
        { id: 'left', toolName: 'subplan', parameters: { plan: { steps: [{ id: 'x', toolName: 'echo', parameters: { v: 1 } }] } } },
        { id: 'right', toolName: 'subplan', parameters: { plan: { steps: [{ id: 'y', toolName: 'echo', parameters: { v: 3 } }] } } },
        {
          id: 'fuse',
          toolName: 'merge',
          dependsOn: ['left', 'right'],
          acceptFailedDependencies: true,
          parameters: { mode: 'concat', inputs: '{{dependencies}}' },
        },
      ],
    },
  },
  // Every run of the plan is recorded (continue-as-new-1.json, -2.json, ...): the hand-over and the take-over.
  'continue-as-new': {
    runs: true,
    plan: {
      options: { allowParallel: true, maxParallelSteps: 20 },
      steps: [
        ...Array.from({ length: 150 }, (_, i) => ({ id: `s${i}`, toolName: 'echo', parameters: { i } })),
        { id: 'last', toolName: 'echo', parameters: { first: '{{steps.s0.result.i}}' }, dependsOn: ['s0', 's149'] },
      ],
    },
  },
  // Step callbacks: the deliverer started as a child on the first event, every event signalled to it in order.
  notify: {
    plan: {
      options: { requireApproval: true, notify: [{ url: 'http://127.0.0.1:9/never-delivered' }] },
      steps: [
        { id: 'a', toolName: 'echo', parameters: { n: 1 } },
        { id: 'b', toolName: 'fail', parameters: { failTimes: 1 }, maxRetries: 1, retryDelayMs: 10, dependsOn: ['a'] },
        { id: 'c', toolName: 'echo', requiresApproval: true, dependsOn: ['b'] },
      ],
    },
    approve: true,
  },
  // Resource locks: two parallel steps writing one resource take turns (one waits, showing the other), and a failed
  // step's compensation takes its step's resources again.
  locks: {
    plan: {
      options: { allowParallel: true, priority: 3 },
      steps: [
        { id: 'a', toolName: 'sleep', parameters: { ms: 300 }, resources: ['db:orders'], compensate: { toolName: 'echo', parameters: { undo: 'a' } } },
        { id: 'b', toolName: 'sleep', parameters: { ms: 300 }, resources: [{ name: 'db:orders', mode: 'write' }, { name: 'idx', mode: 'read' }] },
        { id: 'c', toolName: 'fail', parameters: { message: 'on purpose' }, resources: [{ name: 'idx', mode: 'read' }], dependsOn: ['a', 'b'] },
      ],
    },
  },
  // Steps that carry the mirror's changes: a chain (one step running carries), a long step (its start written while
  // it runs), a retried one, and a parallel stretch whose changes the workflow writes itself.
  'carried-mirror': {
    plan: {
      options: { allowParallel: true },
      steps: [
        { id: 'a', toolName: 'echo', parameters: { n: 1 } },
        { id: 'b', toolName: 'sleep', parameters: { ms: 400 }, dependsOn: ['a'] },
        { id: 'c', toolName: 'fail', parameters: { failTimes: 1 }, maxRetries: 1, retryDelayMs: 5, dependsOn: ['b'] },
        { id: 'd1', toolName: 'echo', parameters: { n: 2 }, dependsOn: ['c'] },
        { id: 'd2', toolName: 'echo', parameters: { n: 3 }, dependsOn: ['c'] },
        { id: 'e', toolName: 'echo', parameters: { sum: '{{steps.d1.result.n}}' }, dependsOn: ['d1', 'd2'] },
      ],
    },
  },
  local: {
    plan: {
      options: { allowParallel: true, maxParallelSteps: 8 },
      steps: [
        { id: 'a', toolName: 'echo', parameters: { n: 1 }, local: true },
        ...Array.from({ length: 12 }, (_, i) => ({ id: `w${i}`, toolName: i % 4 === 0 ? 'fail' : 'echo', parameters: i % 4 === 0 ? { failTimes: 1 } : { i }, maxRetries: 1, retryDelayMs: 5, local: i % 3 !== 0, dependsOn: ['a'] })),
        { id: 'z', toolName: 'echo', local: true, dependsOn: Array.from({ length: 12 }, (_, i) => `w${i}`) },
      ],
    },
  },
};

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const binary = await ensureTemporalBinary();
  const stack = await startEphemeralStack({
    label: 'histories',
    log: (line) => process.stderr.write(`${line}\n`),
    dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': SUGGEST_CONTINUE_AS_NEW_AT },
  });
  const pool = createPool(stack.databaseUrl);
  // The agent's model: a local fake answering from a script, as in the tests.
  const model = await new FakeOpenAI().start();
  const tooling = createToolServices({ ...NO_TOOL_SETTINGS, llm: { apiKey: null, baseUrl: model.baseURL, model: 'fake-model' } });
  const native = await NativeConnection.connect({ address: stack.temporalAddress });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  const tools = builtinRegistry();
  const worker = await createPlanWorker({ connection: native, namespace: 'default', taskQueue: 'histories', tools, pool, services: tooling.services, workflowBundle: { codePath: stack.workflowBundlePath } });
  try {
    await worker.runUntil(async () => {
      for (const [name, { plan, approve, runs }] of Object.entries(PLANS)) {
        // A recorded history is never recorded again: it stands for plans that ran on the code of its day.
        if (existsSync(join(__dirname, runs ? `${name}-1.json` : `${name}.json`))) continue;
        const handle = await startPlan(client, { id: `history-${name}`, ...plan }, { taskQueue: 'histories', catalog: tools });
        if (approve) {
          while ((await handle.query(stateQuery)).status !== 'pending_approval') await new Promise((r) => setTimeout(r, 50));
          await decide(client, handle.workflowId, { decision: 'approve', by: 'recorder' });
          // Then each step gate as it opens, until the plan ends.
          for (let state = await handle.query(stateQuery); !isTerminalPlanStatus(state.status); state = await handle.query(stateQuery)) {
            for (const step of state.steps.filter((s) => s.status === 'waiting_approval'))
              await decide(client, handle.workflowId, { decision: 'approve', by: 'recorder', step: step.id });
            await new Promise((r) => setTimeout(r, 50));
          }
        }
        await handle.result();
        await save(binary, stack.temporalAddress, client, handle.workflowId, name, runs);
      }
      if (!existsSync(join(__dirname, 'agent.json'))) {
        await recordAgent(client, tools, model, pool);
        await save(binary, stack.temporalAddress, client, 'history-agent', 'agent', false);
      }
    });
  } finally {
    await native.close();
    await connection.close();
    await pool.end();
    await tooling.close();
    await model.stop();
    await stack.stop();
  }
}

/** Writes the history of `workflowId` (every run of it when `runs`) as `<name>.json` (`<name>-<n>.json`). */
async function save(binary: string, address: string, client: Client, workflowId: string, name: string, runs?: boolean): Promise<void> {
  const handle = client.workflow.getHandle(workflowId);
  const runIds = runs ? await runsOf(client, handle.workflowId, (await handle.describe()).runId) : [undefined];
  for (const [index, runId] of runIds.entries()) {
    const file = join(__dirname, runs ? `${name}-${index + 1}.json` : `${name}.json`);
    // The Temporal CLI's JSON export: the standard history file format, read back by historyFromJSON.
    const args = ['workflow', 'show', '--address', address, '--workflow-id', handle.workflowId, '--output', 'json'];
    const shown = spawnSync(binary, runId ? [...args, '--run-id', runId] : args, { encoding: 'utf8' });
    if (shown.status !== 0) throw new Error(`temporal workflow show failed: ${shown.stderr}`);
    writeFileSync(file, shown.stdout);
    process.stdout.write(`recorded ${file}\n`);
  }
}

/**
 * An agent's life: a turn with a tool call, a destructive call rejected, a pause and a resume, a terminate (so the
 * history is whole).
 */
async function recordAgent(client: Client, tools: ReturnType<typeof builtinRegistry>, model: FakeOpenAI, pool: ReturnType<typeof createPool>): Promise<void> {
  const id = 'history-agent';
  await startAgent(client, id, { tools: ['echo', 'shell'] }, { taskQueue: 'histories', catalog: tools });
  model.reply(
    { content: 'Looking.', toolCalls: [{ name: 'echo', arguments: '{"n":1}' }] },
    { content: 'One.' },
    { content: '', toolCalls: [{ name: 'shell', arguments: '{"command":"rm","args":["-rf","/tmp/x"]}' }] },
    { content: 'Not allowed, then.' },
    { content: 'Resumed.' },
  );
  const first = await sendToAgent(client, id, 'Count to one.');
  await waitForReply(pool, id, first.ackId);
  const second = await sendToAgent(client, id, 'Clean up /tmp/x.');
  while ((await agentState(client, id)).status !== 'waiting_for_approval') await new Promise((r) => setTimeout(r, 50));
  await decide(client, id, { decision: 'reject', by: 'recorder', reason: 'not today' });
  await waitForReply(pool, id, second.ackId);
  await pauseAgent(client, id, { by: 'recorder' });
  const third = await sendToAgent(client, id, 'Still there?');
  await resumeAgent(client, id, { by: 'recorder' });
  await waitForReply(pool, id, third.ackId);
  await terminateAgent(client, id, { by: 'recorder', reason: 'recorded' });
  const ended = (await client.workflow.getHandle(id).result()) as AgentState;
  if (ended.turns !== 3) throw new Error(`the recorded agent ended after ${ended.turns} turns, not 3`);
}

/** The run ids of a workflow id, oldest first, once visibility lists the last one. */
async function runsOf(client: Client, workflowId: string, lastRunId: string): Promise<string[]> {
  for (;;) {
    const runs = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) runs.push(run);
    const ids = runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime()).map((run) => run.runId);
    if (ids.at(-1) === lastRunId) return ids;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
