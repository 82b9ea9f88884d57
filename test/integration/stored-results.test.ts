import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readPlanState } from '../../src/api/read-plan-state';
import { isStoredResult, STORED_RESULT } from '../../src/plan';
import { startTestWorker, type TestWorker } from '../support/plan-worker';

// A 3 MB JSON document: larger than anything Temporal lets through one payload (2 MB).
const items = Array.from({ length: 30_000 }, (_, i) => ({ id: i, text: `item number ${i} `.padEnd(80, '.') }));
const document = JSON.stringify({ title: 'big report', items });

let server: Server;
let url: string;
let env: TestWorker;
beforeAll(async () => {
  // /medium: 60 KB, just under the inline limit, so it stays in the state.
  server = createServer((req, res) =>
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(req.url === '/medium' ? JSON.stringify({ text: 'm'.repeat(60_000) }) : document),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/report`;
  // The fake server is on loopback, which http_request refuses unless the worker allows it.
  env = await startTestWorker(undefined, { toolSettings: { http: { allow: [new URL(url).host] } } });
});
afterAll(async () => {
  await env?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

const fetchStep = () => ({
  id: 'fetch',
  toolName: 'http_request',
  parameters: { url, maxResponseBytes: 8 * 1024 * 1024 },
});

test('a result larger than a payload is kept in PostgreSQL; later steps use it whole, by path and inside text', async () => {
  const state = await (
    await env.start({
      steps: [
        fetchStep(),
        {
          id: 'pick',
          toolName: 'echo',
          dependsOn: ['fetch'],
          parameters: { title: '{{steps.fetch.result.body.title}}', last: '{{steps.fetch.result.body.items.29999}}' },
        },
        {
          id: 'say',
          toolName: 'echo',
          dependsOn: ['fetch'],
          parameters: { line: 'got "{{steps.fetch.result.body.title}}" with status {{steps.fetch.result.status}}' },
        },
        { id: 'again', toolName: 'echo', dependsOn: ['fetch'], parameters: { copy: '{{steps.fetch.result.body}}' } },
      ],
    })
  ).result();
  expect(state.status).toBe('completed');
  const [fetched, pick, say, again] = state.steps;
  // The state (and so history) holds a marker, not the 3 MB.
  expect(isStoredResult(fetched!.result)).toBe(true);
  expect((fetched!.result as { [STORED_RESULT]: { bytes: number } })[STORED_RESULT].bytes).toBeGreaterThan(3_000_000);
  expect(pick!.result).toEqual({ title: 'big report', last: items[29_999] });
  expect(say!.result).toEqual({ line: 'got "big report" with status 200' });
  // The copy is large too: stored again, and the mirror shows the values themselves.
  expect(isStoredResult(again!.result)).toBe(true);
  const { rows } = await env.pool.query(
    `SELECT step_id, result->'body'->>'title' AS title, jsonb_array_length(result->'body'->'items') AS n,
            jsonb_array_length(result->'copy'->'items') AS copied
       FROM task_plans WHERE plan_id = $1 AND step_id IN ('fetch', 'again') ORDER BY step_id`,
    [state.planId],
  );
  expect(rows).toEqual([
    { step_id: 'again', title: null, n: null, copied: 30_000 },
    { step_id: 'fetch', title: 'big report', n: 30_000, copied: null },
  ]);
});

test('a path missing from a stored result fails the step that uses it, naming the path', async () => {
  const state = await (
    await env.start({
      steps: [
        fetchStep(),
        { id: 'bad', toolName: 'echo', dependsOn: ['fetch'], parameters: { x: '{{steps.fetch.result.body.nope}}' } },
      ],
    })
  ).result();
  expect(state.status).toBe('failed');
  expect(state.steps[1]).toMatchObject({
    status: 'failed',
    errorType: 'ReferenceResolutionError',
    error: expect.stringContaining('has nothing at "body.nope"'),
  });
});

test('a result under the inline limit stays in the state as it is', async () => {
  const state = await (await env.start({ steps: [{ id: 'small', toolName: 'echo', parameters: { x: 1 } }] })).result();
  expect(state.steps[0]!.result).toEqual({ x: 1 });
});

test('a final state too large for one payload comes without its steps, and plan status reads them from the mirror', async () => {
  const medium = url.replace('/report', '/medium');
  const handle = await env.start({
    options: { allowParallel: true },
    steps: Array.from({ length: 20 }, (_, i) => ({
      id: `m${i}`,
      toolName: 'http_request',
      parameters: { url: medium },
    })),
  });
  const result = await handle.result();
  // 20 results of 60 KB: over the 1 MiB the workflow returns, so the run still completes, with the count instead.
  expect(result).toMatchObject({
    status: 'completed',
    steps: [],
    stepsOmitted: 20,
    summary: { total: 20, completed: 20 },
  });
  const reading = await readPlanState(env.client, handle.workflowId, async () => env.pool);
  expect(reading.source).toBe('mirror');
  expect(reading.state.steps).toHaveLength(20);
  expect((reading.state.steps[19]!.result as { body: { text: string } }).body.text).toHaveLength(60_000);
});
