/**
 * Step callbacks (`options.notify`) as a receiving system meets them: every event of a plan's life POSTed as JSON,
 * signed with the worker's PLAN_NOTIFY_SECRET, retried with the same event id when the receiver fails, filtered per
 * target — and a receiver that never answers leaves the plan untouched.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { decide } from '../../src/api/plans';
import type { PlanEvent } from '../../src/plan';
import { DELIVER_PLAN_EVENTS_WORKFLOW } from '../../src/workflows/definitions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../src/dev/free-port';
import { parsePlanText } from '../../src/plan/reading/parse';
import { ROOT, runNode } from '../support/child';
import { eventually } from '../support/eventually';
import { startTestWorker, type TestWorker } from '../support/plan-worker';
import { waitForState } from '../support/wait-for-state';

jest.setTimeout(60_000);

const SECRET = 'whsec-test-2f8e';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  answered: number;
}

/** A receiver: 503 to the first delivery of each event id, 204 after; `/ok...` takes all; `/hang` never answers. */
class Receiver {
  readonly received: Received[] = [];
  private server: Server | null = null;
  private readonly seen = new Set<string>();
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (req.url === '/hang') return; // never answers
        const id = String(req.headers['x-plan-event-id']);
        const status = this.seen.has(`${req.url}:${id}`) || req.url?.startsWith('/ok') ? 204 : 503;
        this.seen.add(`${req.url}:${id}`);
        this.received.push({ path: req.url ?? '', headers: req.headers, body, answered: status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  accepted(path: string): PlanEvent[] {
    return this.received
      .filter((r) => r.path === path && r.answered === 204)
      .map((r) => JSON.parse(r.body) as PlanEvent);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const receiver = new Receiver();
let env: TestWorker;
/** Where the example's receiver listens. */
let examplePort = 0;

beforeAll(async () => {
  await receiver.start();
  examplePort = await freePort();
  env = await startTestWorker(undefined, {
    toolSettings: { http: { allow: [`127.0.0.1:${receiver.port}`, `127.0.0.1:${examplePort}`] } },
    notifySecret: SECRET,
  });
});

afterAll(async () => {
  await env?.stop();
  await receiver.stop();
});

test('every event arrives signed, in order, once per event id despite the receiver failing each first try', async () => {
  const base = `http://127.0.0.1:${receiver.port}`;
  const handle = await env.start({
    options: {
      requireApproval: true,
      notify: [{ url: `${base}/all` }, { url: `${base}/ends`, events: ['plan_ended'] }],
    },
    steps: [
      { id: 'greet', toolName: 'echo', parameters: { hello: 'world' } },
      { id: 'break', toolName: 'fail', parameters: { message: 'on purpose' }, dependsOn: ['greet'] },
    ],
  });
  await waitForState(handle, (s) => s.status === 'pending_approval');
  await decide(env.client, handle.workflowId, { decision: 'approve', by: 'alice' });
  const state = await handle.result();
  expect(state.status).toBe('failed');
  // The deliverer outlives the plan and ends once everything is delivered.
  await env.client.workflow.getHandle(`${handle.workflowId}/notify`).result();

  const all = receiver.accepted('/all');
  expect(all.map((e) => [e.type, e.stepId ?? null])).toEqual([
    ['plan_started', null],
    ['approval_requested', null],
    ['step_started', 'greet'],
    ['step_completed', 'greet'],
    ['step_started', 'break'],
    ['step_failed', 'break'],
    ['plan_ended', null],
  ]);
  expect(all.every((e) => e.planId === handle.workflowId)).toBe(true);
  expect(all.at(-1)).toMatchObject({ status: 'failed' });
  expect(all[5]).toMatchObject({ tool: 'fail', error: 'on purpose', errorType: 'FailToolError', attempts: 1 });
  expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
  expect(receiver.accepted('/ends').map((e) => e.type)).toEqual(['plan_ended']);

  for (const delivery of receiver.received.filter((r) => r.path === '/all')) {
    const expected = `sha256=${createHmac('sha256', SECRET).update(delivery.body).digest('hex')}`;
    expect(delivery.headers['x-plan-signature']).toBe(expected);
    expect(delivery.headers['x-plan-event-id']).toBe((JSON.parse(delivery.body) as PlanEvent).id);
  }
  // Each event was refused once and then accepted, under the same id.
  const attempts = new Map<string, number>();
  for (const r of receiver.received.filter((d) => d.path === '/all'))
    attempts.set(String(r.headers['x-plan-event-id']), (attempts.get(String(r.headers['x-plan-event-id'])) ?? 0) + 1);
  expect([...attempts.values()].every((n) => n === 2)).toBe(true);
});

test('a step gate that opens mid-plan is announced with the step waiting', async () => {
  const handle = await env.start({
    options: { notify: [{ url: `http://127.0.0.1:${receiver.port}/gates`, events: ['approval_requested'] }] },
    steps: [
      { id: 'build', toolName: 'echo', parameters: { n: 1 } },
      { id: 'deploy', toolName: 'echo', parameters: { n: 2 }, dependsOn: ['build'], requiresApproval: true },
    ],
  });
  await waitForState(handle, (s) => s.steps[1]!.status === 'waiting_approval');
  await decide(env.client, handle.workflowId, { decision: 'approve', by: 'alice', step: 'deploy' });
  expect((await handle.result()).status).toBe('completed');
  await env.client.workflow.getHandle(`${handle.workflowId}/notify`).result();
  expect(receiver.accepted('/gates').map((e) => [e.type, e.gates])).toEqual([['approval_requested', ['deploy']]]);
});

test('a plan that continues as new keeps telling the same deliverer, with ids unique across its runs', async () => {
  const handle = await env.start({
    options: {
      allowParallel: true,
      maxParallelSteps: 20,
      notify: [
        { url: `http://127.0.0.1:${receiver.port}/ok-long`, events: ['plan_started', 'step_completed', 'plan_ended'] },
      ],
    },
    steps: Array.from({ length: 200 }, (_, i) => ({ id: `s${i}`, toolName: 'echo', parameters: { i } })),
  });
  expect((await handle.result()).status).toBe('completed');
  await env.client.workflow.getHandle(`${handle.workflowId}/notify`).result();
  // Visibility lists the runs a moment after they start.
  await eventually(async () => {
    let runs = 0;
    for await (const _ of env.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) runs++;
    return runs > 1;
  }, 'the plan to have continued as new');
  const events = receiver.accepted('/ok-long');
  expect(events.filter((e) => e.type === 'step_completed')).toHaveLength(200);
  expect(events.map((e) => e.type).filter((t) => t !== 'step_completed')).toEqual(['plan_started', 'plan_ended']);
  expect(events.at(-1)!.type).toBe('plan_ended');
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
});

test('a receiver that never answers neither holds the plan up nor changes how it ends', async () => {
  const handle = await env.start({
    options: { notify: [{ url: `http://127.0.0.1:${receiver.port}/hang` }] },
    steps: [{ id: 'only', toolName: 'echo', parameters: { n: 1 } }],
  });
  const state = await handle.result();
  expect(state).toMatchObject({ status: 'completed', reason: null });
  const deliverer = env.client.workflow.getHandle(`${handle.workflowId}/notify`);
  const description = await deliverer.describe();
  expect(description).toMatchObject({ type: DELIVER_PLAN_EVENTS_WORKFLOW, status: { name: 'RUNNING' } });
  await eventually(
    async () => ((await deliverer.describe()).raw.pendingActivities ?? []).some((a) => Number(a.attempt) >= 2),
    'the deliverer to retry the silent receiver',
  );
  await deliverer.terminate('test done');
});

test('a callback to an internal address the worker does not allow is dropped; the plan completes', async () => {
  const handle = await env.start({
    options: { notify: [{ url: 'http://127.0.0.1:9/denied', events: ['plan_ended'] }] },
    steps: [{ id: 'only', toolName: 'echo', parameters: { n: 1 } }],
  });
  expect((await handle.result()).status).toBe('completed');
  // HttpDestinationDenied is not retried: the deliverer gives the event up and ends.
  await env.client.workflow.getHandle(`${handle.workflowId}/notify`).result();
});

test('the example receiver checks signatures and prints each event of the example plan once', async () => {
  const receiverProcess = runNode(['examples/callbacks/receiver.mjs'], {
    PLAN_NOTIFY_SECRET: SECRET,
    PORT: String(examplePort),
  });
  try {
    await receiverProcess.waitFor(/listening on/);
    const { value } = parsePlanText(
      readFileSync(join(ROOT, 'examples', 'callbacks', 'plan.yaml'), 'utf8'),
      'plan.yaml',
    );
    const plan = value as { options: { notify: Array<{ url: string }> } };
    plan.options.notify[0]!.url = `http://127.0.0.1:${examplePort}/plan-events`;
    const handle = await env.start(plan as unknown as Record<string, unknown>);
    expect((await handle.result()).status).toBe('completed');
    await env.client.workflow.getHandle(`${handle.workflowId}/notify`).result();
    const lines = receiverProcess
      .output()
      .split('\n')
      .filter((line) => line.includes(handle.workflowId));
    expect(lines.map((line) => line.split(/\s+/)[1])).toEqual([
      'plan_started',
      'step_started',
      'step_completed',
      'step_started',
      'step_completed',
      'plan_ended',
    ]);
  } finally {
    receiverProcess.child.kill();
    await receiverProcess.exited;
  }
});
